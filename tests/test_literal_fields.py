"""Fields published as written (titles, summaries, alt texts, a location's description)
refuse a variable at its line, instead of showing `{{ city }}` on the live page; FAQ
questions are rendered with the variables of their answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_bad_input import assert_refused, built_once, edit, line_of

from sitegen.cli import main

LOCATION = "content/locations/springfield.yaml"
PROGRAM = "content/programs/day-program.md"
LOCAL = "content/locations/springfield/day-program.md"
HOME = "content/pages/index.md"
PROGRAM_FIELDS = "the body, banner, description, faq answer, faq question"


@pytest.mark.parametrize(
    ("file", "old", "new", "needle", "column", "field", "written", "takes"),
    [
        (PROGRAM, "summary: A day program.", "summary: A {{ short_name }} program.",
         "summary:", 12, "summary", "{{ short_name }}", PROGRAM_FIELDS),
        (PROGRAM, "title: Day Program", "title: Day Program in {city}",
         "title:", 23, "title", "{city}", PROGRAM_FIELDS),
        (PROGRAM, "alt: A plain square}", 'alt: "A square in {{ city }}"}',
         "alt:", None, "hero.alt", "{{ city }}", PROGRAM_FIELDS),
        (LOCATION, "summary: Our Springfield location.", "summary: Our {{ city }} location.",
         "summary:", 14, "summary", "{{ city }}", "about"),
        (LOCATION, "description: Care in Springfield, Illinois.",
         "description: >\n  Care in Springfield,\n  {{ state_name }}.",
         "{{ state_name }}", None, "description", "{{ state_name }}", "about"),
        (LOCAL, "description:", "summary: |\n  Days\n  in {{ city }}\ndescription:",
         "in {{ city }}", None, "summary", "{{ city }}", PROGRAM_FIELDS),
        (HOME, "title: Welcome", "title: Welcome {% if phone %}home{% endif %}",
         "title:", 16, "title", "{% if phone %}", "the body, description"),
    ],
    ids=["program summary", "program title", "hero alt",
         "location summary", "folded location description", "local summary", "page title"],
)  # fmt: skip
def test_a_variable_in_a_field_published_as_written_is_an_error_at_its_line(
    minimal_site, build_cli, file, old, new, needle, column, field, written, takes
):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, file, old, new)
    where = f"{file}:{line_of(text, needle)}" + (f":{column}" if column else "")
    run = assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {where}: '{written}' would be shown as written: {field} is published as it "
        "is, without variables",
        "hint: write the words themselves (the name, the number); in this file variables "
        f"work in: {takes}\n",
    )
    assert run.err.count("error:") == 1


def test_braces_that_name_no_variable_stay_as_written_in_a_literal_field(minimal_site, build_cli):
    edit(minimal_site, PROGRAM, "summary: A day program.", "summary: A day program {for you}.")
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    hub = (minimal_site / "public/programs/day-program/index.html").read_text()
    assert "A day program {for you}." in hub


@pytest.fixture
def example(example_site: Path) -> Path:
    """A copy of the example project (conftest.example_site)."""
    return example_site


IOP = "content/programs/intensive-outpatient-program.md"
HUB = "programs/intensive-outpatient-program"
QUESTION = "question: How long does IOP last?"


def test_a_faq_question_is_rendered_with_the_variables_of_its_answer(example):
    edit(
        example,
        IOP,
        "question: How long does IOP last?",
        "question: How long does {{ short_name }} last?",
    )
    assert main(["build", "--root", str(example), "--out", str(example / "public")]) == 0
    for page in (
        "programs/intensive-outpatient-program",
        "los-angeles/intensive-outpatient-program",
    ):
        html = (example / "public" / page / "index.html").read_text()
        assert "{{" not in html
        soup = BeautifulSoup(html, "lxml")
        shown = [h.get_text() for h in soup.select("details summary h3")]
        assert "How long does IOP last?" in shown, page
    hub = BeautifulSoup(
        (example / "public/programs/intensive-outpatient-program/index.html").read_text(), "lxml"
    )
    data = [json.loads(s.get_text()) for s in hub.select('script[type="application/ld+json"]')]
    faq = [d for d in data if d.get("@type") == "FAQPage"]
    assert "How long does IOP last?" in [q["name"] for q in faq[0]["mainEntity"]]


def test_a_faq_question_may_not_use_a_location_variable_like_its_answer(example, build_cli):
    before = built_once(example, build_cli)
    text = edit(
        example,
        IOP,
        "question: How long does IOP last?",
        "question: How long does IOP last in {{ city }}?",
    )
    assert_refused(
        example,
        build_cli,
        before,
        f"error: {IOP}:{line_of(text, 'last in {{ city }}')}: 'city' cannot be used in this "
        "text: it is a location's",
    )


def test_a_process_that_keeps_the_records_checks_each_edit_again(minimal_site, capsys):
    """The resident build process keeps the records of unchanged files, and the check of
    the fields published as written keeps its findings for them: an edit brings the
    error, the next edit takes it away, and an untouched file keeps its own."""
    from sitegen.pipeline import Kept

    kept = Kept()
    argv = ["build", "--root", str(minimal_site)]
    assert main(argv, kept=kept) == 0
    edit(minimal_site, LOCATION, "summary: Our Springfield location.", "summary: Our {{ city }}.")
    capsys.readouterr()
    assert main(argv, kept=kept) == 1
    assert "summary is published as it is" in capsys.readouterr().err
    edit(minimal_site, PROGRAM, "title: Day Program", "title: Day Program in {city}")
    assert main(argv, kept=kept) == 1
    err = capsys.readouterr().err
    assert "summary is published as it is" in err and "title is published as it is" in err
    edit(minimal_site, LOCATION, "summary: Our {{ city }}.", "summary: Our Springfield location.")
    assert main(argv, kept=kept) == 1
    err = capsys.readouterr().err
    assert "summary is published as it is" not in err and "title is published as it is" in err
    edit(minimal_site, PROGRAM, "title: Day Program in {city}", "title: Day Program")
    assert main(argv, kept=kept) == 0
