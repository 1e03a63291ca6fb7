"""sitegen.resident: after a command-line build the process stays resident, and the next
builds of the project are handed to it. Each build it runs writes what a cold build in a
new process writes (file by file, and the same report), after each kind of change; it is
never used in CI; it exits when idle, when the generator's code is not the client's, and
when stopped."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT, Run, edit, needs_dev_full, snapshot, write_files
from sitegen.resident import client, server

# Not an install step: the resident process needs the system's Unix sockets that pass file
# descriptors and name their peer (Linux). Elsewhere builds run in the command's process, and
# these tests are skipped there, except in CI, which runs on Linux: there they must run.
pytestmark = pytest.mark.skipif(
    not client.supported() and not os.environ.get("CI"),
    reason="this system has no Unix sockets that pass file descriptors and name their peer "
    "(Linux's SO_PEERCRED): builds here never use a resident process",
)


@pytest.fixture(autouse=True)
def no_process_left(tmp_path):
    """Whatever a test asserts, no resident process of its project outlives it."""
    yield
    for root in (tmp_path / "site", tmp_path):
        client.stop(root)


def cli(root: Path, *args: str, resident: str = "1", **env: str) -> Run:
    """`python build.py build --root ROOT ARGS` in a new process, as an editor runs it."""
    done = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SITEGEN_RESIDENT": resident, **env},
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def send(root: Path, argv: list[str], out: int, err: int) -> int | None:
    """client.hand_over, with `out` and `err` as the build's stdout and stderr."""
    path = client.address(root)
    assert path is not None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(os.fspath(path))
        request = json.dumps(client._request(argv)).encode()
        socket.send_fds(connection, [client.HEADER.pack(len(request)), request], [out, err])
        return client._outcome(connection, client.peer(connection)[0])


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def resident_site(minimal_site: Path):
    """The minimal site, built once from the command line: its process stays resident."""
    write_files(minimal_site, {"notes/a.md": "---\ntitle: Linked\ndescription: A link.\n---\nA.\n"})
    (minimal_site / "content/pages/linked.md").symlink_to(Path("../../notes/a.md"))
    first = cli(minimal_site)
    assert first.code == 0, first.err
    assert wait_for(lambda: client.running(minimal_site) is not None)
    yield minimal_site
    client.stop(minimal_site)


@pytest.fixture
def hand_over(capfd):
    """Hand a build to the resident process from this process, as build.py does: the build
    prints to this process's stdout and stderr (captured here)."""

    def run(root: Path, *args: str) -> Run:
        capfd.readouterr()
        code = client.hand_over(["build", "--root", str(root), *args], root)
        assert code is not None, "the resident process did not take the build"
        captured = capfd.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def matches_cold(site: Path, run: Run, *args: str) -> None:
    """A cold build in a new process without a resident one, into another folder with
    --no-cache, writes the same files with the same bytes and says the same."""
    cold = cli(site, "--out", str(site / "cold"), "--no-cache", *args, resident="0")
    assert run.code == cold.code
    assert run.err.split("\nBuild failed")[0] == cold.err.split("\nBuild failed")[0]
    if run.code == 0:
        assert snapshot(site / "public") == snapshot(site / "cold")
    if (site / "cold").exists():
        import shutil

        shutil.rmtree(site / "cold")


SHELBYVILLE = """name: Shelbyville
city: Shelbyville
state: IL
description: Care in Shelbyville, Illinois.
summary: Our Shelbyville location.
programs: [day-program]
address: {street: 200 Example Street, postal_code: "62565"}
"""
NIGHT_PROGRAM = """---
title: Night Program
short_name: NP
description: The night program in {{ city }}.
summary: A night program.
hero: {src: images/hero.svg, alt: A plain square}
---
Evenings in {{ city }}.
"""

