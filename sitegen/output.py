"""The only writer of output: a staging folder, filled, then swapped in for the old output.

A crash or error half-way leaves the previous output as it was. The generator only ever
replaces or deletes a folder that carries its marker file, i.e. one it made itself.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

MARKER = ".sitegen-output"
MARKER_TEXT = "This folder is made by sitegen (python build.py) and replaced on every build.\n"
SOURCE_FOLDERS = ("content", "layouts", "assets")


@dataclass(frozen=True)
class OutputFile:
    """One file to write: `path` relative to the output folder, and text or a file to copy."""

    path: str
    text: str | None = None
    copy_from: Path | None = None


def check_output_dir(out: Path, root: Path) -> None:
    """Refuse an output folder that would overwrite the project or something not ours."""
    out_r, root_r = out.resolve(), root.resolve()
    if out_r == root_r:
        raise UsageError(f"the output folder {out} is the project folder; choose e.g. --out public")
    if root_r.is_relative_to(out_r):
        raise UsageError(f"the output folder {out} contains the project folder; choose a subfolder")
    for name in (*SOURCE_FOLDERS, "site.yaml"):
        source = (root / name).resolve()
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


def write_site(out: Path, files: Iterable[OutputFile]) -> int:
    """Write `files` into a fresh staging folder, then swap it in. Returns the file count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(out)
    staging = out.parent / f".{out.name}.staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        count = 0
        for item in files:
            target = staging / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if item.copy_from is not None:
                shutil.copyfile(item.copy_from, target)
            else:
                target.write_bytes((item.text or "").encode("utf-8"))
            count += 1
        _swap_in(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return count


def _swap_in(staging: Path, out: Path) -> None:
    """Make `staging` the output. Afterwards `staging` holds the old output (or is gone)."""
    if out.is_dir():
        if not any(out.iterdir()):
            out.rmdir()
        elif _exchange(staging, out):
            return
        else:
            backup = out.parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, backup)
            os.rename(staging, out)
            os.rename(backup, staging)
            return
    os.rename(staging, out)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


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
