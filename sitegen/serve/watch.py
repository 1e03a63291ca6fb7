"""Watching the project's sources (inotify, through watchfiles): content/, layouts/ and
assets/ with everything in them, and site.yaml. Changed paths are handed to `report` from
background threads; nothing else in the project (the output, .git, a virtualenv) is
watched. The project folder itself is watched for those names only, so that a source
folder created, replaced or moved back later is watched from then on. A source file that
is a link is watched through its target (serve.links): the target's folder is watched
too, and a change of the target is reported as a change of the link."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import watchfiles

from sitegen.model.project import CONFIG_FILE, SOURCE_FOLDERS
from sitegen.serve.links import linked_files, target_folders, through_links

WATCHED_FOLDERS = SOURCE_FOLDERS
READY_TIMEOUT = 30.0  # seconds the watches may take to be in place
POLL_MS = 200  # how often a quiet watch wakes up (to say it is in place, and to stop)


class SourceWatcher:
    """Watches the sources of the project `root` in daemon threads, handing each batch of
    changed paths (absolute, as str) to `report` from those threads."""

    def __init__(self, root: Path, report: Callable[[set[str]], None]):
        self.root = root
        self.report = report
        self.stopped = threading.Event()
        self._folders_stop = threading.Event()
        self._targets_stop = threading.Event()
        self._targets: set[str] = set()  # the targets' folders watched
        self._links: dict[str, frozenset[str]] = {}  # real target -> the links to it
        self._lock = threading.Lock()  # batches come from several threads
        self._threads: list[threading.Thread] = []

    def start(self, timeout: float = READY_TIMEOUT) -> bool:
        """Start the watching threads; returns once both watch (a save from then on is
        reported), or False after `timeout` seconds without that."""
        folders = self._watch_folders()
        targets = self._watch_targets()
        names = {CONFIG_FILE, *WATCHED_FOLDERS}
        root = self._thread([self.root], recursive=False, names=names, stop=self.stopped)
        deadline = time.monotonic() + timeout
        return all(
            ready.wait(max(0.0, deadline - time.monotonic()))
            for ready in (folders, targets, root)
            if ready is not None
        )

    def stop(self, timeout: float = 2.0) -> None:
        """Stop reporting, and wait up to `timeout` seconds for the threads to end (they
        look at their stop event every POLL_MS): a thread still inside watchfiles' native
        code when the interpreter exits can abort the process."""
        self.stopped.set()
        self._folders_stop.set()
        self._targets_stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _watch_folders(self) -> threading.Event | None:
        self._folders_stop.set()  # the watch of the folders as they were, if any
        self._folders_stop = threading.Event()
        folders = [self.root / name for name in WATCHED_FOLDERS if (self.root / name).is_dir()]
        if not folders:
            return None
        return self._thread(folders, recursive=True, names=None, stop=self._folders_stop)

    def _watch_targets(self) -> threading.Event | None:
        """Watch the folders of the links' targets that the source folders' watch does not
        see (again when they changed: a link came, went or leads elsewhere). Which files of
        those folders count is read at each change, from the links as they are now: a
        second link into a watched folder, or a link pointed at another file there,
        changes no folder, and its target still counts."""
        sources = [Path(os.path.realpath(self.root / name)) for name in WATCHED_FOLDERS]
        self._links = linked_files([self.root / name for name in WATCHED_FOLDERS])
        folders = target_folders(self._links, sources)
        if folders == self._targets:
            return None
        self._targets_stop.set()
        self._targets_stop = threading.Event()
        self._targets = folders
        if not folders:
            return None
        return self._thread(
            [Path(folder) for folder in sorted(folders)],
            recursive=False,
            names=None,
            stop=self._targets_stop,
            only=lambda path: path in self._links,  # the links of now (a new dict each time)
        )

    def _changed(self, paths: set[str]) -> None:
        with self._lock:
            if any(Path(p).parent == self.root and Path(p).name in WATCHED_FOLDERS for p in paths):
                self._watch_folders()  # a source folder came, went or was replaced
            self._watch_targets()  # links may have come, gone or been pointed elsewhere
            paths = through_links(paths, self._links)
        self.report(paths)

    def _thread(
        self,
        paths: list[Path],
        recursive: bool,
        names: set[str] | None,
        stop: threading.Event,
        only: Callable[[str], bool] | None = None,
    ) -> threading.Event:
        """Watch `paths` in a thread of its own until `stop` (only the names `names`, or
        only the paths that `only` accepts, when given); the event returned is set once
        the watch is in place (watchfiles then yields its first, empty, batch)."""
        ready = threading.Event()

        def wanted(_change: watchfiles.Change, path: str) -> bool:
            if only is not None:
                return only(path)
            return names is None or Path(path).name in names

        chosen = names is not None or only is not None

        def run() -> None:
            try:
                watch()
            except OSError:  # a target's folder gone before its watch was in place
                if only is None:
                    raise
                ready.set()

        def watch() -> None:
            for changes in watchfiles.watch(
                *paths,
                watch_filter=wanted if chosen else watchfiles.DefaultFilter(),
                recursive=recursive,
                step=10,  # hand changes on at once: the server's Debouncer groups them
                debounce=200,
                stop_event=stop,
                raise_interrupt=False,
                rust_timeout=POLL_MS,
                yield_on_timeout=True,  # an empty batch: the watch is in place
            ):
                ready.set()
                if changes and not self.stopped.is_set():
                    self._changed({path for _change, path in changes})

        thread = threading.Thread(target=run, name="sitegen-watch", daemon=True)
        self._threads.append(thread)
        thread.start()
        return ready


def main(argv: list[str]) -> int:
    """`python -m sitegen.serve.watch ROOT`: watch ROOT's sources and write each batch of
    changed paths to stdout as one line of JSON; "ready" first, once watching. Ends when
    stdin closes (the preview stopped, or died)."""
    import json
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the preview, which stops us
    out = sys.stdout.buffer
    lock = threading.Lock()

    def send(message: object) -> None:
        with lock:
            try:
                out.write(json.dumps(message).encode() + b"\n")
                out.flush()
            except OSError:  # the preview is gone
                os._exit(0)

    watcher = SourceWatcher(Path(argv[0]), lambda paths: send(sorted(paths)))
    if not watcher.start():
        return 1  # the preview says that the watcher did not start
    send("ready")
    sys.stdin.buffer.read()  # until the preview closes its end
    watcher.stop()
    # Leave without the interpreter's teardown: a watch thread that has not ended yet would
    # be unwound inside native code (watchfiles 0.21 aborts the process then).
    os._exit(0)


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