CHANGES = {
    "site.yaml": lambda s: edit(s, "site.yaml", "555-0100", "555-0199"),
    "program body": lambda s: edit(s, "content/programs/day-program.md", "Text.", "Words."),
    "location, one word": lambda s: edit(
        s, "content/locations/springfield.yaml", "Local text", "Local words"
    ),
    "location, on its card": lambda s: edit(s, "content/locations/springfield.yaml", "IL", "MO"),
    "local text": lambda s: edit(
        s, "content/locations/springfield/day-program.md", "own words", "own text"
    ),
    # what site-wide passes keep of unchanged records (sitegen.memo) must follow the others
    "new location": lambda s: write_files(s, {"content/locations/shelbyville.yaml": SHELBYVILLE}),
    "new program, at both": lambda s: (
        write_files(s, {"content/programs/night-program.md": NIGHT_PROGRAM}),
        edit(
            s, "content/locations/springfield.yaml", "[day-program]", "[day-program, night-program]"
        ),
        edit(
            s, "content/locations/shelbyville.yaml", "[day-program]", "[day-program, night-program]"
        ),
    ),
    "program made a draft": lambda s: edit(
        s, "content/programs/night-program.md", "title: Night", "draft: true\ntitle: Night"
    ),
    "draft published": lambda s: edit(
        s, "content/programs/night-program.md", "draft: true\ntitle: Night", "title: Night"
    ),
    "location renamed": lambda s: (s / "content/locations/shelbyville.yaml").rename(
        s / "content/locations/capital-city.yaml"
    ),
    "location removed": lambda s: (s / "content/locations/capital-city.yaml").unlink(),
    "page": lambda s: edit(s, "content/pages/index.md", "Call", "Phone"),
    "layout": lambda s: edit(s, "layouts/base.html", "<footer>", "<footer>Open daily. "),
    "stylesheet": lambda s: (s / "assets/css/site.css").write_text("body { margin: 0 }\n"),
    "image": lambda s: edit(s, "assets/images/hero.svg", "</svg>", "<title>x</title></svg>"),
    "new page": lambda s: write_files(
        s, {"content/pages/new.md": "---\ntitle: New\ndescription: A new page.\n---\nNew.\n"}
    ),
    "page removed": lambda s: (s / "content/pages/linked.md").unlink(),
    "link target edited": lambda s: edit(s, "notes/a.md", "A.", "Z."),
    "page edited in the output": lambda s: (s / "public/index.html").write_text("hand-made"),
}


def test_each_build_handed_over_matches_a_cold_build_after_each_change(resident_site, hand_over):
    pid = client.running(resident_site)
    for name, change in CHANGES.items():
        change(resident_site)
        run = hand_over(resident_site)
        assert run.code == 0, (name, run.err)
        matches_cold(resident_site, run)
        assert client.running(resident_site) == pid, name  # the same process served them all


def test_a_program_made_a_draft_is_kept_out_of_search_on_its_pages_built_with_drafts(
    resident_site, hand_over
):
    """With --drafts the locations are the same records whether a program they offer is a
    draft or not: what the last build worked out from them (its pages, with noindex or
    not) must follow the program."""
    for change in (CHANGES["new location"], CHANGES["new program, at both"]):
        change(resident_site)
    assert hand_over(resident_site, "--drafts").code == 0
    CHANGES["program made a draft"](resident_site)
    run = hand_over(resident_site, "--drafts")
    matches_cold(resident_site, run, "--drafts")
    page = (resident_site / "public/springfield/night-program/index.html").read_text()
    assert '<meta name="robots" content="noindex' in page
    CHANGES["draft published"](resident_site)
    matches_cold(resident_site, hand_over(resident_site, "--drafts"), "--drafts")


def test_the_resident_process_answers_nothing_changed_and_renders_only_what_changed(
    resident_site, hand_over
):
    assert "nothing changed since the last build" in hand_over(resident_site).out
    edit(resident_site, "content/locations/springfield.yaml", "Local text", "Local words")
    run = hand_over(resident_site)
    assert "2 rendered, the others unchanged" in run.out  # its hub and its program there
    matches_cold(resident_site, run)


def test_an_svg_given_a_script_and_mended_is_judged_again_by_the_resident_process(
    resident_site, hand_over
):
    """What the asset catalogue's files were found to do (a script in an SVG) is kept with
    the catalogue: a change to assets/ must make both again."""
    svg = "assets/images/hero.svg"
    edit(resident_site, svg, "</svg>", "<script>alert(1)</script></svg>")
    run = hand_over(resident_site)
    assert run.code == 1 and f"{svg}: " in run.err and "script" in run.err
    matches_cold(resident_site, run)
    edit(resident_site, svg, "<script>alert(1)</script></svg>", "</svg>")
    run = hand_over(resident_site)
    assert run.code == 0, run.err
    matches_cold(resident_site, run)


def command(root: Path, stdout: object = subprocess.PIPE, **options: object) -> Run:
    """`python build.py build --root ROOT` with the resident process on, `stdout` as its
    standard output (a file descriptor or file), its stderr captured (unless `options`
    say otherwise)."""
    options = {"stderr": subprocess.PIPE, **options}
    done = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(root)],
        stdout=stdout,
        text=True,
        env={**os.environ, "SITEGEN_RESIDENT": "1"},
        timeout=120,
        **options,
    )
    return Run(done.returncode, done.stdout or "", done.stderr or "")


def test_a_build_whose_reader_went_away_is_done_by_the_process_and_exits_0(resident_site):
    pid = client.running(resident_site)
    edit(resident_site, "content/locations/springfield.yaml", "Local text", "Local words")
    read, write = os.pipe()
    os.close(read)  # `python build.py | head -0`: the reader has gone
    try:
        done = command(resident_site, write)
    finally:
        os.close(write)
    assert done.code == 0, done.err
    assert "Traceback" not in done.err
    assert "Local words" in (resident_site / "public/springfield/index.html").read_text()
    assert client.running(resident_site) == pid  # the process built it, and serves on


