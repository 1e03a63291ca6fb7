"""sitegen.text.variables: which texts may use which variables, and their values per page;
the site-level facts (insurance, phones) in every kind of text, from real fixture files."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.errors import ErrorList
from sitegen.load.config import load_config
from sitegen.load.content import load_content
from sitegen.text.variables import SITE, content_texts, content_variables

LOCATION = "content/locations/springfield.yaml"
PAGE = "content/pages/index.md"
PROGRAM = "content/programs/day-program.md"
INSURANCE = """    in_network: [Example Health, Sample Care]
    also_accepted: [Demo PPO, Test Plan, Other Plan]
"""


def with_insurance(root: Path) -> None:
    """site.yaml of the minimal fixture with two networks and three other plans."""
    path = root / "site.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    in_network: [Example Health]\n"
    assert marker in text
    path.write_text(text.replace(marker, INSURANCE), encoding="utf-8")


def loaded(root: Path):
    errors = ErrorList()
    content = load_content(root, errors)
    assert not errors
    return load_config(root), content


def test_a_location_s_own_phone_replaces_phone_but_not_admissions_phone(minimal_site):
    path = minimal_site / LOCATION
    path.write_text(path.read_text() + 'phone: "(217) 555-0134"\n', encoding="utf-8")
    config, content = loaded(minimal_site)
    location = content.locations["springfield"]
    program = content.programs["day-program"]
    here = content_variables(config, program, location)
    assert (here["phone"], here["phone_href"]) == ("(217) 555-0134", "tel:+12175550134")
    assert (here["admissions_phone"], here["admissions_phone_href"]) == (
        "(323) 555-0100",
        "tel:+13235550100",
    )
    assert here["text_phone_href"] == "sms:+13235550101"
    elsewhere = content_variables(config, program, None)  # a FAQ answer, a hub page
    assert elsewhere["phone"] == elsewhere["admissions_phone"] == "(323) 555-0100"


def test_without_a_phone_of_its_own_a_location_s_phone_is_admissions(minimal_site):
    config, content = loaded(minimal_site)
    here = content_variables(config, None, content.locations["springfield"])
    assert here["phone"] == here["admissions_phone"] == "(323) 555-0100"
    assert here["phone_href"] == "tel:+13235550100"


def test_every_kind_of_text_may_use_the_site_s_facts(minimal_site):
    _, content = loaded(minimal_site)
    texts = content_texts(content)
    assert len(texts) > 4
    for text, names in texts:
        assert names >= SITE, text.source


def test_a_page_s_description_is_a_text_with_the_site_s_names_only(minimal_site):
    _, content = loaded(minimal_site)
    [(description, names)] = [
        (t, n) for t, n in content_texts(content) if t.text == "The home page."
    ]
    assert description.source.path == PAGE
    assert description.source.line == 3
    assert names == SITE  # no program, no location, no component


@pytest.mark.parametrize(
    "name",
    sorted(SITE - {"site_name", "phone", "text_phone"}),
)
def test_the_check_before_rendering_accepts_each_fact_in_a_page_body(minimal_site, build_cli, name):
    path = minimal_site / PAGE
    path.write_text(path.read_text() + f"\nFact: {{{{ {name} }}}}.\n", encoding="utf-8")
    assert build_cli(minimal_site).code == 0


def test_insurance_and_phones_fill_a_page_body_its_description_and_a_faq_answer(
    minimal_site, build_cli
):
    with_insurance(minimal_site)
    page = minimal_site / PAGE
    page.write_text(
        "---\ntitle: Welcome\ndescription: In network with {{ insurance_networks }}.\n---\n"
        "We accept {{ accepted_plans }}. Call [{{ admissions_phone }}]"
        "({{ admissions_phone_href }}) or text [{{ text_phone }}]({{ text_phone_href }}).\n",
        encoding="utf-8",
    )
    program = minimal_site / PROGRAM
    source = program.read_text(encoding="utf-8")
    assert 'answer: "Call {{ phone }}."' in source
    program.write_text(
        source.replace(
            'answer: "Call {{ phone }}."', 'answer: "We take {{ insurance_networks }}."'
        ),
        encoding="utf-8",
    )
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    home = BeautifulSoup((minimal_site / "public/index.html").read_text(), "lxml")
    description = home.find("meta", attrs={"name": "description"})["content"]
    assert description == "In network with Example Health and Sample Care."
    body = home.find("main").get_text(" ", strip=True)
    assert "We accept Demo PPO, Test Plan and Other Plan." in body
    links = {a["href"]: a.get_text() for a in home.find_all("a", href=True)}
    assert links["tel:+13235550100"] == "(323) 555-0100"
    assert links["sms:+13235550101"] == "(323) 555-0101"
    built = "".join(p.read_text() for p in (minimal_site / "public").rglob("*.html"))
    assert "We take Example Health and Sample Care." in built


def test_an_unknown_variable_in_a_page_description_stops_the_build_at_its_line(
    minimal_site, build_cli
):
    page = minimal_site / PAGE
    page.write_text(page.read_text().replace("The home page.", '"{{ insurance_network }}"'))
    run = build_cli(minimal_site)
    assert run.code != 0
    assert f"{PAGE}:3: unknown variable 'insurance_network'" in run.err
    assert "did you mean 'insurance_networks'?" in run.err
