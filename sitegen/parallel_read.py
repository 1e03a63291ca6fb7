"""Reading and parsing many source files on two cores.

A site with a thousand locations has two thousand YAML documents to parse before anything
else can happen, and libyaml spends ~0.1 ms on each. A forked child parses the second half
of the files while this process parses the first; the results (plain data, a few KB a
file) come back pickled through a pipe, which costs a fraction of parsing them again.
Validation stays in this process, in file order, so errors are reported exactly as in a
serial read.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import BuildFailed, SiteError

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 400  # below this, forking costs more than it saves


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What reading one file gave: its result, or the source error it raised."""

    value: R | None = None
    error: SiteError | BuildFailed | None = None

    def get(self) -> R:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


def read_all(func: Callable[[T], R], items: Sequence[T]) -> list[Outcome[R]]:
    """[func(item) for item in items] as outcomes, in order; the second half is computed in
    a forked child when there are enough items and the platform can fork."""
    if len(items) < MIN_ITEMS or not hasattr(os, "fork"):
        return [_outcome(func, item) for item in items]
    half = len(items) // 2
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running any cleanup
        status = 1
        try:
            os.close(reader)
            data = pickle.dumps([_outcome(func, item) for item in items[half:]], protocol=5)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    try:
        mine = [_outcome(func, item) for item in items[:half]]
    finally:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(pid, 0)
    if status != 0:  # the child failed (out of memory, killed): do its share here instead
        return mine + [_outcome(func, item) for item in items[half:]]
    return mine + pickle.loads(data)


def _outcome(func: Callable[[T], R], item: T) -> Outcome[R]:
    try:
        return Outcome(value=func(item))
    except (SiteError, BuildFailed) as error:
        return Outcome(error=error)
