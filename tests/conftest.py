"""Shared test helpers: throwaway sites written from dicts, and builds run in-process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.browser import CHROMIUM
from sitegen.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
# Builds run by the tests end with their process: a resident build process (sitegen.resident)
# per test project would outlive the test. tests/test_resident.py turns it on where it tests it.
os.environ["SITEGEN_RESIDENT"] = "0"

# git is part of the project's tools (sitemap dates come from its history). Outside CI a
# machine without it skips those tests with this reason; CI installs git (.ci/run) and
# runs them without exception, so a missing install step fails there instead of hiding.
needs_git = pytest.mark.skipif(
    shutil.which("git") is None and not os.environ.get("CI"),
    reason="git is not installed here (apt-get install git); CI installs it and runs these",
)
PROJECT = Path(__file__).parent.parent


# A stdout that cannot be written: Linux's /dev/full fails every write with "No space left
# on device". Not an install step (it is part of the system); CI runs on Linux, where it
# must be there: the tests that need it run in CI whatever this finds.
needs_dev_full = pytest.mark.skipif(
    not Path("/dev/full").exists() and not os.environ.get("CI"),
    reason="this system has no /dev/full (a device every write to fails with ENOSPC, "
    "part of Linux, not something to install)",
)


def skip_without_chromium() -> None:
    """Skip the calling test module when Debian's Chromium (sitegen.browser) is missing,
    except in CI: there .ci/run installs it and the browser tests run without exception, so
    a missing install step fails instead of hiding."""
    if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
        pytest.skip(
            "Debian's chromium is not installed here (apt-get install chromium); "
            "CI installs it and runs these",
            allow_module_level=True,
        )


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` ({relative path: text or bytes}) under `root`; returns root."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def minimal_site(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/minimal that a test may change."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    return root


@pytest.fixture
def build_cli(capsys):
    """Run the command line in-process: build_cli(root, *args) -> Run(code, out, err)."""

    def run(root: Path, *args: str) -> Run:
        code = main(["build", "--root", str(root), *args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to compare a folder before and after."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """The tests' own cache folder: none writes to the user's ~/.cache (cache files are keyed
    by the output folder, and every test builds into its own)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEGEN_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the example project's sources (content, layouts, assets, site.yaml)."""
    copy = tmp_path / "example"
    copy.mkdir()
    for name in ("content", "layouts", "assets"):
        shutil.copytree(PROJECT / name, copy / name)
    shutil.copy2(PROJECT / "site.yaml", copy / "site.yaml")
    return copy


def built_once(site: Path, build_cli) -> dict[str, bytes]:
    """Build the unchanged site, so that public/ exists, and return its snapshot."""
    run = build_cli(site)
    assert run.code == 0, run.err
    assert (site / "public" / "index.html").is_file()
    return snapshot(site / "public")


def edit(site: Path, name: str, old: str, new: str) -> str:
    """Replace `old` (which must occur exactly once) with `new` in a file; returns the text."""
    path = site / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {name}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line of `text` that contains `needle`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def column_of(text: str, needle: str) -> int:
    """The 1-based column where `needle` starts on its line."""
    line = text.split("\n")[line_of(text, needle) - 1]
    return line.index(needle) + 1


def assert_refused(
    site: Path, build_cli, before: dict[str, bytes], *fragments: str, code: int = 1
) -> Run:
    """Build again: it must fail with `code`, say every fragment, and not touch public/."""
    run = build_cli(site)
    assert run.code == code, f"exit {run.code}\nstdout:\n{run.out}\nstderr:\n{run.err}"
    for fragment in fragments:
        assert fragment in run.err, f"{fragment!r} not in stderr:\n{run.err}"
    assert snapshot(site / "public") == before
    return run


@dataclass
class BoundedRun:
    code: int
    out: str
    err: str
    seconds: float


def _child_environment() -> dict[str, str]:
    """This environment for a child build, without pytest's PYTEST_CURRENT_TEST: a test
    whose parameter is a hostile input 100 KB long gets an id that long, and one variable
    that size makes exec fail (E2BIG) before the build even starts."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_bounded(site: Path, *args: str, command: str = "build", limit: float = 60.0) -> BoundedRun:
    """Run `python build.py COMMAND --root SITE ARGS` as a real process, as CI would, and
    fail the test if it is still running after `limit` seconds (a hang) or if it printed a
    Python traceback. Hostile input must end in a clear error, never in either."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), command, "--root", str(site), *args],
            capture_output=True,
            text=True,
            timeout=limit,
            env=_child_environment(),
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"{command} still running after {limit} s: {args}") from exc
    seconds = time.monotonic() - started
    for stream in (done.stdout, done.stderr):
        assert "Traceback (most recent call last)" not in stream, stream
    return BoundedRun(done.returncode, done.stdout, done.stderr, seconds)


@dataclass
class Stopped:
    """What a command stopped by Ctrl+C did: its exit code, output, and the worker
    processes it had when the signal came."""

    code: int
    out: str
    err: str
    workers: list[int]


def children(pid: int) -> list[int]:
    """The processes `pid` started that still run (Linux's /proc)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def ctrl_c_when_working(argv: list[str], env: dict[str, str] | None = None) -> Stopped:
    """Run `argv` in a process group of its own (a terminal's foreground job); once it has
    two worker processes, and a moment after, send Ctrl+C (SIGINT) to the whole group, as
    a terminal does; what it did then."""
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        workers = children(proc.pid)
        assert len(workers) >= 2, "no workers started"
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return Stopped(proc.returncode, out, err, workers)
