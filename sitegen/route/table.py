"""The URL table: every page of the site, expanded from programs x locations and pages."""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import SiteError, SourceRef
from sitegen.memo import RecordMemo, no_key, per_record
from sitegen.model.project import SITE_FILES
from sitegen.model.records import Location, SiteConfig, SiteContent
from sitegen.model.routes import (
    LocationRoute,
    PageRoute,
    ProgramAtLocationRoute,
    ProgramRoute,
    Route,
)
from sitegen.model.urls import url_hint, url_problem
from sitegen.route.permalinks import expand

HOME_SLUG = "index"


def build_routes(
    config: SiteConfig,
    content: SiteContent,
    kept: RecordMemo[Location, list[Route]] | None = None,
) -> list[Route]:
    """Every page, sorted by URL: each location's hub and its programs, each program's hub,
    each ordinary page. Raises nothing; see `route_errors` for collisions. `kept`: the
    pages of each location worked out by the last call (sitegen.memo), taken over for a
    location record that is the same object, with the same permalinks and layouts in
    site.yaml and the same programs (and drafts among them)."""
    links = config.fields.permalinks
    layouts = config.fields.layouts
    patterns = (links.location, links.program_at_location)
    settings = (*patterns, layouts.location, layouts.program_at_location)
    programs = content.programs

    def key(location: Location) -> tuple:
        offered = location.fields.programs
        return settings, [
            (slug, programs[slug].fields.draft) for slug in offered if slug in programs
        ]

    def pages_of(location: Location) -> list[Route]:
        routes: list[Route] = [
            LocationRoute(
                url=expand(links.location, {"location": location.slug}),
                layout=layouts.location,
                source=location.doc.ref(),
                location=location.slug,
                noindex=location.fields.draft,
            )
        ]
        for index, slug in enumerate(location.fields.programs):
            if slug not in programs:
                continue
            values = {"location": location.slug, "program": slug}
            routes.append(
                ProgramAtLocationRoute(
                    url=expand(links.program_at_location, values),
                    layout=layouts.program_at_location,
                    source=location.doc.ref(("programs", index)),
                    program=slug,
                    location=location.slug,
                    noindex=location.fields.draft or programs[slug].fields.draft,
                )
            )
        return routes

    found = per_record(kept, content.locations.values(), key, pages_of)
    routes = [route for pages in found for route in pages]
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
    kept: RecordMemo[Route, str | None] | None = None,
) -> list[SiteError]:
    """Unsafe URLs, two pages at one URL, and unknown layouts (each wrong layout name once
    per place that names it, not once per page). `kept`: each route's URL problem (or
    None) found by the last call, taken over for a route that is the same object
    (`build_routes` keeps those of unchanged locations)."""
    errors: list[SiteError] = []
    by_output: dict[str, Route] = {}
    unknown: set[tuple[str, SourceRef]] = set()
    layouts = set(available_layouts(layouts_dir))
    problems = per_record(kept, routes, no_key, lambda route: url_problem(route.url))
    taken: set[str] | None = None  # what a hint may not suggest: the site's files' URLs
    for route, problem in zip(routes, problems, strict=True):
        if problem:
            if taken is None:
                taken = {r.url for r in routes} | {"/" + name for name in SITE_FILES}
            errors.append(
                SiteError(
                    f"the URL '{route.url}' is not safe: {problem}",
                    _url_ref(route, content),
                    url_hint(route.url, taken),
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
                    _clash_hint(route, first, config, content),
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


def folder_errors(routes: list[Route], files: set[str], content: SiteContent) -> list[SiteError]:
    """A page whose file would be inside a file the build writes (`files`, relative to the
    output folder: another page's, a site file, an asset, a picture), such as a
    permalink /404.html/x/ or /robots.txt/x/, or whose file would be where a folder of
    other files must be (a page /assets/old.html beside assets/old.html/pic.svg): one
    path of the output cannot be a file and a folder at once, and finding it when the
    files are moved into place would leave the output half-committed. One error a page,
    at its URL's source."""
    folders: set[str] = set()
    for folder in {name.rpartition("/")[0] for name in files}:
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    clashes = files & folders  # each a file, and the folder of other files
    if not clashes:
        return []
    errors = []
    for route in routes:
        if route.output in clashes:
            below = min(name for name in files if name.startswith(route.output + "/"))
            errors.append(
                SiteError(
                    f"the page's URL {route.url} is a folder of other files of the site "
                    f"(/{below}): a path cannot be a file and a folder at once",
                    _url_ref(route, content),
                    f"give this page another URL, or move the files in /{route.output}/",
                )
            )
            continue
        folder = route.output.rpartition("/")[0]
        while folder and folder not in clashes:
            folder = folder.rpartition("/")[0]
        if folder:
            errors.append(
                SiteError(
                    f"the page's URL {route.url} is inside /{folder}, a file of the site "
                    f"(a path cannot be a file and a folder at once)",
                    _url_ref(route, content),
                    f"choose a URL that does not start with /{folder}/",
                )
            )
    return errors


def _clash_hint(route: Route, first: Route, config: SiteConfig, content: SiteContent) -> str:
    """How to give two pages of one URL their own: when neither page sets its permalink,
    the URLs come from site.yaml's patterns, which the hint names."""
    patterns = config.fields.permalinks.model_dump()
    made = []
    for one in (first, route):
        if isinstance(one, PageRoute) and content.pages[one.page].fields.permalink:
            return "change a file name or a permalink so each page has its own URL"
        made.append(f"{one.kind}: {patterns[one.kind]}")
    shown = "; ".join(dict.fromkeys(made))  # one pattern, when both pages are of one kind
    page = isinstance(first, PageRoute) or isinstance(route, PageRoute)
    fix = (
        "rename a file, give the page a permalink, or change a pattern"
        if page
        else ("change a pattern or rename a file")
    )
    return f"both URLs come from site.yaml's permalinks ({shown}): {fix}"


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
        return content.pages[route.page].doc.value_ref(("permalink",))
    return route.source


def _layout_ref(route: Route, config: SiteConfig, content: SiteContent) -> SourceRef:
    if isinstance(route, PageRoute) and content.pages[route.page].fields.layout:
        return content.pages[route.page].doc.value_ref(("layout",))
    return config.doc.value_ref(("layouts", route.kind))
