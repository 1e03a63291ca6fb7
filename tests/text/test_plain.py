"""sitegen.text.plain: the fast path must give exactly Python-Markdown's HTML, or decline."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.errors import SourceRef
from sitegen.load.frontmatter import split_front_matter
from sitegen.text.convert import MARKDOWN_EXTENSIONS
from sitegen.text.plain import plain_markdown

ROOT = Path(__file__).resolve().parents[2]


def python_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")


# Words and marks that are plain text, that are Markdown syntax, or that are either
# depending on where they stand in a line.
PIECES = [
    "Care",
    "in",
    "Los Angeles",
    "sgtag0z",
    "IOP",
    "3",
    "12",
    "caf\u00e9",
    "\u2014",
    "\u2019",
    " ",
    "  ",
    ".",
    ",",
    ":",
    ";",
    "?",
    "!",
    "(",
    ")",
    "'",
    '"',
    "/",
    "%",
    "$",
    "@",
    "#",
    "## ",
    "###### ",
    "####### ",
    "-",
    "- ",
    "+ ",
    "* ",
    "1. ",
    "2) ",
    "> ",
    ": ",
    "=",
    "===",
    "---",
    "***",
    "_",
    "*",
    "`",
    "[",
    "]",
    "<",
    ">",
    "&",
    "&amp;",
    "|",
    "~",
    "^",
    "{",
    "}",
    "\\",
    "\t",
    "    ",
    "\u00a0",
    "\r",
    "\x02",
    "\n",
    "\n",
    "\n",
    "\n\n",
    "\n \n",
    "\n\n\n",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=3000, deadline=None)
@given(texts)
@example("## Treatment in sgtag0z\n\nA plain paragraph.\nIts second line.")
@example("Line one\n---")
@example("Line one\n## Not a heading here")
@example("1. A list")
@example("A line with a hard break  \nnext")
def test_same_html_as_python_markdown_or_none(text: str) -> None:
    fast = plain_markdown(text)
    if fast is not None:
        assert fast == python_markdown(text)


@pytest.mark.parametrize(
    "text",
    [
        "Plain words.",
        "## A heading\n\nA paragraph with (brackets), 'quotes', \"double\" and 50% more.",
        "First paragraph.\n\n\n\nSecond paragraph,\nover two lines.",
        "# One\n\n###### Six",
    ],
)
def test_plain_texts_take_the_fast_path(text: str) -> None:
    assert plain_markdown(text) == python_markdown(text)


@pytest.mark.parametrize(
    "text",
    ["- item", "**bold**", "[link](/x/)", "A & B", "Term\n: definition", "    code", "#7 tips"],
)
def test_markdown_syntax_is_left_to_python_markdown(text: str) -> None:
    assert plain_markdown(text) is None


def test_every_text_of_the_example_site_converts_the_same() -> None:
    """Where the fast path applies to the example site's texts, nothing changes."""
    checked = 0
    for path in sorted((ROOT / "content").rglob("*.md")):
        body = split_front_matter(path.read_text(encoding="utf-8"), SourceRef(str(path))).body
        fast = plain_markdown(body)
        if fast is not None:
            assert fast == python_markdown(body), path
            checked += 1
    assert checked >= 1
