"""`python build.py serve`: build into a folder of its own, serve it with livereload (on
loopback unless --host says otherwise), rebuild on every save and reload the browsers."""

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
from typing import Any

import livereload
from livereload.handlers import LiveReloadHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import web
from tornado.ioloop import IOLoop

from sitegen.errors import inert
from sitegen.pipeline import BuildOptions
from sitegen.serve.bound import DEFAULT_LIMIT
from sitegen.serve.debounce import Debouncer
from sitegen.serve.handler import SiteHandler
from sitegen.serve.live import LIVE_SCRIPT, live_handlers
from sitegen.serve.session import Outcome, Session
from sitegen.serve.stop import Stopped, stop_on_signals
from sitegen.serve.watchproc import WatcherProcess
from sitegen.streams import command_name, counted
from sitegen.write.staging import check_output_dir

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class ServeOptions:
    """The serve command's options: the project folder, the address and port to listen on,
    the folder to build into, whether to open the browser, worker processes (None: one per
    core on big sites) and the seconds a build may take before it is stopped and its
    error served (serve.bound)."""

    root: Path
    host: str = LOOPBACK
    port: int = 8000
    out: Path | None = None  # default: a temporary folder, removed at exit
    open_browser: bool = False
    jobs: int | None = None
    rebuild_limit: float | None = DEFAULT_LIMIT  # seconds a build may take; None: no bound

    @property
    def hosts(self) -> frozenset[str] | None:
        """The Host headers the preview answers to on loopback: a web page that points a
        name of its own at 127.0.0.1 (DNS rebinding) does not get to read the drafts. None
        (any) when the server was asked to listen on the network."""
        if self.host not in (LOOPBACK, "localhost", "::1"):
            return None
        return frozenset(f"{name}:{self.port}" for name in (LOOPBACK, "localhost", "[::1]"))

    @property
    def url(self) -> str:
        """The preview's origin without a trailing slash, http://127.0.0.1:8000 (127.0.0.1
        when listening on every interface); also the preview build's base_url."""
        host = LOOPBACK if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"


class _NoPolling(Watcher):
    """livereload's watcher polls the disk; ours (SourceWatcher) is told by the kernel."""

    def start(self, callback: object) -> bool:
        """True: livereload polls the disk only when its watcher's start returns False."""
        return True

    def examine(self) -> tuple[None, None]:
        """livereload's check for changes: never any here (our watcher reports them)."""
        return None, None


