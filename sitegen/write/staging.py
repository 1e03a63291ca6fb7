"""The only writer of output.

Pages are rendered into a staging folder beside the output (same file system), and only
files whose bytes differ from the current output are staged. When every page has rendered
without error, the staged files are moved into the output one atomic rename each, and files
no longer produced are removed, under a journal (sitegen.write.commit). So:

- a build with errors leaves the output exactly as it was (the staging folder is dropped);
- a crash at any instant leaves the complete old site, the complete new one, or a journal
  that the next command finishes before anything else (`repair`);
- an unchanged file is never rewritten, and a rebuild does not delete and recreate the tree.

The generator only replaces or deletes inside a folder that carries its marker file, i.e. a
folder it made itself, and only while it holds the folder's lock (`writing`).
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import SiteError, UsageError
from sitegen.lock import output_lock, waiting_line
from sitegen.model.journal import Journal, journal_path, staging_path, trash_prefix
from sitegen.model.project import CONFIG_FILE, MARKER, MARKER_TEXT, SOURCE_FOLDERS
from sitegen.streams import counted
from sitegen.write.commit import Repair, apply, discard, repair, write_journal
from sitegen.write.links import remove_links

COPY_IN_MEMORY = 8 * 1024 * 1024  # bytes: a larger asset is copied in pieces (put_copy)


@dataclass
class WriteStats:
    """What a commit did, counted in files: written (staged: new or changed bytes),
    unchanged (wanted and not staged) and removed (no longer made)."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    moved: frozenset[str] = frozenset()  # the paths moved into the output (not on a first build)
    # on a first build (the staging folder renamed into the output): the names in the output,
    # which are exactly what was staged and their folders ("\n"-joined, "" the output itself)
    names: str | None = None


def check_output_dir(out: Path, root: Path) -> None:
    """Refuse an output folder that would overwrite the project or something not ours."""
    out_r, root_r = out.resolve(), root.resolve()
    if out_r == root_r:
        raise UsageError(f"the output folder {out} is the project folder; choose e.g. --out public")
    if root_r.is_relative_to(out_r):
        raise UsageError(f"the output folder {out} contains the project folder; choose a subfolder")
    for name in (*SOURCE_FOLDERS, CONFIG_FILE):
        source = (root / name).resolve()
        if source == out_r:
            raise UsageError(f"the output folder {out} is the source '{name}'; choose e.g. public")
        if source.is_relative_to(out_r):
            raise UsageError(f"the output folder {out} holds the source '{name}'; choose another")
        if out_r.is_relative_to(source):
            raise UsageError(
                f"the output folder {out} is inside the source '{name}'; choose another"
            )
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"{out} exists and is not a folder; choose another --out")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise UsageError(
            f"{out} exists and was not made by sitegen (no {MARKER} file in it), so it is not "
            "replaced; empty it, remove it, or choose another --out"
        )


