"""The site as loaded and validated: plain, frozen records passed between build steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceRef
from .schema import (
    ImageRef,
    LocalFields,
    LocationFields,
    PageFields,
    ProgramFields,
    SiteFields,
)
from .urls import output_file
from .yamlio import YamlDoc


@dataclass(frozen=True)
class ContentText:
    """Editor text that may use content variables, with the file position of its first line."""

    text: str
    source: SourceRef


@dataclass(frozen=True)
class SiteConfig:
    fields: SiteFields
    doc: YamlDoc
    root: Path

    @property
    def base_url(self) -> str:
        return self.fields.base_url


@dataclass(frozen=True)
class Program:
    slug: str
    fields: ProgramFields
    body: ContentText
    doc: YamlDoc


@dataclass(frozen=True)
class Location:
    slug: str
    fields: LocationFields
    doc: YamlDoc


@dataclass(frozen=True)
class LocalText:
    """content/locations/<location>/<program>.md: one program's text at one location."""

    location: str
    program: str
    fields: LocalFields
    body: ContentText
    doc: YamlDoc


@dataclass(frozen=True)
class Page:
    slug: str
    fields: PageFields
    body: ContentText
    doc: YamlDoc


@dataclass(frozen=True)
class SiteContent:
    programs: dict[str, Program] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    local_texts: dict[tuple[str, str], LocalText] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    broken: frozenset[str] = frozenset()
    """Slugs of program and location files that exist but have errors (already reported)."""


@dataclass(frozen=True)
class Route:
    """One page of the output: its URL, the file it is written to, and what it shows."""

    url: str
    kind: str
    layout: str
    source: SourceRef
    program: str | None = None
    location: str | None = None
    page: str | None = None
    noindex: bool = False  # a draft, or a page marked noindex

    @property
    def output(self) -> str:
        """The file the page is written to: /a/b/ -> a/b/index.html."""
        return output_file(self.url)


def image_refs(fields: ProgramFields | LocationFields | LocalFields) -> list[tuple[tuple, str]]:
    """Every (field path, asset path) of images named in a front matter or location file."""
    found: list[tuple[tuple, str]] = []
    hero: ImageRef | None = getattr(fields, "hero", None)
    if hero:
        found.append((("hero", "src"), hero.src))
    for index, benefit in enumerate(getattr(fields, "benefits", [])):
        found.append((("benefits", index, "image"), benefit.image))
    for index, photo in enumerate(getattr(fields, "photos", [])):
        found.append((("photos", index, "src"), photo.src))
    return found


def text_at(record: Program | Location | LocalText | Page, path: tuple, value: str) -> ContentText:
    """A text field of a front matter or location file, positioned at the line of its value."""
    doc = record.doc
    return ContentText(value, doc.source.at(doc.text_start_line(path)))
