"""Moving a build's staged files into the output so that a crash at any instant leaves
the complete old site, the complete new one, or a journal the next command finishes.

A commit of more than one change first writes its journal beside the output
(sitegen.model.journal: written to a temporary file, flushed to disk, renamed into place,
and the folder flushed), then renames each staged file into the output, removes the files
no longer made, renames the staging folder to a trash name, deletes the journal, and last
removes the trash. Each step can be done again: a staged file that is gone was moved, a
file to remove that is gone was removed. So finishing a commit (`roll_forward`) is running
the same steps again from the journal, however often it was cut short.

Only the journal is flushed to disk (two fsyncs a commit); the pages are not, which would
cost one fsync each. That is enough for a killed process (the files it wrote are in the
kernel's cache); after a power cut the journal is there to finish the commit, and ext4's
replace-by-rename keeps the renamed files' data (auto_da_alloc).

Everything here runs with the output's lock held (sitegen.lock), so no other build is
committing or staging beside the same output: every staging or trash folder found is
left by a build that ended.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from sitegen.model.journal import (
    Journal,
    JournalError,
    journal_path,
    journal_temp_prefix,
    read_journal,
    staging_path,
    staging_prefix,
    trash_prefix,
)
from sitegen.model.project import MARKER
from sitegen.write.links import remove_links


@dataclass
class Repair:
    """What `repair` did: the files an interrupted commit still had to move and remove
    (None: there was no unfinished commit), the leftover folders and files it removed, and
    the reason a journal could not be followed (then it is kept: `check` refuses the folder
    until a full build commits over it)."""

    moved: int | None = None
    removed: int = 0
    leftovers: int = 0
    unreadable: str | None = None


def write_journal(out: Path, journal: Journal) -> None:
    """Put `journal` beside `out` so that it is there whole or not at all, also after a
    power cut: a temporary file, flushed, renamed over the journal's name, the folder
    flushed. Raises OSError."""
    target = journal_path(out)
    temporary = out.parent / f"{journal_temp_prefix(out)}{journal.build}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, journal.encode())  # one write: a few hundred KB at most
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, target)
    _sync_folder(out.parent)


def apply(out: Path, journal: Journal) -> tuple[int, int]:
    """Do (or finish) the commit `journal` describes: remove its files to remove and the
    folders left empty, move its staged files into `out`, drop the staging folder, and
    delete the journal file if there is one (removals first, so that a path that was a
    folder can become a file and back). Every step may already have been done.
    Returns how many files were moved and removed now. Raises OSError (the disk)."""
    staging = staging_path(out, journal.build)
    moved = removed = 0
    for path in journal.removals:  # first: a folder `a.html/` may give way to a file `a.html`
        try:
            os.unlink(out / path)
            removed += 1
        except (FileNotFoundError, NotADirectoryError):
            pass  # removed already (or a folder on its way is gone)
    if journal.removals:
        _remove_empty_folders(out)
    for path in journal.moves:
        if _move(staging / path, out / path):
            moved += 1
    trash = _to_trash(out, staging)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal_path(out))
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)
    return moved, removed


def roll_forward(out: Path) -> Repair:
    """Finish the commit into `out` that a build could not finish (its journal is still
    beside it); a Repair with `moved` None when there was none. A journal this version
    cannot follow is kept and named in `unreadable`."""
    try:
        journal = read_journal(out)
    except JournalError as exc:
        return Repair(unreadable=str(exc))
    if journal is None:
        return Repair()
    if out.is_dir():
        remove_links(out)  # made meanwhile: no file is moved or removed through one
    staging = staging_path(out, journal.build)
    if staging.is_symlink():  # never ours: a journal and a link a pull request could add
        staging.unlink()
    elif staging.is_dir():
        remove_links(staging)  # nothing moved in may lead elsewhere
    moved, removed = apply(out, journal)
    return Repair(moved=moved, removed=removed)


def repair(out: Path) -> Repair:
    """Before a build writes into `out` (with its lock held): finish an interrupted
    commit, then remove what killed builds left beside it (`remove_leftovers`)."""
    done = roll_forward(out)
    done.leftovers = remove_leftovers(out)
    return done


def remove_leftovers(out: Path) -> int:
    """Remove what builds that ended left beside `out`: staging folders that hold the output
    marker (ours; one without it is left alone, unless empty), trash folders, journals cut
    short while being written. Never the staging folder of an unfinished commit: call it
    after `roll_forward`, which finishes it. Returns how many were removed."""
    parent = out.parent
    staging, trash, temp = staging_prefix(out), trash_prefix(out), journal_temp_prefix(out)
    removed = 0
    try:
        names = os.listdir(parent)
    except FileNotFoundError:
        return 0
    for name in sorted(names):
        path = parent / name
        if name.startswith(staging) and path.is_dir() and not path.is_symlink():
            if (path / MARKER).is_file():
                found = _to_trash(out, path)
                if found is not None:
                    shutil.rmtree(found, ignore_errors=True)
                    removed += 1
            elif not any(path.iterdir()):  # made, and killed before its marker
                path.rmdir()
                removed += 1
        elif name.startswith(trash) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        elif name.startswith(temp) and name.endswith(".tmp") and path.is_file():
            path.unlink()
            removed += 1
    return removed


def discard(out: Path, folder: Path) -> None:
    """Remove the staging folder `folder` of `out`: renamed to a trash name first, so a
    removal cut short leaves a folder any later build removes."""
    trash = _to_trash(out, folder)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


def _to_trash(out: Path, folder: Path) -> Path | None:
    """Rename `folder` to a fresh trash name beside `out`; None when it is not there."""
    trash = out.parent / f"{trash_prefix(out)}{uuid.uuid4().hex[:12]}"
    try:
        os.rename(folder, trash)
    except FileNotFoundError:
        return None
    return trash


def _move(source: Path, target: Path) -> bool:
    """Rename `source` over `target`, making the target's folders; False when `source` is
    gone (moved by an earlier try)."""
    try:
        os.replace(source, target)
        return True
    except FileNotFoundError:
        if not os.path.lexists(source):
            return False
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return True


def _remove_empty_folders(folder: Path) -> None:
    for directory, _dirs, _files in os.walk(folder, topdown=False):
        if directory != str(folder) and not os.listdir(directory):
            os.rmdir(directory)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename of the journal) to disk, where the system
    allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
