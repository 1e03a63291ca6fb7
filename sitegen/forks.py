"""The one way the generator uses several cores: forked worker processes.

Reading thousands of source files, rendering thousands of pages and checking them all are
split into numbered calls. Workers are forked after the work is set up, so they inherit
everything the parent has loaded (the site, the layouts, the page list) without copying or
pickling it; only a call's number goes out and its (small) result comes back.

Forking is only safe in a process with one thread: a lock held by another thread at the
moment of the fork stays locked in the child forever (Python 3.12 warns about it). So the
calls run here, one after another, when the platform cannot fork or when another thread
runs (`can_fork`); the results are the same either way.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar, cast

# multiprocessing and concurrent.futures (~20 ms to import) only when work is forked
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

R = TypeVar("R")

THREAD_EXIT_GRACE = 0.2  # seconds
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends
# What a terminal sends to every process of its foreground group: Ctrl+C, and the hangup
# when it closes. The parent decides what they mean (it stops, and kills its workers).
GROUP_SIGNALS = frozenset({signal.SIGINT, signal.SIGHUP})


_work: Callable[[int], object] | None = None  # set in the parent just before forking


def can_fork() -> bool:
    """Whether worker processes can be forked safely: the platform forks, and this process
    runs one thread only (Python's threads, and on Linux the OS's, which include threads
    of native libraries). A thread that Python has just joined may take a moment to leave
    the OS's list (its last steps run after join returns): it is given `THREAD_EXIT_GRACE`
    seconds."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return _one_thread()


def _one_thread() -> bool:
    """Whether this process runs one thread only (see `can_fork`)."""
    if threading.active_count() > 1:
        return False
    deadline = time.monotonic() + THREAD_EXIT_GRACE
    while True:
        try:
            threads = len(os.listdir("/proc/self/task"))
        except OSError:  # no /proc: Python's own count is all there is
            return True
        if threads <= 1:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)


def cores() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def fork_map(
    work: Callable[[int], R],
    count: int,
    workers: int,
    *,
    alongside: Callable[[], None] | None = None,
    share: bool = False,
) -> list[R]:
    """[work(i) for i in range(count)], in order.

    When that makes two processes or more (`workers`, plus this one with `share`) and
    `can_fork()`, the calls run in `workers` forked processes (taking calls as they
    finish), while this process runs `alongside`, and with `share` also call 0 itself,
    then waits. Otherwise everything runs here, `alongside` last.
    Results must be picklable. A worker that dies (out of memory, killed) does not lose its
    calls: they are run again here. An exception raised by `work` is raised here. When
    anything is raised here (KeyboardInterrupt included), the workers are killed first.
    """
    global _work
    if count < 2 or workers + share < 2 or not can_fork():
        results = [work(index) for index in range(count)]
        if alongside is not None:
            alongside()
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _work = work
    frozen = gc.get_freeze_count() > 0  # by the caller (pipeline._long_lived): it unfreezes
    gc.freeze()  # what the parent loaded is never garbage: keep the collectors off it
    try:
        context = multiprocessing.get_context("fork")
        _prctl()  # for _start_worker, in each worker
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        ) as pool:
            try:
                first = 1 if share else 0
                futures = _submit(pool, range(first, count))
                mine = [work(0)] if share else []
                if alongside is not None:
                    alongside()
                theirs = [_result(f, index + first, work) for index, f in enumerate(futures)]
            except BaseException:
                _end_workers(pool)  # the pool's exit would wait for the calls they run
                raise
    finally:
        _work = None
        if not frozen:
            gc.unfreeze()
    return mine + theirs


class Aside(Generic[R]):
    """`work()` run in a forked process while this one goes on (`aside`): for work that
    waits on the system (thousands of stat calls), which a thread could not do beside
    Python code for want of the interpreter's lock. `result()` waits for it and returns
    what it returned (picklable), or runs it here when it could not run there: no fork
    (`can_fork`), an exception, a child killed. `close()` ends the child when the result
    is not wanted (an error meanwhile); both may be called again."""

    def __init__(self, work: Callable[[], R]) -> None:
        self._work = work
        self._pid = 0
        self._pipe = -1
        if not (hasattr(os, "fork") and _one_thread()):
            return  # result() runs it here
        prctl = _prctl()  # found here: the child only calls it
        parent = os.getpid()
        reading, writing = os.pipe()
        # held back until the child ignores them
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, GROUP_SIGNALS)
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:  # the child: never returns
            _aside_child(work, (parent, writing, reading), mask, prctl)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(writing)
        if pid < 0:
            os.close(reading)
            return
        self._pid, self._pipe = pid, reading

    def result(self) -> R:
        """What `work()` returned; raises what it raised (run here, then)."""
        if self._pid:
            data = bytearray()
            try:
                while chunk := os.read(self._pipe, 1 << 20):
                    data += chunk
            finally:
                self._reap(kill=False)
            if data:
                try:
                    return cast("R", pickle.loads(data))
                except Exception:  # a child that died while it wrote: do it here
                    pass
        return self._work()

    def close(self) -> None:
        """End the child, if it still runs, without waiting for its result."""
        if self._pid:
            self._reap(kill=True)

    def _reap(self, kill: bool) -> None:
        pid, self._pid = self._pid, 0
        os.close(self._pipe)
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def aside(work: Callable[[], R]) -> Aside[R]:
    """Start `work()` in a forked process (see `Aside`)."""
    return Aside(work)


