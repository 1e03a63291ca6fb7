"""`python build.py serve`: build into a folder of its own, serve it on loopback with
livereload, rebuild on every save and reload the browsers."""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import tempfile
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path

import livereload
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

from ..errors import SiteError
from ..output import check_output_dir
from ..pipeline import BuildOptions
from .debounce import Debouncer
from .handler import SiteHandler
from .session import Outcome, Session
from .watch import SourceWatcher

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class ServeOptions:
    root: Path
    host: str = LOOPBACK
    port: int = 8000
    out: Path | None = None  # default: a temporary folder, removed at exit
    open_browser: bool = False
    jobs: int | None = None

    @property
    def url(self) -> str:
        host = LOOPBACK if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"


class _NoPolling(Watcher):
    """livereload's watcher polls the disk; ours (SourceWatcher) is told by the kernel."""

    def start(self, callback: object) -> bool:
        return True

    def examine(self) -> tuple[None, None]:
        return None, None


class PreviewServer(livereload.Server):
    def __init__(self, session: Session):
        super().__init__(watcher=_NoPolling())
        self.session = session

    def get_web_handlers(self, script: bytes) -> list[tuple]:
        folder = self.session.options.out
        return [
            (
                r"/(.*)",
                SiteHandler,
                {"folder": folder, "root": self.session.root, "errors": self.errors},
            )
        ]

    def errors(self) -> list[SiteError]:
        return self.session.errors


def preview_build(options: ServeOptions, out: Path) -> BuildOptions:
    """The preview is the site with its drafts, and links that lead to the preview."""
    return BuildOptions(
        root=options.root, out=out, base_url=options.url, drafts=True, jobs=options.jobs
    )


def serve(options: ServeOptions) -> int:
    temporary = None
    out = options.out
    if out is None:
        temporary = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
        out = temporary / "site"
    check_output_dir(out, options.root)
    session = Session(preview_build(options, out))
    server = PreviewServer(session)
    shown: set[str] = set()  # warnings printed already: each is printed once
    try:
        server.application(options.port, options.host, live_css=False)
    except OSError as exc:
        print(f"build.py: error: cannot serve on {options.url}: {exc}", file=sys.stderr)
        _remove(temporary)
        return 2
    logging.getLogger("tornado.access").disabled = True  # the build's lines say what matters
    _print_outcome(session.build(), shown)
    print(f"Serving {options.root.resolve()} on {options.url}/ (drafts shown; Ctrl+C stops)")
    loop = IOLoop.current()
    debouncer = Debouncer()
    scheduled = False

    def rebuild_when_due() -> None:
        nonlocal scheduled
        scheduled = False
        batch = debouncer.due(time.monotonic())
        if batch:
            outcome = session.rebuild(batch)
            if outcome is not None:
                _print_outcome(outcome, shown)
                LiveReloadHandler.reload_waiters("*")
        wait = debouncer.wait(time.monotonic())
        if wait is not None:
            schedule(wait)

    def schedule(delay: float) -> None:
        nonlocal scheduled
        if not scheduled:
            scheduled = True
            loop.call_later(delay, rebuild_when_due)

    def changed(paths: set[str]) -> None:  # in the loop's thread
        debouncer.add(paths, time.monotonic())
        schedule(debouncer.quiet)

    watcher = SourceWatcher(options.root.absolute(), lambda p: loop.add_callback(changed, p))
    watcher.start()
    LiveReloadHandler.start_tasks()
    if options.open_browser:
        webbrowser.open(options.url + "/")
    try:
        loop.start()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        watcher.stop()
        _remove(temporary)
    return 0


def _remove(temporary: Path | None) -> None:
    if temporary is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)


def _print_outcome(outcome: Outcome, shown: set[str]) -> None:
    what = ", ".join(c.path for c in outcome.changes[:3])
    if len(outcome.changes) > 3:
        what += f" and {len(outcome.changes) - 3} more"
    cause = f" after {what} changed" if what else ""
    for warning in outcome.warnings:
        if str(warning) not in shown:
            shown.add(str(warning))
            print(f"warning: {warning}", file=sys.stderr)
    if outcome.ok:
        verb = "Rebuilt" if outcome.changes else "Built"
        print(
            f"{verb} {outcome.pages} page(s) in {outcome.seconds * 1000:.0f} ms{cause}; "
            f"{outcome.written} file(s) written.",
            flush=True,
        )
        return
    for error in outcome.errors:
        print(f"error: {error}", file=sys.stderr)
    print(
        f"The build failed{cause} with {len(outcome.errors)} error(s); the browser shows "
        "them until the next good build.",
        file=sys.stderr,
        flush=True,
    )
