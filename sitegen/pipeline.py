"""The build, as one short function of named steps: load, validate, route, render, write."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .aliases import Alias, alias_errors, collect_aliases, redirects_file
from .assets import AssetCatalog, collect_assets
from .check.command import remember_sources, settings_errors
from .check.sources import source_tuples
from .config import load_config
from .content import load_local_texts, load_pages, load_programs, stray_files
from .deploy import Deploy
from .errors import ErrorList, SiteError
from .lastmod import content_dates
from .layouts import Layouts
from .locations import load_locations
from .markup import ContentRenderer
from .model import Route, SiteConfig, SiteContent
from .output import Staging, check_output_dir
from .parallel import default_jobs, make_job, render_and_stage
from .records import Records
from .references import check_references, check_site_images, unused_programs
from .render import SiteRenderer, content_renderer
from .routes import build_routes, check_permalinks, is_not_found, route_errors
from .sitefiles import headers_file, robots_txt, route_sources, sitemap_xml, uses_recaptcha
from .titles import title_template_errors
from .variables import content_texts


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out: Path
    base_url: str | None = None
    drafts: bool = False
    jobs: int | None = None  # worker processes for rendering; None: one per core on big sites
    deploy: Deploy = field(default_factory=Deploy)


@dataclass
class BuildResult:
    out: Path
    pages: int = 0
    assets: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    jobs: int = 1
    warnings: list[SiteError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    env: str = "production"
    # The loaded site and routes, held so that a command-line process can exit without
    # freeing a large site object by object (see cli.main's fast_exit).
    retained: object = field(default=None, repr=False, compare=False)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


@dataclass(frozen=True)
class LoadedSite:
    config: SiteConfig
    content: SiteContent
    catalog: AssetCatalog
    layouts: Layouts
    texts: ContentRenderer


SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
HEADERS = "_headers"
REDIRECTS = "_redirects"
SITE_FILES = (SITEMAP, ROBOTS, HEADERS, REDIRECTS)


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raises BuildFailed (content errors) or UsageError (bad output folder)."""
    check_output_dir(options.out, options.root)
    result = BuildResult(options.out)
    errors = ErrorList()
    gc.disable()  # loading builds many long-lived objects and no cycles: collecting is waste
    try:
        with _timed(result, "load"):
            site = load_site(options, result.warnings, errors)
        with _timed(result, "route"):
            routes, aliases = route_site(site, errors)
    finally:
        gc.enable()
    staging = Staging(options.out)
    staging.begin()
    try:
        with _timed(result, "render"):
            result.jobs = stage_pages(staging, site, routes, aliases, options, result.warnings)
        with _timed(result, "write"):
            stats = staging.commit(wanted_files(site, routes))
    except BaseException:
        staging.abort()
        raise
    result.pages = len(routes)
    result.assets = len(site.catalog.assets)
    result.env = options.deploy.env
    result.retained = (site, routes)
    result.written, result.unchanged, result.removed = stats.written, stats.unchanged, stats.removed
    return result


@dataclass
class Reuse:
    """What a rebuild of the dev server takes over from the last one: the records of source
    files not changed since, and the asset catalogue and layouts while assets/, layouts/
    and site.yaml did not change (None: made again)."""

    records: Records = field(default_factory=Records)
    catalog: AssetCatalog | None = None
    layouts: Layouts | None = None
    texts: ContentRenderer | None = None  # editors' texts converted and checked (by layouts)


def load_site(
    options: BuildOptions,
    warnings: list[SiteError],
    errors: ErrorList,
    reuse: Reuse | None = None,
) -> LoadedSite:
    """Read and validate every source file; problems are added to `errors` (raised at once
    only when site.yaml itself cannot be used)."""
    root = options.root
    reuse = reuse or Reuse()
    config = None
    with errors.catching():
        config = load_config(root, options.base_url)
    broken: set[str] = set()
    kept = reuse.records
    content = SiteContent(
        programs=load_programs(root, errors, broken, kept),
        locations=load_locations(root, errors, broken, kept),
        local_texts=load_local_texts(root, errors, kept),
        pages=load_pages(root, errors, kept),
        broken=frozenset(broken),
    )
    warnings.extend(stray_files(root))
    catalog = reuse.catalog = reuse.catalog or collect_assets(root)
    if reuse.layouts is None:
        reuse.layouts = Layouts(root, catalog, config.base_url if config else "")
        reuse.texts = None
    layouts = reuse.layouts
    texts = reuse.texts = reuse.texts or content_renderer(layouts, catalog)
    errors.extend(layouts.syntax_errors())
    errors.extend(_content_text_errors(content, texts))
    if not options.drafts:
        content, hidden = without_drafts(content)
        warnings.extend(hidden)
    errors.extend(check_references(content, catalog))
    if config is not None:
        errors.extend(check_site_images(config, catalog))
    warnings.extend(unused_programs(content))
    if config is None:
        errors.raise_if_any()
    assert config is not None
    return LoadedSite(config, content, catalog, layouts, texts)


