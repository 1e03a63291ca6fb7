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

from sitegen.model.assets import AssetCatalog
from sitegen.model.records import SiteContent
from sitegen.model.routes import Alias, LocationRoute, ProgramRoute, Route
from sitegen.render.view_parts import location_card, program_card


def table(routes: list[Route]) -> list[tuple]:
    """The URL table as plain values: each page's URL, key, layout and noindex."""
    return [(r.url, r.key, r.layout, r.noindex) for r in routes]


def cards(content: SiteContent, routes: list[Route], catalog: AssetCatalog) -> tuple:
    """Every program's and location's card, in the order pages list them."""
    urls = {r.key: r.url for r in routes}
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
) -> str:
    """A digest (hex) of what every page may show of other pages or be checked against:
    the URL table, the cards, the old addresses that redirect (a link to one is not
    broken) and the output's `files` (pages, assets, picture files: a link to one is not
    broken either). Two builds with the same digest differ only in the pages whose own
    records differ, and write the same files."""
    redirected = sorted((alias.url, alias.target) for alias in aliases)
    plain = repr((table(routes), cards(content, routes, catalog), redirected, sorted(files)))
    return hashlib.sha256(plain.encode("utf-8", "surrogateescape")).hexdigest()


def pages_of_files(content: SiteContent, routes: list[Route], changed: set[str]) -> set[str] | None:
    """The URLs of the pages made from any of the `changed` files (paths relative to the
    project), or None when a changed file makes no page's record (a draft, a file the
    build does not read): then every page, since what it changes is not known here."""
    made: set[str] = set()
    urls: set[str] = set()
    for route in routes:
        sources = {record.doc.source.path for record in content.records_of(route)}
        made |= sources
        if sources & changed:
            urls.add(route.url)
    return urls if changed <= made else None
