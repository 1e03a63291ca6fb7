"""The build, in named steps: load -> route -> render -> write.

Every source file is read and validated, and every URL worked out, before a single page is
rendered; every page is rendered into a staging folder before the output changes. A site
with an error therefore never reaches the output folder.
"""

from __future__ import annotations

import functools
import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sitegen import buildcache
from sitegen.errors import BuildFailed, ErrorList, SiteError, UsageError
from sitegen.images.store import ImageStore, check_image_cache_dir, image_cache_dir
from sitegen.load.kept import Records
from sitegen.manifest import StampMemo, manifest_stamp, save_manifest, source_tuples
from sitegen.memo import RecordMemo
from sitegen.model.deploy import Deploy
from sitegen.model.project import CONFIG_FILE, MARKER, marker_text
from sitegen.streams import counted
from sitegen.write.staging import Staging, WriteStats, check_output_dir, writing

# The steps import the stages' modules (pydantic's models, Jinja2, Markdown, ...) when they
# run: importing this module, e.g. for BuildOptions, is cheap (tests/test_startup.py).
if TYPE_CHECKING:
    from sitegen.images.produce import Encoded
    from sitegen.load.assets import SvgChecks
    from sitegen.model.assets import AssetCatalog
    from sitegen.model.records import Location, SiteConfig, SiteContent
    from sitegen.model.routes import Alias, Route
    from sitegen.render.gate import PageGate
    from sitegen.render.layouts import Layouts
    from sitegen.render.viewmodels import ViewMemo
    from sitegen.text.literal import Findings
    from sitegen.text.renderer import ContentRenderer
    from sitegen.write.sitefiles import SitemapMemo


# The modules the steps import when they run (a resident process imports them beforehand;
# tests/test_resident.py keeps the list complete).
STAGES = (
    "sitegen.images.encode",
    "sitegen.images.plan",
    "sitegen.images.produce",
    "sitegen.load.allowed",
    "sitegen.load.assets",
    "sitegen.load.config",
    "sitegen.load.content",
    "sitegen.load.drafts",
    "sitegen.load.files",
    "sitegen.load.inside",
    "sitegen.load.references",
    "sitegen.render.affected",
    "sitegen.render.gate",
    "sitegen.render.layouts",
    "sitegen.render.pages",
    "sitegen.render.placement",
    "sitegen.render.pool",
    "sitegen.render.titles",
    "sitegen.route.aliases",
    "sitegen.route.navigation",
    "sitegen.route.permalinks",
    "sitegen.route.table",
    "sitegen.rules.model",
    "sitegen.text.literal",
    "sitegen.text.renderer",
    "sitegen.write.sitefiles",
)


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how: the project folder, the output folder, the production
    address (None: site.yaml's), drafts or not, the number of worker processes (None: one
    per core on big sites) and where the build will be served."""

    root: Path
    out: Path
    base_url: str | None = None
    drafts: bool = False
    jobs: int | None = None
    deploy: Deploy = field(default_factory=Deploy)
    image_cache: Path | None = None  # None: images.store.image_cache_dir's choice
    notice: Callable[[str], None] | None = None  # told what takes long (a first build's pictures)
    cache_key: str | None = None  # buildcache.build_key of these options: record the build
    use_cache: bool = True  # False (--no-cache): render every page, still recording the build


@dataclass
class BuildResult:
    """What a build did: counts of pages, assets and files, its warnings, and the seconds
    each step took."""

    out: Path
    pages: int = 0
    rendered: int = 0  # pages rendered (the others were as the last build left them)
    assets: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    jobs: int = 1
    warnings: list[SiteError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    env: str = "production"
    images: Encoded | None = None  # what the images step encoded and found in its cache
    # The loaded site and routes, held so that a command-line process can exit without
    # freeing a large site object by object (see cli.main's fast_exit).
    retained: tuple[LoadedSite, list[Route]] | None = field(default=None, repr=False, compare=False)

    @property
    def seconds(self) -> float:
        """The whole build's time in seconds: the sum of `timings`."""
        return sum(self.timings.values())


