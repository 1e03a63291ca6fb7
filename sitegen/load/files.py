"""Finding source files and turning their names into slugs."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from sitegen.errors import ErrorList, SiteError, SourceRef, relative_path
from sitegen.model.project import (
    LOCATIONS_DIR,
    MARKDOWN_SUFFIXES,
    PAGES_DIR,
    PROGRAMS_DIR,
    YAML_SUFFIXES,
)
from sitegen.model.urls import slug_problem

# missing, not a folder, a loop of links: no folder to list (a link loop is reported by
# load.inside, its missing files by the loader)
_NOT_A_FOLDER = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def source_files(folder: Path, suffixes: Iterable[str]) -> list[Path]:
    """Files with one of `suffixes` directly in `folder`, sorted; hidden files are ignored."""
    suffixes = tuple(suffixes)
    try:
        with os.scandir(folder) as listing:  # is_file from the listing: no stat a file
            names = sorted(
                entry.name
                for entry in listing
                if not entry.name.startswith(".")
                and os.path.splitext(entry.name)[1].lower() in suffixes
                and entry.is_file()
            )
    except OSError as exc:
        if exc.errno in _NOT_A_FOLDER:  # (as pathlib's is_dir says False)
            return []
        raise
    return [folder / name for name in names]


def slugs_of(files: list[Path], root: Path, errors: ErrorList) -> list[tuple[str, Path]]:
    """(slug, file) pairs; unsafe slugs and two files with one slug are errors."""
    seen: dict[str, Path] = {}
    out: list[tuple[str, Path]] = []
    for path in files:
        slug = path.stem
        ref = SourceRef(relative_path(path, root), 1)
        problem = slug_problem(slug)
        if problem:
            errors.add(
                SiteError(
                    f"the file name '{path.name}' cannot be used as a URL slug: {problem}",
                    ref,
                    f"rename the file to '{suggest_slug(slug)}{path.suffix}'",
                )
            )
            continue
        if slug in seen:
            errors.add(
                SiteError(
                    f"two files have the slug '{slug}': this one and "
                    f"{relative_path(seen[slug], root)}",
                    ref,
                    "rename or remove one of them",
                )
            )
            continue
        seen[slug] = path
        out.append((slug, path))
    return out


def suggest_slug(name: str) -> str:
    """A safe slug for a file name that is not one: accents dropped, lowercase, runs of
    other characters made one hyphen ("Café Düsseldorf" -> "cafe-dusseldorf"); "page"
    when nothing is left."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "page"


_PICTURE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jfif", ".png", ".webp", ".svg", ".gif", ".avif", ".heic"}
)


def unread_files(root: Path) -> tuple[list[SiteError], list[SiteError]]:
    """What the content folders hold that is no source, in one listing of each: warnings
    for files the generator would not read (likely a wrong extension,
    `santa-monica.yaml.txt`, or a picture in the wrong place), and errors for source files
    that are links to nothing (a page, location or text that would leave the site without
    a word: the file it led to was moved or deleted). The folders: content/programs and
    content/pages (Markdown), content/locations (YAML; its folders hold local texts) and
    each folder of content/locations (Markdown). Hidden files, and the files editors and
    systems leave beside the ones they save (is_scratch_file), are left alone."""
    warnings, errors = [], []
    for place, wanted in _places(root):
        for name, folder, link in _entries(root / place):
            suffix = os.path.splitext(name)[1].lower()
            if folder or name.startswith(".") or is_scratch_file(name):
                continue
            if suffix not in wanted:
                path = root / place / name
                warnings.append(
                    SiteError(
                        f"'{name}' is not read: only {' and '.join(wanted)} files are",
                        SourceRef(relative_path(path, root)),
                        _stray_hint(name, suffix, wanted),
                    )
                )
            elif link and not (path := root / place / name).exists():
                errors.append(
                    SiteError(
                        f"'{name}' is a link to {os.readlink(path)}, which does not exist",
                        SourceRef(relative_path(path, root)),
                        "restore the file it leads to, or remove the link",
                    )
                )
    return warnings, errors


_SCRATCH_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".crdownload", ".part")
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "4913"})  # 4913: vim's write test


def is_scratch_file(name: str) -> bool:
    """Whether `name` is a file an editor or a system leaves beside the files one saves
    (a backup `about.md~`, vim's swap files and its `4913`, Emacs's `#about.md#`, an
    unfinished download, Windows' Thumbs.db and desktop.ini): never a source, and not
    worth a warning, which the preview would give at each save."""
    lower = name.lower()
    return (
        name.endswith("~")
        or (name.startswith("#") and name.endswith("#"))
        or lower.endswith(_SCRATCH_SUFFIXES)
        or lower in _SYSTEM_FILES
    )


def _places(root: Path) -> list[tuple[str, tuple[str, ...]]]:
    """The content folders of `root` and the suffixes of the files each holds."""
    places: list[tuple[str, tuple[str, ...]]] = [
        (PROGRAMS_DIR, MARKDOWN_SUFFIXES),
        (PAGES_DIR, MARKDOWN_SUFFIXES),
        (LOCATIONS_DIR, YAML_SUFFIXES),
    ]
    places += [
        (f"{LOCATIONS_DIR}/{name}", MARKDOWN_SUFFIXES)
        for name, folder, _link in _entries(root / LOCATIONS_DIR)
        if folder and not name.startswith(".")
    ]
    return places


def _entries(folder: Path) -> list[tuple[str, bool, bool]]:
    """(name, whether a folder, whether a link) of each entry of `folder`, sorted; none
    when it cannot be listed (missing, or not a folder: reported where it is read)."""
    try:
        with os.scandir(folder) as listing:
            return sorted((entry.name, entry.is_dir(), entry.is_symlink()) for entry in listing)
    except OSError:
        return []


def _stray_hint(name: str, suffix: str, wanted: tuple[str, ...]) -> str:
    stem = name[: len(name) - len(suffix)] if suffix else name
    if os.path.splitext(stem)[1].lower() in wanted:  # santa-monica.yaml.txt (a saved copy)
        return f"rename it to '{stem}' (its editor added '{suffix}'), or move it out"
    if suffix in _PICTURE_SUFFIXES:
        return "pictures go in assets/images/; name them from a text's front matter (src:)"
    return f"rename it to end in {wanted[0]}, or move it out of the content folder"
