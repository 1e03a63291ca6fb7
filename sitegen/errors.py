"""The one error type of the generator, with the place in a source file it is about."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class SourceRef:
    """A place in a source file: path relative to the project root, 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def at(self, line: int | None, column: int | None = None) -> SourceRef:
        """The same file at another 1-based line (and column)."""
        return SourceRef(self.path, line, column)


class SiteError(Exception):
    """A problem in the site's sources, reported as `path:line:col: message` plus a hint."""

    def __init__(self, message: str, source: SourceRef | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:  # keep source and hint across processes
        return (type(self), (self.message, self.source, self.hint))

    def sort_key(self) -> tuple:
        """(path, line, column, message), missing parts as "" or 0: errors sort by file and
        line, those without a file first."""
        src = self.source
        if src is None:
            return ("", 0, 0, self.message)
        return (src.path, src.line or 0, src.column or 0, self.message)

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        """The error for JSON reports: {"file", "line", "column", "message", "hint"}, None
        where unknown."""
        src = self.source
        return {
            "file": src.path if src else None,
            "line": src.line if src else None,
            "column": src.column if src else None,
            "message": self.message,
            "hint": self.hint,
        }


class BuildFailed(Exception):
    """Every error found in a build, sorted by file and line, and the warnings found with
    them (reported too: an editor fixing the errors sees what else to fix)."""

    def __init__(self, errors: Iterable[SiteError], warnings: Iterable[SiteError] = ()):
        self.errors = sorted(errors, key=SiteError.sort_key)
        self.warnings = list(warnings)
        super().__init__(f"{len(self.errors)} error(s)")

    def __reduce__(self) -> tuple[object, ...]:  # errors cross process boundaries
        return (type(self), (self.errors, self.warnings))


class UsageError(Exception):
    """A bad command line or output folder: nothing in the sources is wrong (exit code 2)."""


class ErrorList:
    """Collects errors so that a build reports all of them at once."""

    def __init__(self) -> None:
        self.errors: list[SiteError] = []

    def add(self, error: SiteError) -> None:
        """Record one error."""
        self.errors.append(error)

    def extend(self, errors: Iterable[SiteError]) -> None:
        """Record several errors."""
        self.errors.extend(errors)

    @contextmanager
    def catching(self) -> Iterator[None]:
        """Record a SiteError (or several) raised in the block instead of stopping."""
        try:
            yield
        except SiteError as error:
            self.errors.append(error)
        except BuildFailed as failed:
            self.errors.extend(failed.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        """Raise BuildFailed with every error recorded so far, if there is one."""
        if self.errors:
            raise BuildFailed(self.errors)


def relative_path(path: Path, root: Path) -> str:
    """Path as shown in messages: relative to the project root, with forward slashes."""
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix):  # the usual case, a path built from the root: no file system
        return text[len(prefix) :].replace(os.sep, "/")  # (a Path's text is normalised)
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if relative.startswith(".."):
        return path.as_posix()
    return Path(relative).as_posix()
