"""The build reads only the project's own files, and only regular files. A symbolic link in
the sources that leads outside the project (`assets/env.txt` -> `/proc/self/environ`, a
layout -> `~/.ssh/id_rsa`) would publish what it points at: in a deploy preview of a pull
request, with the site's secrets in the environment, that is a leak. A named pipe, a
socket or a device file among the sources would hang the build on its first read. Each is
an error naming the file, found before any source is read. Links inside the project are
followed as usual, and so are links into the folders site.yaml allows
(`files.allow_outside`, see sitegen.load.allowed)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from sitegen.errors import SiteError, SourceRef, relative_path
from sitegen.load.allowed import SYSTEM_FOLDERS
from sitegen.model.limits import MAX_FOLDER_DEPTH
from sitegen.model.project import ASSETS_DIR, CONFIG_FILE, CONTENT_DIR, LAYOUTS_DIR

SOURCES = (CONFIG_FILE, CONTENT_DIR, LAYOUTS_DIR, ASSETS_DIR)  # what the build reads
SOURCE_FOLDERS = (CONTENT_DIR, LAYOUTS_DIR, ASSETS_DIR)


def outside(path: Path, root: Path, allowed: Sequence[Path] = ()) -> str | None:
    """Where `path` really leads when that is outside the project `root` and outside every
    folder of `allowed` (real paths), resolving every symbolic link on the way; None when
    it stays inside one of them."""
    real = os.path.realpath(path)
    for folder in (os.path.realpath(root), *map(str, allowed)):
        if real == folder or real.startswith(folder.rstrip(os.sep) + os.sep):
            return None
    return real


def outside_errors(
    root: Path, names: Sequence[str] = SOURCES, allowed: Sequence[Path] = ()
) -> list[SiteError]:
    """An error for each source file or folder of the project (`names`: site.yaml,
    content/, layouts/, assets/) that is a link leading outside the project and the
    `allowed` folders, or that is not a regular file or folder (a named pipe, a socket, a
    device). Folders are walked; a linked folder is entered only when it leads inside
    (once: a loop of links is walked once), so one leading out is reported once."""
    errors: list[SiteError] = []
    seen: set[str] = set()
    for name in names:
        top = root / name
        if os.path.lexists(top):
            errors += _check_tree(top, root, allowed, seen)
    return errors


def _check_tree(path: Path, root: Path, allowed: Sequence[Path], seen: set[str]) -> list[SiteError]:
    # os.scandir: a folder's listing says which entries are links, files and folders, so
    # most entries cost no system call of their own (a site may have thousands of files)
    pending: list[tuple[str, int, os.DirEntry[str] | None]] = [(str(path), 0, None)]
    errors: list[SiteError] = []
    while pending:
        current, depth, entry = pending.pop()
        link = entry.is_symlink() if entry is not None else os.path.islink(current)
        if link:
            target = outside(Path(current), root, allowed)
            if target is not None:
                errors.append(_outside_error(Path(current), root, target))
                continue
            hidden = _hidden_target(Path(current), root)
            if hidden is not None:
                errors.append(
                    SiteError(
                        f"this is a link to {hidden}, a hidden file or folder of the project "
                        "(such as .git/ or .env), which is never published",
                        SourceRef(relative_path(Path(current), root)),
                        "copy what you need into the sources instead of linking to it",
                    )
                )
                continue
            if _loops(current):
                errors.append(_loop_error(Path(current), root))
                continue
        try:
            if entry is not None and not link and entry.is_file(follow_symlinks=False):
                continue  # a regular file
            if entry is not None and not link and entry.is_dir(follow_symlinks=False):
                mode = stat.S_IFDIR
            else:
                mode = os.stat(current).st_mode  # through links
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # links that lead to each other, never to a file
                errors.append(_loop_error(Path(current), root))
            continue  # else a broken link: the loader says what is missing
        if stat.S_ISDIR(mode):
            real = os.path.realpath(current)
            if real in seen:
                continue
            seen.add(real)
            if depth > MAX_FOLDER_DEPTH:
                errors.append(
                    SiteError(
                        f"folders nest more than {MAX_FOLDER_DEPTH} levels deep here",
                        SourceRef(relative_path(Path(current), root)),
                        "move the files up: a site's folders nest a few levels at most",
                    )
                )
                continue
            try:
                with os.scandir(current) as listing:
                    inner = sorted(listing, key=lambda found: found.name, reverse=True)
            except OSError:
                continue
            pending += [(found.path, depth + 1, found) for found in inner]
        elif not stat.S_ISREG(mode):
            errors.append(_special_error(Path(current), root, mode))
    return errors


def _hidden_target(path: Path, root: Path) -> str | None:
    """Where the link `path` leads, relative to the project `root`, when a part of that
    is hidden (`.git/config`, `.env`: git's credentials, the site's secrets); else None."""
    real = Path(os.path.realpath(path))
    try:
        inside = real.relative_to(os.path.realpath(root))
    except ValueError:
        return None  # outside: an allowed folder (outside() judged it)
    return inside.as_posix() if any(part.startswith(".") for part in inside.parts) else None


def _loops(link: str) -> bool:
    """Whether the link `link` leads to a folder it is in (`assets/self` -> `.`): walked
    through, it would go round until the system's limit on links."""
    real = os.path.realpath(link)
    holder = os.path.realpath(os.path.dirname(link))
    return holder == real or holder.startswith(real.rstrip(os.sep) + os.sep)


def _loop_error(path: Path, root: Path) -> SiteError:
    return SiteError(
        "this link leads round in a circle (to a folder it is in, or to a link back to "
        "itself): it leads to no file",
        SourceRef(relative_path(path, root)),
        "remove the link, or link a folder that does not hold it",
    )


def _outside_error(path: Path, root: Path, target: str) -> SiteError:
    system = any(target == s or target.startswith(s + "/") for s in SYSTEM_FOLDERS)
    return SiteError(
        f"this is a link to {target}, outside the project: the build reads only the "
        "project's own files",
        SourceRef(relative_path(path, root)),
        "remove the link: a folder of the system is never read"
        if system
        else "copy the file into the project instead of linking to it, or name the folder it "
        "leads to in site.yaml's files.allow_outside",
    )


def _special_error(path: Path, root: Path, mode: int) -> SiteError:
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device file"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return SiteError(
        f"this is {kind}, not a file: the build reads only regular files (reading it could "
        "wait forever)",
        SourceRef(relative_path(path, root)),
        "remove it, or put a regular file in its place",
    )
