"""The command's standard output and error as streams that a reader cannot break.

`python build.py | head -1` closes the pipe while the build still prints: Python then
raises BrokenPipeError from whichever `print` comes next (a notice in the middle of the
build, or the report after the commit). Left alone, that stops a build half-way or
prints a traceback after a good one, and reports "cannot write the output" of an output
folder that was written. Behind a `Guarded` stream, a reader that went away only cuts
the printing short: the rest is dropped and the command's exit code stays its own, as
the Python documentation advises (https://docs.python.org/3/library/signal.html, "Note
on SIGPIPE": point the file descriptor at /dev/null, so that the flush at exit does not
fail again). Any other failure to write (a full disk behind `> report.json`, a terminal
that went away) is kept, and `outcome` turns a successful exit into EXIT_UNWRITTEN: a
script must not take a report it did not get for a success.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import TextIO, cast

EXIT_UNWRITTEN = 74  # sysexits.h EX_IOERR: the report could not be written


class Guarded:
    """A text stream (`stream`: sys.stdout, sys.stderr) whose writes never raise OSError.
    `failure`: the first error other than a closed pipe (None: none, or only a reader
    that went away). Everything else is the wrapped stream's (fileno, isatty, encoding)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.closed_reader = False  # a pipe whose reader went away (EPIPE)
        self.failure: OSError | None = None

    def write(self, text: str) -> int:
        """Write `text` (its length is returned whether or not it reached the reader)."""
        if not self.closed_reader and self.failure is None:
            try:
                self.stream.write(text)
            except OSError as exc:
                self._failed(exc)
        return len(text)

    def flush(self) -> None:
        """Flush the wrapped stream; a failure is kept, not raised."""
        if not self.closed_reader and self.failure is None:
            try:
                self.stream.flush()
            except OSError as exc:
                self._failed(exc)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)

    def _failed(self, exc: OSError) -> None:
        if exc.errno == errno.EPIPE:
            self.closed_reader = True
        else:
            self.failure = exc
        with contextlib.suppress(OSError, ValueError):  # what is still buffered goes too
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, self.stream.fileno())
            finally:
                os.close(null)
            self.stream.flush()


def standard_descriptors() -> None:
    """Open /dev/null as each of the file descriptors 0, 1 and 2 the process was started
    without (`python build.py <&- 2>&-`): else the next file or socket it opens takes that
    number, and what is written to "stderr" goes into it (the resident build process's
    connection, which it would then fill itself, and wait on for ever)."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)  # the lowest free number: `fd` itself
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def guarded(stream: TextIO | None, fd: int) -> TextIO:
    """`stream`, on file descriptor `fd`, behind a Guarded (once: a Guarded is returned as
    it is). None, a stream the process was started without (`python build.py >&-`), is
    one whose reader is gone: what is printed to it goes to /dev/null, which
    `standard_descriptors` opened as `fd`."""
    if isinstance(stream, Guarded):
        return cast("TextIO", stream)
    if stream is None:
        guard = Guarded(open(fd, "w", encoding="utf-8", closefd=False))  # noqa: SIM115
        guard.closed_reader = True
        return cast("TextIO", guard)
    return cast("TextIO", Guarded(stream))


def outcome(code: int, stdout: TextIO, stderr: TextIO) -> int:
    """The exit code of a command that ended with `code`, once `stdout` and `stderr` are
    flushed: EXIT_UNWRITTEN instead of a success when its report could not be written
    (said on stderr when it can be), else `code` (a closed pipe included)."""
    for stream in (stdout, stderr):
        stream.flush()
    failure = getattr(stdout, "failure", None)
    if failure is None or code != 0:
        return code
    print(
        f"error: the report could not be written to standard output ({failure.strerror})",
        file=stderr,
        flush=True,
    )
    return EXIT_UNWRITTEN


def command_name() -> str:
    """The name the command is run by, for its usage and error lines: `sitegen` when pip's
    console script runs it, else `build.py` (also inside tests and the resident process)."""
    return (
        "sitegen" if os.path.basename(sys.argv[0] if sys.argv else "") == "sitegen" else "build.py"
    )


def counted(number: int, noun: str, plural: str = "") -> str:
    """`number` and `noun` agreeing in number, for the lines a person reads: counted(1,
    "page") is "1 page", counted(0, "page") "0 pages"; `plural` for a noun that is not
    made plural by an "s" (counted(2, "this", "these"))."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