@needs_dev_full
def test_a_report_the_process_cannot_write_makes_its_build_exit_74(resident_site):
    pid = client.running(resident_site)
    edit(resident_site, "content/locations/springfield.yaml", "Local text", "Local words")
    with open("/dev/full", "w") as device:
        done = command(resident_site, device)
    assert done.code == 74, done.err
    assert "the report could not be written to standard output" in done.err
    assert "Local words" in (resident_site / "public/springfield/index.html").read_text()
    assert client.running(resident_site) == pid


def builds_of(root: Path) -> list[int]:
    """The processes running `build.py build --root ROOT` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            words = (entry / "cmdline").read_bytes().split(b"\0")
            if entry.name.isdigit() and os.fsencode(root) in words and b"build" in words:
                found.append(int(entry.name))
    return found


def test_a_niced_command_builds_itself_and_takes_the_process_s_place(resident_site):
    """`nice -n 5 python build.py` when a resident process runs at the normal niceness: the
    process declines the build and exits; the command builds in its own process and
    stays resident in its place (niced), so the next niced commands hand theirs over."""
    pid = client.running(resident_site)
    edit(resident_site, "content/locations/springfield.yaml", "Local text", "Local words")
    run = command(resident_site, preexec_fn=lambda: os.nice(5))  # nice -n 5 python build.py
    assert run.code == 0, run.err
    matches_cold(resident_site, run)
    assert wait_for(lambda: client.running(resident_site) not in (None, pid))
    niced = client.running(resident_site)
    assert niced is not None
    assert os.getpriority(os.PRIO_PROCESS, niced) == os.getpriority(os.PRIO_PROCESS, 0) + 5
    assert wait_for(lambda: builds_of(resident_site) == [niced])  # the old one is gone
    edit(resident_site, "content/locations/springfield.yaml", "Local words", "Local text")
    run = command(resident_site, preexec_fn=lambda: os.nice(5))
    assert run.code == 0, run.err
    assert client.running(resident_site) == niced  # handed over this time


def test_a_command_started_without_stdin_and_stderr_is_not_confused_by_its_socket(
    resident_site,
):
    """`python build.py <&- 2>&-`: the client's socket would take number 2, and be handed
    over as the build's stderr; a failed build writing 600 KB of errors there would wait
    for ever on its own connection. /dev/null takes the missing numbers first."""
    pid = client.running(resident_site)
    closed = {"stderr": subprocess.DEVNULL, "preexec_fn": lambda: (os.close(0), os.close(2))}
    location = "content/locations/springfield.yaml"
    edit(resident_site, location, "Local text", "Local words")
    assert command(resident_site, **closed).code == 0
    assert "Local words" in (resident_site / "public/springfield/index.html").read_text()
    slugs = ", ".join(f"no-such-{i}" for i in range(3000))
    edit(resident_site, location, "programs: [", f"programs: [{slugs}, ")
    assert command(resident_site, **closed).code == 1  # within command's timeout
    assert client.running(resident_site) == pid


def test_a_failed_build_reports_as_a_cold_one_and_the_next_one_recovers(resident_site, hand_over):
    edit(resident_site, "content/locations/springfield.yaml", "state: IL", "state: XX")
    failed = hand_over(resident_site)
    assert failed.code == 1 and "springfield.yaml" in failed.err and "XX" in failed.err
    matches_cold(resident_site, failed)
    edit(resident_site, "content/locations/springfield.yaml", "state: XX", "state: IL")
    run = hand_over(resident_site)
    assert run.code == 0
    matches_cold(resident_site, run)


def test_options_and_usage_errors_go_through_as_on_the_command_line(resident_site, hand_over):
    run = hand_over(resident_site, "--json")
    assert run.code == 0 and '"ok": true' in run.out
    bad = hand_over(resident_site, "--jobs", "0")
    assert bad.code == 2 and "--jobs" in bad.err
    helped = hand_over(resident_site, "--help")
    assert helped.code == 0 and "--no-cache" in helped.out
    drafts = hand_over(resident_site, "--drafts", "--out", str(resident_site / "drafts"))
    assert drafts.code == 0 and (resident_site / "drafts/index.html").is_file()


def test_the_build_runs_with_the_clients_folder_and_environment(
    resident_site, hand_over, monkeypatch
):
    monkeypatch.chdir(resident_site)
    monkeypatch.setenv("CONTEXT", "deploy-preview")  # Netlify's: a preview build
    run = hand_over(Path("."), "--out", "preview")
    assert run.code == 0 and "This is a preview build" in run.out
    assert "noindex" in (resident_site / "preview/index.html").read_text()


def test_a_client_with_other_code_is_refused_and_the_process_exits(resident_site, monkeypatch):
    pid = client.running(resident_site)
    monkeypatch.setattr(client, "code_digest", lambda: "another generator")
    assert client.hand_over(["build", "--root", str(resident_site)], resident_site) is None
    assert wait_for(lambda: not client._alive(pid))
    assert not client.address(resident_site).exists()  # type: ignore[union-attr]


def test_a_command_line_build_hands_over_and_a_stopped_process_is_replaced(resident_site):
    first = client.running(resident_site)
    edit(resident_site, "content/pages/index.md", "Call", "Phone")
    run = cli(resident_site)
    assert run.code == 0 and "Phone" in (resident_site / "public/index.html").read_text()
    assert client.running(resident_site) == first
    assert client.stop(resident_site) == first and client.running(resident_site) is None
    assert cli(resident_site).code == 0  # built here, and resident again
    assert wait_for(lambda: client.running(resident_site) not in (None, first))


def test_the_command_waits_for_no_resident_output(minimal_site):
    """The command's stdout and stderr close when it ends, though its process stays: a
    caller reading them to their end (CI logs, subprocess.run) is not kept waiting."""
    started = time.monotonic()
    run = cli(minimal_site)
    assert run.code == 0 and time.monotonic() - started < 60
    assert wait_for(lambda: client.running(minimal_site) is not None)
    client.stop(minimal_site)


@pytest.mark.parametrize("variable", ["CI", "NETLIFY", "TEAMCITY_VERSION", "PYTEST_CURRENT_TEST"])
def test_no_process_stays_in_ci(minimal_site, variable):
    run = cli(minimal_site, resident="", **{variable: "true"})
    assert run.code == 0
    time.sleep(0.5)
    assert client.running(minimal_site) is None
    assert not client.enabled({variable: "true"}) and client.enabled(
        {variable: "true", "SITEGEN_RESIDENT": "1"}
    )


@pytest.mark.parametrize("value", ["0", "off", "no", "false", "OFF"])
def test_sitegen_resident_turns_it_off(value):
    assert not client.enabled({"SITEGEN_RESIDENT": value})
    assert client.enabled({}) == client.supported()


def test_an_idle_process_exits(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEGEN_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    path = client.address(tmp_path)
    assert path is not None
    server.stay(path, lambda argv: 0, idle=0.5)  # forks; returns here at once
    assert wait_for(lambda: path.exists(), 10)
    assert wait_for(lambda: not path.exists(), 10)


def test_ctrl_c_stops_the_resident_build_and_its_workers(resident_site):
    pid = client.running(resident_site)
    slow = "content/pages/index.md"
    edit(resident_site, slow, "Call", "Call " + "*a* " * 200_000)  # a long text to convert
    command = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(resident_site)],
        env={**os.environ, "SITEGEN_RESIDENT": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.5)
    command.send_signal(signal.SIGINT)
    assert command.wait(timeout=30) == client.INTERRUPTED
    assert wait_for(lambda: not client._alive(pid))


@pytest.mark.parametrize("encoding", ["latin-1", "ascii:backslashreplace"])
def test_the_build_prints_to_pipes_in_the_commands_encoding(resident_site, encoding):
    """The command's stdout and stderr are pipes (not seekable), and its encoding is not
    the resident process's: the build still prints there, in that encoding."""
    edit(resident_site, "content/pages/index.md", "Call", "Phone")
    run = cli(resident_site, "--json", PYTHONIOENCODING=encoding)
    assert run.code == 0, run.err
    assert '"ok": true' in run.out and '"rendered": 1' in run.out
    assert client.running(resident_site) is not None


