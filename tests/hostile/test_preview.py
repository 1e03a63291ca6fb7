"""The preview (`python build.py serve`) against hostile and broken input, as a real process
on a copy of the example project: a layout folder renamed away fails the rebuild as a cold
build fails; livereload's own endpoints answer the preview's host names only; a content
file that is a link is watched through its target; a slow rebuild never keeps SIGTERM from
stopping it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PROJECT, BoundedRun, run_bounded

STARTUP = 60.0  # seconds for the first build and the first answer (CI has 2 cores)
REBUILD = 20.0  # seconds for a save to be seen, rebuilt and served
PAGE = "/los-angeles/"


@dataclass
class Preview:
    """A `build.py serve` process and what it printed."""

    proc: subprocess.Popen
    port: int
    site: Path
    stdout: Path
    stderr: Path

    def out(self) -> str:
        return self.stdout.read_text(encoding="utf-8", errors="replace")

    def err(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def get(
        self, path: str, host: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """GET `path` with the Host header `host` (default: 127.0.0.1:PORT)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()

    def wait_for(self, condition: Callable[[], bool], what: str, limit: float = REBUILD) -> None:
        deadline = time.monotonic() + limit
        while not condition():
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited ({self.proc.returncode}):\n{self.err()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} did not happen in {limit:.0f} s:\n{self.err()}")
            time.sleep(0.1)

    def page_has(self, path: str, text: str) -> Callable[[], bool]:
        return lambda: text in self.get(path)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def preview_of(tmp_path: Path) -> Iterator[Callable[..., Preview]]:
    """preview_of(site, *args, session=False): start `build.py serve` on `site` (with
    `session`, in a process group of its own), wait until it serves; it is stopped (SIGINT)
    at the end of the test if still running."""
    started: list[Preview] = []

    def start(site: Path, *args: str, session: bool = False) -> Preview:
        port = _free_port()
        stdout, stderr = tmp_path / f"out{port}.txt", tmp_path / f"err{port}.txt"
        command = [sys.executable, str(PROJECT / "build.py"), "serve", "--root", str(site)]
        command += ["--port", str(port), *args]
        env = {**os.environ, "TMPDIR": str(_tmp_folder(tmp_path))}
        with open(stdout, "wb") as out, open(stderr, "wb") as err:
            proc = subprocess.Popen(
                command, stdout=out, stderr=err, env=env, start_new_session=session
            )
        preview = Preview(proc, port, site, stdout, stderr)
        started.append(preview)
        preview.wait_for(lambda: "Serving" in preview.out(), "serving", STARTUP)
        return preview

    yield start
    for preview in started:
        if preview.proc.poll() is None:
            preview.proc.send_signal(signal.SIGINT)
            try:
                preview.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                preview.proc.kill()
                preview.proc.wait()


def _tmp_folder(tmp_path: Path) -> Path:
    """The serve process's TMPDIR: its temporary build folder goes there, where a test can
    see whether it was removed."""
    folder = tmp_path / "tmpdir"
    folder.mkdir(exist_ok=True)
    return folder


# --- a layout folder renamed away -------------------------------------------------------


def test_a_renamed_partials_folder_shows_the_overlay_as_a_cold_build_fails(
    example_site: Path, preview_of
) -> None:
    preview = preview_of(example_site)
    assert preview.get(PAGE)[0] == 200
    (example_site / "layouts/partials").rename(example_site / "layouts/partials-old")
    preview.wait_for(lambda: preview.get(PAGE)[0] == 500, "the overlay")
    body = preview.get(PAGE)[1]
    assert "The preview could not be rebuilt" in body
    assert "layout file not found: partials/" in body
    cold: BoundedRun = run_bounded(example_site, "--out", str(example_site.parent / "cold"))
    assert cold.code == 1 and "layout file not found: partials/" in cold.err
    # renamed back: the pages again
    (example_site / "layouts/partials-old").rename(example_site / "layouts/partials")
    preview.wait_for(lambda: preview.get(PAGE)[0] == 200, "the page again")
    assert "Traceback" not in preview.err()


def test_a_deleted_layout_the_pages_need_shows_the_overlay(example_site: Path, preview_of):
    preview = preview_of(example_site)
    (example_site / "layouts/partials/footer.html").unlink()
    preview.wait_for(lambda: preview.get(PAGE)[0] == 500, "the overlay")
    assert "partials/footer.html" in preview.get(PAGE)[1]


# --- livereload's endpoints and DNS rebinding -------------------------------------------