class Written(NamedTuple):
    """What write_site did: the worker processes it used, what its commit did and how many
    broken addresses its page rules wanted a "did you mean" for."""

    jobs: int
    stats: WriteStats
    guesses: int


@dataclass(frozen=True)
class LoadedSite:
    """Everything the later steps need of the sources: site.yaml, the content, the assets,
    the layouts and the renderer of editors' texts."""

    config: SiteConfig
    content: SiteContent
    catalog: AssetCatalog
    layouts: Layouts
    texts: ContentRenderer
    with_drafts: SiteContent | None = None  # the content before drafts were left out
    svgs: SvgChecks = field(default_factory=dict)  # each SVG's bytes as judged: published
    reuse: Reuse = field(default_factory=lambda: Reuse.once())  # taken over, kept for the next
    # wanted_files' last answer, with the routes it was for
    wanted: list[tuple[list[Route], set[str]]] = field(default_factory=list, compare=False)


@dataclass
class Reuse:
    """What a rebuild of the dev server or a resident build process takes over from the
    last one: the records of source files not changed since, what the site-wide passes
    worked out from each of those records (sitegen.memo), and the asset catalogue and
    layouts while assets/, layouts/ and site.yaml did not change (None: made again)."""

    records: Records = field(default_factory=Records)
    catalog: AssetCatalog | None = None
    layouts: Layouts | None = None
    texts: ContentRenderer | None = None  # editors' texts converted and checked (by layouts)
    literal: Findings | None = field(default_factory=RecordMemo)  # text.literal's findings
    svg_checks: SvgChecks | None = field(default_factory=dict)  # load.assets' last (by bytes)
    routes: RecordMemo[Location, list[Route]] | None = field(default_factory=RecordMemo)
    url_problems: RecordMemo[Route, str | None] | None = field(default_factory=RecordMemo)
    table_rows: RecordMemo[Route, str] | None = field(default_factory=RecordMemo)  # digest's
    card_rows: RecordMemo[Location, str] | None = field(default_factory=RecordMemo)  # same
    views: ViewMemo | None = None  # render.viewmodels' (made when the pages are rendered)
    sitemap: SitemapMemo | None = None  # write.sitefiles' (made when the pages are rendered)
    stamps: StampMemo | None = None  # the manifest's stamp (made when the pages are written)
    keeps: bool = True  # False: see `once`

    @classmethod
    def once(cls) -> Reuse:
        """What a build of its own takes over: nothing; and its passes keep nothing by
        record either (sitegen.memo), for no build comes after it in its process."""
        return cls(
            literal=None,
            svg_checks=None,
            routes=None,
            url_problems=None,
            table_rows=None,
            card_rows=None,
            keeps=False,
        )


@dataclass
class Kept:
    """What a resident build process (sitegen.resident) keeps from one build to the next:
    the records of the content files, the asset catalogue, the layouts and the converted
    texts (`reuse`), valid for the sources as `inputs` found them, for the builds of one
    project with one key and working folder (`identity`). The next build reads again only
    the content files whose stat changed; a change to anything else (site.yaml, layouts/,
    assets/, the git state), another key, `--no-cache` or a build that did not finish
    starts afresh. The stat comparison is the build cache's (sitegen.buildcache), with the
    same guarantee."""

    identity: tuple[object, ...] = ()
    inputs: buildcache.Inputs | None = None
    reuse: Reuse = field(default_factory=Reuse)
    retained: object = None  # the last build's site, freed after its report is sent

    def reuse_for(
        self, identity: tuple[object, ...], inputs: buildcache.Inputs, fresh: bool
    ) -> Reuse:
        """What the build of `identity` with sources `inputs` may take over (`fresh`:
        nothing, as for --no-cache); it is valid for them from now on."""
        last = self.inputs
        if (
            fresh
            or not inputs.taken
            or last is None
            or identity != self.identity
            or last.rest != inputs.rest
        ):
            self.reuse = Reuse()
        else:
            root = identity[-1]
            assert isinstance(root, Path)
            changed = inputs.changed_since(last.content)
            self.reuse.records.forget({root / name for name in changed})
        self.identity, self.inputs = identity, inputs
        return self.reuse

    def tidy(self) -> None:
        """Free the last build's site (its report has been sent)."""
        self.retained = None

    def drop(self) -> None:
        """Forget everything: a build that did not finish may have left `reuse` half made."""
        self.identity, self.inputs, self.reuse = (), None, Reuse()


