"""How tags are written in editors' text: where the `{{ }}`, `{% %}` and `{# #}` tags are,
which of them are simple enough to fill without Jinja, and the line marks the Markdown
conversion leaves after each tag.

The delimiters are Jinja's defaults. This module is the vocabulary shared by the conversion
(convert.py sets tags aside), the template language (template.py runs them) and the check
before rendering (names.py reads them); it imports nothing of the project.
"""

from __future__ import annotations

import bisect
import functools
import re

COMPONENT = "component"
"""The function content calls to place a component: `{{ component("banner") }}`."""

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
"""Any tag: an expression, a statement or a comment (as Jinja's lexer reads them, except
that a `}}` inside a string literal ends the match here)."""

SIMPLE_TAG = re.compile(
    r"\{\{\s*(?:([a-z_][a-z0-9_]*)|component\(\s*[\"']([a-z0-9_-]+)[\"']\s*\))\s*\}\}"
)
"""`{{ name }}` (group 1: the variable) or `{{ component("x") }}` (group 2: the component)."""

LINE_MARK = re.compile(r"\{# L(\d+) #\}")
"""A line mark (see `line_mark`); group 1 is the line."""


def line_mark(line: int) -> str:
    """`{# L7 #}`: a Jinja comment, placed after a tag, saying the tag is on line 7 of its
    text. Comments render as nothing, so the marks never reach a page."""
    return f"{{# L{line} #}}"


def line_at(source: str, offset: int) -> int:
    """The 1-based line of `source` that the character at `offset` is on: by counting in a
    short text, by bisecting its line starts (line_offsets) in a long one, so that placing
    every tag of a long text stays linear."""
    if len(source) < _SHORT:
        return source.count("\n", 0, offset) + 1
    return bisect.bisect_right(line_offsets(source), offset)


def line_offset(source: str, line: int) -> int:
    """The offset in `source` where its 1-based `line` begins (its end for a line past the
    last)."""
    if line <= 1:
        return 0
    offsets = line_offsets(source)
    return offsets[line - 1] if line <= len(offsets) else len(source)


_SHORT = 4096  # characters: below this, counting newlines is cheaper than an index


@functools.lru_cache(maxsize=8)
def line_offsets(source: str) -> list[int]:
    """The offset where each line of `source` begins: [0, after the first newline, ...].
    Kept for the last few texts (a text's lines are looked up once per tag)."""
    return [0, *(m.end() for m in _NEWLINE.finditer(source))]


_NEWLINE = re.compile("\n")


_FENCED = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ID = re.compile(r' id="([^"]+)"')


def ids_in(html: str) -> frozenset[str]:
    """Every id="..." of `html`."""
    return frozenset(_ID.findall(html)) if ' id="' in html else frozenset()


def blank_code(source: str) -> str:
    """`source` with its fenced code blocks, code spans and HTML comments blanked (their
    characters made spaces, lines kept), for searches that concern only the text a reader
    sees as prose."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group())

    return _COMMENT.sub(blank, _CODE_SPAN.sub(blank, _FENCED.sub(blank, source)))
