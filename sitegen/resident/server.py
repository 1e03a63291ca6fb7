"""The resident build process itself: made by forking the command-line process after its
build, it detaches from the terminal and serves the builds of one project that
client.hand_over sends it, one at a time, until it is unused for IDLE_SECONDS, the
generator's code changes or it is stopped (a signal, or Ctrl-C in the command that handed
it a build)."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from sitegen.codeversion import code_digest
from sitegen.resident.client import (
    ACCEPTED,
    CODE,
    DECLINED,
    HEADER,
    IDLE_SECONDS,
    STALE,
    limits,
    peer,
)
from sitegen.streams import guarded, outcome

Handler = Callable[[list[str]], int]  # runs one build's command line; its exit code
INTERNAL = 70  # exit code of a build that failed inside the generator (EX_SOFTWARE)
_REQUEST_LIMIT = 64 * 1024 * 1024  # bytes: a request's JSON (its environment) at most
_REQUEST_SECONDS = 10.0  # a client has this long to send its request
_CHECK_SECONDS = 5.0  # how often an unused process checks that its socket is still there
_SETTLE_SECONDS = 1.0  # unused this long after a build: the whole heap is collected


def stay(
    path: Path,
    handle: Handler,
    idle: float = IDLE_SECONDS,
    tidy: Callable[[], None] | None = None,
    code: str = "",
) -> None:
    """Fork a resident process listening at `path` (client.address) that runs `handle`
    for each build handed to it, and `tidy` after each build's exit code is sent (to
    free what the build no longer needs while nobody waits); returns at once in the
    calling process. The child never returns: it exits when idle for `idle` seconds, when
    another one already listens at `path`, or when a client's generator code is not its
    own: `code`, the code_digest taken before this process imported the generator's
    modules (default: now; one that changed since then is not the code in memory)."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.fork():
        return
    try:
        _detach()
        _serve(path, handle, idle, tidy or (lambda: None), code)
    except BaseException:  # a background process: nothing to tell anyone
        pass
    finally:
        os._exit(0)


def _detach() -> None:
    """Leave the terminal's session (its Ctrl-C, its hang-up) and every file descriptor
    of the command: a caller waiting for the end of the command's output must not wait
    for this process."""
    os.setsid()
    signal.signal(signal.SIGTERM, _stopped)  # client.stop, Ctrl-C in a client: clean up
    signal.signal(signal.SIGINT, _stopped)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGIO, _hung_up)  # a client killed while its build runs
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, _max_fd())
    os.chdir("/")


class Stopped(BaseException):
    """SIGTERM or SIGINT: the process ends; a build under way stops (its workers are
    killed, sitegen.forks) and its client is sent no exit code."""


def _stopped(_signal: int, _frame: object) -> None:
    raise Stopped


_watched: socket.socket | None = None  # the connection of the build under way


def _hung_up(_signal: int, _frame: object) -> None:
    """SIGIO: the connection of the build under way can be read, which means that its
    client has gone (it sends nothing more): killed, by SIGKILL or an out-of-memory
    killer, so that it could not stop the build (client._outcome). The build stops, as
    it would have with the command's own process."""
    if _watched is not None and _gone(_watched):
        raise Stopped


@contextlib.contextmanager
def _watching(connection: socket.socket) -> Iterator[None]:
    """While the block runs, the end of `connection`'s client stops this process."""
    global _watched
    fd = connection.fileno()
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    _watched = connection
    try:
        fcntl.fcntl(fd, fcntl.F_SETOWN, os.getpid())
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_ASYNC)
        if _gone(connection):  # before the signal was asked for
            raise Stopped
        yield
    finally:
        _watched = None
        fcntl.fcntl(fd, fcntl.F_SETFL, flags)


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 4096


def _serve(path: Path, handle: Handler, idle: float, tidy: Callable[[], None], code: str) -> None:
    lock = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    if not _locked(lock):
        return  # another resident process serves this project
    own = code or code_digest()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # left by a process that was killed: the lock is ours now
    old = os.umask(0o177)  # the socket is made rw------- (and peers are checked too)
    try:
        listener.bind(os.fspath(path))
    finally:
        os.umask(old)
    listener.listen(8)
    made = _identity(path)
    _warm()
    _settle()
    unsettled = False  # a build's garbage among what the last _settle froze may be left
    try:
        served = time.monotonic()
        while True:
            listener.settimeout(_SETTLE_SECONDS if unsettled else min(idle, _CHECK_SECONDS))
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                if unsettled:
                    _settle()
                    unsettled = False
                    continue
                if time.monotonic() - served >= idle or not _listening(path, made):
                    return  # idle; or its socket was removed (the cache folder emptied)
                continue  # or replaced: no client can reach this process any more
            with connection:
                answered = _answer(connection, handle, own)
            if answered == _EXIT:
                return
            if answered == _BUILT:  # a connection that asked for no build is no use
                served = time.monotonic()
                tidy()
                _settle_young()
                unsettled = True
    finally:
        with contextlib.suppress(OSError):
            if _identity(path) == made:  # not one a newer process made meanwhile
                path.unlink()


