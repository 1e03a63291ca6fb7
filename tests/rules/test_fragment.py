"""rules.fragment: the rules of one page's elements on one editor text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.rules.fragment import text_findings, tree_findings
from sitegen.rules.model import PageContext, Thresholds

CTX = PageContext("https://www.example.com", True, Thresholds())
FILES = {"/", "/programs/"}


def findings(html: str):
    """text_findings and tree_findings of `html`, as comparable values."""
    return [
        (found.ids, [(f.rule, f.subject) for f in found.findings], found.fragments, found.paths)
        for found in (text_findings(html, CTX, FILES, ()), tree_findings(html, CTX, FILES, ()))
    ]


TEXT = st.text(st.characters(blacklist_characters="<", blacklist_categories=("Cs",)), max_size=12)
ID = st.one_of(  # mostly ids as headings get them, sometimes any value
    st.text(st.sampled_from("ab-_.:é1"), max_size=6),
    st.text(st.characters(blacklist_characters='"<>&', blacklist_categories=("Cs",)), max_size=8),
)
PIECE = st.one_of(
    TEXT,
    st.sampled_from(["<p>", "</p>", "</h2>", "</h3>", "&amp;", "&lt;", "&#62;", ">", "\x00", "\r"]),
    st.builds(lambda level, value: f'<h{level} id="{value}">', st.integers(1, 6), ID),
    st.builds(lambda level: f"<h{level}>", st.integers(1, 6)),
)


@settings(max_examples=1500)
@given(st.lists(PIECE, max_size=12))
@example(['<h2 id="a typical week">', "A week", "</h2>", "<p>", "5 > 3 &amp; 2 < 4", "</p>"])
@example(['<h2 id="">', "</h2>", '<h3 id="é">', "</h3>"])
@example(["\x00", '<h1 id="">'])  # lxml 5.0 ends the tree at a NUL: parsed, not read
def test_paragraphs_and_headings_are_read_as_lxml_reads_them(pieces):
    """A text of paragraphs and headings (most texts) is not parsed: what the rules find
    in it, its headings' ids, is what the tree gives."""
    fast, parsed = findings("".join(pieces))
    assert fast == parsed


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="/nowhere/">here</a></p>',
        '<p><img src="/assets/x.png"></p>',
        '<h2 id="a&amp;b">x</h2><h2 id="a&b">y</h2>',
        '<p id="x">text</p>',
        '<p>see <a href="#missing">below</a></p>',
        '<script type="application/ld+json">{"@context": 1</script>',
    ],
)
def test_any_other_element_or_attribute_is_parsed(html):
    """Links, images, ids with character references, attributes on paragraphs, scripts:
    the tree's findings, as before."""
    fast, parsed = findings(html)
    assert fast == parsed
    assert fast != ([], [], [], []) or html.startswith("<p id")
