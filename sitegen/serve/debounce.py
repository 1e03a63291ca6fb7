"""Bursts of saves into one rebuild: editors' tools write a file several times in a row
(a temporary file, the file, its metadata), and a "save all" touches many files."""

from __future__ import annotations

from collections.abc import Iterable


class Debouncer:
    """Collects changed paths and lets them go as one batch once none came for `quiet`
    seconds, or `longest` seconds after the first (a tool that never stops writing still
    gets rebuilds). Time is passed in, so tests need no clock."""

    def __init__(self, quiet: float = 0.05, longest: float = 1.0):
        self.quiet = quiet
        self.longest = longest
        self._paths: set[str] = set()
        self._first: float | None = None
        self._last: float | None = None

    def add(self, paths: Iterable[str], now: float) -> None:
        """Add changed paths seen at `now` (seconds of a monotonic clock); no paths, no
        change."""
        paths = set(paths)
        if not paths:
            return
        self._paths |= paths
        if self._first is None:
            self._first = now
        self._last = now

    def due(self, now: float) -> set[str]:
        """The batch, if it is time to rebuild; else an empty set (and the paths wait)."""
        if self._first is None or self._last is None:
            return set()
        if now - self._last < self.quiet and now - self._first < self.longest:
            return set()
        batch, self._paths = self._paths, set()
        self._first = self._last = None
        return batch

    def wait(self, now: float) -> float | None:
        """Seconds until the batch is due, or None when nothing waits."""
        if self._first is None or self._last is None:
            return None
        return max(0.0, min(self._last + self.quiet, self._first + self.longest) - now)
