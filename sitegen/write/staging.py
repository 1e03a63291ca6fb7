"""The only writer of output.

Pages are rendered into a staging folder beside the output (same file system), and only
files whose bytes differ from the current output are staged. When every page has rendered
without error, the staged files are moved into the output one atomic rename each, and files
no longer produced are removed. So:

- a build with errors leaves the output exactly as it was (the staging folder is dropped);
- a crash half-way never leaves a half-written file (each file is replaced by a rename);
- an unchanged file is never rewritten, and a rebuild does not delete and recreate the tree.

The generator only replaces or deletes inside a folder that carries its marker file, i.e. a
folder it made itself.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import UsageError
from sitegen.model.project import CONFIG_FILE, MARKER, MARKER_TEXT, SOURCE_FOLDERS


@dataclass
class WriteStats:
    """What a commit did, counted in files: written (staged: new or changed bytes),
    unchanged (wanted and not staged) and removed (no longer made)."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0


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
    processes at once (each stages different files)."""

    def __init__(self, out: Path, build_id: int | None = None):
        self.out = out
        self.build_id = build_id if build_id is not None else os.getpid()
        self.folder = out.parent / f".{out.name}.staging-{self.build_id}"
        self._made: set[str] = set()
        self._compare = True
        self.staged: set[str] = set()  # paths staged by this process, and reported by workers

    def begin(self) -> None:
        """Make an empty staging folder (with the marker) beside the output, first removing
        those that killed builds left, and every link inside the output (remove_links).
        Raises OSError when that folder cannot be made."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(self.out)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir()
        (self.folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        self._compare = self.out.is_dir()  # nothing to compare with on a first build
        if self._compare:
            remove_links(self.out)

    def put(self, path: str, data: bytes) -> bool:
        """Stage `data` for `path` (relative to the output) unless the output already has
        those exact bytes; whether it was staged."""
        if self._compare and _same_bytes(os.path.join(self.out, path), data):
            return False
        target = os.path.join(self.folder, path)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        with open(target, "wb") as file:
            file.write(data)
        self.staged.add(path)
        return True

    def put_copy(self, path: str, source: Path) -> bool:
        """Stage a copy of the file `source` for `path`; as `put`, whether it was staged."""
        return self.put(path, source.read_bytes())

    def commit(self, wanted: set[str], prune: bool = True) -> WriteStats:
        """Move the staged files into the output and remove files not in `wanted` (unless
        `prune` is off: the dev server's rebuild of a few pages leaves the rest alone)."""
        stats = WriteStats()
        staged = self.staged
        stats.written = len(staged)
        stats.unchanged = len(wanted) - len(staged)
        if not self.out.exists():
            os.rename(self.folder, self.out)  # first build: the whole folder in one step
            return stats
        for path in sorted(staged):
            target = self.out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.folder / path, target)
        if not (self.out / MARKER).is_file():
            os.replace(self.folder / MARKER, self.out / MARKER)
        if prune:
            for path in sorted(_files_under(self.out) - wanted - {MARKER}):
                (self.out / path).unlink()
                stats.removed += 1
            _remove_empty_folders(self.out)
        shutil.rmtree(self.folder)
        return stats

    def abort(self) -> None:
        """Drop the staging folder: the output stays as it was."""
        if self.folder.exists():
            shutil.rmtree(self.folder)


def remove_links(out: Path) -> int:
    """Remove every symbolic link inside the output folder `out`, so that no file is read
    or written through one (a link to a folder elsewhere would take the pages there). The
    build never makes links, so any link there is not its own; removing one never touches
    what it points at. Returns how many were removed."""
    removed = 0
    pending = [str(out)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:  # the entry's type comes with the listing: no stat each
                if entry.is_symlink():
                    os.unlink(entry.path)
                    removed += 1
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    return removed


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


def _remove_empty_folders(folder: Path) -> None:
    for directory, _dirs, _files in os.walk(folder, topdown=False):
        if directory != str(folder) and not os.listdir(directory):
            os.rmdir(directory)


def _remove_stale_staging(out: Path) -> None:
    """Staging folders left by a build that was killed; only ours (with the marker) go."""
    for stale in out.parent.glob(f".{out.name}.staging-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if stale.is_dir() and (stale / MARKER).is_file() and not _alive(pid):
            shutil.rmtree(stale)


def _alive(pid: str) -> bool:
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