def build(
    options: BuildOptions, kept: Kept | None = None, taken: buildcache.Inputs | None = None
) -> BuildResult:
    """Build the site into `options.out`, holding its lock, after finishing a commit a
    killed build left unfinished there; with `kept` (a resident build process), take
    over what it holds of the last build and keep this one's; `taken`: the sources'
    snapshot buildcache.replay took just before (buildcache.input_snapshot). Raises
    BuildFailed (every error in the sources, nothing written), UsageError (an output
    folder that is not ours, an image cache among the sources or in the output) or
    OSError (the disk)."""
    # what _build freezes (_long_lived) is unfrozen at the end, unless the resident process
    # keeps it frozen (resident.server._settle) or a caller froze objects before: then they
    # all stay frozen, as the caller may expect of its own
    ours = kept is None and gc.get_freeze_count() == 0
    try:
        result = _build(options, kept, ours or kept is not None, taken)
    except BaseException:
        if kept is not None:
            kept.drop()
        raise
    finally:
        if ours:
            gc.unfreeze()
    if kept is not None:
        kept.retained = result.retained
    return result


def _build(
    options: BuildOptions, kept: Kept | None, freeze: bool, taken: buildcache.Inputs | None
) -> BuildResult:
    with _long_lived(freeze):  # the stages' modules: the first build in a process imports them
        from sitegen.render.affected import shared_digest
        from sitegen.render.gate import MAX_GUESSES
        from sitegen.render.pool import page_warnings

    check_output_dir(options.out, options.root)
    check_image_cache_dir(image_cache_dir(options.image_cache), options.out, options.root)
    _check_uncommitted(image_cache_dir(options.image_cache), options.root)
    result = BuildResult(options.out, env=options.deploy.env)
    errors = ErrorList()
    key = options.cache_key
    pending: buildcache.PendingPrevious | None = None
    try:
        with writing(options.out, result.warnings):  # a killed commit finished first
            repaired = bool(result.warnings)  # its note is for this build only: not recorded
            previous = None
            if key is not None:
                if not repaired and options.use_cache:
                    pending = buildcache.PendingPrevious(options.out, key)
                buildcache.forget(options.out)  # until this build has committed
                inputs = buildcache.input_snapshot(options.root, taken)  # before any read
            reuse = None
            if kept is not None and key is not None:
                identity = (key, os.getcwd(), options.root)
                reuse = kept.reuse_for(identity, inputs, fresh=not options.use_cache)
            with _long_lived(freeze):
                with _timed(result, "load"):
                    site = load_site(options, result.warnings, errors, reuse)
                with _timed(result, "route"):
                    routes, aliases = route_site(site, errors)
                    wanted = wanted_files(site, routes)
                    memos = (site.reuse.table_rows, site.reuse.card_rows)
                    content, catalog = site.content, site.catalog
                    shared = shared_digest(content, routes, aliases, catalog, wanted, *memos)
                    previous = pending.result() if pending is not None else None
                    chosen = None
                    if (
                        previous is not None
                        and inputs.taken
                        and previous.rest == inputs.rest
                        and previous.guesses < MAX_GUESSES  # else its hints were not all given
                    ):
                        chosen = _changed_pages(site, routes, previous, inputs, shared)
            site.layouts.start_build()  # kept from the last build (Kept): its partials go
            by_page: dict[str, list[SiteError]] = {}
            loaded = len(result.warnings)
            try:
                result.jobs, stats, guesses = write_site(
                    site,
                    routes,
                    aliases,
                    options,
                    result.warnings,
                    result,
                    chosen,
                    by_page,
                    as_left=previous is not None,
                    wanted=wanted,
                )
            except BuildFailed as failed:  # with the other pages' warnings, as a full build
                if previous is None or chosen is None:
                    raise
                _kept_warnings(by_page, previous, routes, chosen)
                raise BuildFailed(failed.errors, page_warnings(routes, by_page)) from None
            if previous is not None and chosen is not None:
                guesses += previous.guesses  # at most a full build's
                if guesses >= MAX_GUESSES:  # it could have withheld hints this one gave
                    chosen, by_page, first = None, {}, stats
                    del result.warnings[loaded:]  # the site files' warnings, given again
                    result.jobs, stats, guesses = write_site(
                        site, routes, aliases, options, result.warnings, result, None, by_page
                    )  # what the first commit wrote is unchanged now: it was written
                    written, removed = first.written + stats.written, first.removed + stats.removed
                    stats = WriteStats(written, stats.unchanged, removed)
            result.pages, result.assets = len(routes), len(site.catalog.assets)
            result.rendered = len(routes if chosen is None else chosen)
            files = stats.written + stats.unchanged
            if previous is not None and chosen is not None:  # the other pages' warnings
                files = previous.files
                _kept_warnings(by_page, previous, routes, chosen)
            result.warnings += page_warnings(routes, by_page)
            if key is not None and not repaired and inputs.taken:
                counts = (result.pages, result.assets, files, result.jobs)
                same = touched = None
                if previous is not None and chosen is not None:  # it made no new file
                    same = previous.output
                    if previous.stats is not None and not stats.removed:
                        touched = (previous.stats, stats.moved)
                else:
                    same = stats.names  # known on a first build (None: listed again)
                buildcache.remember(
                    options.out,
                    key,
                    inputs,
                    counts,
                    result.env,
                    result.warnings,
                    shared,
                    by_page,
                    same,
                    guesses,
                    touched,
                )
    except BuildFailed as failed:
        raise BuildFailed(failed.errors, [*result.warnings, *failed.warnings]) from None
    finally:
        if pending is not None:
            pending.close()  # its answer came, or an error made it no use
    result.written, result.removed = stats.written, stats.removed
    result.unchanged = files - stats.written
    result.retained = (site, routes)
    return result