def test_a_build_prints_to_a_pipe_after_a_first_build_printed_to_a_file(minimal_site, tmp_path):
    """The process stays with the streams of the build that made it: one that printed to a
    file (`build.py > build.log`) serves a build that prints to a pipe or a terminal."""
    with (tmp_path / "build.log").open("w") as log:
        first = command(minimal_site, log, stderr=log)
    try:
        assert first.code == 0
        assert wait_for(lambda: client.running(minimal_site) is not None)
        run = cli(minimal_site)
        assert run.code == 0, run.err
        assert run.out.startswith("Built ") and run.err == ""
    finally:
        client.stop(minimal_site)


def test_output_a_build_could_not_print_is_not_printed_by_the_next_one(resident_site, tmp_path):
    gone, stdout = os.pipe()
    os.close(gone)  # `build.py | true`: nobody reads the build's report
    with (tmp_path / "err").open("w") as err:
        send(resident_site, ["build", "--root", str(resident_site)], stdout, err.fileno())
    os.close(stdout)
    run = cli(resident_site)
    assert run.code == 0 and run.out.count("Built ") == 1, run.out


def _little_build(argv: list[str]) -> int:
    """The builds of `little_server`: "started=FILE" writes FILE first, "slow" takes 3 s,
    "mark=FILE" writes FILE."""
    for arg in argv:
        if arg.startswith("started="):
            Path(arg[8:]).write_text("started")
    if "slow" in argv:
        time.sleep(3)
    for arg in argv:
        if arg.startswith("mark="):
            Path(arg[5:]).write_text("built")
    if "cores" in argv:
        return len(os.sched_getaffinity(0))
    if "workers" in argv:  # two workers, 3 s each
        from sitegen.forks import fork_map

        fork_map(lambda _index: time.sleep(3), 2, 2)
    return 0


