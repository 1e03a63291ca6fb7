"""The dev server's builds: one full build, then rebuilds that read only the changed files
and render only the pages they change, into the served folder. A failed rebuild keeps the
last good site on disk and remembers its errors for the browser."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen.errors import BuildFailed, ErrorList, SiteError
from sitegen.model.routes import Route
from sitegen.pipeline import (
    BuildOptions,
    LoadedSite,
    Reuse,
    load_site,
    route_site,
    write_site,
)
from sitegen.route.navigation import draft_link_warnings
from sitegen.serve.affected import pages_to_render
from sitegen.serve.bound import TooLong, time_bound
from sitegen.serve.changes import Change, Kind, Plan, classify, plan
from sitegen.write.staging import writing


@dataclass
class Outcome:
    """One build of the session: what changed, and what came of it."""

    changes: list[Change]
    pages: int = 0  # rendered again
    written: int = 0  # files whose bytes changed
    seconds: float = 0.0
    errors: list[SiteError] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the build succeeded."""
        return not self.errors


class Session:
    """The preview's builds into one folder: a full build, then rebuilds that reuse what
    did not change (`reuse`); `errors` are the last build's, for the overlay, and
    `warnings` those of the last good build, for the panel on every page."""

    def __init__(self, options: BuildOptions, limit: float | None = None):
        self.limit = limit  # seconds a build may take (None: no bound); see serve.bound
        # absolute: the watcher reports absolute paths, and records are kept by path
        self.options = replace(options, root=options.root.absolute())
        self.root = self.options.root
        self.reuse = Reuse()
        self.site: LoadedSite | None = None  # the last good build's site and routes
        self.routes: list[Route] = []
        self.errors: list[SiteError] = []  # of the last build; none when it succeeded
        self.warnings: list[SiteError] = []  # of the last build, for the pages' warning panel
        self._everything = True  # a change since the last good build needs every page

    def build(self) -> Outcome:
        """The first build (or one after anything the watcher could not place)."""
        self.reuse = Reuse()
        self._everything = True
        return self._build([], Plan(config=True, layouts=True, assets=True))

    def rebuild(self, paths: set[str]) -> Outcome | None:
        """Rebuild after the files at `paths` (absolute, or relative to the project)
        changed; None when none of them is a source of the site."""
        changes = [classify(self._relative(p)) for p in sorted(paths)]
        changes = [c for c in changes if c.kind is not Kind.IGNORED and not self._transient(c)]
        todo = plan(changes)
        if todo.empty:
            return None
        return self._build(changes, todo)

    def _transient(self, change: Change) -> bool:
        """A file gone again that was no source: an editor's or a tool's temporary file,
        saved beside the real one and renamed over it (sources have an extension)."""
        path = self.root / change.path
        if "/" not in change.path:
            return False  # content/, layouts/ or assets/ itself, gone
        scratch = change.kind is Kind.CONTENT or "." not in path.name
        if not scratch or path.exists():
            return False
        if change.kind is Kind.LAYOUT:  # a folder of layouts renamed or deleted is a change
            layouts = self.reuse.layouts
            return layouts is None or path not in layouts.folders
        # a folder of local texts moved away is reported as the folder alone
        return not self.reuse.records.any_under(path)

    def _relative(self, path: str) -> str:
        p = Path(path)
        if not p.is_absolute():
            return p.as_posix()
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return "../" + p.name  # outside the project: ignored by classify

    def _build(self, changes: list[Change], todo: Plan) -> Outcome:
        started = time.perf_counter()
        outcome = Outcome(changes)
        self.reuse.records.forget({self.root / f for f in todo.files})
        if todo.assets:
            self.reuse.catalog = None
        if todo.layouts:
            self.reuse.layouts = None
        self._everything = self._everything or todo.everything or self.site is None
        try:
            with time_bound(self.limit):
                outcome.pages, outcome.written = self._load_and_render(outcome.warnings)
        except TooLong as late:
            outcome.errors = [_too_long(late.seconds, changes)]
            self.reuse, self._everything = Reuse(), True  # interrupted anywhere: start afresh
        except BuildFailed as failed:
            outcome.errors = failed.errors
            outcome.warnings += failed.warnings  # those of rendering (loading's are there)
        except SiteError as error:
            outcome.errors = [error]
        except OSError as exc:  # the disk, not the site
            outcome.errors = [SiteError(f"cannot write the preview: {exc}")]
        except Exception as exc:  # a bug of ours: the preview goes on, and says so
            traceback.print_exc()
            outcome.errors = [
                SiteError(
                    f"the generator failed: {type(exc).__name__}: {exc}",
                    hint="this is a bug in sitegen, not in your files; the terminal shows "
                    "where it happened. Saving any file tries again.",
                )
            ]
            self._everything = True
        self.errors = outcome.errors
        self.warnings = outcome.warnings if outcome.ok else []
        outcome.seconds = time.perf_counter() - started
        return outcome

    def _load_and_render(self, warnings: list[SiteError]) -> tuple[int, int]:
        errors = ErrorList()
        options = self.options
        site = load_site(options, warnings, errors, self.reuse)
        routes, aliases = route_site(site, errors)
        if options.drafts:  # what the preview shows that the published build refuses
            warnings.extend(draft_link_warnings(site.config, site.content, routes))
        urls = None
        if not self._everything and self.site is not None:
            urls = pages_to_render(
                self.site.content, self.routes, site.content, routes, site.catalog
            )
        chosen = None if urls is None else [r for r in routes if r.url in urls]
        site.layouts.start_build()  # nothing rendered from the last build's records
        with writing(options.out, warnings):  # a build into the same folder waits
            stats = write_site(site, routes, aliases, options, warnings, chosen=chosen).stats
        self.site, self.routes, self._everything = site, routes, False
        return len(routes if chosen is None else chosen), stats.written


def _too_long(seconds: float, changes: list[Change]) -> SiteError:
    what = ", ".join(change.path for change in changes[:3]) or "the sources"
    return SiteError(
        f"the build took longer than {seconds:g} s and was stopped (after {what} changed)",
        hint="a text or layout that takes this long would make the published build as slow: "
        "undo the last change (a very long text, a loop in a layout), or give "
        "serve --rebuild-limit more seconds",
    )
