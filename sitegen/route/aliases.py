"""Old URLs of pages (`aliases:`), turned into permanent redirects in Netlify's _redirects.

An alias belongs to the page whose file lists it: a program's front matter (the program
hub), a location file (the location hub), a location's text for one program (that
program-at-location page), or an ordinary page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sitegen.errors import SiteError
from sitegen.model.records import LocalText, Location, Page, Program, SiteContent
from sitegen.model.routes import (
    Alias,
    LocationRoute,
    PageRoute,
    ProgramAtLocationRoute,
    ProgramRoute,
    Route,
)

_UNSAFE = re.compile(r"[\s?#*:!\\\x00-\x1f\x7f]|(^|/)\.\.?(/|$)|//")  # control characters too


def collect_aliases(content: SiteContent, routes: list[Route]) -> list[Alias]:
    """Every alias with the URL of its page; aliases of pages that are not built (drafts)
    are left out with them."""
    by_key = content.urls_by_key(routes)
    found: list[Alias] = []

    def add(record: Program | Location | LocalText | Page, key: tuple[str, ...]) -> None:
        target = by_key.get(key)
        if target is None:
            return
        for index, url in enumerate(record.fields.aliases):
            found.append(Alias(url, target, record.doc.ref(("aliases", index))))

    for slug, program in content.programs.items():
        add(program, ProgramRoute.key_of(slug))
    for slug, location in content.locations.items():
        add(location, LocationRoute.key_of(slug))
    for (location_slug, program_slug), text in content.local_texts.items():
        add(text, ProgramAtLocationRoute.key_of(program_slug, location_slug))
    for slug, page in content.pages.items():
        add(page, PageRoute.key_of(slug))
    return sorted(found, key=lambda a: a.url)


def alias_errors(
    aliases: list[Alias], routes: list[Route], files: Iterable[str] = ()
) -> list[SiteError]:
    """An alias must be a safe path, not a page's URL (the redirect would hide the page,
    or send visitors through a chain of redirects), not a file the build writes (`files`,
    relative to the output folder, and each page's own file) and not claimed twice. Paths
    are compared as Netlify matches them: with or without a trailing slash, one path
    (https://docs.netlify.com/routing/redirects/redirect-options/#trailing-slash)."""
    pages = {netlify_path(r.url): r for r in routes}
    written = {netlify_path("/" + name): name for name in files}
    written |= {netlify_path("/" + r.output): r.output for r in routes}
    seen: dict[str, Alias] = {}
    errors: list[SiteError] = []
    for alias in aliases:
        if not alias.url.isascii() or _UNSAFE.search(alias.url):
            errors.append(
                SiteError(
                    f"the alias {alias.url!r} is not a plain path: no spaces, control "
                    "characters, '?', '#', '*', ':', '!', '..' or '//' (they mean something "
                    "else to Netlify, or break the _redirects file)",
                    alias.source,
                    "write the old address as a path, e.g. /old-page/ or /services/iop.html",
                )
            )
        elif netlify_path(alias.url) in pages:
            page = pages[netlify_path(alias.url)]
            what = "this page's own URL" if page.url == alias.target else "a page's URL"
            if alias.url != page.url:
                what += f" {page.url} (Netlify matches it with or without the final '/')"
            errors.append(
                SiteError(
                    f"the alias '{alias.url}' is {what} (the page from {page.source}); "
                    "a redirect there would hide a page or make a redirect chain",
                    alias.source,
                    "remove the alias, or give the other page a different URL",
                )
            )
        elif netlify_path(alias.url) in written:
            errors.append(_shadowed(alias, written[netlify_path(alias.url)]))
        elif netlify_path(alias.url) in seen:
            first = seen[netlify_path(alias.url)]
            same = "" if first.url == alias.url else f" (as '{first.url}', one path to Netlify)"
            errors.append(
                SiteError(
                    f"the alias '{alias.url}' is also given in {first.source}{same}; one "
                    "old address can only redirect to one page",
                    alias.source,
                    "keep the alias on the page the old address should lead to",
                )
            )
        else:
            seen[netlify_path(alias.url)] = alias
    return errors


def _shadowed(alias: Alias, name: str) -> SiteError:
    """An alias that names a file of the build: Netlify serves a file that exists before it
    looks at a redirect rule that is not forced ("shadowing",
    https://docs.netlify.com/routing/redirects/rewrites-proxies/#shadowing), so the redirect
    would never happen."""
    return SiteError(
        f"the alias '{alias.url}' is a file the build writes ({name}); Netlify serves that "
        "file and never follows the redirect",
        alias.source,
        "remove the alias: an old address can only redirect when the site has no file there",
    )


def netlify_path(url: str) -> str:
    """The path as Netlify's redirect rules match it: /insurance/ and /insurance are one."""
    return url.rstrip("/") or "/"
