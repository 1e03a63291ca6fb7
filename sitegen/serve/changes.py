"""What a changed file means for the next rebuild (a pure function of its path, table-tested,
after Zola's detect_change_kind): which source it is, and what must be made again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePosixPath

from sitegen.model.project import (
    LOCATIONS_DIR,
    MARKDOWN_SUFFIXES,
    PAGES_DIR,
    PROGRAMS_DIR,
    YAML_SUFFIXES,
)


class Kind(Enum):
    """What a changed path is to the site; the value names it in messages."""

    CONFIG = "site.yaml"
    LAYOUT = "layout"
    ASSET = "asset"
    PROGRAM = "program"
    LOCATION = "location"
    LOCAL_TEXT = "local text"
    PAGE = "page"
    CONTENT = "other content"  # a folder, or a file the generator does not read
    IGNORED = "ignored"


@dataclass(frozen=True)
class Change:
    """One changed path, classified (see `classify`)."""

    kind: Kind
    path: str  # relative to the project, with forward slashes
    key: tuple[str, ...] = ()  # the slug(s) of the program, location or page


# Files editors' tools write beside the real one while saving (vim, emacs, JetBrains, macOS)
_SCRATCH_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".bak", "~", ".part", ".crdownload")
_SCRATCH_NAMES = {"4913", ".DS_Store", "Thumbs.db"}


def classify(path: str) -> Change:
    """The kind of source `path` (relative to the project root) is."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    name = parts[-1] if parts else ""
    if (
        not parts
        or any(p.startswith(".") for p in parts)  # .git, hidden files, emacs' .#lock files
        or name in _SCRATCH_NAMES
        or name.endswith(_SCRATCH_SUFFIXES)
        or name.startswith("#")  # emacs' #autosave#
    ):
        return Change(Kind.IGNORED, path)
    relative = "/".join(parts)
    suffix = PurePosixPath(name).suffix.lower()
    stem = PurePosixPath(name).stem
    if relative == "site.yaml":
        return Change(Kind.CONFIG, relative)
    if relative in ("layouts", "assets"):
        # the folder itself came, went or was replaced
        return Change(Kind.LAYOUT if relative == "layouts" else Kind.ASSET, relative)
    if parts[0] == "layouts":
        # layouts are named with an extension (page.html); a bare name is a folder of them
        # (partials/, renamed or deleted) or a tool's scratch file (sed -i writes sedXXXXXX
        # beside the file it edits): the session tells them apart (Session._transient)
        return Change(Kind.LAYOUT, relative)
    if parts[0] == "assets":
        return Change(Kind.ASSET, relative)
    folder = "/".join(parts[:-1])
    if folder == PROGRAMS_DIR and suffix in MARKDOWN_SUFFIXES:
        return Change(Kind.PROGRAM, relative, (stem,))
    if folder == PAGES_DIR and suffix in MARKDOWN_SUFFIXES:
        return Change(Kind.PAGE, relative, (stem,))
    if folder == LOCATIONS_DIR and suffix in YAML_SUFFIXES:
        return Change(Kind.LOCATION, relative, (stem,))
    if "/".join(parts[:-2]) == LOCATIONS_DIR and suffix in MARKDOWN_SUFFIXES:
        return Change(Kind.LOCAL_TEXT, relative, (parts[-2], stem))
    if parts[0] == "content":
        return Change(Kind.CONTENT, relative)
    return Change(Kind.IGNORED, relative)


@dataclass(frozen=True)
class Plan:
    """What one rebuild does: which source files to read again, whether site.yaml, the
    layouts or the assets must be loaded again, and whether every page is rendered again
    regardless of what changed in the content."""

    files: frozenset[str] = frozenset()  # content files to read again (relative paths)
    config: bool = False
    layouts: bool = False
    assets: bool = False

    @property
    def everything(self) -> bool:
        """Whether every page is rendered again: site.yaml, a layout or an asset changed."""
        return self.config or self.layouts or self.assets

    @property
    def empty(self) -> bool:
        """Whether there is nothing to rebuild (every change was ignored)."""
        return not (self.files or self.everything)


def plan(changes: Iterable[Change]) -> Plan:
    """The rebuild a batch of changes needs. Content files are read again; site.yaml also
    makes the layouts load again (they hold its base_url), and an asset both the catalogue
    and the layouts (they hold the assets' fingerprinted URLs)."""
    files: set[str] = set()
    config = layouts = assets = False
    for change in changes:
        if change.kind is Kind.CONFIG:
            config = True
        elif change.kind is Kind.LAYOUT:
            layouts = True
        elif change.kind is Kind.ASSET:
            assets = layouts = True  # layouts hold the assets' fingerprinted URLs
        elif change.kind is not Kind.IGNORED:
            files.add(change.path)
    return Plan(frozenset(files), config, layouts or config, assets)
