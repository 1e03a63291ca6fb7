"""The build reads only the project's own files. A symbolic link in the sources that leads
outside the project (`assets/env.txt` -> `/proc/self/environ`, a layout -> `~/.ssh/id_rsa`)
would publish what it points at, or hang the build on a device file: in a deploy preview
of a pull request, with the site's secrets in the environment, that is a leak. Such a link
is an error naming the file, found before any source is read. Links inside the project
are followed as usual."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.errors import SiteError, SourceRef, relative_path
from sitegen.model.project import ASSETS_DIR, CONFIG_FILE, CONTENT_DIR, LAYOUTS_DIR

SOURCES = (CONFIG_FILE, CONTENT_DIR, LAYOUTS_DIR, ASSETS_DIR)  # what the build reads


def outside(path: Path, root: Path) -> str | None:
    """Where `path` really leads when that is outside the project `root` (resolving every
    symbolic link on the way); None when it stays inside."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if real == real_root or real.startswith(real_root + os.sep):
        return None
    return real


def outside_errors(root: Path) -> list[SiteError]:
    """An error for each source file or folder of the project (site.yaml, content/,
    layouts/, assets/) that is a link leading outside it; the folders are walked without
    following links, so a linked folder is reported once, not entered."""
    errors: list[SiteError] = []
    for name in SOURCES:
        top = root / name
        if not os.path.lexists(top):
            continue
        errors += _check(top, root)
        if top.is_symlink() or not top.is_dir():
            continue
        for folder, folders, files in os.walk(top, followlinks=False):
            for entry in (*folders, *files):
                path = Path(folder, entry)
                if path.is_symlink():
                    errors += _check(path, root)
    return errors


def _check(path: Path, root: Path) -> list[SiteError]:
    target = outside(path, root)
    if target is None:
        return []
    return [
        SiteError(
            f"this is a link to {target}, outside the project: the build reads only the "
            "project's own files",
            SourceRef(relative_path(path, root)),
            "copy the file into the project instead of linking to it",
        )
    ]