def _check_uncommitted(cache: Path, root: Path) -> None:
    """Refuse an image cache in the project that holds files committed to git: a build
    publishes a cached picture as it is, so a pull request could commit one under a
    picture's key (docs/threat-model.md). UsageError."""
    from sitegen.write.lastmod import committed_under

    committed = committed_under(root, cache)
    if committed:
        raise UsageError(
            f"the image cache {cache} holds {counted(len(committed), 'file')} committed to git "
            f"(first: {committed[0]}); a build publishes cached pictures as they are, so "
            f"only builds may write there: git rm -r --cached {cache} and add it to .gitignore"
        )


def _kept_warnings(
    by_page: dict[str, list[SiteError]],
    previous: buildcache.Previous,
    routes: list[Route],
    chosen: list[Route],
) -> None:
    """Add to `by_page` the last build's page rule warnings of the pages not rendered."""
    kept = {route.url for route in routes} - {route.url for route in chosen}
    by_page.update((url, w) for url, w in previous.pages.items() if url in kept)


def _changed_pages(
    site: LoadedSite,
    routes: list[Route],
    previous: buildcache.Previous,
    inputs: buildcache.Inputs,
    shared: str,
) -> list[Route] | None:
    """The pages made from the content files changed since the previous build (see
    render.affected), or None to render every page: when what every page shows of
    others changed, or a changed file makes no page."""
    from sitegen.render.affected import pages_of_files

    if previous.shared != shared:
        return None
    urls = pages_of_files(site.content, routes, inputs.changed_since(previous.content))
    return None if urls is None else [route for route in routes if route.url in urls]


