"""sitegen.text.convert: Markdown converted once, with the template tags kept as written and
their lines noted."""

from __future__ import annotations

import markdown
import pytest

from sitegen.text.convert import MARKDOWN_EXTENSIONS, MarkdownConverter


def convert(text: str) -> str:
    return MarkdownConverter().convert(text)


def test_tags_come_back_as_written_with_their_line():
    html = convert("# Hi {{ city }}\n\nA *b* {{ state }}.\n{% if x %}y{% endif %}")
    assert html == (
        "<h1>Hi {{ city }}{# L1 #}</h1>\n"
        "<p>A <em>b</em> {{ state }}{# L3 #}.\n{% if x %}{# L4 #}y{% endif %}{# L4 #}</p>"
    )


def test_markdown_inside_a_tag_is_not_converted():
    html = convert("{{ '*a* [b](c) <i>' ~ city }}")
    assert html == "{{ '*a* [b](c) <i>' ~ city }}{# L1 #}"


def test_a_tag_alone_in_a_paragraph_loses_the_paragraph():
    html = convert("{% if city %}\n\nText.\n\n{% endif %}")
    assert html == "{% if city %}{# L1 #}\n<p>Text.</p>\n{% endif %}{# L5 #}"


@pytest.mark.parametrize(
    "text",
    [
        "Plain paragraph.\n\n## Heading",  # plain.py's fast path
        "- a list\n- of *items*\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        "Term\n: definition\n\n```\ncode\n```",
    ],
)
def test_without_tags_it_is_python_markdown(text: str):
    expected = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    assert convert(text) == expected


def test_one_converter_converts_many_texts_independently():
    """Python-Markdown keeps state (footnotes, abbreviations) unless reset between texts."""
    converter = MarkdownConverter()
    first = converter.convert("A[^1].\n\n[^1]: Note.")
    assert "Note." in first
    assert converter.convert("B.") == "<p>B.</p>"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("## Our outpatient team in {city}", "<h2>Our outpatient team in {city}</h2>"),
        ("| Team in {place} | b |\n|---|---|\n| {x} | y |", "<th>Team in {place}</th>"),
        ("| Team in {place} | b |\n|---|---|\n| {x} | y |", "<td>{x}</td>"),
        ("Term\n: Defined in {here}", "<dd>Defined in {here}</dd>"),
        ("A *word*{note} here", "<em>word</em>{note} here"),
        ("Inline `{code}` stays", "<code>{code}</code>"),
        ("Text\n{after}", "<p>Text\n{after}</p>"),
        ("## Nested {a {b} c}", "<h2>Nested {a {b} c}</h2>"),
        ("| x {a {b} c} |\n|---|\n| y |", "<th>x {a {b} c}</th>"),
        ("Para\n{a {b} c}", "<p>Para\n{a {b} c}</p>"),
        ("{_x_}", "<p>{<em>x</em>}</p>"),
        ("<a{b}@x.com>", "&#97;&#123;&#98;&#125;&#64;"),
    ],
)
def test_braces_that_are_not_an_attribute_list_are_kept_as_text(text: str, kept: str):
    """Python-Markdown's attr_list would take these for attributes and drop them."""
    assert kept in convert(text)


@pytest.mark.parametrize(
    ("text", "made"),
    [
        ("## Heading {: #custom }", '<h2 id="custom">Heading</h2>'),
        ("## Heading {.wide}", '<h2 class="wide">Heading</h2>'),
        ("[Book](/book/){target=_blank}", '<a href="/book/" target="_blank">Book</a>'),
    ],
)
def test_deliberate_attribute_lists_still_work(text: str, made: str):
    assert made in convert(text)
