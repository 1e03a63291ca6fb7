"""What a pass over the site's records worked out for each record, kept for the next pass.

A resident build process (sitegen.resident) and the dev server keep the records of the
content files that did not change between two builds: the very same objects, never
changed (they are frozen). So what a site-wide pass works out from one record, and from
a few plain values beside it (`key`: the site.yaml settings it reads, say), is still
right in the next build for a record that is the same object with the same key. A
one-file rebuild then works out again the 11 routes of the changed location, not the
11,000 of the site.

Identity is only safe while the object lives: each entry holds its record, so that its
`id` cannot be given to another object. Each pass keeps the entries it used and drops
the others (a deleted file's), so a memo never holds more than one pass's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

R = TypeVar("R")
V = TypeVar("V")


class RecordMemo(Generic[R, V]):
    """The values of the last `map` by record identity, each with its record and key."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[R, object, V]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def map(
        self, records: Iterable[R], key: Callable[[R], object], compute: Callable[[R], V]
    ) -> list[V]:
        """[compute(r) for r in records], taking the last pass's value over for each
        record that is the same object with an equal `key(r)`; what this pass gave
        replaces what the memo held. `compute` must depend on nothing else than its record
        and what `key` gives (plain values, compared with ==). Raises what `compute`
        raises (the memo is then left as it was)."""
        last = self._entries
        found: dict[int, tuple[R, object, V]] = {}
        values: list[V] = []
        for record in records:
            wanted = key(record)
            entry = last.get(id(record))
            if entry is None or entry[0] is not record or entry[1] != wanted:
                entry = (record, wanted, compute(record))
            found[id(record)] = entry
            values.append(entry[2])
        self._entries = found
        return values

    def clear(self) -> None:
        """Forget every value."""
        self._entries = {}


def per_record(
    memo: RecordMemo[R, V] | None,
    records: Iterable[R],
    key: Callable[[R], object],
    compute: Callable[[R], V],
) -> list[V]:
    """memo.map(records, key, compute); without a memo (a build of its own, which keeps
    nothing for a next one), [compute(r) for r in records]."""
    if memo is None:
        return [compute(record) for record in records]
    return memo.map(records, key, compute)


def no_key(_record: object) -> None:
    """The key of a value worked out from its record alone."""
    return None
