"""Finding source files and turning their names into slugs."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from sitegen.errors import ErrorList, SiteError, SourceRef, relative_path
from sitegen.model.project import MARKDOWN_SUFFIXES, PAGES_DIR, PROGRAMS_DIR
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


def stray_files(root: Path) -> list[SiteError]:
    """Files in content folders that the generator would not read: likely a wrong extension."""
    found = []
    for folder, wanted in ((PROGRAMS_DIR, MARKDOWN_SUFFIXES), (PAGES_DIR, MARKDOWN_SUFFIXES)):
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if (
                path.is_file()
                and not path.name.startswith(".")
                and path.suffix.lower() not in wanted  # read in any case (source_files)
            ):
                found.append(
                    SiteError(
                        f"'{path.name}' is not read: only {' and '.join(wanted)} files are",
                        SourceRef(relative_path(path, root)),
                        "rename it to end in .md, or move it out of the content folder",
                    )
                )
    return found