def _aside_child(
    work: Callable[[], object],
    fds: tuple[int, int, int],
    mask: set[int | signal.Signals],
    prctl: Callable[..., int] | None,
) -> None:
    """The forked process of an `Aside` (`fds`: the parent's pid and the pipe's ends):
    ignores the terminal's group signals (the parent decides, and ends it), ends with the
    parent, runs `work` without the garbage collector (which would touch, and so copy,
    every page of the parent's heap) and writes its pickled result to the pipe; nothing on
    an exception."""
    parent, writing, reading = fds
    code = 1
    try:
        for signum in GROUP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        gc.disable()
        os.close(reading)
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # it ended before the signal was asked for
            return
        data = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(writing, view) :]
        code = 0
    finally:
        os._exit(code)


def _start_worker(parent: int) -> None:
    """In a new worker, first: ignore the signals a terminal sends to the whole group
    (`GROUP_SIGNALS`, held back since the fork), so that Ctrl+C stops the parent, which
    kills its workers, and no worker prints a KeyboardInterrupt's traceback; then
    `_end_with(parent)`."""
    for signum in GROUP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, GROUP_SIGNALS)  # one held back is dropped
    _end_with(parent)


def _end_with(parent: int) -> None:
    """In a worker: end when the parent process ends. A parent killed by SIGKILL (the
    out-of-memory killer, `kill -9`) cannot kill its workers, which would wait for calls
    forever, holding what they inherited: the command's stdout, which a caller reads to
    its end, and a resident build process's socket (sitegen.resident), which every later
    build would wait on. Linux's PR_SET_PDEATHSIG; elsewhere nothing is done."""
    prctl = _prctl()
    if prctl is None:
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """Linux's prctl(2) (None elsewhere): found once, in the parent, before it forks."""
    try:
        import ctypes

        return cast("Callable[..., int]", ctypes.CDLL(None, use_errno=True).prctl)
    except (OSError, AttributeError):
        return None


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel the calls not started and kill the workers (the children multiprocessing
    started): when this process stops (a signal, an error) nothing waits for a call that
    may take long, or never end."""
    import multiprocessing

    # not waited for: the pool's thread may be reading what a worker killed here was
    # sending back, and would wait for the rest of it for ever (this process holds the
    # pipe's other end). It may outlive this call, until the process ends (`can_fork`
    # then runs the calls of a later fork_map here).
    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.kill()
        child.join(timeout=5)


def _submit(pool: ProcessPoolExecutor, calls: range) -> list[Future[object] | None]:
    """A future for each call (None for a call the pool no longer takes: a worker died
    already). The first submit forks the workers. They are born with the group signals
    held back, until they ignore them (`_start_worker`); in this process, one that came
    meanwhile is delivered when they are let through again, at the end."""
    from concurrent.futures.process import BrokenProcessPool

    futures: list[Future[object] | None] = []
    signal.pthread_sigmask(signal.SIG_BLOCK, GROUP_SIGNALS)
    try:
        for index in calls:
            futures.append(pool.submit(_call, index))  # _call runs `work` in the worker
    except BrokenProcessPool:
        futures += [None] * (len(calls) - len(futures))
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, GROUP_SIGNALS)
    return futures


def _result(future: Future[object] | None, index: int, work: Callable[[int], R]) -> R:
    """What call `index` returned in a worker, or, when that worker died (or the call was
    never taken), what it returns run here."""
    from concurrent.futures.process import BrokenProcessPool

    if future is None:
        return work(index)
    try:
        return cast("R", future.result())
    except BrokenProcessPool:
        return work(index)


def _call(index: int) -> object:
    assert _work is not None
    gc.set_threshold(50_000, 20, 20)  # workers make short-lived, acyclic garbage
    return _work(index)
