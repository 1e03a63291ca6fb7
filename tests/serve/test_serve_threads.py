"""The preview's process runs one thread, so forking its render workers is safe: the file
watcher runs in a process of its own (sitegen.serve.watchproc). A real server, a real save."""

from __future__ import annotations

import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import PROJECT

STARTUP = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def _wait(condition, what: str, proc: subprocess.Popen, err: Path) -> None:
    deadline = time.monotonic() + STARTUP
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"serve exited ({proc.returncode}):\n{err.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen in {STARTUP:.0f} s:\n{err.read_text()}")
        time.sleep(0.1)


def _threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found


def test_the_preview_forks_its_workers_from_a_single_threaded_process(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for folder in ("content", "layouts", "assets"):
        shutil.copytree(PROJECT / folder, site / folder)
    shutil.copy2(PROJECT / "site.yaml", site / "site.yaml")
    port = _free_port()
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    command = [sys.executable, str(PROJECT / "build.py"), "serve", "--root", str(site)]
    command += ["--port", str(port), "--jobs", "2"]
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        proc = subprocess.Popen(command, stdout=stdout, stderr=stderr)
    try:
        _wait(lambda: "Serving" in out.read_text(), "serving", proc, err)
        # the watcher's threads are elsewhere; the first build's (its pool's, joined) may
        # take a moment to leave the OS's list on a loaded machine (forks.can_fork waits too)
        _wait(lambda: _threads(proc.pid) == 1, "one thread", proc, err)
        [watcher] = _children(proc.pid)
        assert "sitegen.serve.watch" in Path(f"/proc/{watcher}/cmdline").read_text()
        # a layout change renders every page, on two forked workers
        footer = site / "layouts/partials/footer.html"
        footer.write_text(footer.read_text() + "<!-- saved by the test -->\n")
        _wait(lambda: "Rebuilt" in out.read_text(), "a rebuild", proc, err)
        status, body = _get(port, "/los-angeles/")
        assert status == 200 and "saved by the test" in body
        assert _threads(proc.pid) == 1
        assert "Traceback" not in err.read_text()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert proc.returncode == 0
    assert not Path(f"/proc/{watcher}").exists() or "zombie" in _state(watcher)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def test_a_save_right_after_ready_is_reported(tmp_path: Path) -> None:
    """The watcher says "ready" only once its watches are in place: a save at once after
    is seen (before, it was missed every time)."""
    (tmp_path / "content/locations").mkdir(parents=True)
    (tmp_path / "site.yaml").write_text("name: x\n")
    saved = tmp_path / "content/locations/town.yaml"
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen.serve.watch", str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert _message(proc) == "ready"
        for round in range(5):
            saved.write_text(f"name: Town {round}\n")
            assert str(saved) in _message(proc)
            (tmp_path / "site.yaml").write_text(f"name: {round}\n")
            assert str(tmp_path / "site.yaml") in _message(proc)
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    assert proc.returncode == 0


def _message(proc: subprocess.Popen, timeout: float = 10.0) -> object:
    """The watcher's next line of JSON; AssertionError when none comes within `timeout`."""
    assert proc.stdout is not None
    readable, _, _ = select.select([proc.stdout], [], [], timeout)
    assert readable, f"the watcher said nothing in {timeout:.0f} s"
    return json.loads(proc.stdout.readline())