def _handshake(port: int, host: str, origin: str | None) -> int:
    """The status of a websocket handshake on /livereload with these Host and Origin."""
    lines = [
        "GET /livereload HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status_line = connection.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_livereloads_endpoints_answer_the_previews_hosts_only(example_site: Path, preview_of):
    preview = preview_of(example_site)
    own = f"127.0.0.1:{preview.port}"
    foreign = f"attacker.example:{preview.port}"  # a name rebound to 127.0.0.1
    for path in ("/livereload.js", "/forcereload", PAGE):
        assert preview.get(path, host=own)[0] == 200, path
        assert preview.get(path, host=f"localhost:{preview.port}")[0] == 200, path
        status, body = preview.get(path, host=foreign)
        assert status == 403 and "answers at http://" in body, path
    assert _handshake(preview.port, own, f"http://{own}") == 101
    assert _handshake(preview.port, own, None) == 101  # no browser page: no Origin
    assert _handshake(preview.port, foreign, f"http://{foreign}") == 403
    assert _handshake(preview.port, own, f"http://{foreign}") == 403  # a foreign page
    assert _handshake(preview.port, own, "null") == 403
    # the served page still carries the snippet that loads the script
    assert "/livereload.js?port=" in preview.get(PAGE)[1]


# --- a rebuild that takes long: the stop signals still stop ------------------------------

# A layout (layouts are trusted: loops are allowed there) that takes minutes on every page:
# what a content bomb does to a rebuild, without relying on content that the build refuses.
SLOW = "{% for i in range(10 ** 9) %}{% endfor %}\n"


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found


def _gone(pid: int) -> bool:
    try:
        return "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return True


@pytest.mark.parametrize(
    ("stop", "jobs", "group"),
    [
        (signal.SIGTERM, "2", False),
        (signal.SIGHUP, "1", False),
        (signal.SIGINT, "2", False),
        (signal.SIGINT, "2", True),  # Ctrl+C in a terminal: every process of the group
    ],
)
def test_a_stop_signal_ends_a_slow_rebuild_at_once(
    example_site: Path, preview_of, tmp_path: Path, stop: int, jobs: str, group: bool
) -> None:
    preview = preview_of(example_site, "--jobs", jobs, session=group)
    footer = example_site / "layouts/partials/footer.html"
    footer.write_text(footer.read_text() + SLOW)
    # the rebuild renders with forked workers (--jobs 2) or in the server's own thread
    expected = 3 if jobs == "2" else 1  # the watcher, and the workers
    preview.wait_for(lambda: len(_children(preview.proc.pid)) >= expected, "the rebuild")
    time.sleep(1.0)  # well inside the rebuild
    assert preview.proc.poll() is None
    children = _children(preview.proc.pid)
    started = time.monotonic()
    if group:
        os.killpg(preview.proc.pid, stop)
    else:
        preview.proc.send_signal(stop)
    preview.proc.wait(timeout=10)
    assert time.monotonic() - started < 8.0
    assert preview.proc.returncode == 0
    assert "Traceback" not in preview.err()
    assert "Stopped." in preview.out()
    assert all(_gone(child) for child in children)
    assert list(_tmp_folder(tmp_path).iterdir()) == []  # the temporary build folder went


def test_a_stop_signal_ends_a_slow_first_build(example_site: Path, tmp_path: Path) -> None:
    footer = example_site / "layouts/partials/footer.html"
    footer.write_text(footer.read_text() + SLOW)
    command = [sys.executable, str(PROJECT / "build.py"), "serve", "--root", str(example_site)]
    command += ["--port", str(_free_port())]
    env = {**os.environ, "TMPDIR": str(_tmp_folder(tmp_path))}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        deadline = time.monotonic() + STARTUP
        while not _children(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)  # the watcher runs: the first build (hours long) starts
        time.sleep(1.0)
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0 and "Stopped." in out
    assert "Traceback" not in err
    assert list(_tmp_folder(tmp_path).iterdir()) == []


# --- a content file that is a link --------------------------------------------------------


@pytest.mark.parametrize("where", ["shared", "content/shared"])
def test_a_linked_content_file_is_watched_through_its_target(
    example_site: Path, preview_of, where: str
) -> None:
    """The program's text lives elsewhere in the project (outside the watched folders, or
    inside them under another name) and content/programs/ links to it: every save of the
    target is served, each time."""
    program = example_site / "content/programs/outpatient-program.md"
    target = example_site / where / "outpatient.md"
    target.parent.mkdir(parents=True)
    program.rename(target)
    program.symlink_to(os.path.relpath(target, program.parent))
    preview = preview_of(example_site)
    url = "/los-angeles/outpatient-program/"
    for round in range(3):  # not only the first save: later rebuilds read it again too
        words = f"Edited through the link, round {round}."
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("\n---\n", f"\n---\n{words}\n\n", 1), encoding="utf-8")
        preview.wait_for(preview.page_has(url, words), f"round {round} served")
    assert "Traceback" not in preview.err()


def test_a_link_pointed_at_another_target_while_serving_is_watched_through_it(
    example_site: Path, preview_of
) -> None:
    preview = preview_of(example_site)
    program = example_site / "content/programs/outpatient-program.md"
    target = example_site / "elsewhere/outpatient.md"
    target.parent.mkdir()
    target.write_text(program.read_text(encoding="utf-8"), encoding="utf-8")
    program.unlink()
    program.symlink_to(target)  # made while serving
    preview.wait_for(lambda: "Rebuilt" in preview.out(), "the rebuild after the link")
    words = "Saved at the new target."
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("\n---\n", f"\n---\n{words}\n\n", 1), encoding="utf-8")
    preview.wait_for(preview.page_has("/los-angeles/outpatient-program/", words), "served")


