"""A fast path for Markdown that is only paragraphs and `#` headings.

Most location texts (a location's about, a local text for one program) are a few plain
paragraphs under a heading. Python-Markdown spends ~0.25 ms on such a text, mostly running
processors that find nothing; a site with a thousand locations has two thousand of them.
`plain_markdown` gives the same HTML as Python-Markdown (with this project's extensions)
for texts made only of such blocks, and None for anything else: a character that Markdown
might read as syntax, or a line that could start a list, quote, code block, table,
definition or setext heading. The tests compare it with Python-Markdown on generated texts.

Its HTML is also HTML the project's policy (text/policy.py, nh3) keeps as it is, unless it
holds a no-break space (REWRITTEN_BY_POLICY): `<p>` and `<h1>`-`<h6>` around text with no
`<`, `>` or `&`. The converter does not clean such HTML (about 45 us a text: 1,000
locations' about texts, a build); the tests compare the policy's output with it on
generated texts too.
"""

from __future__ import annotations

import re

# Characters that may take part in Markdown or HTML syntax anywhere in a line, plus tabs
# and control characters (Python-Markdown rewrites those before parsing).
_SPECIAL = re.compile(r"[\\`*_{}\[\]<>|&~^\t\x00-\x08\x0b-\x1f\x7f]")
# Lines that could start a block other than a paragraph: indentation (code, lists), list
# markers, quotes, definitions, setext underlines and rules, ordered lists, trailing
# spaces (a hard line break), a heading inside a paragraph.
_NOT_PARAGRAPH_LINE = re.compile(r"^(?:\s|[-+=:>#]|\d+[.)])|\s$")
_HEADING = re.compile(r"(#{1,6}) ([^#\s](?:[^#]*[^#\s])?)")

REWRITTEN_BY_POLICY = re.compile("[\u00a0\ud800-\udfff]")
"""What in plain_markdown's HTML the HTML policy does not give back as it is: a no-break
space (written `&nbsp;`, as html5ever's serializer does) and a lone surrogate (which nh3
refuses; no source file can hold one, as they are read as UTF-8 and YAML refuses the
escape, but a text from elsewhere could). HTML without them is kept as it is."""


def plain_markdown(text: str) -> str | None:
    """Python-Markdown's HTML for `text`, or None if `text` is not plain paragraphs and
    headings only."""
    if _SPECIAL.search(text):
        return None
    html: list[str] = []
    for block in re.split(r"\n(?:[ ]*\n)+", text.strip("\n")):
        if not block:
            continue
        lines = block.split("\n")
        if len(lines) == 1 and block.startswith("#"):
            heading = _HEADING.fullmatch(block)
            if heading is None:
                return None
            level = len(heading.group(1))
            html.append(f"<h{level}>{heading.group(2)}</h{level}>")
            continue
        if any(_NOT_PARAGRAPH_LINE.search(line) for line in lines):
            return None
        html.append(f"<p>{block}</p>")
    return "\n".join(html)
