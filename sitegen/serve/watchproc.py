"""The source watcher in a process of its own, so that the preview's process runs a single
thread: it forks render workers on every big rebuild, and forking a process with other
threads running can leave a lock held forever in the child (Python 3.12 warns about it).
The watcher (sitegen.serve.watch, whose inotify threads are native and Python's) sends each
batch of changed paths as a line of JSON through a pipe, read on the server's event loop."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tornado.ioloop import IOLoop

import sitegen

READY_TIMEOUT = 30.0  # seconds the watcher may take to start


class WatcherProcess:
    """Runs `python -m sitegen.serve.watch ROOT` and hands each batch of changed paths
    (absolute paths, as str) to `report` on `loop`."""

    def __init__(self, root: Path, report: Callable[[set[str]], None], loop: IOLoop):
        self.root = root
        self.report = report
        self.loop = loop
        self.proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""

    def start(self) -> None:
        """Start watching; returns once the watcher watches (a save from then on is seen).
        Raises OSError when the watcher cannot start."""
        package_parent = str(Path(sitegen.__file__).resolve().parent.parent)
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": package_parent + (os.pathsep + path if path else "")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitegen.serve.watch", str(self.root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        if json.loads(first or b"null") != "ready":
            self.stop()
            raise OSError("the file watcher did not start")
        fd = self.proc.stdout.fileno()
        os.set_blocking(fd, False)
        self.loop.add_handler(fd, self._readable, IOLoop.READ)

    def _readable(self, fd: int, _events: int) -> None:
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not data:  # the watcher ended: say so once, the server goes on serving
            self.loop.remove_handler(fd)
            print("warning: the file watcher stopped; restart serve to see changes", flush=True)
            return
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self.report(set(json.loads(line)))

    def stop(self) -> None:
        """Stop the watcher (closing its stdin ends it) and wait for it."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.stdout is not None:
            with contextlib.suppress(KeyError, ValueError):  # removed already
                self.loop.remove_handler(proc.stdout.fileno())
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
