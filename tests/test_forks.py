"""sitegen.forks: numbered calls on forked workers, in order, with the same results when
forking is not safe (another thread runs) or a worker dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ctrl_c_when_working
from sitegen.forks import aside, can_fork, fork_map


def test_calls_run_on_workers_and_come_back_in_order() -> None:
    parent = os.getpid()
    done = fork_map(lambda i: (i * i, os.getpid()), 12, 2)
    assert [value for value, _pid in done] == [i * i for i in range(12)]
    assert parent not in {pid for _value, pid in done}


def test_with_share_this_process_takes_call_zero_and_runs_alongside_meanwhile() -> None:
    parent = os.getpid()
    ran: list[int] = []
    done = fork_map(
        lambda i: os.getpid(), 2, 1, alongside=lambda: ran.append(os.getpid()), share=True
    )
    assert done[0] == parent and done[1] != parent
    assert ran == [parent]


def test_with_another_thread_running_nothing_is_forked_and_results_are_the_same() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        done = fork_map(lambda i: (i, os.getpid()), 6, 2)
    finally:
        stop.set()
        thread.join()
    assert done == [(i, os.getpid()) for i in range(6)]
    assert can_fork()


def test_the_calls_of_a_worker_that_dies_are_run_here() -> None:
    parent = os.getpid()

    def die_in_a_worker(index: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return index + 1

    assert fork_map(die_in_a_worker, 5, 2) == [1, 2, 3, 4, 5]


def test_an_exception_in_a_call_is_raised_here() -> None:
    def fail(index: int) -> int:
        if index == 3:
            raise ValueError("call 3 failed")
        return index

    with pytest.raises(ValueError, match="call 3 failed"):
        fork_map(fail, 5, 2)


def test_one_process_means_no_fork() -> None:
    assert fork_map(lambda i: os.getpid(), 4, 1) == [os.getpid()] * 4


# --- the signals a terminal sends to the whole group ---------------------------------------


def test_workers_ignore_ctrl_c_and_hangup_and_this_process_still_receives_them() -> None:
    parent = os.getpid()

    def signal_myself(index: int) -> tuple[int, bool, bool]:
        os.kill(os.getpid(), signal.SIGINT)  # a worker that took it would raise here
        os.kill(os.getpid(), signal.SIGHUP)  # ... or end, and its calls run here
        held = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        return os.getpid(), signal.SIGINT in held, signal.SIGHUP in held

    deadline = time.monotonic() + 10
    while not can_fork() and time.monotonic() < deadline:  # an earlier test's pool thread
        time.sleep(0.01)  # (left after its error) may take a moment to end
    try:
        done = fork_map(signal_myself, 4, 2)
    except KeyboardInterrupt:
        pytest.fail("a worker took the Ctrl+C meant for its group")
    assert all(pid != parent and not held_int and not held_hup for pid, held_int, held_hup in done)
    assert not signal.pthread_sigmask(signal.SIG_BLOCK, []) & {signal.SIGINT, signal.SIGHUP}
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)  # the handler runs at once: never reached


STOPPED_BY_CTRL_C = """
import os, sys, time
from sitegen.forks import fork_map
try:
    fork_map(lambda i: time.sleep(60), 4, 2)
except KeyboardInterrupt:
    print("stopped", flush=True)
"""


def test_ctrl_c_to_the_group_stops_this_process_kills_its_workers_and_prints_no_traceback() -> None:
    stopped = ctrl_c_when_working([sys.executable, "-c", STOPPED_BY_CTRL_C])
    assert stopped.out == "stopped\n"
    assert "Traceback" not in stopped.err and "KeyboardInterrupt" not in stopped.err
    assert not any(Path(f"/proc/{pid}").exists() for pid in stopped.workers)


STOPPED_WHILE_RESULTS_COME_BACK = """
import os, sys, time
from sitegen.forks import fork_map
def stop():
    time.sleep(float(sys.argv[1]))
    raise KeyboardInterrupt
try:
    fork_map(lambda i: b"x" * 2_000_000, 400, 2, alongside=stop)
except KeyboardInterrupt:
    print("stopped", flush=True)
