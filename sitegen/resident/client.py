"""The command line's side of the resident build process: whether to use one, where it
listens, and handing a build over to it.

A request is the command line, the working folder, the environment, the umask, the
cores the command may run on and the terminal's encoding, with the caller's stdout and
stderr passed as file descriptors (SCM_RIGHTS), so that the build prints where the
command was run. The process answers b"A" (accepted), b"S" (stale: another generator's
code) or b"D" (declined: the command runs with another niceness or other resource limits
than the process, which it could not take back after the build), and after those two it
exits, so that the command, which builds in its own process, stays resident in its place;
after an accepted build, it sends the build's exit code as 4 bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import signal
import socket
import struct
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from sitegen.cache import cache_dir
from sitegen.codeversion import PACKAGE, code_digest

SWITCH = "SITEGEN_RESIDENT"  # "0" never, "1" always (even in CI); unset: not in CI
IDLE_SECONDS = 15 * 60  # a resident process unused this long exits
_OFF, _ON = ("0", "off", "no", "false"), ("1", "on", "yes", "true")
# Variables that CI services set (GitHub Actions, GitLab, CircleCI, Travis, Buildkite,
# Jenkins and most others set CI; Netlify's build image sets NETLIFY; Azure Pipelines
# TF_BUILD, TeamCity TEAMCITY_VERSION, AWS CodeBuild CODEBUILD_BUILD_ID): a CI build runs
# once on a fresh machine, often for a pull request from a fork, and leaves no process.
# pytest sets PYTEST_CURRENT_TEST for the test it runs: a test suite that runs build.py
# leaves no process either.
_CI_VARIABLES = (
    "CI",
    "NETLIFY",
    "BUILD_ID",
    "JENKINS_URL",
    "TF_BUILD",
    "TEAMCITY_VERSION",
    "CODEBUILD_BUILD_ID",
    "PYTEST_CURRENT_TEST",
)
_PATH_MAX = 100  # bytes: sockaddr_un's path holds 108 on Linux, 104 on macOS
ACCEPTED, STALE, DECLINED = b"A", b"S", b"D"
HEADER = struct.Struct("!I")  # the request's length in bytes
CODE = struct.Struct("!i")  # the build's exit code
_PEER = struct.Struct("3i")  # struct ucred: pid, uid, gid
INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C
WAIT_NOTICE = 2.0  # seconds: a command waiting longer for its build to begin says so


def supported() -> bool:
    """Whether this system has what the resident process needs: Unix sockets that pass
    file descriptors and name their peer (Linux), and fork."""
    return all(hasattr(socket, name) for name in ("AF_UNIX", "SO_PEERCRED", "send_fds")) and (
        hasattr(os, "fork")
    )


def enabled(environ: Mapping[str, str]) -> bool:
    """Whether `build` uses a resident process: $SITEGEN_RESIDENT=0 (or off, no, false)
    never, =1 (or on, yes, true) always, and when it is unset, except in CI (any of
    `_CI_VARIABLES` set)."""
    value = environ.get(SWITCH, "").strip().lower()
    if value in _OFF:
        return False
    if value not in _ON and any(environ.get(name) for name in _CI_VARIABLES):
        return False
    return supported()


def address(root: Path) -> Path | None:
    """The socket of the resident process for the project `root` run by this Python (its
    file and its environment, sys.prefix: however the command names it) on this computer
    (a home folder, and its cache, may be shared by several over NFS: a socket connects
    processes of one computer only): in the user's cache folder (sitegen.cache), or None
    when that path is too long for a socket's address."""
    where = socket.gethostname()
    # the interpreter by its file and environment: `python build.py` and the `sitegen`
    # script (bin/python3) of one virtual environment share one resident process
    python = (os.path.realpath(sys.executable), sys.prefix, sys.version)
    who = repr((*python, str(PACKAGE), str(root.resolve()), where))
    digest = hashlib.sha256(who.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    path = cache_dir().absolute() / f"resident-{digest}.sock"
    return path if len(os.fsencode(path)) <= _PATH_MAX else None


def peer(connection: socket.socket) -> tuple[int, int]:
    """The process id and user id of the process at the other end of `connection`."""
    pid, uid, _gid = _PEER.unpack(
        connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEER.size)
    )
    return pid, uid


def hand_over(argv: list[str], root: Path) -> int | None:
    """Run `build` with `argv` in the resident process of `root`; its exit code, or None
    when there is none (or it is stale, or gone before it began): build here then.
    Ctrl-C (or SIGTERM, SIGHUP) while it builds stops that process and its workers, as
    it would stop a build in this one; the output folder's commit is safe to interrupt."""
    path = address(root)
    if path is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with connection:
        try:
            connection.connect(os.fspath(path))
            pid, uid = peer(connection)
            if uid != os.getuid() or pid <= 0:
                return None  # another user's; or in another pid namespace (pid 0)
            request = json.dumps(_request(argv)).encode("utf-8", "surrogateescape")
            socket.send_fds(connection, [HEADER.pack(len(request)), request], [1, 2])
        except OSError:
            return None
        return _outcome(connection, pid)


