"""Source files that are symbolic links, for the watcher: the kernel reports a save where
it happens, at the link's target, and never at the link. So the watcher also watches the
targets' folders, and a change of a target is reported as a change of every source file
that links to it (through any chain of links). It only watches: whether a target may be
read at all is the build's to say (sitegen.load.inside)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_CHAIN = 40  # links followed from one source file (the kernel's own limit is 40)


def linked_files(folders: list[Path]) -> dict[str, frozenset[str]]:
    """{path on the way: the source files (links) that go through it} for every link
    under `folders` (walked without entering linked folders: the watch of the folders
    follows those itself) that does not end at a folder, a pipe or a device. A link's way
    is each link it leads through in turn and the file at its end, which may not exist
    yet (a link made before its target): a save of that file, and a link on the way
    pointed elsewhere, are changes of the source file. Paths are as the watcher names
    them: the real path of the folder, and the name in it."""
    found: dict[str, set[str]] = {}
    pending = [str(folder) for folder in folders]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if not entry.is_symlink():
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                continue
            way = _way(entry.path)
            try:
                if not stat.S_ISREG(os.stat(way[-1]).st_mode):
                    continue  # a folder, a pipe or a device: nothing an editor saves
            except OSError:
                pass  # nothing there yet: watched, in case it comes
            for path in way:
                found.setdefault(path, set()).add(entry.path)
    return {path: frozenset(links) for path, links in found.items()}


def _way(link: str) -> list[str]:
    """The paths the link `link` leads through, in turn, to the path at its end (at most
    MAX_CHAIN; a loop ends there), each named by the real path of its folder."""
    way: list[str] = []
    current = link
    for _ in range(MAX_CHAIN):
        try:
            target = os.readlink(current)
        except OSError:  # not a link: the end
            break
        current = os.path.join(os.path.dirname(current), target)
        current = os.path.join(
            os.path.realpath(os.path.dirname(current)), os.path.basename(current)
        )
        if current in way:
            break  # a loop
        way.append(current)
    return way


def through_links(paths: set[str], links: dict[str, frozenset[str]]) -> set[str]:
    """`paths` (changed, absolute) and every link whose way (linked_files) goes through
    one of them."""
    more = set(paths)
    for path in paths:
        named = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        more |= links.get(named, frozenset()) | links.get(os.path.realpath(path), frozenset())
    return more


def target_folders(links: dict[str, frozenset[str]], watched: list[Path]) -> set[str]:
    """The folders of the paths on the links' ways that the watch of `watched` (real
    paths) does not already see, and that exist."""
    folders = set()
    for target in links:
        outside = not any(Path(target).is_relative_to(folder) for folder in watched)
        if outside and os.path.isdir(os.path.dirname(target)):
            folders.add(os.path.dirname(target))
    return folders