def _little_done() -> None:
    """What `little_server` does once a build's exit code is sent: a mark in its cache."""
    (Path(os.environ["SITEGEN_CACHE"]) / "done").write_text("done")


def short_cache(monkeypatch) -> str:
    """A new cache folder, as SITEGEN_CACHE, with a short path: a socket's path is limited
    (client.address), and tmp_path's is long."""
    import tempfile

    cache = tempfile.mkdtemp(prefix="resident-")
    monkeypatch.setenv("SITEGEN_CACHE", cache)
    return cache


@pytest.fixture
def little_server(tmp_path, monkeypatch):
    """A resident process of a project at tmp_path whose builds do nothing but return 0,
    and whose clients have half a second to send their request; its project folder."""
    import shutil

    cache = short_cache(monkeypatch)
    monkeypatch.setattr(server, "_REQUEST_SECONDS", 0.5)
    monkeypatch.setattr(server, "_CHECK_SECONDS", 0.2)
    path = client.address(tmp_path)
    assert path is not None
    captured = sys.stdout, sys.stderr  # pytest's: the process gets Python's own, as build.py's
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    try:
        server.stay(path, _little_build, idle=120, tidy=_little_done)  # forks; returns at once
    finally:
        sys.stdout, sys.stderr = captured
    assert wait_for(lambda: client.running(tmp_path) is not None, 10)
    pid = client.running(tmp_path)
    yield tmp_path
    client.stop(tmp_path)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # a child of this process: not left a zombie
    shutil.rmtree(cache)


def raw(root: Path, *parts: bytes, fds: tuple[int, ...] = (), end: bool = True) -> bytes:
    """Send `parts` to the resident process of `root` as they are, then (with `end`)
    nothing more; all it answers."""
    path = client.address(root)
    assert path is not None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(os.fspath(path))
        connection.settimeout(20)
        if fds:
            socket.send_fds(connection, list(parts[:1]), list(fds))
            parts = parts[1:]
        for part in parts:
            connection.sendall(part)
        if end:
            connection.shutdown(socket.SHUT_WR)
        return client._read(connection, 100)


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b"{" * 100_000, b"not json", b"\xff\xfe", b"[1, 2]", b"{}", b""],
    ids=["deep list", "deep object", "not json", "not utf-8", "a list", "no keys", "empty"],
)
def test_a_malformed_request_is_refused_and_the_process_serves_the_next(little_server, body):
    pid = client.running(little_server)
    with open(os.devnull, "w") as null:
        answer = raw(little_server, client.HEADER.pack(len(body)) + body, fds=(null.fileno(),) * 2)
    assert answer == b""
    assert client.running(little_server) == pid
    assert client.hand_over(["build"], little_server) == 0


def test_requests_without_fds_or_their_length_are_refused(little_server):
    pid = client.running(little_server)
    assert raw(little_server, client.HEADER.pack(2) + b"{}") == b""  # no stdout, stderr
    assert raw(little_server, b"\x00\x00") == b""  # half a header
    assert raw(little_server, client.HEADER.pack(2**31) + b"{}") == b""  # 2 GB announced
    assert raw(little_server, client.HEADER.pack(10) + b"{}") == b""  # shorter than said
    assert client.running(little_server) == pid
    assert client.hand_over(["build"], little_server) == 0


def test_a_client_that_sends_its_request_slowly_does_not_hold_up_the_next(little_server):
    """A request arriving a byte at a time is dropped when its time is up, however often
    a byte comes: the next client is served."""
    path = client.address(little_server)
    assert path is not None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as slow:
        slow.connect(os.fspath(path))
        slow.sendall(client.HEADER.pack(1000))
        started = time.monotonic()

        def drip() -> None:
            while time.monotonic() - started < 6:
                try:
                    slow.sendall(b" ")
                except OSError:
                    return
                time.sleep(0.2)

        import threading

        dripping = threading.Thread(target=drip, daemon=True)
        dripping.start()
        time.sleep(0.3)
        assert client.hand_over(["build"], little_server) == 0
        assert time.monotonic() - started < 4
        dripping.join()


def test_the_stdout_of_a_request_that_never_ends_is_let_go(little_server):
    """A client that never finishes its request: the process keeps none of its files (a
    caller reading its stdout to the end would wait for as long as the process lives)."""
    path = client.address(little_server)
    assert path is not None
    reader, writer = os.pipe()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(os.fspath(path))
        socket.send_fds(connection, [client.HEADER.pack(1000) + b"{"], [writer, writer])
        os.close(writer)
        os.set_blocking(reader, False)

        def ended() -> bool:
            try:
                return os.read(reader, 1) == b""
            except BlockingIOError:
                return False

        assert wait_for(ended, 5)
    os.close(reader)


