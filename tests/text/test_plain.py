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
from sitegen.text.plain import REWRITTEN_BY_POLICY, plain_markdown

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


# Characters a sanitiser might treat otherwise than plain text: separators, invisible and
# direction marks, lookalikes of < and &, private use, noncharacters, a lone surrogate.
ODD = ["\u2028", "\ufeff", "\u200f", "\u202e", "\u0085", "\u00ad", "\uff1c", "\uff06"]
ODD += ["\ue000", "\ue001", "\ufffe", "\U0010ffff", "\ud800", "\u00a0", "\u0301", "\x7f"]
odd_texts = st.lists(st.sampled_from(PIECES + ODD), max_size=40).map("".join)


@settings(max_examples=3000, deadline=None)
@given(odd_texts, st.sampled_from([(), ("maps.example.org",)]))
@example("A no-break\u00a0space", ())
@example("A lone \ud800 surrogate", ())
@example("## Caf\u00e9 \u2014 \ufeff\u2028 \U0010ffff", ())
def test_the_policy_keeps_the_fast_paths_html_unless_it_has_a_no_break_space(
    text: str, hosts: tuple[str, ...]
) -> None:
    """text.convert does not clean the fast path's HTML without a no-break space: the
    policy (nh3) must give it back unchanged, whatever the text and site.yaml's iframe
    hosts. With one, nh3 writes `&nbsp;`, and the converter cleans it as any HTML."""
    from sitegen.text.policy import HtmlPolicy

    fast = plain_markdown(text)
    if fast is not None:
        try:
            cleaned: str | None = HtmlPolicy(hosts).clean(fast)
        except UnicodeEncodeError:  # a lone surrogate: nh3 takes only what UTF-8 can hold
            cleaned = None
        assert (cleaned == fast) == (REWRITTEN_BY_POLICY.search(fast) is None)


def test_a_plain_text_is_converted_the_same_with_or_without_the_policy_pass() -> None:
    """What the converter gives for fast-path texts is what cleaning gives (the policy
    pass skipped or not), and a text with a no-break space is still cleaned."""
    from sitegen.text.convert import MarkdownConverter
    from sitegen.text.policy import HtmlPolicy

    policy = HtmlPolicy()
    calls: list[str] = []

    def clean(html: str, tags: object) -> str:
        calls.append(html)
        return policy.clean(html)

    converter = MarkdownConverter()
    for text in ("## Care here\n\nPlain words, (brackets) and 'quotes'.", "Caf\u00e9s."):
        assert converter.convert(text, clean) == policy.clean(converter.convert(text))
    assert "{{ city }}" in converter.convert("Care in {{ city }}.", clean)
    assert calls == []  # none of these was cleaned: the policy gives them back as they are
    assert converter.convert("Ten\u00a0miles.", clean) == "<p>Ten&nbsp;miles.</p>"
    assert calls == ["<p>Ten\u00a0miles.</p>"]
    assert converter.convert("**Bold** words.", clean) == "<p><strong>Bold</strong> words.</p>"