def load_site(
    options: BuildOptions,
    warnings: list[SiteError],
    errors: ErrorList,
    reuse: Reuse | None = None,
) -> LoadedSite:
    """Read and validate every source file; problems are added to `errors` (raised at once,
    before any source is read, when a source is a link leading outside the project and the
    folders site.yaml allows or is no regular file, and when site.yaml cannot be used)."""
    from sitegen.images.encode import avif_available
    from sitegen.images.plan import plan_site, widths_error
    from sitegen.load.allowed import allowed_folders
    from sitegen.load.assets import active_asset_errors, collect_assets
    from sitegen.load.config import check_settings_errors, load_config
    from sitegen.load.content import load_content
    from sitegen.load.drafts import without_drafts
    from sitegen.load.files import unread_files
    from sitegen.load.inside import SOURCE_FOLDERS, outside_errors
    from sitegen.load.references import (
        check_references,
        check_site_images,
        image_users,
        small_image_warnings,
        social_refs,
        unused_image_problems,
        unused_programs,
    )
    from sitegen.render.layouts import Layouts
    from sitegen.render.pages import content_renderer
    from sitegen.render.placement import unplaced_blocks
    from sitegen.text.literal import literal_text_errors
    from sitegen.text.renderer import check_content_texts

    root = options.root
    reuse = reuse or Reuse.once()
    # before any source is read: a link could leak, a named pipe hang the build
    errors.extend(outside_errors(root, [CONFIG_FILE]))
    errors.raise_if_any()
    config = None
    with errors.catching():
        config = load_config(root, options.base_url)
    allowed: list[Path] = []
    if config is not None:
        allowed, refused = allowed_folders(config)
        errors.extend(refused)
    unread = outside_errors(root, SOURCE_FOLDERS, allowed)
    if unread:
        errors.extend(unread)
        errors.raise_if_any()
    content = load_content(root, errors, reuse.records)
    unread, dangling = unread_files(root)
    warnings.extend(unread)
    errors.extend(dangling)
    if reuse.catalog is None or reuse.catalog.dangling:  # a link's file may be back
        reuse.catalog = collect_assets(root)
        reuse.layouts = reuse.texts = None  # made with the catalogue: asset_url, pictures
    catalog = reuse.catalog
    # read again every build (what was found is kept by the bytes read): the preview's
    # watcher does not see an asset edited through a link or a hard link, a write through
    # a memory map may leave a file's stat as it was, and no script may reach the output
    checked = active_asset_errors(catalog, reuse.svg_checks)
    errors.extend(checked.errors)
    if reuse.svg_checks is not None:
        reuse.svg_checks = checked.svgs
    published, hidden = (content, []) if options.drafts else without_drafts(content)
    if config is not None:  # before the texts: they name the plan's picture files
        too_many = widths_error(config)
        if too_many is not None:
            errors.add(too_many)
            errors.raise_if_any()  # the plan would make them all
        avif = bool(catalog.sources) and avif_available()  # Pillow: only for raster pictures
        pictures = plan_site(catalog, config.fields.images, social_refs(config, published), avif)
        if pictures != catalog.pictures:
            catalog.pictures = pictures
            reuse.texts = None
    if reuse.layouts is None:
        reuse.layouts = Layouts(root, catalog, config.base_url if config else "")
        reuse.texts = None
    layouts = reuse.layouts
    hosts = frozenset(config.fields.html.iframe_hosts if config else ())
    if reuse.texts is None or reuse.texts.policy.iframe_hosts != hosts:  # site.yaml's
        reuse.texts = content_renderer(layouts, catalog, hosts)
    texts = reuse.texts
    texts.start_build()
    errors.extend(layouts.syntax_errors())
    text_errors, text_warnings = check_content_texts(content, texts)
    errors.extend(text_errors)
    warnings.extend(text_warnings)
    errors.extend(literal_text_errors(content, reuse.literal))
    with_drafts, content = content, published
    warnings.extend(hidden)
    errors.extend(check_references(content, catalog))
    warnings.extend(unused_programs(content, with_drafts))
    if config is None:
        errors.raise_if_any()
    assert config is not None
    errors.extend(check_site_images(config, catalog))
    errors.extend(unused_image_problems(catalog, image_users(config, content)))
    warnings.extend(small_image_warnings(config, content, catalog))
    errors.extend(check_settings_errors(config))
    warnings.extend(unplaced_blocks(config, content, layouts))
    return LoadedSite(config, content, catalog, layouts, texts, with_drafts, checked.svgs, reuse)


