"""Footnotes of a text that shares its page with another: Python-Markdown numbers every
text's footnotes fn:1, fn:2 ..., so a location's text with a footnote beside a program body
with one made two id="fn:1" on the page, and the body's note link jumped to the location's
note. Such a text's footnote ids take a number of their own (fn:2-1) instead."""

from __future__ import annotations

import itertools
import re

from sitegen.text.tags import ids_in

_FOOTNOTE = re.compile(r'(id="|href="#)(fn|fnref):')


def footnotes_apart(html: str, reserved: frozenset[str]) -> str:
    """`html` with its footnote ids and the links to them renamed, when one of those ids is
    in `reserved` (the page's other ids); unchanged otherwise."""
    if 'id="fn:' not in html or not ids_in(html) & reserved:
        return html
    for number in itertools.count(2):
        renamed = _FOOTNOTE.sub(rf"\g<1>\g<2>:{number}-", html)
        if not ids_in(renamed) & reserved:
            return renamed
    raise AssertionError("unreachable")  # pragma: no cover
