"""The outline editors' text may have: its headings start at level 2 (`##`). A page's one
`<h1>` is its heading, which the layout prints; a second one in a body, a local text or a
FAQ answer makes the page's subject unclear to search engines and screen readers
(Google's SEO Starter Guide; axe's page-has-heading-one, WCAG 1.3.1)."""

from __future__ import annotations

import re

from sitegen.errors import SiteError
from sitegen.model.records import ContentText
from sitegen.text.tags import blank_code
from sitegen.text.template import content_line

# "# Title" or "#Title" (Python-Markdown needs no space), not "## Title"
_ATX = re.compile(r"^ {0,3}#(?!#)", re.MULTILINE)
_SETEXT = re.compile(r"^ {0,3}=+[ \t]*$", re.MULTILINE)  # "Title" underlined with "==="
_RAW = re.compile(r"<h1[\s>]", re.IGNORECASE)
_H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)


def top_heading_error(text: ContentText, html: str) -> SiteError | None:
    """An error at the line of the level-1 heading in `text`, whose converted HTML is
    `html`; None when it has none."""
    if not _H1.search(html) or not _H1.search(blank_code(html)):
        return None
    source = blank_code(text.text)
    found = [m.start() for m in (_ATX.search(source), _RAW.search(source)) if m]
    setext = _SETEXT.search(source)
    if setext:  # the heading is the line above its underline
        found.append(source.rfind("\n", 0, max(setext.start() - 1, 0)) + 1)
    offset = min(found) if found else 0
    return SiteError(
        "a level-1 heading in this text makes a second <h1> on its pages; the page's "
        "heading is its only <h1>",
        content_line(text, text.text.count("\n", 0, offset) + 1),
        "start this text's headings at level 2: ## What is IOP?",
    )
