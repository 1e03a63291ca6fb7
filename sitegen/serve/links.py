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
    those itself)."""
    found: dict[str, set[str]] = {}
    for top in folders:
        for folder, _folders, files in os.walk(top):
            for name in files:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    continue
                try:
                    if not stat.S_ISREG(os.stat(path).st_mode):
                        continue  # a pipe or a device: nothing an editor saves
                except OSError:
                    continue  # a broken link: its target's folder may not exist
                found.setdefault(os.path.realpath(path), set()).add(path)
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
