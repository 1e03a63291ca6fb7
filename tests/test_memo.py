"""sitegen.memo: what a pass worked out from each record is taken over by the next pass
for the same object with an equal key, and for nothing else."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sitegen.memo import RecordMemo, no_key, per_record


@dataclass(frozen=True)
class Record:
    name: str


class Counting:
    """A compute function that counts its calls by record name."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, record: Record) -> str:
        self.calls.append(record.name)
        return record.name.upper()


def test_the_same_objects_are_taken_over_and_new_ones_worked_out():
    memo: RecordMemo[Record, str] = RecordMemo()
    a, b = Record("a"), Record("b")
    compute = Counting()
    assert memo.map([a, b], no_key, compute) == ["A", "B"]
    b2 = Record("b")  # equal, but another object: a changed file's new record
    assert memo.map([a, b2], no_key, compute) == ["A", "B"]
    assert compute.calls == ["a", "b", "b"]


def test_a_record_whose_key_changed_is_worked_out_again():
    memo: RecordMemo[Record, str] = RecordMemo()
    a = Record("a")
    settings = {"pattern": "/{a}/"}
    compute = Counting()
    memo.map([a], lambda r: settings["pattern"], compute)
    memo.map([a], lambda r: settings["pattern"], compute)
    settings["pattern"] = "/places/{a}/"
    memo.map([a], lambda r: settings["pattern"], compute)
    assert compute.calls == ["a", "a"]


def test_a_pass_keeps_only_its_own_records():
    memo: RecordMemo[Record, str] = RecordMemo()
    a, b = Record("a"), Record("b")
    compute = Counting()
    memo.map([a, b], no_key, compute)
    memo.map([a], no_key, compute)  # b's file was deleted
    assert len(memo) == 1
    memo.map([a, b], no_key, compute)  # and made again: worked out again
    assert compute.calls == ["a", "b", "b"]


def test_an_id_given_to_another_object_is_not_taken_for_the_old_one():
    """Each entry holds its record: a freed record's id could be given to a new object."""
    memo: RecordMemo[Record, str] = RecordMemo()
    compute = Counting()
    memo.map([Record("old")], no_key, compute)
    for index in range(200):  # new objects, some of which would get a freed id
        fresh = Record(f"new{index}")
        assert memo.map([fresh], no_key, compute) == [f"NEW{index}"]


def test_a_failed_pass_leaves_the_memo_as_it_was():
    memo: RecordMemo[Record, str] = RecordMemo()
    a, b = Record("a"), Record("b")
    compute = Counting()
    memo.map([a], no_key, compute)

    def failing(record: Record) -> str:
        raise ValueError(record.name)

    with pytest.raises(ValueError):
        memo.map([a, b], no_key, failing)
    assert memo.map([a], no_key, compute) == ["A"]
    assert compute.calls == ["a"]
    memo.clear()
    memo.map([a], no_key, compute)
    assert compute.calls == ["a", "a"]


def test_without_a_memo_every_value_is_worked_out_and_nothing_is_kept():
    """A build of its own (pipeline.Reuse.once) keeps nothing for a next build."""
    a = Record("a")
    compute = Counting()
    assert per_record(None, [a, a], no_key, compute) == ["A", "A"]
    assert compute.calls == ["a", "a"]
    memo: RecordMemo[Record, str] = RecordMemo()
    assert per_record(memo, [a], no_key, compute) == ["A"]
    assert per_record(memo, [a], no_key, compute) == ["A"] and compute.calls == ["a"] * 3


def test_a_build_of_its_own_keeps_nothing_by_record(minimal_site):
    from sitegen.errors import ErrorList
    from sitegen.pipeline import BuildOptions, Reuse, load_site, route_site

    options = BuildOptions(root=minimal_site, out=minimal_site / "public")
    once = load_site(options, [], ErrorList())
    route_site(once, ErrorList())
    assert not once.reuse.keeps and once.reuse.routes is None
    kept = load_site(options, [], ErrorList(), Reuse())
    route_site(kept, ErrorList())
    assert kept.reuse.keeps and kept.reuse.routes is not None and len(kept.reuse.routes) == 1
