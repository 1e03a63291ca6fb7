"""Programs, pages and location-program texts: Markdown files with front matter."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from .errors import ErrorList, SiteError, SourceRef, relative_path
from .frontmatter import MarkdownSource, split_front_matter
from .model import ContentText, LocalText, Page, Program
from .parallel_read import read_all
from .records import Records
from .schema import LocalFields, PageFields, ProgramFields
from .sources import (
    LOCATIONS_DIR,
    MARKDOWN_SUFFIXES,
    PAGES_DIR,
    PROGRAMS_DIR,
    slugs_of,
    source_files,
)
from .textfiles import read_text
from .validation import validate
from .yamlio import YamlDoc

F = TypeVar("F", bound=BaseModel)


def read_markdown(path: Path, root: Path, model: type[F]) -> tuple[F, ContentText, YamlDoc]:
    return validate_markdown(parse_markdown(path, root), model)


def parse_markdown(path: Path, root: Path) -> MarkdownSource:
    return split_front_matter(read_text(path, root), SourceRef(relative_path(path, root)))


def validate_markdown(parsed: MarkdownSource, model: type[F]) -> tuple[F, ContentText, YamlDoc]:
    source = parsed.meta.source
    fields = validate(model, parsed.meta, source.path)
    return fields, ContentText(parsed.body, source.at(parsed.body_line)), parsed.meta


def load_programs(
    root: Path, errors: ErrorList, broken: set[str], kept: Records | None = None
) -> dict[str, Program]:
    """Valid programs by slug; the slugs of program files with errors are added to `broken`.
    (`kept`: see load_locations.)"""
    programs: dict[str, Program] = {}
    kept = kept if kept is not None else Records()
    files = source_files(root / PROGRAMS_DIR, MARKDOWN_SUFFIXES)
    for slug, path in slugs_of(files, root, errors):
        program = kept.get(path)
        if program is None:
            broken.add(slug)
            with errors.catching():
                fields, body, doc = read_markdown(path, root, ProgramFields)
                program = kept.put(path, Program(slug, fields, body, doc))
                broken.discard(slug)
        if isinstance(program, Program):
            programs[slug] = program
    return programs


def load_pages(root: Path, errors: ErrorList, kept: Records | None = None) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    kept = kept if kept is not None else Records()
    files = source_files(root / PAGES_DIR, MARKDOWN_SUFFIXES)
    for slug, path in slugs_of(files, root, errors):
        page = kept.get(path)
        if page is None:
            with errors.catching():
                fields, body, doc = read_markdown(path, root, PageFields)
                page = kept.put(path, Page(slug, fields, body, doc))
        if isinstance(page, Page):
            pages[slug] = page
    return pages


def load_local_texts(
    root: Path, errors: ErrorList, kept: Records | None = None
) -> dict[tuple[str, str], LocalText]:
    """content/locations/<location>/<program>.md files, keyed by (location, program)."""
    texts: dict[tuple[str, str], LocalText] = {}
    base = root / LOCATIONS_DIR
    if not base.is_dir():
        return texts
    kept = kept if kept is not None else Records()
    files: list[tuple[str, str, Path]] = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for program, path in slugs_of(source_files(folder, MARKDOWN_SUFFIXES), root, errors):
            files.append((folder.name, program, path))
    to_read = [item for item in files if kept.get(item[2]) is None]
    parsed = read_all(lambda path: parse_markdown(path, root), [path for *_, path in to_read])
    for (location, program, path), outcome in zip(to_read, parsed, strict=True):
        with errors.catching():
            fields, body, doc = validate_markdown(outcome.get(), LocalFields)
            kept.put(path, LocalText(location, program, fields, body, doc))
    for location, program, path in files:
        text = kept.get(path)
        if isinstance(text, LocalText):
            texts[(location, program)] = text
    return texts


def stray_files(root: Path) -> list[SiteError]:
    """Files in content folders that the generator would not read: likely a wrong extension."""
    found = []
    for folder, wanted in ((PROGRAMS_DIR, MARKDOWN_SUFFIXES), (PAGES_DIR, MARKDOWN_SUFFIXES)):
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path.suffix not in wanted:
                found.append(
                    SiteError(
                        f"'{path.name}' is not read: only {' and '.join(wanted)} files are",
                        SourceRef(relative_path(path, root)),
                        "rename it to end in .md, or move it out of the content folder",
                    )
                )
    return found
