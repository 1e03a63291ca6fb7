"""Heading ids (id="what-is-iop"), so sections can be linked to.

Ids of headings with fixed text are given once per text, when it is compiled; a heading
with a variable ("Benefits of IOP in {{ city }}") is marked then and named per page.
"""

from __future__ import annotations

import re

from sitegen.text.tags import ids_in

_DYNAMIC = " sgdynamicid>"  # marks a heading whose id is given per page
_HEADING = re.compile(r"<h([2-6])>(.*?)</h\1>", re.DOTALL)
_MARKUP = re.compile(r"<[^>]+>|&[a-z#0-9]+;")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def static_heading_ids(
    html: str, reserved: frozenset[str] = frozenset()
) -> tuple[str, frozenset[str] | None]:
    """Ids for the headings whose text is fixed, once per text rather than once per page,
    none of them in `reserved` (ids the page has already: the layout's, another text's).
    Headings with variables are marked to be named per page; then the ids already used are
    returned (else None: nothing to do per page)."""
    used: set[str] = set(reserved) | ids_in(html)  # and the ids the editor wrote by hand
    html = add_heading_ids(html, used, skip_tags=True)
    if reserved and 'href="#' in html:
        html = _follow_renamed(html, reserved)
    marked = _HEADING.sub(lambda m: f"<h{m.group(1)}{_DYNAMIC}{m.group(2)}</h{m.group(1)}>", html)
    return marked, frozenset(used) if marked != html else None


_GIVEN = re.compile(r'<h[2-6] id="([^"]+)">(.*?)</h[2-6]>', re.DOTALL)


def _follow_renamed(html: str, reserved: frozenset[str]) -> str:
    """The text's own links to a heading whose id gave way to a reserved one
    (`[see below](#where)` to `## Where`, now where-2) point at the heading's new id."""
    renamed: dict[str, str] = {}
    for match in _GIVEN.finditer(html):
        given, inner = match.group(1), match.group(2)
        wanted = slugify(_MARKUP.sub("", inner)) or "section"
        if given != wanted and wanted in reserved:
            renamed.setdefault(wanted, given)
    for wanted, given in renamed.items():
        html = html.replace(f'href="#{wanted}"', f'href="#{given}"')
    return html


def name_marked_headings(html: str, used: set[str]) -> str:
    """id="..." for the headings `static_heading_ids` marked, from their text on this page."""
    out: list[str] = []
    position = 0
    suffixes: dict[str, int] = {}
    while (marker := html.find(_DYNAMIC, position)) >= 0:
        level = html[marker - 1]
        start = marker + len(_DYNAMIC)
        end = html.find(f"</h{level}>", start)
        inner = html[start:end]
        out.append(f'{html[position:marker]} id="{_unique_id(inner, used, suffixes)}">{inner}')
        position = end
    out.append(html[position:])
    return "".join(out)


def add_heading_ids(html: str, used: set[str] | None = None, skip_tags: bool = False) -> str:
    """id="what-is-iop" on headings without one, from their text. With `skip_tags`, headings
    that still hold a {{ }} tag are left for later (their text is known only per page)."""
    used = set() if used is None else used
    suffixes: dict[str, int] = {}

    def with_id(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        if skip_tags and "{" in inner:
            return match.group()
        return f'<h{level} id="{_unique_id(inner, used, suffixes)}">{inner}</h{level}>'

    return _HEADING.sub(with_id, html)


def _unique_id(heading_html: str, used: set[str], suffixes: dict[str, int]) -> str:
    """An id from a heading's text, not yet in `used` (what-is-iop, what-is-iop-2, ...).
    `suffixes` keeps, per base id, the last suffix given, so that the next search starts
    after it: n equal headings cost n steps, not n² (`used` only grows meanwhile)."""
    if "<" in heading_html or "&" in heading_html:
        heading_html = _MARKUP.sub("", heading_html)
    base = slugify(heading_html) or "section"
    n = suffixes.get(base, 1)
    slug = base if n == 1 else f"{base}-{n}"
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    suffixes[base] = n
    return slug


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits of `text`, runs of anything else as one hyphen
    ("Benefits of IOP in Los Angeles" -> "benefits-of-iop-in-los-angeles")."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")