def handing_over(
    root: Path,
    *argv: str,
    stderr: int | None = None,
    notice: float = client.WAIT_NOTICE,
    cores: set[int] | None = None,
    nice: int = 0,
    files: int = 0,
) -> subprocess.Popen:
    """A process that hands `argv` over to the resident process of `root` (client.hand_over)
    and exits with its exit code (1 when it was not taken); on `cores`, `nice` more, and
    with `files` fewer open files allowed (ulimit -n)."""
    code = f"""if True:
        import os
        import resource
        import sys
        from pathlib import Path
        from sitegen.resident import client
        client.WAIT_NOTICE = {notice!r}
        if {cores!r}:
            os.sched_setaffinity(0, {cores!r})
        os.nice({nice!r})
        if {files!r}:
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft - {files!r}, hard))
        code = client.hand_over({["build", *argv]!r}, Path({str(root)!r}))
        sys.exit(1 if code is None else code)
    """
    return subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT, stderr=stderr, text=True)


def test_ctrl_c_in_a_client_still_waiting_stops_neither_the_process_nor_its_build(
    little_server, tmp_path
):
    """Two builds at once: the second waits for the first. Ctrl-C in the second ends it,
    and neither the first build (another command's) nor the process, and its build is not
    run afterwards."""
    pid = client.running(little_server)
    started = tmp_path / "first-started"
    first = handing_over(little_server, "slow", f"started={started}")
    assert wait_for(started.exists, 30)  # a loaded machine (CI) may take long to start it
    mark = tmp_path / "second-built"
    second = handing_over(little_server, f"mark={mark}")
    time.sleep(0.8)
    second.send_signal(signal.SIGINT)
    assert second.wait(timeout=30) == client.INTERRUPTED
    assert first.wait(timeout=30) == 0
    assert client.running(little_server) == pid
    time.sleep(0.3)
    assert not mark.exists()


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_a_process_whose_socket_is_removed_or_replaced_exits(little_server, how):
    """`rm -rf ~/.cache/sitegen`: no command can reach the process any more; it exits
    instead of staying unused for IDLE_SECONDS."""
    pid = client.running(little_server)
    assert pid is not None
    path = client.address(little_server)
    assert path is not None
    path.unlink()
    if how == "replaced":
        path.write_text("")
    assert wait_for(lambda: not client._alive(pid), 10)


def test_a_build_handed_over_has_the_markdown_budget_of_a_cold_one(
    minimal_site, monkeypatch, capsys
):
    """The build's Markdown texts have limits.MAX_BUILD_MARKDOWN_SECONDS of CPU time
    together: a text the resident process converted in an earlier build counts as in a
    cold build, which converts it again (else the resident build passes where a cold one,
    in CI, fails)."""
    from sitegen.cli import main
    from sitegen.pipeline import Kept
    from sitegen.text import renderer

    converted = renderer.ContentRenderer._clean_conversion

    def slowly(self, text):  # 0.3 s of CPU time for a text that says SLOW
        started = time.process_time()
        while "SLOW" in text.text and time.process_time() - started < 0.3:
            pass
        return converted(self, text)

    monkeypatch.setattr(renderer.ContentRenderer, "_clean_conversion", slowly)
    monkeypatch.setattr(renderer, "MAX_BUILD_MARKDOWN_SECONDS", 0.45)
    slow = "---\ntitle: Slow {0}\ndescription: A slow page {0}.\n---\nSLOW.\n"
    kept = Kept()
    write_files(minimal_site, {"content/pages/slow-a.md": slow.format("A")})
    assert main(["build", "--root", str(minimal_site)], kept=kept) == 0
    write_files(minimal_site, {"content/pages/slow-b.md": slow.format("B")})
    capsys.readouterr()
    resident = main(["build", "--root", str(minimal_site)], kept=kept)
    resident_err = capsys.readouterr().err
    cold = main(["build", "--root", str(minimal_site), "--out", str(minimal_site / "cold")])
    cold_err = capsys.readouterr().err
    assert "slow-b.md:5: the build's Markdown texts took more than 0.45 s" in cold_err
    assert (resident, resident_err.split("\nBuild failed")[0]) == (
        cold,
        cold_err.split("\nBuild failed")[0],
    )


def test_a_client_killed_while_its_build_runs_stops_it(little_server, tmp_path):
    """SIGKILL leaves the command no time to stop the build it handed over (as Ctrl-C
    does): the process sees its connection end and stops, as the command's own process
    would have; the build writes nothing."""
    pid = client.running(little_server)
    assert pid is not None
    mark, started = tmp_path / "built", tmp_path / "started"
    command = handing_over(little_server, "slow", f"started={started}", f"mark={mark}")
    assert wait_for(started.exists, 30)  # the build runs: a loaded machine (CI) may take long
    command.kill()
    command.wait(timeout=30)
    assert wait_for(lambda: not client._alive(pid), 10)
    time.sleep(2)
    assert not mark.exists()


