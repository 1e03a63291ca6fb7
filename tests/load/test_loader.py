"""Files read on two cores give the same results and errors as a serial read."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import write_files
from sitegen.errors import BuildFailed, ErrorList, SiteError, SourceRef
from sitegen.load.content import LOCATIONS
from sitegen.load.loader import MIN_FILES_TO_FORK, load_kind, read_all

COUNT = MIN_FILES_TO_FORK + 10


def square_or_fail(n: int) -> tuple[int, int]:
    if n % 97 == 0:
        raise SiteError(f"bad {n}", SourceRef(f"item-{n}.yaml", n, 2), "a hint")
    if n % 101 == 0:
        raise BuildFailed([SiteError("one", SourceRef("a.yaml", 1)), SiteError("two")])
    return n * n, os.getpid()


def test_results_and_errors_come_back_in_order_from_both_processes() -> None:
    outcomes = read_all(square_or_fail, list(range(1, COUNT + 1)))
    assert len(outcomes) == COUNT
    pids = set()
    for n, outcome in enumerate(outcomes, start=1):
        if n % 97 == 0:
            error = outcome.error
            assert isinstance(error, SiteError)
            assert (error.message, str(error.source), error.hint) == (
                f"bad {n}",
                f"item-{n}.yaml:{n}:2",
                "a hint",
            )
        elif n % 101 == 0:
            assert isinstance(outcome.error, BuildFailed)
            assert [e.message for e in outcome.error.errors] == ["two", "one"]
        else:
            value, pid = outcome.get()
            assert value == n * n
            pids.add(pid)
    assert os.getpid() in pids and len(pids) == 2  # half of the work was done by a child


def test_small_inputs_are_read_in_this_process() -> None:
    outcomes = read_all(square_or_fail, [2, 3])
    assert [o.get() for o in outcomes] == [(4, os.getpid()), (9, os.getpid())]


def test_a_child_that_dies_leaves_its_share_to_the_parent() -> None:
    parent = os.getpid()

    def die_in_child(n: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return n + 1

    outcomes = read_all(die_in_child, list(range(COUNT)))
    assert [o.get() for o in outcomes] == [n + 1 for n in range(COUNT)]


def test_an_error_in_the_childs_half_names_its_file_and_line(tmp_path: Path) -> None:
    files = {
        f"content/locations/town-{i:03d}.yaml": f"name: Town {i}\ncity: Town {i}\nstate: NV\n"
        "description: Care in town.\nsummary: Care.\nprograms: [iop]\n"
        for i in range(COUNT)
    }
    files[f"content/locations/town-{COUNT - 3:03d}.yaml"] = "name: Broken\ncity: [unclosed\n"
    write_files(tmp_path, files)
    errors = ErrorList()
    loaded = load_kind(tmp_path, LOCATIONS, errors)
    assert len(loaded.records) == COUNT - 1
    assert loaded.broken == {f"town-{COUNT - 3:03d}"}
    [error] = errors.errors
    assert error.source is not None
    assert error.source.path == f"content/locations/town-{COUNT - 3:03d}.yaml"
    assert (error.source.line, error.source.column) == (2, 7)  # where the [ opens
    assert "YAML syntax error" in error.message