def load_settings(root: Path) -> SiteConfig:
    """site.yaml alone, validated (what `check` needs of a project); raises SiteError or
    BuildFailed."""
    from sitegen.load.config import check_settings_errors, load_config

    config = load_config(root)
    errors = ErrorList()
    errors.extend(check_settings_errors(config))
    errors.raise_if_any()
    return config


def route_site(site: LoadedSite, errors: ErrorList) -> tuple[list[Route], list[Alias]]:
    """The URL table and the old URLs that redirect into it; raises every error of loading
    and routing together (BuildFailed). What the last build worked out from each unchanged
    location is taken over (`site.reuse`, sitegen.memo)."""
    from sitegen.model.urls import url_problem
    from sitegen.render.titles import title_template_errors
    from sitegen.route.aliases import alias_errors, collect_aliases
    from sitegen.route.navigation import navigation_errors
    from sitegen.route.permalinks import check_permalinks
    from sitegen.route.table import build_routes, folder_errors, route_errors

    reuse = site.reuse
    pattern_errors = check_permalinks(site.config)
    errors.extend(pattern_errors)
    errors.extend(title_template_errors(site.config))
    routes: list[Route] = []
    aliases: list[Alias] = []
    if not pattern_errors:
        routes = build_routes(site.config, site.content, reuse.routes)
        if not errors:  # after load errors a page may be missing only for now
            drafts = functools.cache(lambda: _drafts(site))  # worked out once, if needed
            errors.extend(navigation_errors(site.config, routes, drafts))
        layouts = site.layouts.folder
        errors.extend(route_errors(routes, site.config, site.content, layouts, reuse.url_problems))
        aliases = collect_aliases(site.content, routes)
        files = wanted_files(site, routes)
        # a page inside a file is a clash too, found with the other errors (else fixing
        # them takes two rounds); only among pages whose URLs are safe paths
        safe = routes if not errors else [r for r in routes if not url_problem(r.url)]
        safe_files = files if safe is routes else wanted_files(site, safe)
        errors.extend(folder_errors(safe, safe_files, site.content))
        if aliases:
            errors.extend(alias_errors(aliases, routes, files | {MARKER}))
    errors.raise_if_any()
    return routes, aliases


