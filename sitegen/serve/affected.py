"""Which pages a content change makes different: a pure function of the content and routes
before and after it. Unchanged source files keep their record objects between rebuilds
(pipeline.Reuse), so a changed record is one that is not the same object any more."""

from __future__ import annotations

from sitegen.model.assets import AssetCatalog
from sitegen.model.records import SiteContent
from sitegen.model.routes import PageRoute, Route
from sitegen.render.affected import cards, table
from sitegen.render.view_parts import section_pages


def pages_to_render(
    before: SiteContent,
    before_routes: list[Route],
    after: SiteContent,
    after_routes: list[Route],
    catalog: AssetCatalog,
) -> set[str] | None:
    """The URLs of the pages to render again, or None for every page: when pages came or
    went, or when what other pages show of a program or location (its card: name, city,
    summary, order...) or the title of a page with pages below it (their crumbs) changed,
    since every page lists locations in its footer and programs
    and locations list each other. Otherwise a location's change renders its own pages, a
    program's its hub and its pages at every location, a local text its one page, and a
    page itself."""
    if table(before_routes) != table(after_routes):
        return None
    if cards(before, before_routes, catalog) != cards(after, after_routes, catalog):
        return None
    if section_pages(before, before_routes) != section_pages(after, after_routes):
        return None  # a title in the breadcrumbs of the pages below it
    locations = _changed(before.locations, after.locations)
    programs = _changed(before.programs, after.programs)
    texts = _changed(before.local_texts, after.local_texts)
    pages = _changed(before.pages, after.pages)
    return {
        r.url
        for r in after_routes
        if r.location_slug in locations
        or r.program_slug in programs
        or (r.location_slug, r.program_slug) in texts
        or (isinstance(r, PageRoute) and r.page in pages)
    }


def _changed(before: dict, after: dict) -> set:
    return {key for key in before.keys() | after.keys() if before.get(key) is not after.get(key)}
