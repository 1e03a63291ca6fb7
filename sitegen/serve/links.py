"""Source files that are symbolic links, for the watcher: the kernel reports a save where
it happens, at the link's target, and never at the link. So the watcher also watches the
targets' folders, and a change of a target is reported as a change of every source file
that links to it (through any chain of links). It only watches: whether a target may be
read at all is the build's to say (sitegen.load.inside)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def linked_files(folders: list[Path]) -> dict[str, frozenset[str]]:
    """{real path of a target: the links to it} for every link to a regular file under
    `folders` (walked without entering linked folders: the watch of the folders follows
    those itself). One directory listing per folder, a stat per link only."""
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
            try:
                if not stat.S_ISREG(os.stat(entry.path).st_mode):
                    continue  # a folder, a pipe or a device: nothing an editor saves
            except OSError:
                continue  # a broken link: its target's folder may not exist
            found.setdefault(os.path.realpath(entry.path), set()).add(entry.path)
    return {target: frozenset(links) for target, links in found.items()}


def through_links(paths: set[str], links: dict[str, frozenset[str]]) -> set[str]:
    """`paths` (changed, absolute) and every link whose target is one of them."""
    more = set(paths)
    for path in paths:
        more |= links.get(os.path.realpath(path), frozenset())
    return more


def target_folders(links: dict[str, frozenset[str]], watched: list[Path]) -> set[str]:
    """The folders of the targets that the watch of `watched` (real paths) does not
    already see."""
    folders = set()
    for target in links:
        if not any(Path(target).is_relative_to(folder) for folder in watched):
            folders.add(os.path.dirname(target))
    return folders
