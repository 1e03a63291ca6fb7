"""The URL table: every page of the site, expanded from programs x locations and pages."""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import SiteError, SourceRef
from sitegen.model.records import SiteConfig, SiteContent
from sitegen.model.routes import (
    LocationRoute,
    PageRoute,
    ProgramAtLocationRoute,
    ProgramRoute,
    Route,
)
from sitegen.model.urls import url_problem
from sitegen.route.permalinks import expand

HOME_SLUG = "index"


def build_routes(config: SiteConfig, content: SiteContent) -> list[Route]:
    """Every page, sorted by URL: each location's hub and its programs, each program's hub,
    each ordinary page. Raises nothing; see `route_errors` for collisions."""
    links = config.fields.permalinks
    layouts = config.fields.layouts
    routes: list[Route] = []
    for location in content.locations.values():
        routes.append(
            LocationRoute(
                url=expand(links.location, {"location": location.slug}),
                layout=layouts.location,
                source=location.doc.ref(),
                location=location.slug,
                noindex=location.fields.draft,
            )
        )
        for index, slug in enumerate(location.fields.programs):
            if slug not in content.programs:
                continue
            values = {"location": location.slug, "program": slug}
            routes.append(
                ProgramAtLocationRoute(
                    url=expand(links.program_at_location, values),
                    layout=layouts.program_at_location,
                    source=location.doc.ref(("programs", index)),
                    program=slug,
                    location=location.slug,
                    noindex=location.fields.draft or content.programs[slug].fields.draft,
                )
            )
    for program in content.programs.values():
        routes.append(
            ProgramRoute(
                url=expand(links.program, {"program": program.slug}),
                layout=layouts.program,
                source=program.doc.ref(),
                program=program.slug,
                noindex=program.fields.draft,
            )
        )
    for page in content.pages.values():
        if page.fields.permalink:
            url = page.fields.permalink
        elif page.slug == HOME_SLUG:
            url = "/"
        else:
            url = expand(links.page, {"slug": page.slug})
        routes.append(
            PageRoute(
                url=url,
                layout=page.fields.layout or layouts.page,
                source=page.doc.ref(),
                page=page.slug,
                noindex=page.fields.draft or page.fields.noindex,
            )
        )
    return sorted(routes, key=lambda r: r.url)


def route_errors(
    routes: list[Route],
    config: SiteConfig,
    content: SiteContent,
    layouts_dir: Path,
) -> list[SiteError]:
    """Unsafe URLs, two pages at one URL, and unknown layouts (each wrong layout name once
    per place that names it, not once per page)."""
    errors: list[SiteError] = []
    by_output: dict[str, Route] = {}
    unknown: set[tuple[str, SourceRef]] = set()
    layouts = set(available_layouts(layouts_dir))
    for route in routes:
        problem = url_problem(route.url)
        if problem:
            errors.append(
                SiteError(
                    f"the URL '{route.url}' is not safe: {problem}",
                    _url_ref(route, content),
                    "use lowercase letters, digits and hyphens, e.g. /beverly-hills/",
                )
            )
            continue
        first = by_output.get(route.output)
        if first:
            errors.append(
                SiteError(
                    f"two pages would be written to {route.url}: this one and the one from "
                    f"{first.source}",
                    _url_ref(route, content),
                    "change a file name or a permalink so each page has its own URL",
                )
            )
            continue
        by_output[route.output] = route
        if route.layout in layouts:
            continue
        where = _layout_ref(route, config, content)
        if (route.layout, where) not in unknown:
            unknown.add((route.layout, where))
            errors.append(
                SiteError(
                    f"unknown layout '{route.layout}' (there is no layouts/{route.layout}.html)",
                    where,
                    _layouts_hint(layouts_dir),
                )
            )
    return errors


def _layouts_hint(layouts_dir: Path) -> str:
    names = available_layouts(layouts_dir)
    if not names:
        return f"there are no layouts: add Jinja files such as {layouts_dir.name}/page.html"
    return "available layouts: " + ", ".join(names)


def available_layouts(layouts_dir: Path) -> list[str]:
    """The layouts pages may name: the .html files directly in layouts/, without .html,
    sorted."""
    return sorted(p.stem for p in layouts_dir.glob("*.html"))


def _url_ref(route: Route, content: SiteContent) -> SourceRef:
    if isinstance(route, PageRoute) and content.pages[route.page].fields.permalink:
        return content.pages[route.page].doc.ref(("permalink",))
    return route.source


def _layout_ref(route: Route, config: SiteConfig, content: SiteContent) -> SourceRef:
    if isinstance(route, PageRoute) and content.pages[route.page].fields.layout:
        return content.pages[route.page].doc.ref(("layout",))
    return config.doc.ref(("layouts", route.kind))