def _settle() -> None:
    """Collect the garbage while nobody waits, and leave what remains (the kept site) out
    of later collections, which would otherwise go through all of it during a build."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _settle_young() -> None:
    """Collect the garbage among the objects made since the last freeze (what a build
    made), which costs a fraction of `_settle` when the kept site is large (a rebuild of
    one location of 1,000: about 4 ms against 70 to 110): the next build, often seconds away at
    most, is not kept waiting. Garbage among the frozen objects (records a build replaced,
    and what a build rendered on several cores made before it forked: forks.fork_map
    leaves it frozen) waits for the `_settle` of an unused moment."""
    gc.collect()
    gc.freeze()


def _identity(path: Path) -> tuple[int, int, int]:
    """What tells the socket file at `path` from another one made there later: its device
    and inode (which a file made after it was removed may be given again) and change time."""
    found = path.stat()
    return found.st_dev, found.st_ino, found.st_ctime_ns


def _listening(path: Path, made: tuple[int, int, int]) -> bool:
    """Whether the socket at `path` is still the one this process made (`_identity`)."""
    try:
        return _identity(path) == made
    except OSError:
        return False


def _locked(fd: int) -> bool:
    """Take the lock of `fd`, waiting a little for a stale process that is exiting."""
    deadline = time.monotonic() + 2.0
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)


def _warm() -> None:
    """Import the build's stages now, while nobody waits (pipeline.STAGES)."""
    import importlib

    from sitegen.pipeline import STAGES

    for name in STAGES:
        importlib.import_module(name)


_BUILT, _IGNORED, _EXIT = "built", "ignored", "exit"  # what `_answer` did


def _answer(connection: socket.socket, handle: Handler, own: str) -> str:
    """Serve one connection: _BUILT (a build ran), _IGNORED (not a client's request, or
    its client went away before it began), or _EXIT: this process must make way for the
    command's own, whose code (stale) or limits (`nice`, `ulimit`: declined, as they could
    not be put back after the build) are not this process's."""
    fds: list[int] = []
    answered = _IGNORED
    try:
        _pid, uid = peer(connection)
        if uid != os.getuid():
            return _IGNORED
        request = _request(connection, fds, time.monotonic() + _REQUEST_SECONDS)
        if request is None or len(fds) != 2 or not isinstance(request.get("code"), str):
            return _IGNORED  # not a client's request
        refusal = STALE if request.get("code") != own else None
        if refusal is None and request.get("limits") != limits():
            refusal = DECLINED
        if refusal is not None:
            answered = _EXIT  # even if the client does not hear it
            connection.sendall(refusal)
            return _EXIT
        if _gone(connection):
            return _IGNORED  # stopped (Ctrl-C) while it waited for an earlier build
        connection.settimeout(None)
        connection.sendall(ACCEPTED)
        answered = _BUILT
        with _watching(connection):
            code = _run(request, fds, handle)
        fds = []  # _run closed them
        connection.sendall(CODE.pack(code))
    except OSError:
        pass  # the client went away: its build, if any, ran to its end
    finally:
        for fd in fds:
            os.close(fd)
    return answered


def _text(fd: int, encoding: str, errors: str, lines: bool) -> TextIO:
    """A text stream on `fd` as the client's (client._stream); closing it leaves `fd` open."""
    buffering = 1 if lines else -1
    return open(fd, "w", buffering, encoding, errors, closefd=False)


def _gone(connection: socket.socket) -> bool:
    """Whether the client closed its end: it sends nothing after its request."""
    timeout = connection.gettimeout()
    connection.settimeout(0.0)
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        connection.settimeout(timeout)


def _request(connection: socket.socket, fds: list[int], deadline: float) -> dict | None:
    """The request's JSON object, received by `deadline` (time.monotonic), or None; the
    file descriptors that came with it are added to `fds` (the caller closes them)."""

    def receive(size: int) -> bytes:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        connection.settimeout(left)
        return connection.recv(size)

    connection.settimeout(max(deadline - time.monotonic(), 0.001))
    first, received, _flags, _address = socket.recv_fds(connection, 1024 * 1024, 2)
    fds += received
    if len(first) < HEADER.size:
        return None
    (size,) = HEADER.unpack(first[: HEADER.size])
    if size > _REQUEST_LIMIT:
        return None
    data = bytearray(first[HEADER.size :])
    while len(data) < size:
        chunk = receive(min(size - len(data), 1024 * 1024))
        if not chunk:
            return None
        data += chunk
    try:
        request = json.loads(data.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError):  # not JSON; nested too deeply
        return None
    return request if isinstance(request, dict) else None


def _run(request: dict, fds: list[int], handle: Handler) -> int:
    """Run one build as the command would have run it: in its folder, with its
    environment and umask, printing to its stdout and stderr."""
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in fds:
        os.close(fd)
    cores = os.sched_getaffinity(0)
    try:
        sys.stdout, sys.stderr = (
            guarded(_text(fd, *spec), fd)
            for fd, spec in zip((1, 2), request["streams"], strict=True)
        )
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        os.umask(int(request["umask"]))
        _run_on(request.get("cpus"))
        os.chdir(request["cwd"])
        return outcome(handle(list(request["argv"])), sys.stdout, sys.stderr)
    except Stopped:
        raise
    except SystemExit as exit:  # argparse: --help, or a bad option
        return exit.code if isinstance(exit.code, int) else 2
    except BaseException:  # a bug of ours: reported; the next build runs
        traceback.print_exc()
        print(
            "error: the generator failed (a bug in sitegen, not in your files); run the "
            "build again with SITEGEN_RESIDENT=0 to build without the resident process",
            file=sys.stderr,
        )
        return INTERNAL
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is sys.__stdout__ or stream is sys.__stderr__:  # _text failed: they
                continue  # are the process's own, and closing them closes fds 1 and 2
            with contextlib.suppress(OSError, ValueError):
                stream.close()  # flushed; the file descriptor stays open (closefd=False)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        _run_on(cores)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)
        os.chdir("/")


def _run_on(cores: object) -> None:
    """Run on the cores the client could use (`taskset`; sitegen.forks.cores counts
    them for the workers and the build cache's key), when this process may."""
    if isinstance(cores, list | set) and cores:
        with contextlib.suppress(OSError, ValueError, TypeError, OverflowError):
            os.sched_setaffinity(0, cores)
