"""Records made from source files, kept between the dev server's rebuilds: a file is read
and validated again only after the watcher reported it changed (`forget`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class Records:
    """The records read from source files, by the file's path (as the loader found it)."""

    def __init__(self) -> None:
        self._by_path: dict[Path, object] = {}

    def get(self, path: Path) -> object | None:
        """The record kept for this file, or None when it must be read."""
        return self._by_path.get(path)

    def put(self, path: Path, record: T) -> T:
        """Keep the record read from this file; returns it."""
        self._by_path[path] = record
        return record

    def forget(self, paths: set[Path]) -> None:
        """Forget the records of these files, and of every file under these folders (a
        folder moved or renamed is reported as the folder alone). `paths` name files or
        folders (not "." or "/"), absolute or relative as the loader's paths are."""
        for path in paths:
            self._by_path.pop(path, None)
        # a path under a folder is its text, a separator and more (a Path's text has one
        # separator between its parts): PurePath.is_relative_to's answer for these, at a
        # thirtieth of its cost (10 ms for the thousand records of a one-file rebuild)
        under = tuple(os.path.join(str(path), "") for path in paths)
        for kept in [k for k in self._by_path if str(k).startswith(under)]:
            del self._by_path[kept]

    def any_under(self, folder: Path) -> bool:
        """Whether a record was read from a file under `folder`."""
        return any(path.is_relative_to(folder) for path in self._by_path)

    def clear(self) -> None:
        """Forget every record: every file is read again."""
        self._by_path.clear()