class Staging:
    """Files of one build, staged beside `out` until `commit`. Safe to use from several
    processes at once (each stages different files). The caller holds the output's lock
    (`writing`)."""

    def __init__(self, out: Path, build_id: int | str | None = None):
        self.out = out
        self.build_id = str(build_id if build_id is not None else os.getpid())
        self.folder = staging_path(out, self.build_id)
        self._made: set[str] = set()
        self._compare = True
        self.staged: set[str] = set()  # paths staged by this process, and reported by workers

    def begin(self, links: bool = True) -> None:
        """Make an empty staging folder (with the marker) beside the output, and remove
        every link inside the output (remove_links; `links` False: the caller knows there
        is none). The folder is made under a trash name and renamed once it has its
        marker, so a staging folder is never without it. Raises OSError when that folder
        cannot be made."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        discard(self.out, self.folder)  # a dead build's of the same id
        making = self.out.parent / f"{trash_prefix(self.out)}{self.build_id}-new"
        discard(self.out, making)
        making.mkdir()
        (making / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.rename(making, self.folder)
        self._compare = self.out.is_dir()  # nothing to compare with on a first build
        if self._compare and links:
            remove_links(self.out)

    def put(self, path: str, data: bytes) -> bool:
        """Stage `data` for `path` (relative to the output) unless the output already has
        those exact bytes; whether it was staged."""
        if self._compare and _same_bytes(os.path.join(self.out, path), data):
            return False
        _write(self._target(path), data)
        self.staged.add(path)
        return True

    def put_copy(self, path: str, source: Path) -> bool:
        """Stage a copy of the file `source` for `path`; as `put`, whether it was staged.
        A file over COPY_IN_MEMORY bytes (a video, a large PDF) is compared and copied in
        pieces, never held in memory whole."""
        if source.stat().st_size <= COPY_IN_MEMORY:
            return self.put(path, source.read_bytes())
        kept = os.path.join(self.out, path)
        if self._compare and os.path.isfile(kept) and filecmp.cmp(source, kept, shallow=False):
            return False
        shutil.copyfile(source, self._target(path))
        self.staged.add(path)
        return True

    def _target(self, path: str) -> str:
        """Where `path` is staged, its folder made."""
        target = os.path.join(self.folder, path)
        parent = os.path.dirname(target)
        if parent not in self._made:
            try:  # one system call where makedirs makes two or more
                os.mkdir(parent)
            except OSError:  # the folder above it is missing too, or it exists already
                os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return target

    def commit(self, wanted: set[str], prune: bool = True, marker: str | None = None) -> WriteStats:
        """Move the staged files into the output and remove files not in `wanted` (unless
        `prune` is off: the dev server's rebuild of a few pages leaves the rest alone), as
        one journaled commit (sitegen.write.commit). `marker` is the output marker's text
        (None: the one there, or the plain marker). Raises OSError (the disk)."""
        if marker is not None or not (self.out / MARKER).is_file():
            self.put(MARKER, (marker or MARKER_TEXT).encode("utf-8"))
        staged = self.staged - {MARKER}
        stats = WriteStats(written=len(staged), unchanged=len(wanted) - len(staged))
        if not self.out.exists():
            os.rename(self.folder, self.out)  # first build: the whole folder in one step
            with contextlib.suppress(FileNotFoundError):
                journal_path(self.out).unlink()  # one that could not be followed
            stats.names = _names_with_folders(self.staged | {MARKER})
            return stats
        moves = ([MARKER] if MARKER in self.staged else []) + sorted(staged)
        removals = sorted(_files_under(self.out) - wanted - {MARKER}) if prune else []
        journal = Journal(self.build_id, tuple(moves), tuple(removals))
        if len(moves) + len(removals) > 1:  # one rename or removal is atomic by itself
            write_journal(self.out, journal)
        apply(self.out, journal)
        stats.removed = len(removals)
        stats.moved = frozenset(moves)
        return stats

    def abort(self) -> None:
        """Drop the staging folder: the output stays as it was."""
        discard(self.out, self.folder)


@contextmanager
def writing(out: Path, warnings: list[SiteError] | None = None) -> Iterator[Repair]:
    """Hold the lock of the output folder `out` for the block (waiting, with a line on
    stderr, while another build holds it), having first finished a commit a killed build
    left unfinished and removed what killed builds left beside it (commit.repair); a note
    of the repair is added to `warnings`. Raises OSError (the disk), UsageError when a
    folder has the commit journal's name."""
    out.parent.mkdir(parents=True, exist_ok=True)

    def waiting() -> None:
        print(waiting_line(out), file=sys.stderr)

    with output_lock(out, waiting=waiting):
        journal = journal_path(out)
        if journal.is_dir() and not journal.is_symlink():  # (a checkout can hold one)
            raise UsageError(
                f"{journal} is a folder, but that name is the build's commit journal's: "
                "remove or rename it"
            )
        done = repair(out)
        if warnings is not None:
            warnings.extend(repair_notes(out, done))
        yield done


def repair_notes(out: Path, done: Repair) -> list[SiteError]:
    """What to tell the user about a repair of `out` (nothing when there was none to do)."""
    notes = []
    if done.moved is not None and not done.moved and not done.removed:
        notes.append(  # the build that failed took its staged files away
            SiteError(
                f"{out} was left half-committed by a build that failed; its staged files "
                "are gone, so this build rewrites every file that differs"
            )
        )
    elif done.moved is not None:
        notes.append(
            SiteError(
                f"{out} was left half-committed by a build that was stopped; its commit "
                f"was finished first ({counted(done.moved, 'file')} moved in, {done.removed} "
                "removed)"
            )
        )
    if done.unreadable is not None:
        notes.append(
            SiteError(
                f"{out} was left half-committed, and the journal {journal_path(out)} cannot "
                f"be followed ({done.unreadable}); a full build rewrites every file that "
                "differs and replaces it",
            )
        )
    return notes


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _write(path: str, data: bytes) -> None:
    """Write `data` as the file `path` (made or emptied first, with open()'s permissions):
    os.write on a bare descriptor, without the buffered file object and the system calls
    open() makes to set one up (fstat, isatty), thousands of times in a build."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _names_with_folders(files: set[str]) -> str:
    """The "\n"-joined names of `files` (relative paths) and of every folder above them,
    the output folder itself first (as ""), the rest sorted."""
    names = set(files)
    for path in files:
        cut = path.rfind("/")
        while cut > 0 and path[:cut] not in names:
            names.add(path[:cut])
            cut = path.rfind("/", 0, cut)
    return "\n".join(["", *sorted(names)])


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def _files_under(folder: Path) -> set[str]:
    found: set[str] = set()
    prefix = len(str(folder)) + 1
    for directory, _dirs, files in os.walk(folder):
        for name in files:
            found.add(os.path.join(directory, name)[prefix:].replace(os.sep, "/"))
    return found
