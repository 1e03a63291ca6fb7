"""A time limit for the work done on one editor text, where Python can enforce one.

Python-Markdown has inputs whose conversion time grows with the square of their length or
worse (10 KB of `[` runs for minutes; see bench/hostile.py), and no pre-check can know them
all. So the conversion of each text runs under a CPU-time alarm (setitimer's ITIMER_PROF:
the process's own user and system time, so that a busy machine does not make a good text
fail, and the kernel's work for the text's memory counts): past `seconds`, the signal
handler raises TooSlow out of whatever Python code is running. Python handles signals
between bytecodes, so one long call into C (a single regular expression match) finishes
before the text is stopped; one that swallows the exception raised in a Python callback
(nh3 calls the policy's attribute filter) is answered with TooSlow when the block ends.

Signals reach only the main thread: elsewhere, or when something else already uses
SIGPROF, `deadline` enforces nothing (the build and the preview convert texts in their
main thread, before the worker processes are forked).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TooSlow(BaseException):
    """Raised inside a `deadline` block that ran longer than its seconds (a BaseException,
    so that no library's `except Exception` takes it for an error of its own)."""


_armed = False


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Run the block with at most `seconds` of CPU time; TooSlow is raised in it past that.
    A block inside another `deadline` block shares the outer one's limit."""
    global _armed
    usable = (
        not _armed
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, None)
    )
    if not usable:
        yield
        return

    fired: list[bool] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        fired.append(True)
        raise TooSlow(f"more than {seconds:g} s")

    signal.signal(signal.SIGPROF, stop)
    _armed = True
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        yield
        if fired:  # raised in a callback of C code that swallowed it (nh3 prints it, goes on)
            raise TooSlow(f"more than {seconds:g} s")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
        _armed = False
