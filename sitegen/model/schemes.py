"""Which URL schemes the site's addresses may have, read as a browser reads them.

An address an editor writes (site.yaml's navigation, a link or image in a text) is either
relative (no scheme: `/contact/`, `#top`, `images/a.png`, `//cdn.example.com/x`) or has
one of ALLOWED_SCHEMES. The scheme is found as the WHATWG URL Standard's basic URL parser
finds it (https://url.spec.whatwg.org/#concept-basic-url-parser): leading and trailing C0
controls and spaces are stripped, every tab and newline anywhere is removed, and the
scheme is an ASCII letter followed by letters, digits, `+`, `-` or `.` up to the first
`:`, in any case. So ` JaVa\tScRiPt:alert(1)` is a javascript: address, as browsers run
it; `{{ phone_href }}` and `/a:b` have no scheme. Character references (`&#106;`) are
HTML's, decoded before this (policy.py reads attributes decoded).
"""

from __future__ import annotations

import re

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms"})
"""The schemes an address may have; an address without one is relative (allowed)."""

ACTIVE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "blob", "filesystem"})
"""Schemes whose address runs code or reads what it should not (an error, not a warning):
javascript: and vbscript: run script, data: and blob: make documents of the page's own
origin's choosing, file: reads the visitor's disk."""

_STRIP = "".join(chr(c) for c in range(0x21))  # C0 controls and space
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def scheme_of(url: str) -> str | None:
    """The lowercased scheme a browser reads in `url`, or None for a relative address."""
    match = _SCHEME.match(_TAB_OR_NEWLINE.sub("", url.strip(_STRIP)))
    return match.group(1).lower() if match else None


def scheme_problem(url: str) -> str | None:
    """Why `url` may not be a link's or an image's address, or None when it may."""
    scheme = scheme_of(url)
    if scheme is not None and scheme not in ALLOWED_SCHEMES:
        written = url.strip(_STRIP).split(":", 1)[0]
        said = f"'{scheme}:'" + (f" (written {written!r})" if written != scheme else "")
        return f"its scheme {said} is not allowed; addresses are relative or " + ", ".join(
            f"{s}:" for s in sorted(ALLOWED_SCHEMES)
        )
    return None


def setting_url_problem(url: str) -> str | None:
    """`scheme_problem` for an address in a settings file (site.yaml), where a control
    character (a tab, a newline) has no business either: browsers drop some of them, so
    they hide what an address is."""
    if _CONTROL.search(url):
        return "it has a control character (a tab, a newline, ...) that browsers drop"
    return scheme_problem(url)
