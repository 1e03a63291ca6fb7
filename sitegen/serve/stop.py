"""Stopping the preview whatever it is doing. A rebuild runs on the server's event loop, in
the main thread, so a stop that waits for the loop (asyncio's add_signal_handler) waits for
the rebuild, and a rebuild of hostile input may take minutes. Instead Ctrl+C (SIGINT), a
kill (SIGTERM) and a closed terminal (SIGHUP) raise `Stopped` wherever the main thread is:
the rebuild is abandoned (its staging folder removed, its forked workers killed, see
sitegen.forks), and `serve` cleans up and returns."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """A signal asked the preview to stop. A KeyboardInterrupt, so that neither asyncio nor
    tornado nor the build's `except Exception` takes it for an error of a callback."""

    def __init__(self, signum: int):
        super().__init__(signum)  # its only argument: a forked worker can pickle it back
        self.signum = signum

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, the first of STOP_SIGNALS raises Stopped in the main thread and
    the later ones are ignored (the cleanup that follows is bounded and runs to its end);
    the previous handlers are back after the block."""
    previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}

    def stop(signum: int, _frame: FrameType | None) -> None:
        for other in STOP_SIGNALS:
            signal.signal(other, signal.SIG_IGN)
        raise Stopped(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
