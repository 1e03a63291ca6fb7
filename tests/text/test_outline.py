"""Editors' text starts its headings at level 2: a level-1 heading (a second <h1> on the
page) is an error at its line."""

from __future__ import annotations

import pytest

from sitegen.errors import SiteError, SourceRef
from sitegen.model.records import ContentText
from sitegen.text.renderer import ContentRenderer


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Intro.\n\n# What is {{ short_name }}?\n", 3),
        ("Intro.\n\nWhat we do\n==========\n\nMore.\n", 3),
        ("Intro.\n\n<h1>Raw</h1>\n", 3),
        ("```\n# a comment in code\n```\n\n# Real\n", 5),
        ("Intro.\n\n#hashtag recovery\n", 3),
        ("Intro.\n\n<H1>Capitals</H1>\n", 3),
    ],
    ids=["atx", "setext", "raw html", "after a code block", "no space", "capitals"],
)
def test_a_level_one_heading_is_an_error_at_its_line(body: str, line: int) -> None:
    text = ContentText(body, SourceRef("content/programs/p.md", 10))
    with pytest.raises(SiteError) as info:
        ContentRenderer(set()).markdown(text, {"short_name": "IOP"})
    assert info.value.source == SourceRef("content/programs/p.md", 9 + line)
    assert "second <h1>" in info.value.message
    assert info.value.hint == "start this text's headings at level 2: ## What is IOP?"


def test_level_two_headings_and_hashes_in_code_are_fine() -> None:
    body = "## What is IOP?\n\n```\n# not a heading\n```\n\nA #hashtag.\n"
    text = ContentText(body, SourceRef("p.md", 1))
    assert "<h2" in ContentRenderer(set()).markdown(text, {}).html


def test_a_level_one_heading_inside_an_html_comment_is_no_heading() -> None:
    text = ContentText("Intro.\n\n<!-- <h1>old title</h1> -->\n", SourceRef("p.md", 1))
    html = ContentRenderer(set()).markdown(text, {}).html  # no error, and the note unpublished
    assert "Intro." in html and "old title" not in html