def test_a_build_waiting_for_another_one_says_so(little_server, tmp_path):
    """Two builds at once: the second waits for the first, and says so (a command that
    prints nothing for long looks stuck)."""
    started = tmp_path / "started"
    first = handing_over(little_server, "slow", f"started={started}")
    assert wait_for(started.exists, 30)
    second = handing_over(little_server, stderr=subprocess.PIPE, notice=0.5)
    _out, err = second.communicate(timeout=30)
    assert second.returncode == 0 and first.wait(timeout=30) == 0
    assert "Waiting for the resident build process, busy with another build" in err


@pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2,
    reason="this process may use one core only: a build restricted to one core cannot be "
    "told apart from an unrestricted one (not an install step: the machine's or the "
    "container's CPU allowance)",
)
def test_a_build_runs_on_the_cores_its_command_may_use(little_server):
    """`taskset -c 0 python build.py`: the build handed over runs on that core too (the
    number of workers, and the build cache's key, count the cores a build may use)."""
    one = {min(os.sched_getaffinity(0))}
    assert handing_over(little_server, "cores", cores=one).wait(timeout=30) == 1
    every = len(os.sched_getaffinity(0))
    assert handing_over(little_server, "cores").wait(timeout=30) == every


@pytest.mark.parametrize("limit", [{"nice": 5}, {"files": 1}])
def test_a_command_with_other_limits_builds_in_its_own_process(little_server, limit):
    """`nice -n 5 python build.py`, or a lower `ulimit -n`: the resident process could not
    take back such limits after the build, so it declines it (the command builds in its
    own process, under its own limits) and exits, to make way for the command's process."""
    pid = client.running(little_server)
    assert handing_over(little_server, **limit).wait(timeout=30) == 1  # not taken
    assert wait_for(lambda: client.running(little_server) is None, 10)
    assert wait_for(lambda: not client._alive(pid), 10)


def test_connections_that_ask_for_no_build_do_not_keep_an_idle_process(tmp_path, monkeypatch):
    """Only a build counts as use: probes (client.running) and garbage sent every 0.2 s do
    not put off the exit of a process idle for 1 s."""
    cache = short_cache(monkeypatch)
    monkeypatch.setattr(server, "_CHECK_SECONDS", 0.2)
    monkeypatch.setattr(server, "_REQUEST_SECONDS", 0.1)
    path = client.address(tmp_path)
    assert path is not None
    server.stay(path, lambda argv: 0, idle=1.0)  # forks; returns here at once
    assert wait_for(lambda: client.running(tmp_path) is not None, 10)
    started = time.monotonic()
    while path.exists() and time.monotonic() - started < 10:
        client.running(tmp_path)
        with contextlib.suppress(OSError):
            raw(tmp_path, b"not a request")
        time.sleep(0.2)
    assert not path.exists()
    import shutil

    shutil.rmtree(cache)


def test_a_process_named_pid_0_is_neither_used_nor_stopped(little_server):
    """A resident process in another pid namespace (a container sharing the cache
    folder) is named pid 0 by SO_PEERCRED: killpg(0) would stop the caller's own
    process group (Ctrl-C, client.stop)."""
    code = f"""if True:
        import os
        from pathlib import Path
        from sitegen.resident import client
        client.peer = lambda connection: (0, os.getuid())
        root = Path({str(little_server)!r})
        assert client.stop(root, wait=0.1) is None
        assert client.hand_over(["build"], root) is None
    """
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, start_new_session=True, timeout=60
    )
    assert done.returncode == 0
    assert client.running(little_server) is not None


def test_after_the_process_is_killed_mid_build_the_next_build_does_not_wait_forever(
    little_server,
):
    """`kill -9`, or the out-of-memory killer, while a build runs on workers: they end
    too, instead of waiting for work forever with the process's socket open, on which
    every later command (and the one whose build it was) would wait."""
    pid = client.running(little_server)
    assert pid is not None
    waiting = handing_over(little_server, "workers")
    assert wait_for(lambda: len(_children(pid)) == 2, 10)
    os.kill(pid, signal.SIGKILL)
    assert waiting.wait(timeout=10) == 1  # not built there: it builds itself (build.py)
    assert wait_for(lambda: client.running(little_server) is None, 10)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_command_run_outside_a_project_leaves_no_process(tmp_path):
    """`python build.py` in the wrong folder (no site.yaml) fails, and that is all."""
    (tmp_path / "site").mkdir()
    run = cli(tmp_path / "site")
    assert run.code == 1 and "no site.yaml" in run.err
    time.sleep(0.5)
    assert client.running(tmp_path / "site") is None