def write_site(
    site: LoadedSite,
    routes: list[Route],
    aliases: list[Alias],
    options: BuildOptions,
    warnings: list[SiteError],
    timings: BuildResult | None = None,
    chosen: list[Route] | None = None,
    by_page: dict[str, list[SiteError]] | None = None,
    as_left: bool = False,
    wanted: set[str] | None = None,
) -> Written:
    """Render the `chosen` routes (default: all) and the site files into a staging folder,
    then commit it to the output: all or nothing. With all routes also the assets and the
    pruning of files no longer made; once committed, the manifest of the pages (its stamp
    in the output's marker, committed with the pages). The caller holds the output's
    lock (`writing`). The page rules' warnings of the rendered pages go to `by_page` (by
    URL) when given, else to `warnings`. Returns the number of worker processes, what the
    commit did and the page rules' guesses (render_site); raises BuildFailed on render
    errors (the output and the manifest are then left as they were). `as_left`: the
    output was found as the last build left it (buildcache.previous_build), so it holds
    no link (every build removes them, and a link made since would have changed the
    stat of its folder): it is not searched for links. `wanted`: wanted_files(site,
    routes), when the caller has it."""
    with _timed(timings, "images"):
        encoded = make_images(site, options)
    if timings is not None:
        timings.images = encoded
    staging = Staging(options.out)
    staging.begin(links=not as_left)
    manifest: dict[str, tuple] = {}
    try:
        with _timed(timings, "render"):
            jobs, guesses = render_site(
                staging, site, routes, aliases, options, warnings, chosen, manifest, by_page
            )
        with _timed(timings, "write"):
            if site.reuse.keeps and site.reuse.stamps is None:
                site.reuse.stamps = StampMemo()
            stamps = site.reuse.stamps
            marker = marker_text(stamps.stamp_of(manifest) if stamps else manifest_stamp(manifest))
            files = wanted if wanted is not None else wanted_files(site, routes)
            stats = staging.commit(files, chosen is None, marker)
    except BaseException:
        staging.abort()
        raise
    if chosen is None or MARKER in staging.staged:  # a rebuild of a few pages: if it changed
        save_manifest(options.out, manifest)
    return Written(jobs, stats, guesses)


def render_site(
    staging: Staging,
    site: LoadedSite,
    routes: list[Route],
    aliases: list[Alias],
    options: BuildOptions,
    warnings: list[SiteError],
    chosen: list[Route] | None = None,
    manifest: dict[str, tuple] | None = None,
    by_page: dict[str, list[SiteError]] | None = None,
) -> tuple[int, int]:
    """Render the `chosen` routes (default: all) into `staging`, staging the site files and
    the assets meanwhile, and filling `manifest` (always with all routes) and `by_page`
    (the page rules' warnings by URL; else they go to `warnings`). Returns the number of
    worker processes and of the "did you mean" hints the page rules worked out
    (render.gate.MAX_GUESSES)."""
    from sitegen.load.assets import is_svg
    from sitegen.render.pages import PageRenderer
    from sitegen.render.pool import default_jobs, page_warnings, render_pages
    from sitegen.render.viewmodels import ViewMemo
    from sitegen.write.sitefiles import SitemapMemo, site_files

    pages = routes if chosen is None else chosen
    jobs = options.jobs or default_jobs(len(pages))
    if site.reuse.keeps and site.reuse.views is None:
        site.reuse.views = ViewMemo()
    if site.reuse.keeps and site.reuse.sitemap is None:
        site.reuse.sitemap = SitemapMemo()
    renderer = PageRenderer(
        site.config,
        site.content,
        routes,
        site.catalog,
        site.layouts,
        options.deploy,
        site.texts,
        site.reuse.views,
    )

    def alongside() -> None:
        files = site_files(
            site.config, site.content, routes, aliases, options.deploy, warnings, site.reuse.sitemap
        )
        for name, text in files.items():
            staging.put(name, text.encode("utf-8"))
        store = ImageStore(image_cache_dir(options.image_cache))
        published = site.catalog.pictures.files()
        for name, asset in site.catalog.assets.items():
            if name in published:
                for variant in published[name]:
                    if chosen is None or not (options.out / variant.output).is_file():
                        staging.put(variant.output, store.read(variant))
            elif chosen is None and is_svg(name):  # the very bytes judged, not read again
                staging.put(asset.output, site.svgs[asset.path][0])
            elif chosen is None:
                staging.put_copy(asset.output, asset.path)
        if manifest is not None:
            manifest.update(source_tuples(site.content, routes))

    gate = page_gate(site, routes, aliases, options.drafts)
    found = render_pages(renderer, pages, staging, jobs, alongside, gate, by_page)
    if by_page is None:
        warnings += page_warnings(pages, found)
    return jobs, gate.guesses


