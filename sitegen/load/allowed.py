"""site.yaml's `files.allow_outside`: the folders outside the project that links among
the sources may lead into (a folder of assets shared by several sites, ../shared-assets).

Each is written relative to the project, so site.yaml means the same on every machine
(an absolute path is refused). Since a pull request can change site.yaml too, a named
folder is refused when it would open more than a folder of shared files: the file
system's root, the system's folders (/proc, /sys, /dev, /etc, /boot, /run), a folder
that holds the project or the home folder (and so everything beside them), and a hidden
folder (.ssh, .aws, .git, .config) on the way. It must exist and be a folder."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from sitegen.errors import SiteError
from sitegen.model.records import SiteConfig

SYSTEM_FOLDERS = ("/proc", "/sys", "/dev", "/etc", "/boot", "/run")
SETTING = "files.allow_outside"


def allowed_folders(config: SiteConfig) -> tuple[list[Path], list[SiteError]]:
    """The real paths of the folders `files.allow_outside` names that may be used, and an
    error at the line of each one that may not (see the module's rules)."""
    root = config.root
    folders: list[Path] = []
    errors: list[SiteError] = []
    for index, written in enumerate(config.fields.files.allow_outside):
        problem, real = _problem(written, root)
        if problem is None and real is not None:
            folders.append(real)
            continue
        errors.append(
            SiteError(
                f"{SETTING} cannot name '{written}': {problem}",
                config.doc.ref(("files", "allow_outside", index)),
                "name the one folder of shared files, relative to the project (../shared-assets)",
            )
        )
    return folders, errors


def _problem(written: str, root: Path) -> tuple[str | None, Path | None]:
    """Why the folder `written` may not be allowed (None: it may), and its real path."""
    if "\0" in written:
        return "it holds a NUL character", None
    if os.path.isabs(written) or written.startswith("~"):
        return "write it relative to the project, so that site.yaml is the same everywhere", None
    parts = PurePosixPath(written.replace("\\", "/")).parts
    if any(part.startswith(".") and part not in (".", "..") for part in parts):
        return "a hidden folder (.ssh, .git, ...) is never allowed", None
    real = Path(os.path.realpath(root / written))
    if not real.is_dir():
        return f"there is no folder {real}", None
    project = Path(os.path.realpath(root))
    beside = real.relative_to(os.path.commonpath([real, project]))  # past what they share
    if any(part.startswith(".") for part in beside.parts):
        return f"it leads to {real}, in a hidden folder", None
    if real == Path(real.anchor):
        return "it is the file system's root", None
    for system in SYSTEM_FOLDERS:
        if real == Path(system) or real.is_relative_to(system):
            return f"it leads to {real}, a folder of the system", None
    if project.is_relative_to(real):
        return f"it leads to {real}, which holds the project itself", None
    home = Path(os.path.realpath(os.path.expanduser("~")))
    if home.is_relative_to(real):
        return f"it leads to {real}, which holds the home folder", None
    return None, real
