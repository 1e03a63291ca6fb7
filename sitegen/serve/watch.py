"""Watching the project's sources (inotify, through watchfiles): content/, layouts/ and
assets/ with everything in them, and site.yaml. Changed paths are handed to `report` from
a background thread; nothing else in the project (the output, .git, a virtualenv) is
watched."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

WATCHED_FOLDERS = ("content", "layouts", "assets")
CONFIG_FILE = "site.yaml"


class SourceWatcher:
    def __init__(self, root: Path, report: Callable[[set[str]], None]):
        self.root = root
        self.report = report
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        folders = [self.root / name for name in WATCHED_FOLDERS if (self.root / name).is_dir()]
        if folders:
            self._thread(folders, recursive=True, keep=None)
        self._thread([self.root], recursive=False, keep=CONFIG_FILE)

    def stop(self) -> None:
        self.stop_event.set()

    def _thread(self, paths: list[Path], recursive: bool, keep: str | None) -> None:
        def run() -> None:
            def wanted(_change: watchfiles.Change, path: str) -> bool:
                return keep is None or Path(path).name == keep

            for changes in watchfiles.watch(
                *paths,
                watch_filter=wanted if keep else watchfiles.DefaultFilter(),
                recursive=recursive,
                step=10,  # hand changes on at once: the server's Debouncer groups them
                debounce=200,
                stop_event=self.stop_event,
                raise_interrupt=False,
            ):
                self.report({path for _change, path in changes})

        thread = threading.Thread(target=run, name="sitegen-watch", daemon=True)
        thread.start()
        self.threads.append(thread)
