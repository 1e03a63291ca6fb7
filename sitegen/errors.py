"""The one error type of the generator, with the place in a source file it is about."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Control characters (C0, DEL, C1) and the line separators of Unicode, as escapes: a page
# title or file name may hold ESC sequences that rewrite a terminal, or a newline that
# starts a line of its own, which GitHub Actions reads as a workflow command. And the
# characters that print as nothing or turn the text around it (zero-width spaces and
# joiners, the marks, embeddings, overrides and isolates of the bidirectional algorithm,
# a byte order mark, a soft hyphen) and the spaces that are not the ordinary one (no-break,
# the typographic widths, ideographic): `unknown field 'summ<U+200B>ary'` or 'state<U+00A0>'
# read as the very field the hint suggests, and an override shows the rest of a CI log's
# line reversed (Unicode TR9; "Trojan Source", CVE-2021-42574).
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_CONTROLS |= {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_INVISIBLE = (0xA0, 0xAD, 0x61C, 0x180E, *range(0x2000, 0x2010), *range(0x2028, 0x2030),
              0x205F, *range(0x2060, 0x2065), *range(0x2066, 0x206A), 0x3000, 0xFEFF)  # fmt: skip
_CONTROLS |= {c: f"\\u{c:04x}" for c in _INVISIBLE}
MAX_SHOWN = 2_000  # characters of a message or hint printed: a value may be megabytes


def inert(text: str) -> str:
    """`text` from a source or a checked folder (a page's URL, title, address, a message
    quoting them) as it may be printed on a terminal or in a CI log: control characters
    and invisible ones escaped (\\x1b, \\n, \\u200b), at most MAX_SHOWN characters of
    it (a megabyte value quoted whole would flood the terminal), and nothing a CI runner
    reads as a command: no `::` at its start (GitHub's workflow commands, after leading
    spaces) and no `##[` anywhere (their older form)."""
    text = text.translate(_CONTROLS).replace("##[", "##\\x5b")
    if len(text) > MAX_SHOWN:
        text = f"{text[:MAX_SHOWN]}... ({len(text) - MAX_SHOWN:,} more characters)"
    stripped = text.lstrip()
    if stripped.startswith("::"):
        text = text[: len(text) - len(stripped)] + "\\x3a" + stripped[1:]
    return text


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
        """`path:line:col: message` and the hint on a line of its own, made `inert`: what
        an editor or a pull request wrote (an address with %1b or %0a::, a field's value)
        cannot rewrite the terminal or give GitHub Actions a workflow command."""
        where = f"{inert(str(self.source))}: " if self.source else ""
        text = f"{where}{inert(self.message)}"
        if self.hint:
            text += f"\n  hint: {inert(self.hint)}"
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
        super().__init__(f"{len(self.errors)} error" + ("" if len(self.errors) == 1 else "s"))

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
