"""The outline editors' text may have: its headings start at level 2 (`##`). A page's one
`<h1>` is its heading, which the layout prints; a second one in a body, a local text or a
FAQ answer makes the page's subject unclear to search engines and screen readers
(Google's SEO Starter Guide; axe's page-has-heading-one, WCAG 1.3.1).

Where the heading is written is found by Markdown itself, not by guessing at its syntax: a
level-1 heading can be an ATX or setext heading at the start of a line, inside a list item
(`- # Title`), a quote (`> # Title`) or a footnote, or raw HTML. The text is converted
line by line (a bisection over its prefixes), and the first line whose prefix makes an
`<h1>` is the heading's; for a setext heading that is its underline, and the error names
the line of its words above.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sitegen.errors import SiteError
from sitegen.model.records import ContentText
from sitegen.text.tags import blank_code
from sitegen.text.template import content_line

_H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)
# a setext underline, also inside quotes and list items: "===", "> ===", "    ==="
_UNDERLINE = re.compile(r"^[\s>]*=+[ \t]*$")


def top_heading_error(
    text: ContentText, html: str, convert: Callable[[str], str]
) -> SiteError | None:
    """An error at the line of the (first) level-1 heading in `text`, whose HTML from
    `convert` (Markdown -> HTML) is `html`; None when it has none."""
    if not _has_h1(html):
        return None
    return SiteError(
        "a level-1 heading in this text makes a second <h1> on its pages; the page's "
        "heading is its only <h1>",
        content_line(text, heading_line(text.text, convert)),
        "start this text's headings at level 2: ## What is IOP?",
    )


def heading_line(source: str, convert: Callable[[str], str]) -> int:
    """The 1-based line of `source` where its first level-1 heading is written: the first
    line whose prefix of the text converts to an <h1> (code blanked first, so that a code
    block cut open by a prefix never makes one). About log2(lines) conversions."""
    lines = blank_code(source).split("\n")
    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        if _has_h1(convert("\n".join(lines[:middle]))):
            high = middle
        else:
            low = middle + 1
    if low > 1 and _UNDERLINE.match(lines[low - 1]):
        return low - 1  # a setext heading: its words are on the line above
    return low


def _has_h1(html: str) -> bool:
    """Whether `html` has an <h1> outside comments and code."""
    return bool(_H1.search(html)) and bool(_H1.search(blank_code(html)))
