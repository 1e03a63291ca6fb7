"""How deeply a Markdown text nests its blocks, found by one cheap pass over its lines before
it is converted.

Python-Markdown parses nested lists and quotes by recursion: a list nested 300 deep ends in
a RecursionError, and one nested 2,000 deep runs for minutes. Raw HTML nested 100,000 deep
converts, but every later step that reads the page's tree pays for it. `too_deep` finds the
first line whose nesting passes limits.MAX_MARKDOWN_DEPTH, counting on each line (outside
fenced code) its `>` quote markers, its list markers (`- `, `* `, `+ `, `1. `, several on
one line nest too) and its indentation in steps of four spaces (Python-Markdown's), and
across lines the raw HTML elements left open (those whose end tag may be left out, such as
<p> and <li>, and void ones such as <br>, not counted).
"""

from __future__ import annotations

import re

from sitegen.model.limits import MAX_MARKDOWN_DEPTH

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTES = re.compile(r"[ \t]{0,3}(?:>[ \t]?)+")
_MARKERS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+")
# a tag as an HTML parser reads it: a quoted attribute value may hold < and > (`title="<"`)
_HTML_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s(?:"[^"]*"|'[^']*'|[^<>"'])*)?(/?)>""")
_NOT_NESTING = frozenset(
    {
        *("p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option"),
        *("optgroup", "rt", "rp", "colgroup", "caption"),  # end tag may be left out
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
        *("source", "track", "wbr"),  # void: no end tag
    }
)


def too_deep(source: str, limit: int = MAX_MARKDOWN_DEPTH) -> tuple[int, int, str] | None:
    """(1-based line, depth, what nests) of the first line of the Markdown `source` that
    nests more than `limit` levels deep ("lists and quotes" or "HTML elements"), or None.
    Linear in the length of `source`."""
    fence: str | None = None
    open_tags: list[str] = []
    for number, line in enumerate(source.split("\n"), start=1):
        if fence is not None:
            if line.lstrip().startswith(fence):
                fence = None
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)
            continue
        depth = _block_depth(line)
        if depth > limit:
            return number, depth, "lists and quotes"
        if "<" in line and _html_depth(line, open_tags, limit) > limit:
            return number, len(open_tags), "HTML elements"
    return None


def _block_depth(line: str) -> int:
    """Quote markers, then indentation in steps of four and list markers, at the start of
    `line`."""
    quotes = _QUOTES.match(line)
    depth = quotes.group().count(">") if quotes else 0
    rest = line[quotes.end() :] if quotes else line
    stripped = rest.lstrip(" \t")
    indent = len(rest) - len(stripped) + 3 * rest[: len(rest) - len(stripped)].count("\t")
    markers = _MARKERS.match(stripped)
    if markers:
        depth += indent // 4 + len(re.findall(r"[-*+]|\d+[.)]", markers.group()))
    elif stripped:
        depth += indent // 4  # a continued item's text, or code
    return depth


def _html_depth(line: str, open_tags: list[str], limit: int) -> int:
    """`open_tags` after the tags of `line`: an end tag closes up to the last element of its
    name (none if it is not open); returns the most that were open on the line."""
    deepest = len(open_tags)
    for match in _HTML_TAG.finditer(line):
        closing, name, self_closing = match.groups()
        name = name.lower()
        if name in _NOT_NESTING or self_closing:
            continue
        if closing:
            if name in open_tags:  # never more than `limit` + 1 long
                while open_tags and open_tags.pop() != name:
                    pass
        else:
            open_tags.append(name)
            deepest = max(deepest, len(open_tags))
            if deepest > limit:
                return deepest
    return deepest
