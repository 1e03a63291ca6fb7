"""Ids of a text that shares its page with others but cannot know them: a FAQ answer or a
location's about text is converted once and shown on several pages, beside bodies whose
headings and footnotes it cannot see. The ids the conversion gives it (its headings' and
footnotes') therefore live in a namespace of their own (`faq2:fn:1`, `faq2:costs`): the
colon is a character no heading's id (a slug of words) and no footnote id of another text
has, so no two texts of a page give the same id. Ids the editor wrote are kept as written
(the page rules report one that another part of the page gives too)."""

from __future__ import annotations

import re

_GIVEN = re.compile(r'<h[1-6]\b[^>]*\sid="([^"]+)"|\sid="(fn(?:ref)?:[^"]+)"')
_ID_OR_LINK = re.compile(r'(\sid="|\shref="#)([^"]+)"')


def namespaced(html: str, namespace: str, ids: frozenset[str]) -> tuple[str, frozenset[str]]:
    """`html` with the ids its conversion gave (headings', footnotes') and the links to them
    (href="#id") put in `namespace` (`faq2` -> `faq2:id`); and `ids`, the text's ids,
    renamed the same way. Other ids and links are left as they are."""
    given = {a or b for a, b in _GIVEN.findall(html)} & ids
    if not given:
        return html, ids

    def rename(match: re.Match[str]) -> str:
        value = match.group(2)
        return f'{match.group(1)}{namespace}:{value}"' if value in given else match.group()

    renamed = frozenset(f"{namespace}:{value}" if value in given else value for value in ids)
    return _ID_OR_LINK.sub(rename, html), renamed
