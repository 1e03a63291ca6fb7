"""Records made from source files, kept between the dev server's rebuilds: a file is read
and validated again only after the watcher reported it changed (`forget`)."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class Records:
    def __init__(self) -> None:
        self._by_path: dict[Path, object] = {}

    def get(self, path: Path) -> object | None:
        return self._by_path.get(path)

    def put(self, path: Path, record: T) -> T:
        self._by_path[path] = record
        return record

    def forget(self, paths: set[Path]) -> None:
        for path in paths:
            self._by_path.pop(path, None)

    def clear(self) -> None:
        self._by_path.clear()
