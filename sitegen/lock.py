"""One writer at a time per output folder: an advisory lock (flock) on the folder that
holds it.

`build` and `serve` hold it exclusively while they repair, stage and commit an output
folder; `check` holds it shared while it reads one. So two builds into the same folder
take turns (the second waits), and `check` never reads a folder in the middle of a
commit. The lock is on the output's parent folder, so no lock file is left anywhere; the
kernel drops it when its holder ends, however it ends (`kill -9` included), so a killed
build never leaves a stale lock. Where the file system has no locks (some network file
systems), nothing is locked. Builds into folders side by side (public/ and preview/ in one
folder) take turns too: their staging folders and what killed builds left are beside
each other, in the folder the lock is on (`waiting_line` says so).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: no locking
    fcntl = None  # type: ignore[assignment]


@contextmanager
def output_lock(
    out: Path, shared: bool = False, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the lock of the output folder `out` (exclusive, or `shared` for readers) for
    the `with` block; when another process holds it, call `waiting` once and wait for it.
    The parent of `out` must exist (else nothing is locked)."""
    try:
        fd = os.open(out.absolute().parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # no parent folder (nothing to guard), or not readable
        yield
        return
    try:
        _lock(fd, shared, waiting)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def waiting_line(out: Path) -> str:
    """What a command waiting for the lock of `out` prints: the lock is the folder's that
    holds it, so the build it waits for may be one into a folder beside `out`."""
    return (
        f"Waiting for another build or check in {out.absolute().parent}/ to finish (builds "
        f"into {out.name}/ and the folders beside it take turns)..."
    )


def _lock(fd: int, shared: bool, waiting: Callable[[], None] | None) -> None:
    if fcntl is None:
        return
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        if waiting is not None:
            waiting()
        fcntl.flock(fd, mode)
    except OSError:  # a file system without locks: go on unlocked
        pass
