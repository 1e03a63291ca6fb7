"""The commit journal of an output folder, and the names of what a build keeps beside it.

Beside an output folder `public/` a build keeps, in the same parent folder:

- `.public.staging-<id>/`: the files of build `<id>` waiting to be moved in (with the
  output marker in it, so only a folder of ours is ever removed);
- `.public.commit`: the journal of a commit under way, written (atomically) before the
  first file is moved and removed after the last: while it exists the output may hold a
  mix of the old and the new site, and the journal says how to finish (roll forward);
- `.public.commit-<id>.tmp`: the journal being written;
- `.public.trash-<id>/`: a staging folder being removed (renamed first, so a removal cut
  short never leaves a staging folder without its marker).

The journal is JSON: {"sitegen-commit": 1, "build": id, "moves": [path, ...],
"removals": [path, ...]}, paths relative to the output with "/" (moves: files of the
staging folder to rename into the output; removals: files of the output to delete).
Reading it is here (so that `check` can refuse a half-committed folder without the
writer); writing and rolling it forward are sitegen.write.commit's.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.filestats import read_capped

FORMAT = 1
FORMAT_KEY = "sitegen-commit"


class JournalError(Exception):
    """A journal file that is not one this version wrote (or has been cut short)."""


@dataclass(frozen=True)
class Journal:
    """One commit: the build's id (its staging folder's suffix), the staged files to move
    into the output (relative paths; the output marker first) and the output's files to
    remove."""

    build: str
    moves: tuple[str, ...]
    removals: tuple[str, ...] = ()

    def encode(self) -> bytes:
        """The journal file's bytes (JSON, UTF-8)."""
        data = {
            FORMAT_KEY: FORMAT,
            "build": self.build,
            "moves": list(self.moves),
            "removals": list(self.removals),
        }
        return json.dumps(data, separators=(",", ":")).encode("utf-8")


def journal_path(out: Path) -> Path:
    """Where the journal of a commit into `out` is kept: `.<name>.commit` beside it."""
    return out.parent / f".{out.name}.commit"


def staging_path(out: Path, build: str) -> Path:
    """The staging folder of build `build` beside `out`: `.<name>.staging-<build>`."""
    return out.parent / f".{out.name}.staging-{build}"


def staging_prefix(out: Path) -> str:
    """The start of the name of every staging folder beside `out`."""
    return f".{out.name}.staging-"


def trash_prefix(out: Path) -> str:
    """The start of the name of every staging folder being removed beside `out`."""
    return f".{out.name}.trash-"


def journal_temp_prefix(out: Path) -> str:
    """The start of the name of a journal being written beside `out`."""
    return f".{out.name}.commit-"


MAX_JOURNAL_BYTES = 256 * 1024 * 1024  # a million paths' journal is ~60 MB


def read_journal(out: Path) -> Journal | None:
    """The journal of an unfinished commit into `out`, or None when there is none. Raises
    JournalError when the file is there but is not a journal this version can follow, and
    OSError when it cannot be read."""
    path = journal_path(out)
    try:  # never through a link, never waiting on a named pipe (a checkout may hold either)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise JournalError("it is a link, not a journal a build wrote") from None
        raise
    with os.fdopen(fd, "rb") as file:
        found = os.fstat(file.fileno())
        if not stat.S_ISREG(found.st_mode):
            raise JournalError("it is not a regular file")
        raw = read_capped(file, MAX_JOURNAL_BYTES)
    if len(raw) > MAX_JOURNAL_BYTES:
        raise JournalError(f"it is over {MAX_JOURNAL_BYTES // (1024 * 1024)} MB")
    return decode(raw)


def decode(raw: bytes) -> Journal:
    """The Journal in a journal file's bytes; raises JournalError when they are not one
    (not JSON, another format, or a path that is not a plain relative path)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # nested 100,000 deep
        raise JournalError(f"not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT:
        raise JournalError(f"not a journal of format {FORMAT}")
    build, moves, removals = data.get("build"), data.get("moves"), data.get("removals")
    if not isinstance(build, str) or not _plain_name(build):
        raise JournalError(f"bad build id {build!r}")
    for name, paths in (("moves", moves), ("removals", removals)):
        if not isinstance(paths, list):
            raise JournalError(f"'{name}' is not a list")
        for path in paths:
            if not isinstance(path, str) or not is_relative_path(path):
                raise JournalError(f"'{name}' holds {path!r}, not a path inside the output")
    assert isinstance(moves, list) and isinstance(removals, list)
    return Journal(build, tuple(moves), tuple(removals))


def is_relative_path(path: str) -> bool:
    """Whether `path` names a file inside a folder: relative, "/"-separated, without empty,
    "." or ".." parts, backslashes or NUL."""
    if not path or "\\" in path or "\0" in path or path.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/")) and bool(
        PurePosixPath(path).parts
    )


def _plain_name(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c in "-_" for c in text)