def route_site(site: LoadedSite, errors: ErrorList) -> tuple[list[Route], list[Alias]]:
    """The URL table and the old URLs that redirect into it; raises every error of loading
    and routing together."""
    pattern_errors = check_permalinks(site.config)
    errors.extend(pattern_errors)
    errors.extend(title_template_errors(site.config))
    errors.extend(settings_errors(site.config))
    routes: list[Route] = []
    aliases: list[Alias] = []
    if not pattern_errors:
        routes = build_routes(site.config, site.content)
        found = route_errors(
            routes, site.config, site.content, site.layouts.folder, check_nav=not errors
        )
        errors.extend(found)
        aliases = collect_aliases(site.content, routes)
        errors.extend(alias_errors(aliases, routes))
    errors.raise_if_any()
    return routes, aliases


def stage_pages(
    staging: Staging,
    site: LoadedSite,
    routes: list[Route],
    aliases: list[Alias],
    options: BuildOptions,
    warnings: list[SiteError],
    chosen: list[Route] | None = None,
) -> int:
    """Render the `chosen` routes (default: all) into `staging` and stage the site files
    meanwhile; for all routes also the assets and the checker's notes on the pages. Returns
    the number of worker processes."""
    pages = routes if chosen is None else chosen
    jobs = options.jobs or default_jobs(len(pages))
    renderer = SiteRenderer(
        site.config, site.content, routes, site.catalog, site.layouts, options.deploy, site.texts
    )

    def site_files() -> None:
        files = make_site_files(site, routes, aliases, options.deploy, warnings)
        for name, text in files.items():
            staging.put(name, text.encode("utf-8"))
        if chosen is None:
            for asset in site.catalog.assets.values():
                staging.put_copy(asset.output, asset.path)
            remember_sources(options.root, options.out, source_tuples(site.content, routes))

    render_pages(renderer, pages, staging, jobs, alongside=site_files)
    return jobs


def render_pages(
    renderer: SiteRenderer,
    routes: list[Route],
    staging: Staging,
    jobs: int,
    alongside: Callable[[], None],
) -> None:
    """Render every page into the staging folder, running `alongside` meanwhile; all render
    errors are raised together."""
    job = make_job(renderer, routes, staging, jobs)
    render_errors = render_and_stage(job, alongside)
    errors = ErrorList()
    errors.extend(render_errors)
    errors.raise_if_any()


def make_site_files(
    site: LoadedSite,
    routes: list[Route],
    aliases: list[Alias],
    deploy: Deploy,
    warnings: list[SiteError],
) -> dict[str, str]:
    """sitemap.xml (indexable pages, with the date of their content's last change),
    robots.txt, _headers and _redirects."""
    base_url = site.config.base_url
    # the not-found page is served with status 404, which keeps it out of search by itself
    indexable = [r for r in routes if not r.noindex and not is_not_found(r.url)]
    sources = {r.url: route_sources(r, site.content) for r in indexable}
    dates = content_dates(site.config.root, {p for paths in sources.values() for p in paths})
    warnings.extend(SiteError(w) for w in dates.warnings)

    def lastmod(route: Route):
        known = [dates.dates[p] for p in sources[route.url] if p in dates.dates]
        return max(known) if known and len(known) == len(sources[route.url]) else None

    entries = [(base_url + r.url, lastmod(r)) for r in indexable]
    return {
        SITEMAP: sitemap_xml(entries),
        ROBOTS: robots_txt(base_url, deploy),
        HEADERS: headers_file(deploy, uses_recaptcha(site.config.root)),
        REDIRECTS: redirects_file(aliases),
    }


def wanted_files(site: LoadedSite, routes: list[Route]) -> set[str]:
    """Every file the output should hold after this build."""
    wanted = {r.output for r in routes} | set(SITE_FILES)
    return wanted | {a.output for a in site.catalog.assets.values()}


def without_drafts(content: SiteContent) -> tuple[SiteContent, list[SiteError]]:
    """The content without drafts, and a note for each page left out because of one."""
    notes: list[SiteError] = []
    programs = {s: p for s, p in content.programs.items() if not p.fields.draft}
    locations = {s: loc for s, loc in content.locations.items() if not loc.fields.draft}
    for location in locations.values():
        for index, slug in enumerate(location.fields.programs):
            if slug in content.programs and slug not in programs:
                notes.append(
                    SiteError(
                        f"program '{slug}' is a draft, so it is left out (build with --drafts)",
                        location.doc.ref(("programs", index)),
                    )
                )
    if len(programs) != len(content.programs):
        for location in locations.values():
            kept = [
                s for s in location.fields.programs if s in programs or s not in content.programs
            ]
            if kept != location.fields.programs:
                fields = location.fields.model_copy(update={"programs": kept})
                locations[location.slug] = replace(location, fields=fields)
    local_texts = {
        key: text
        for key, text in content.local_texts.items()
        if (key[0] in locations and key[1] in programs)
        or key[0] not in content.locations
        or key[1] not in content.programs
    }
    pages = {s: p for s, p in content.pages.items() if not p.fields.draft}
    return SiteContent(programs, locations, local_texts, pages, content.broken), notes


def _content_text_errors(content: SiteContent, texts: ContentRenderer) -> list[SiteError]:
    """Syntax errors, unknown variables and components in every editor text."""
    return [error for text, names in content_texts(content) for error in texts.check(text, names)]


@contextmanager
def _timed(result: BuildResult, step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        result.timings[step] = time.perf_counter() - start
