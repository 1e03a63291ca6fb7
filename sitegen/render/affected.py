"""Which pages a change of content files makes different, for the rebuilds that render only
those: the dev server's (records compared by identity) and the command line's (files
compared by their stat in the build cache).

What a page shows of other records than its own goes through their cards (name, city,
summary, order, URL...: render.view_parts) and the URL table; so when neither changed,
a page is different only when one of the records it is made from is
(SiteContent.records_of: a location's change renders its own pages, a program's its hub
and its pages at every location, a local text its one page, and a page itself).
"""

from __future__ import annotations

import hashlib

from sitegen.memo import RecordMemo, no_key, per_record
from sitegen.model.assets import AssetCatalog
from sitegen.model.records import Location, SiteContent
from sitegen.model.routes import Alias, LocationRoute, ProgramRoute, Route
from sitegen.render.view_parts import location_card, program_card, section_pages


def table(routes: list[Route]) -> list[tuple]:
    """The URL table as plain values: each page's URL, key, layout and noindex."""
    return [_row(r) for r in routes]


def _row(route: Route) -> tuple:
    return (route.url, route.key, route.layout, route.noindex)


def cards(content: SiteContent, routes: list[Route], catalog: AssetCatalog) -> tuple:
    """Every program's and location's card, in the order pages list them."""
    urls = content.urls_by_key(routes)
    return (
        [
            program_card(p, urls.get(ProgramRoute.key_of(p.slug), ""), catalog)
            for p in content.programs_in_order()
        ],
        [
            location_card(loc, urls.get(LocationRoute.key_of(loc.slug), ""))
            for loc in content.locations_in_order()
        ],
    )


def shared_digest(
    content: SiteContent,
    routes: list[Route],
    aliases: list[Alias],
    catalog: AssetCatalog,
    files: set[str],
    rows: RecordMemo[Route, str] | None = None,
    card_rows: RecordMemo[Location, str] | None = None,
) -> str:
    """A digest (hex) of what every page may show of other pages or be checked against:
    the URL table, the cards, the titles of the pages with pages below them (crumbs),
    the old addresses that redirect (a link to one is not
    broken) and the output's `files` (pages, assets, picture files: a link to one is not
    broken either). Two builds with the same digest differ only in the pages whose own
    records differ, and write the same files. `rows` and `card_rows`: the text of each
    route's row and each location's card from the last call (sitegen.memo), taken over
    for the same objects (with the same URL, for a card)."""
    urls = content.urls_by_key(routes)
    hashed = hashlib.sha256()
    for row in per_record(rows, routes, no_key, lambda route: f"{_row(route)!r}\n"):
        hashed.update(row.encode("utf-8", "surrogateescape"))  # repr has no newline: one a row
    programs = [
        program_card(p, urls.get(ProgramRoute.key_of(p.slug), ""), catalog)
        for p in content.programs_in_order()
    ]
    hashed.update(f"\0{programs!r}\0".encode("utf-8", "surrogateescape"))

    def url(location: Location) -> str:
        return urls.get(LocationRoute.key_of(location.slug), "")

    def card(location: Location) -> str:
        return f"{location_card(location, url(location))!r}\n"

    for row in per_record(card_rows, content.locations_in_order(), url, card):
        hashed.update(row.encode("utf-8", "surrogateescape"))
    redirected = sorted((alias.url, alias.target) for alias in aliases)
    sections = section_pages(content, routes)  # crumbs of the pages below them
    plain = f"\0{(redirected, sorted(files), sections)!r}"
    hashed.update(plain.encode("utf-8", "surrogateescape"))
    return hashed.hexdigest()


def pages_of_files(content: SiteContent, routes: list[Route], changed: set[str]) -> set[str] | None:
    """The URLs of the pages made from any of the `changed` files (paths relative to the
    project), or None when a changed file makes no page's record (a draft, a file the
    build does not read): then every page, since what it changes is not known here."""
    made: set[str] = set()
    urls: set[str] = set()
    for route, files in zip(routes, content.files_of_pages(routes), strict=True):
        made.update(files)
        if not changed.isdisjoint(files):
            urls.add(route.url)
    return urls if changed <= made else None
