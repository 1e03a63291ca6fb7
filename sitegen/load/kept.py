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
        """Forget the records of these files, and of every file under these folders (a
        folder moved or renamed is reported as the folder alone)."""
        for path in paths:
            self._by_path.pop(path, None)
        for kept in [k for k in self._by_path if any(k.is_relative_to(p) for p in paths)]:
            del self._by_path[kept]

    def any_under(self, folder: Path) -> bool:
        """Whether a record was read from a file under `folder`."""
        return any(path.is_relative_to(folder) for path in self._by_path)

    def clear(self) -> None:
        self._by_path.clear()
