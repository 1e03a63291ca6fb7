"""sitegen.forks: numbered calls on forked workers, in order, with the same results when
forking is not safe (another thread runs) or a worker dies."""

from __future__ import annotations

import os
import threading

import pytest

from sitegen.forks import can_fork, fork_map


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