def running(root: Path) -> int | None:
    """The process id of this user's resident process of `root` when one listens on its
    socket, else None (a peer named pid 0, outside this process's namespace, is none)."""
    path = address(root)
    if path is None:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        try:
            connection.connect(os.fspath(path))
            pid, uid = peer(connection)
        except OSError:
            return None
    return pid if uid == os.getuid() and pid > 0 else None


def stop(root: Path, wait: float = 5.0) -> int | None:
    """Stop the resident process of `root`, if there is one, waiting up to `wait` seconds
    for it to end; its process id, or None."""
    pid = running(root)
    if pid is None:  # and never 0: killpg(0) would stop this process's group
        return None
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.02)
    return pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether `pid` has ended and waits for its parent to collect it (Linux's /proc)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


_LIMITS = ("AS", "CORE", "CPU", "DATA", "FSIZE", "MEMLOCK", "NOFILE", "NPROC", "RSS", "STACK")


def limits() -> list[list[int]]:
    """This process's niceness (`nice`) and resource limits (`ulimit`: soft and hard, of
    each of `_LIMITS` this system has), as JSON numbers. A process may lower them, not
    raise them again: the resident process runs only the builds of commands whose limits
    are its own (else the command builds in its own process, under its own limits)."""
    found = [[os.getpriority(os.PRIO_PROCESS, 0)]]
    for name in _LIMITS:
        which = getattr(resource, f"RLIMIT_{name}", None)
        if which is not None:
            found.append([which, *resource.getrlimit(which)])
    return found


def _request(argv: list[str]) -> dict[str, object]:
    umask = os.umask(0o022)
    os.umask(umask)
    return {
        "argv": argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "cpus": sorted(os.sched_getaffinity(0)),  # taskset: the build's workers, --jobs
        "limits": limits(),
        "code": code_digest(),
        "streams": [_stream(sys.stdout), _stream(sys.stderr)],
    }


def _stream(stream: object) -> tuple[str, str, bool]:
    """A text stream's encoding, error handler and line buffering, for the process that
    writes to its file descriptor."""
    return (
        str(getattr(stream, "encoding", None) or "utf-8"),
        str(getattr(stream, "errors", None) or "strict"),
        bool(getattr(stream, "line_buffering", False)),
    )


def _outcome(connection: socket.socket, pid: int) -> int | None:
    """The exit code the resident process `pid` sends, or None if it would not build."""
    answer = b""
    with _stopping():
        try:
            answer = _answer(connection)
            if answer != ACCEPTED:
                return None
            code = _read(connection, CODE.size)
        except KeyboardInterrupt:
            if answer == ACCEPTED or _accepted_meanwhile(connection):
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGTERM)  # it leads its own process group
            # else it still serves another command (this one waited): closing the
            # connection is enough, it does not run this build
            return INTERRUPTED
    if len(code) < CODE.size:
        print(
            "The resident build process stopped before the build ended; building here.",
            file=sys.stderr,
        )
        return None
    return int(CODE.unpack(code)[0])


def _answer(connection: socket.socket) -> bytes:
    """The resident process's answer to the request (b"" if it closed the connection);
    when it does not come at once (the process runs the build of another command), the
    command says that it waits, as a build waiting for another one's output folder does."""
    connection.settimeout(WAIT_NOTICE)
    try:
        return connection.recv(1)
    except TimeoutError:
        print(
            "Waiting for the resident build process, busy with another build...",
            file=sys.stderr,
            flush=True,
        )
    except OSError:
        return b""
    finally:
        connection.settimeout(None)
    return _read(connection, 1)


def _accepted_meanwhile(connection: socket.socket) -> bool:
    """Whether the resident process answered that it runs this build (after the wait
    was interrupted)."""
    try:
        return connection.recv(1, socket.MSG_DONTWAIT) == ACCEPTED
    except OSError:
        return False


def _read(connection: socket.socket, size: int) -> bytes:
    """Up to `size` bytes; fewer when the other end closed the connection."""
    data = b""
    while len(data) < size:
        try:
            chunk = connection.recv(size - len(data))
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


@contextlib.contextmanager
def _stopping() -> Iterator[None]:
    """SIGTERM and SIGHUP to this process act as Ctrl-C while the build runs elsewhere."""

    def interrupt(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    saved = {s: signal.signal(s, interrupt) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