def test_the_process_lets_the_last_build_s_site_go_once_its_report_is_sent(
    little_server, minimal_site, capsys
):
    """Between builds the process keeps the records, layouts and texts (Kept.reuse), not
    the whole last site: it held it, and during the next build held two."""
    import weakref

    from sitegen.cli import main
    from sitegen.pipeline import Kept

    assert client.hand_over(["build"], little_server) == 0
    assert wait_for(lambda: (Path(os.environ["SITEGEN_CACHE"]) / "done").exists(), 10)
    kept = Kept()
    assert main(["build", "--root", str(minimal_site)], kept=kept) == 0
    assert kept.retained is not None  # until the report is sent
    site = weakref.ref(kept.retained[0])  # type: ignore[index]
    kept.tidy()
    import gc

    gc.collect()
    assert site() is None and kept.reuse.layouts is not None


def test_a_socket_file_made_again_with_the_same_inode_is_not_taken_for_its_own(tmp_path):
    """A file made after the socket was removed may be given its inode number again: the
    process would stay, unreachable, and on exiting remove the newer process's socket."""
    path = tmp_path / "resident.sock"
    path.write_text("")
    made = server._identity(path)
    time.sleep(0.05)  # past a tick of the file system's clock
    os.link(path, tmp_path / "again")
    path.unlink()
    os.rename(tmp_path / "again", path)
    assert path.stat().st_ino == made[1]
    assert not server._listening(path, made)


def test_each_computer_sharing_a_cache_folder_has_its_own_socket(tmp_path, monkeypatch):
    """A home folder shared over NFS: a computer's build finds the socket of another
    computer's process, which it cannot reach, and its own process would take over the
    path (and the other computer's next build take it back)."""
    monkeypatch.setattr(socket, "gethostname", lambda: "one")
    one = client.address(tmp_path)
    monkeypatch.setattr(socket, "gethostname", lambda: "two")
    assert client.address(tmp_path) != one


def test_code_changed_during_the_first_build_is_not_taken_for_the_code_in_memory(
    minimal_site,
):
    """The generator's code edited while the build that stays resident runs: the process
    holds the code it imported before, so the next command (the code on disk) does not
    hand it its build."""
    for n in range(8):  # texts that take ~0.2 s each to convert, each far inside its limit
        (minimal_site / f"content/pages/slow-{n}.md").write_text(
            f"---\ntitle: Slow {n}\ndescription: Slow page {n}.\n---\n" + "*a* " * 6_000,
            encoding="utf-8",
        )
    first = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(minimal_site)],
        env={**os.environ, "SITEGEN_RESIDENT": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)  # it has imported the generator and is converting the text
    edited = PROJECT / "sitegen/resident/__init__.py"
    was = edited.stat()
    try:  # an edit of the generator, as code_digest sees one (its text stays as it is)
        os.utime(edited, ns=(was.st_atime_ns, was.st_mtime_ns + 1_000_000_000))
        _, err = first.communicate(timeout=60)
        assert first.returncode == 0, err
        assert wait_for(lambda: client.running(minimal_site) is not None)
        assert client.hand_over(["build", "--root", str(minimal_site)], minimal_site) is None
    finally:
        os.utime(edited, ns=(was.st_atime_ns, was.st_mtime_ns))


@pytest.mark.parametrize("streams", [None, "utf-8", [["no-such-encoding", "strict", False]] * 2])
def test_a_request_with_bad_streams_is_refused_and_the_process_serves_the_next(
    little_server, streams, tmp_path
):
    """A request with the client's code and no usable stdout and stderr settings, twice:
    the process's own streams are not closed in the attempt (the second one's report of
    the first's failure then raised, and ended the process)."""
    pid = client.running(little_server)
    request = client._request(["build"])
    if streams is None:
        del request["streams"]
    else:
        request["streams"] = streams
    body = json.dumps(request).encode()
    with (tmp_path / "err").open("w") as err:
        for _attempt in range(2):
            answer = raw(
                little_server,
                client.HEADER.pack(len(body)) + body,
                fds=(err.fileno(),) * 2,
                end=False,
            )
            assert answer == client.ACCEPTED + client.CODE.pack(server.INTERNAL)
    assert client.running(little_server) == pid
    assert client.hand_over(["build"], little_server) == 0


def test_python_and_the_sitegen_script_of_one_environment_share_a_resident_process(
    tmp_path, monkeypatch
):
    """`python build.py` runs bin/python, the `sitegen` script bin/python3: they named
    two resident processes for one project, which `client.stop` from the other missed."""
    from sitegen.resident import client

    links = Path(sys.executable).parent
    spellings = [links / name for name in ("python", "python3") if (links / name).exists()]
    addresses = set()
    for spelling in spellings:
        monkeypatch.setattr(sys, "executable", str(spelling))
        addresses.add(client.address(tmp_path))
    assert len(spellings) == 2 and len(addresses) == 1
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "another-venv"))
    assert client.address(tmp_path) not in addresses  # another environment: its own
