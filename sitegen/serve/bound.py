"""A time bound on one build of the preview. A build runs in the server's main thread, so
while it runs no page is served: a text or layout that takes minutes to render (a content
bomb) would freeze the preview. Past the bound the build is interrupted where it is (an
alarm signal raises `TooLong` in the main thread; forked render workers are killed, see
sitegen.forks) and the preview serves the error instead."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_LIMIT = 120.0  # seconds: ten times a cold build of 10,000 pages on two cores


class TooLong(BaseException):
    """The build took longer than its bound. A BaseException, so that no `except Exception`
    on the way (a layout's error handling) takes it for an error of one page and renders
    the next."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


@contextmanager
def time_bound(seconds: float | None) -> Iterator[None]:
    """Raise TooLong in the main thread if the block is still running after `seconds`
    (None or 0: no bound). Uses SIGALRM and the real-time interval timer, which forked
    processes do not inherit."""
    if not seconds:
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TooLong(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
