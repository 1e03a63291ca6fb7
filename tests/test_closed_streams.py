"""A reader that goes away (`python build.py | head -1`) cuts the printing short, not the
build: the output is written, no traceback is printed and the exit code is the command's.
A report that cannot be written (`> /dev/full`) makes a successful command exit 74."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, Run, edit, needs_dev_full, snapshot
from sitegen.streams import EXIT_UNWRITTEN, Guarded, guarded, outcome

BUILD_PY = str(PROJECT / "build.py")


def closed_pipe() -> int:
    """The writing end of a pipe whose reader has gone: a write to it fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


def run(cwd: Path, *args: str, stdout: int | None = None, stderr: int | None = None) -> Run:
    """`python build.py ARGS` with the given stdout and stderr (a file descriptor), the
    others captured."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "NO_COLOR": "1", "SITEGEN_RESIDENT": "0"}
    done = subprocess.run(
        [sys.executable, BUILD_PY, *args],
        cwd=cwd,
        env=env,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=stderr if stderr is not None else subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout or "", done.stderr or "")


@pytest.fixture
def reference(minimal_site: Path) -> dict[str, bytes]:
    """The minimal site's output as a build whose streams are open writes it."""
    done = run(minimal_site, "build", "--out", str(minimal_site / "reference"), "--no-cache")
    assert done.code == 0, done.err
    return snapshot(minimal_site / "reference")


@pytest.mark.parametrize("closed", ["stdout", "stdout and stderr"])
@pytest.mark.parametrize("args", [[], ["--json"], ["--no-cache"]])
def test_a_build_whose_reader_went_away_is_written_whole_and_exits_0(
    minimal_site, reference, closed, args
):
    out = closed_pipe()
    err = closed_pipe() if closed == "stdout and stderr" else None
    try:
        done = run(minimal_site, "build", *args, stdout=out, stderr=err)
    finally:
        os.close(out)
        if err is not None:
            os.close(err)
    assert done.code == 0
    assert "Traceback" not in done.err
    assert "cannot write the output" not in done.err
    assert snapshot(minimal_site / "public") == reference


@pytest.mark.parametrize("closed", [(1,), (2,), (1, 2)])
def test_a_build_started_without_stdout_or_stderr_is_written_whole(minimal_site, reference, closed):
    """`python build.py >&-` (or `2>&-`): Python starts with that stream None."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "SITEGEN_RESIDENT": "0"}
    done = subprocess.run(
        [sys.executable, BUILD_PY, "build"],
        cwd=minimal_site,
        env=env,
        capture_output=True,
        preexec_fn=lambda: [os.close(fd) for fd in closed],
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert snapshot(minimal_site / "public") == reference


def test_a_failed_build_whose_reader_went_away_still_fails_and_writes_nothing(minimal_site):
    first = run(minimal_site, "build")
    assert first.code == 0, first.err
    before = snapshot(minimal_site / "public")
    edit(minimal_site, "content/programs/day-program.md", "title:", "title: [")
    out, err = closed_pipe(), closed_pipe()
    try:
        done = run(minimal_site, "build", stdout=out, stderr=err)
    finally:
        os.close(out)
        os.close(err)
    assert done.code == 1
    assert snapshot(minimal_site / "public") == before


def test_check_whose_reader_went_away_exits_with_its_own_code(minimal_site):
    built = run(minimal_site, "build")
    assert built.code == 0, built.err
    open_check = run(minimal_site, "check", "public")
    out = closed_pipe()
    try:
        done = run(minimal_site, "check", "public", stdout=out)
    finally:
        os.close(out)
    assert done.code == open_check.code
    assert "Traceback" not in done.err


@needs_dev_full
@pytest.mark.parametrize("args", [[], ["--json"]])
def test_a_report_that_cannot_be_written_makes_a_good_build_exit_74(minimal_site, reference, args):
    with open("/dev/full", "w") as device:
        done = run(minimal_site, "build", *args, stdout=device.fileno())
    assert done.code == EXIT_UNWRITTEN
    assert "error: the report could not be written to standard output (No space left" in done.err
    assert "Traceback" not in done.err
    assert snapshot(minimal_site / "public") == reference  # the build itself was done


@needs_dev_full
def test_a_failed_build_keeps_its_code_when_its_report_cannot_be_written(minimal_site):
    edit(minimal_site, "content/programs/day-program.md", "title:", "title: [")
    with open("/dev/full", "w") as device:
        done = run(minimal_site, "build", "--json", stdout=device.fileno())
    assert done.code == 1


@needs_dev_full
def test_check_keeps_its_findings_code_when_its_report_cannot_be_written(minimal_site):
    assert run(minimal_site, "build").code == 0
    open_check = run(minimal_site, "check", "public")
    assert open_check.code == 1, open_check.out  # the minimal site has findings
    with open("/dev/full", "w") as device:
        done = run(minimal_site, "check", "public", stdout=device.fileno())
    assert done.code == 1
    assert "Traceback" not in done.err


@needs_dev_full
def test_help_that_cannot_be_written_exits_74(minimal_site):
    with open("/dev/full", "w") as device:
        done = run(minimal_site, "--help", stdout=device.fileno())
    assert done.code == EXIT_UNWRITTEN
    assert "could not be written to standard output" in done.err


class Failing(io.StringIO):
    """A stream whose writes (or flushes) fail with `code` after `good` writes."""

    def __init__(self, code: int, good: int = 0, on_flush: bool = False) -> None:
        super().__init__()
        self.code, self.good, self.on_flush = code, good, on_flush

    def write(self, text: str) -> int:
        if not self.on_flush:
            if self.good <= 0:
                raise OSError(self.code, os.strerror(self.code))
            self.good -= 1
        return super().write(text)

    def flush(self) -> None:
        if self.on_flush:
            raise OSError(self.code, os.strerror(self.code))


def test_a_closed_reader_drops_the_rest_and_keeps_the_exit_code():
    stream = Failing(errno.EPIPE, good=1)
    wrapped = guarded(stream, 1)
    assert wrapped.write("first\n") == 6
    assert wrapped.write("second\n") == 7  # dropped, not raised
    assert wrapped.write("third\n") == 6
    assert stream.getvalue() == "first\n"
    assert isinstance(wrapped, Guarded) and wrapped.closed_reader and wrapped.failure is None
    assert outcome(0, wrapped, io.StringIO()) == 0
    assert outcome(1, wrapped, io.StringIO()) == 1


@pytest.mark.parametrize("on_flush", [False, True])
def test_another_write_failure_turns_success_into_74_and_says_why(on_flush):
    wrapped = guarded(Failing(errno.ENOSPC, on_flush=on_flush), 1)
    wrapped.write("Built 4 pages\n")
    wrapped.flush()
    err = io.StringIO()
    assert outcome(0, wrapped, err) == EXIT_UNWRITTEN
    assert err.getvalue() == (
        "error: the report could not be written to standard output (No space left on device)\n"
    )
    assert outcome(1, wrapped, io.StringIO()) == 1  # a failure keeps its own code


def test_guarding_twice_wraps_once_and_the_rest_is_the_stream_s():
    stream = io.StringIO()
    wrapped = guarded(stream, 1)
    assert guarded(wrapped, 1) is wrapped
    assert wrapped.isatty() is False
    wrapped.write("text")
    assert wrapped.getvalue() == "text"