os._exit(0)  # the pool's thread may still wait for a killed worker's result (cli._end)
"""


@pytest.mark.parametrize("after", [0.2, 0.3])
def test_a_stop_while_workers_send_their_results_back_ends_at_once(after: float) -> None:
    """The workers are killed while one is writing a result to the pipe: the pool's thread
    then waits for the rest of it for ever. The stop is not held up by that thread."""
    done = subprocess.run(
        [sys.executable, "-c", STOPPED_WHILE_RESULTS_COME_BACK, str(after)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "stopped\n"), done.stderr


# --- aside: one call in a forked process while this one goes on ---------------------------


def _no_child_left(pid: int) -> bool:
    """Whether `pid` is gone and reaped (no zombie left in this process)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_aside_runs_in_another_process_while_this_one_goes_on() -> None:
    parent = os.getpid()
    started = time.monotonic()
    pending = aside(lambda: (time.sleep(0.5), os.getpid(), list(range(100_000)))[1:])
    here = time.monotonic() - started
    pid, numbers = pending.result()
    assert here < 0.4  # did not wait for the sleep
    assert pid != parent and numbers == list(range(100_000))  # a result of over 64 KB
    assert _no_child_left(pid)


def test_an_exception_in_the_aside_process_is_raised_here_by_running_it_again() -> None:
    parent = os.getpid()
    ran: list[int] = []

    def fails() -> int:
        ran.append(os.getpid())  # only this process's list shows what ran here
        raise ValueError(f"failed in {os.getpid()}")

    pending = aside(fails)
    with pytest.raises(ValueError, match=f"failed in {parent}"):
        pending.result()
    assert ran == [parent]


def test_an_aside_process_killed_before_it_answers_is_run_here() -> None:
    parent = os.getpid()

    def killed_in_the_child() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return 7

    assert aside(killed_in_the_child).result() == 7


def test_close_ends_an_aside_process_not_waited_for() -> None:
    pipe_read, pipe_write = os.pipe()

    def tell_and_hang() -> None:
        os.write(pipe_write, str(os.getpid()).encode())
        time.sleep(60)

    pending = aside(tell_and_hang)
    pid = int(os.read(pipe_read, 32))
    os.close(pipe_read)
    os.close(pipe_write)
    started = time.monotonic()
    pending.close()
    assert time.monotonic() - started < 5
    assert _no_child_left(pid)
    pending.close()  # again: nothing left to end


def test_with_another_thread_running_aside_runs_the_call_here() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pending = aside(os.getpid)
    finally:
        stop.set()
        thread.join()
    assert pending.result() == os.getpid()


def _ended(pid: int) -> bool:
    """Whether process `pid` has ended (gone, or a zombie its new parent has not reaped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def _aside_script(tmp_path: Path) -> tuple[subprocess.Popen[str], int]:
    """A process that starts an aside call sleeping for a minute, then sleeps itself;
    with the aside process's pid."""
    told = tmp_path / "aside.pid"
    script = tmp_path / "aside_stop.py"
    script.write_text(
        "import os, pathlib, time\n"
        "from sitegen.forks import aside\n"
        f"told = pathlib.Path({str(told)!r})\n"
        "def work():\n"
        "    told.write_text(str(os.getpid()))\n"
        "    time.sleep(60)\n"
        "pending = aside(work)\n"
        "try:\n"
        "    time.sleep(60)\n"
        "finally:\n"
        "    pending.close()\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while not told.exists() or not told.read_text():
        assert time.monotonic() < deadline, "the aside process did not start"
        time.sleep(0.01)
    return process, int(told.read_text())


def test_ctrl_c_to_the_group_leaves_the_aside_process_to_this_one(tmp_path: Path) -> None:
    """A terminal's Ctrl-C goes to the whole group: the aside process ignores it (no
    traceback of its own), and this process, stopping, ends it."""
    process, child = _aside_script(tmp_path)
    os.killpg(process.pid, signal.SIGINT)
    _out, err = process.communicate(timeout=20)
    assert process.returncode != 0
    assert err.count("KeyboardInterrupt") == 1  # this process's; none from the child
    assert _ended(child)


def test_an_aside_process_ends_with_its_parent_killed_by_sigkill(tmp_path: Path) -> None:
    process, child = _aside_script(tmp_path)
    process.kill()
    process.communicate(timeout=20)
    deadline = time.monotonic() + 5
    while not _ended(child):
        assert time.monotonic() < deadline, "the aside process outlived its parent"
        time.sleep(0.05)