class PreviewServer(livereload.Server):
    """livereload's server, serving the session's folder through SiteHandler and watching
    nothing itself."""

    def __init__(self, session: Session, hosts: frozenset[str] | None):
        super().__init__(watcher=_NoPolling())
        self.session = session
        self.hosts = hosts

    def application(
        self,
        port: int,
        host: str,
        liveport: None = None,
        debug: bool | None = None,
        live_css: bool = True,
    ) -> None:
        """Listen on `host`:`port`, as livereload's own `application` does (one port, the
        snippet injected into served pages) but with its endpoints answering the preview's
        hosts only (serve.live). Raises OSError when the port cannot be listened on."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css

        class Injector(LiveScriptInjector):
            script = LIVE_SCRIPT

        handlers: list[Any] = [*live_handlers(self.hosts), *self.get_web_handlers(LIVE_SCRIPT)]
        app = web.Application(handlers=handlers, debug=bool(debug), transforms=[Injector])
        app.listen(port, address=host)

    def get_web_handlers(self, script: bytes) -> list[tuple]:
        """livereload's handlers for pages: SiteHandler for every path, in place of its
        static file handler."""
        folder = self.session.options.out
        return [
            (
                r"/(.*)",
                SiteHandler,
                {
                    "folder": folder,
                    "root": self.session.root,
                    "errors": lambda: self.session.errors,
                    "hosts": self.hosts,
                    "warnings": lambda: self.session.warnings,
                },
            )
        ]


def preview_build(options: ServeOptions, out: Path) -> BuildOptions:
    """The preview is the site with its drafts, and links that lead to the preview."""
    return BuildOptions(
        root=options.root,
        out=out,
        base_url=options.url,
        drafts=True,
        jobs=options.jobs,
        notice=lambda text: print(text, file=sys.stderr, flush=True),
    )


def serve(options: ServeOptions) -> int:
    """Build, serve and rebuild until Ctrl+C, SIGTERM or SIGHUP, which stop it even in the
    middle of a build (serve.stop); the exit code: 0 once stopped, 2 when the port cannot
    be listened on or the sources cannot be watched. A temporary build folder is removed
    at the end. Raises UsageError for an output folder that is not ours
    (check_output_dir)."""
    temporary = None
    with stop_on_signals():  # from here on, a stop still removes the temporary folder
        try:
            out = options.out
            if out is None:
                temporary = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
                out = temporary / "site"
            return _serve_into(options, out, temporary is not None)
        except Stopped:
            print("\nStopped.", flush=True)
            return 0
        finally:
            _remove(temporary)


def _serve_into(options: ServeOptions, out: Path, temporary: bool) -> int:
    check_output_dir(out, options.root)
    session = Session(preview_build(options, out), options.rebuild_limit)
    server = PreviewServer(session, options.hosts)
    try:
        server.application(options.port, options.host, live_css=False)
    except OSError as exc:
        print(f"{command_name()}: error: cannot serve on {options.url}: {exc}", file=sys.stderr)
        return 2
    logging.getLogger("tornado.access").disabled = True  # the build's lines say enough
    rebuilds = LiveRebuilds(session)
    watcher = WatcherProcess(options.root.absolute(), rebuilds.changed, rebuilds.loop)
    try:
        watcher.start()  # before the first build: a save during it is not lost
    except OSError as exc:
        print(f"{command_name()}: error: cannot watch {options.root}: {exc}", file=sys.stderr)
        return 2
    try:
        _print_outcome(session.build(), rebuilds.shown)
        where = "a temporary folder, removed at the end" if temporary else str(out)
        print(
            f"Serving {options.root.resolve()} on {options.url}/ (drafts shown; the files "
            f"are in {where}). Ctrl+C stops.",
            flush=True,
        )
        if options.hosts is None:
            print(
                f"Listening on {options.host}: other devices of the network can open the "
                "preview too, drafts included.",
                flush=True,
            )
        LiveReloadHandler.start_tasks()
        if options.open_browser:
            webbrowser.open(options.url + "/")
        rebuilds.loop.start()  # until a signal raises Stopped
    finally:
        watcher.stop()
    return 0


class LiveRebuilds:
    """Saves in, rebuilds and browser reloads out, on the server's event loop (rebuilds
    never run alongside a request, so no request sees a half-moved folder)."""

    def __init__(self, session: Session):
        self.session = session
        self.loop = IOLoop.current()
        self.debouncer = Debouncer()
        self.scheduled = False
        self.shown: set[str] = set()  # warnings printed already: each is printed once

    def changed(self, paths: set[str]) -> None:
        """Take changed paths from the watcher (on the loop) and rebuild once the burst of
        saves is over (Debouncer)."""
        self.debouncer.add(paths, time.monotonic())
        self._schedule(self.debouncer.quiet)

    def _schedule(self, delay: float) -> None:
        if not self.scheduled:
            self.scheduled = True
            self.loop.call_later(delay, self._rebuild_when_due)

    def _rebuild_when_due(self) -> None:
        self.scheduled = False
        batch = self.debouncer.due(time.monotonic())
        if batch:
            outcome = self.session.rebuild(batch)
            if outcome is not None:
                _print_outcome(outcome, self.shown)
                LiveReloadHandler.reload_waiters("*")
        wait = self.debouncer.wait(time.monotonic())
        if wait is not None:
            self._schedule(wait)


def _remove(temporary: Path | None) -> None:
    if temporary is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)


def _print_outcome(outcome: Outcome, shown: set[str]) -> None:
    what = ", ".join(inert(c.path) for c in outcome.changes[:3])  # names an editor chose
    if len(outcome.changes) > 3:
        what += f" and {len(outcome.changes) - 3} more"
    cause = f" after {what} changed" if what else ""
    for warning in outcome.warnings if outcome.ok else []:  # errors can cause warnings
        if str(warning) not in shown:
            shown.add(str(warning))
            print(f"warning: {warning}", file=sys.stderr)
    if outcome.ok:
        verb = "Rebuilt" if outcome.changes else "Built"
        print(
            f"{verb} {counted(outcome.pages, 'page')} in {outcome.seconds * 1000:.0f} ms"
            f"{cause}; {counted(outcome.written, 'file')} written.",
            flush=True,
        )
        return
    for error in outcome.errors:
        print(f"error: {error}", file=sys.stderr)
    print(
        f"The build failed{cause} with {counted(len(outcome.errors), 'error')}; the browser "
        f"shows {'it' if len(outcome.errors) == 1 else 'them'} until the next good build.",
        file=sys.stderr,
        flush=True,
    )
