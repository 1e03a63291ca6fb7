"""The four kinds of content file, and the site's content loaded from them:

- content/programs/<program>.md: a program, described once;
- content/locations/<location>.yaml: a location and the programs it offers;
- content/locations/<location>/<program>.md: one program's own text at one location;
- content/pages/<page>.md: an ordinary page (index.md is the home page).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from sitegen.errors import ErrorList
from sitegen.load.frontmatter import MarkdownSource
from sitegen.load.kept import Records
from sitegen.load.loader import (
    ContentKind,
    in_folder,
    in_subfolders,
    load_kind,
    parse_markdown,
    parse_yaml_file,
)
from sitegen.load.validate import validate
from sitegen.model.document import YamlDoc
from sitegen.model.project import (
    LOCATIONS_DIR,
    MARKDOWN_SUFFIXES,
    PAGES_DIR,
    PROGRAMS_DIR,
    YAML_SUFFIXES,
)
from sitegen.model.records import ContentText, LocalText, Location, Page, Program, SiteContent
from sitegen.model.schema import LocalFields, LocationFields, PageFields, ProgramFields

F = TypeVar("F", bound=BaseModel)


def validate_markdown(parsed: MarkdownSource, model: type[F]) -> tuple[F, ContentText, YamlDoc]:
    """The front matter validated against `model`, the body with the line it starts on."""
    source = parsed.meta.source
    fields = validate(model, parsed.meta, source.path)
    return fields, ContentText(parsed.body, source.at(parsed.body_line)), parsed.meta


def _program(slug: str, parsed: MarkdownSource) -> Program:
    return Program(slug, *validate_markdown(parsed, ProgramFields))


def _location(slug: str, doc: YamlDoc) -> Location:
    return Location(slug, validate(LocationFields, doc, doc.source.path), doc)


def _local_text(key: tuple[str, str], parsed: MarkdownSource) -> LocalText:
    return LocalText(key[0], key[1], *validate_markdown(parsed, LocalFields))


def _page(slug: str, parsed: MarkdownSource) -> Page:
    return Page(slug, *validate_markdown(parsed, PageFields))


PROGRAMS = ContentKind(
    "programs", in_folder(PROGRAMS_DIR, MARKDOWN_SUFFIXES), parse_markdown, _program
)
LOCATIONS = ContentKind(
    "locations", in_folder(LOCATIONS_DIR, YAML_SUFFIXES), parse_yaml_file, _location
)
LOCAL_TEXTS = ContentKind(
    "local texts", in_subfolders(LOCATIONS_DIR, MARKDOWN_SUFFIXES), parse_markdown, _local_text
)
PAGES = ContentKind("pages", in_folder(PAGES_DIR, MARKDOWN_SUFFIXES), parse_markdown, _page)


def load_content(root: Path, errors: ErrorList, kept: Records | None = None) -> SiteContent:
    """Every content file of the project as records; each problem is added to `errors`.
    (`kept`: see load_kind.)"""
    programs = load_kind(root, PROGRAMS, errors, kept)
    locations = load_kind(root, LOCATIONS, errors, kept)
    local_texts = load_kind(root, LOCAL_TEXTS, errors, kept)
    pages = load_kind(root, PAGES, errors, kept)
    return SiteContent(
        programs=programs.records,
        locations=locations.records,
        local_texts=local_texts.records,
        pages=pages.records,
        broken=frozenset(programs.broken | locations.broken),
    )