def page_gate(
    site: LoadedSite, routes: list[Route], aliases: list[Alias], drafts: bool = False
) -> PageGate:
    """The page rules the build runs on each page, over the files this build makes and
    with site.yaml's check settings; with `drafts` (the preview) a link to a draft it
    shows is a warning."""
    from sitegen.render.gate import PageGate
    from sitegen.rules.model import Thresholds

    shown: dict[str, str] = {}
    if drafts:
        for route in routes:
            draft = site.content.draft_file(route)
            if draft is not None:
                shown[route.url] = draft
    files = {"/" + path for path in wanted_files(site, routes)}
    check = site.config.fields.check
    return PageGate(
        site.layouts,
        files,
        [alias.url for alias in aliases],
        site.config.base_url,
        dict(check.rules),
        Thresholds(**check.thresholds.model_dump()),
        functools.cache(lambda: _drafts(site)),
        shown,
    )


def _drafts(site: LoadedSite) -> dict[str, str]:
    """The pages this build leaves out as drafts: the file that makes each one a draft,
    by the page's URL."""
    from sitegen.route.table import build_routes

    published = {r.url for r in build_routes(site.config, site.content)}
    content = site.with_drafts or site.content
    found: dict[str, str] = {}
    for route in build_routes(site.config, content):
        draft = content.draft_file(route) if route.url not in published else None
        if draft is not None:
            found[route.url] = draft
    return found


def wanted_files(site: LoadedSite, routes: list[Route]) -> set[str]:
    """Every file the output should hold after this build (not to be changed: worked out
    once for the same list of routes, which routing, the commit and the page rules ask
    for; 11,000 pages take about 10 ms)."""
    from sitegen.model.project import SITE_FILES
    from sitegen.write.sitefiles import sitemap_files

    if site.wanted and site.wanted[0][0] is routes:
        return site.wanted[0][1]
    sitemap = sitemap_files(site.config.base_url, routes)
    variants = site.catalog.pictures.files().values()
    wanted = (
        {r.output for r in routes}
        | set(SITE_FILES)
        | set(sitemap)
        | {a.output for a in site.catalog.assets.values()}
        | {v.output for files in variants for v in files}
    )
    site.wanted[:] = [(routes, wanted)]
    return wanted


def make_images(site: LoadedSite, options: BuildOptions) -> Encoded:
    """Encode the variants of the site's pictures that the image cache does not hold yet,
    on every core; raises BuildFailed when a source cannot be decoded (at each file and
    line that names it, else at the file itself)."""
    from sitegen.images.produce import produce
    from sitegen.load.references import image_problem_errors, image_users

    paths = {name: site.catalog.assets[name].path for name in site.catalog.sources}
    store = ImageStore(image_cache_dir(options.image_cache))

    def starting(files: int, pictures: int) -> None:
        if options.notice is not None:
            options.notice(
                f"Making {counted(files, 'picture file')} from {counted(pictures, 'picture')} "
                f"in {store.folder}; "
                "later builds take them from there..."
            )

    encoded = produce(site.catalog.pictures.files(), paths, store, options.jobs, starting)
    store.prune()  # once a day: the files no build used for a month
    if encoded.problems:
        users = image_users(site.config, site.content)
        errors = ErrorList()
        errors.extend(image_problem_errors(encoded.problems, users))
        errors.raise_if_any()
    return encoded


@contextmanager
def _timed(result: BuildResult | None, step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        if result is not None:
            result.timings[step] = result.timings.get(step, 0.0) + time.perf_counter() - start


@contextmanager
def _long_lived(freeze: bool) -> Iterator[None]:
    """A block that makes long-lived objects only (modules, the loaded site): no collection
    runs in it, and with `freeze` what it made is frozen after it (`gc.freeze`), so that
    no collection of this build goes through it either (`build` says who unfreezes it).
    Enabling the collector after the block instead would at once collect all it made,
    young as it all is: about 50 ms after loading 1,000 locations, before the first page."""
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        gc.enable()