@pytest.mark.parametrize("how", ["a second link", "pointed elsewhere"])
def test_a_new_target_in_a_folder_already_watched_is_watched_too(
    example_site: Path, preview_of, how: str
) -> None:
    """The watch of a targets' folder kept the files it was started with: a second link
    into that folder, or a link pointed at another file of it, changed no folder, and
    saves of the new target were never served (found by a fresh tester)."""
    shared = example_site / "shared data"
    shared.mkdir()
    first = example_site / "content/programs/outpatient-program.md"
    second = example_site / "content/programs/intensive-outpatient-program.md"
    first.rename(shared / "op ü.md")
    first.symlink_to(os.path.relpath(shared / "op ü.md", first.parent))
    preview = preview_of(example_site)
    if how == "a second link":
        target, url = shared / "iop.md", "/los-angeles/intensive-outpatient-program/"
        second.rename(target)
        second.symlink_to(os.path.relpath(target, second.parent))
    else:
        target, url = shared / "op 2.md", "/los-angeles/outpatient-program/"
        target.write_text((shared / "op ü.md").read_text(encoding="utf-8"), encoding="utf-8")
        first.unlink()
        first.symlink_to(os.path.relpath(target, first.parent))
    preview.wait_for(lambda: "Rebuilt" in preview.out(), "the rebuild after the link")
    for round in range(2):
        words = f"Saved at the new target, round {round}."
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("\n---\n", f"\n---\n{words}\n\n", 1), encoding="utf-8")
        preview.wait_for(preview.page_has(url, words), f"round {round} served")


@pytest.mark.parametrize("how", ["target made later", "link on the way pointed elsewhere"])
def test_a_link_whose_way_changes_is_watched_through_its_new_way(
    example_site: Path, preview_of, how: str
) -> None:
    """A link made before its target, and a link on the way of another pointed at a new
    file: neither was seen by the preview (found by a fresh tester)."""
    shared, other = example_site / "shared", example_site / "other"
    shared.mkdir()
    other.mkdir()
    program = example_site / "content/programs/outpatient-program.md"
    text = program.read_text(encoding="utf-8")
    url = "/los-angeles/outpatient-program/"
    if how == "target made later":
        target = shared / "later.md"
        preview = preview_of(example_site)
        program.unlink()
        program.symlink_to(os.path.relpath(target, program.parent))  # leads nowhere yet
        preview.wait_for(lambda: "is a link to" in preview.err(), "the error of the link")
        target.write_text(text, encoding="utf-8")
    else:
        (other / "one.md").write_text(text, encoding="utf-8")
        target = other / "two.md"
        target.write_text(text, encoding="utf-8")
        middle = shared / "middle.md"
        middle.symlink_to(other / "one.md")
        program.unlink()
        program.symlink_to(os.path.relpath(middle, program.parent))
        preview = preview_of(example_site)
        middle.unlink()
        middle.symlink_to(target)
    for round in range(2):
        words = f"Saved at the end of the new way, round {round}."
        saved = target.read_text(encoding="utf-8")
        target.write_text(saved.replace("\n---\n", f"\n---\n{words}\n\n", 1), encoding="utf-8")
        preview.wait_for(preview.page_has(url, words), f"round {round} served")


def test_a_named_pipe_saved_into_content_while_serving_shows_the_overlay(
    example_site: Path, preview_of
) -> None:
    preview = preview_of(example_site)
    os.mkfifo(example_site / "content/pages/pipe.md")
    preview.wait_for(lambda: preview.get(PAGE)[0] == 500, "the overlay")
    assert "content/pages/pipe.md" in preview.get(PAGE)[1]
    assert "named pipe" in preview.get(PAGE)[1]
    (example_site / "content/pages/pipe.md").unlink()
    preview.wait_for(lambda: preview.get(PAGE)[0] == 200, "the page again")


def test_a_build_past_the_rebuild_limit_is_stopped_and_its_error_served(
    example_site: Path, preview_of
) -> None:
    """The preview stays responsive: a rebuild that would take hours is interrupted after
    --rebuild-limit seconds (its forked workers killed), the overlay says why, and the
    next save that undoes it brings the pages back."""
    preview = preview_of(example_site, "--rebuild-limit", "3", "--jobs", "2")
    footer = example_site / "layouts/partials/footer.html"
    good = footer.read_text()
    footer.write_text(good + SLOW)
    started = time.monotonic()
    preview.wait_for(lambda: preview.get(PAGE)[0] == 500, "the overlay")
    assert time.monotonic() - started < REBUILD
    body = preview.get(PAGE)[1]
    assert "the build took longer than 3 s and was stopped" in body
    assert "layouts/partials/footer.html" in body
    assert _children(preview.proc.pid) == [_watcher(preview)]  # no worker left behind
    footer.write_text(good)
    preview.wait_for(lambda: preview.get(PAGE)[0] == 200, "the page again")
    assert "Traceback" not in preview.err()


def _watcher(preview: Preview) -> int:
    [watcher] = [
        child
        for child in _children(preview.proc.pid)
        if "sitegen.serve.watch" in Path(f"/proc/{child}/cmdline").read_text()
    ]
    return watcher
