"""The site as loaded and validated: plain, frozen records passed between build steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sitegen.errors import SourceRef
from sitegen.model.document import LineStarts, YamlDoc
from sitegen.model.facts import site_facts
from sitegen.model.routes import (
    LocationRoute,
    ProgramAtLocationRoute,
    ProgramRoute,
    Route,
)
from sitegen.model.schema import LocalFields, LocationFields, PageFields, ProgramFields
from sitegen.model.site_schema import SiteFields
from sitegen.model.usstates import US_STATES


@dataclass(frozen=True)
class ContentText:
    """Editor text that may use content variables, with the file position of its first line
    and, for a YAML text written over several lines, where each of them begins in the text
    (document.LineStarts; empty: the text's lines are the file's, from `source.line` on)."""

    text: str
    source: SourceRef
    line_starts: LineStarts = ()

    def __hash__(self) -> int:
        """Kept once worked out: a text is a key of the renderer's and the page gate's
        caches, looked up for each id of each page that shows it (its line starts are a
        tuple of hundreds of numbers, hashed again on every call otherwise)."""
        found: int | None = self.__dict__.get("_hash")
        if found is None:
            found = self.__dict__["_hash"] = hash((self.text, self.source, self.line_starts))
        return found

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the kept hash: another process may hash strings otherwise."""
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}


@dataclass(frozen=True)
class SiteConfig:
    """site.yaml, validated: its fields, the parsed document (for error positions) and the
    project folder it was read from."""

    fields: SiteFields
    doc: YamlDoc
    root: Path

    @property
    def base_url(self) -> str:
        """The production origin, without a trailing slash: https://www.example.com."""
        return self.fields.base_url

    @cached_property
    def facts(self) -> dict[str, str]:
        """The site-level content variables (facts.site_facts), worked out once a build:
        every page's variables start from them. Do not change the dict."""
        return site_facts(self.fields)


@dataclass(frozen=True)
class Program:
    """content/programs/<slug>.md: a program's front matter and its Markdown body."""

    slug: str
    fields: ProgramFields
    body: ContentText
    doc: YamlDoc


@dataclass(frozen=True)
class Location:
    """content/locations/<slug>.yaml: a location, its address and the programs it offers."""

    slug: str
    fields: LocationFields
    doc: YamlDoc

    @property
    def state_name(self) -> str:
        """The state's name (California for CA)."""
        return US_STATES[self.fields.state]

    @property
    def terms(self) -> tuple[str, ...]:
        """The location's names, state, phone, street address and hours: what differs
        between its pages and another location's when both are made from one text."""
        f = self.fields
        terms: tuple[str, ...] = (f.name, f.city, f.state, self.state_name)
        terms += (f.phone,) if f.phone else ()
        terms += (f.address.street, f.address.postal_code) if f.address else ()
        return terms + tuple(f.hours)


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
    """content/pages/<slug>.md: an ordinary page's front matter and body (index: the home
    page)."""

    slug: str
    fields: PageFields
    body: ContentText
    doc: YamlDoc


@dataclass(frozen=True)
class SiteContent:
    """Every valid content file of the site: programs and locations by slug, local texts by
    (location, program), pages by slug."""

    programs: dict[str, Program] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    local_texts: dict[tuple[str, str], LocalText] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    broken: frozenset[str] = frozenset()
    """Slugs of program and location files that exist but have errors (already reported)."""
    memo: dict[object, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    """What is worked out from this content once (view_parts.section_pages, files_of_pages
    and urls_by_key, for one list of routes): a new content, a new memo."""

    def programs_in_order(self) -> list[Program]:
        """Programs in the order pages list them: by `order`, then by title."""
        return sorted(self.programs.values(), key=lambda p: (p.fields.order, p.fields.title))

    def locations_in_order(self) -> list[Location]:
        """Locations in the order pages list them: by `order`, then by name."""
        return sorted(self.locations.values(), key=lambda loc: (loc.fields.order, loc.fields.name))

    def records_of(self, route: Route) -> list[Program | Location | LocalText | Page]:
        """The records a page is made from: for a program at a location, the program, the
        location and the location's text for it (if any); else the one record."""
        # isinstance, not `match`: site-wide passes ask this of every page, every build
        if isinstance(route, ProgramAtLocationRoute):
            local = self.local_texts.get((route.location, route.program))
            found: list[Program | Location | LocalText | Page]
            found = [self.programs[route.program], self.locations[route.location]]
            return [*found, local] if local else found
        if isinstance(route, LocationRoute):
            return [self.locations[route.location]]
        if isinstance(route, ProgramRoute):
            return [self.programs[route.program]]
        return [self.pages[route.page]]

    def source_of(self, route: Route) -> str:
        """The content file an editor changes for this page (relative to the project): a
        program page's local text when it has one, else its program."""
        records = self.records_of(route)
        chosen = records[-1] if isinstance(records[-1], LocalText) else records[0]
        return chosen.doc.source.path

    def draft_file(self, route: Route) -> str | None:
        """The file whose `draft: true` keeps this page out of a build, if one does: for a
        program at a location, the program's when it is the draft, else the location's."""
        drafts = [
            r.doc.source.path
            for r in self.records_of(route)
            if not isinstance(r, LocalText) and r.fields.draft
        ]
        return drafts[0] if drafts else None

    def files_of(self, route: Route) -> list[str]:
        """Every content file the page is made from (relative to the project): the page
        changed when one of them did."""
        return [r.doc.source.path for r in self.records_of(route)]

    def files_of_pages(self, routes: list[Route]) -> list[tuple[str, ...]]:
        """`files_of` each route, in order, as tuples: what site-wide passes ask of every
        page (the sitemap's dates, which pages a rebuild renders), with each file's path
        looked up once, not once a page; worked out once for the same `routes` object
        (15 ms at 11,000 pages), kept in `memo`; not to be changed."""
        kept = self.memo.get("files_of_pages")
        if kept is not None and kept[0] is routes:
            return kept[1]  # type: ignore[no-any-return]  # put there below
        found = self._files_of_pages(routes)
        self.memo["files_of_pages"] = (routes, found)
        return found

    def urls_by_key(self, routes: list[Route]) -> dict[tuple[str, ...], str]:
        """Each route's URL by its key (Route.key: what it shows): what the aliases and the
        digest of what pages show of each other look up; worked out once for the same
        `routes` object (7 ms at 11,000 pages), kept in `memo`; not to be changed."""
        kept = self.memo.get("urls_by_key")
        if kept is not None and kept[0] is routes:
            return kept[1]  # type: ignore[no-any-return]  # put there below
        found = {route.key: route.url for route in routes}
        self.memo["urls_by_key"] = (routes, found)
        return found

    def _files_of_pages(self, routes: list[Route]) -> list[tuple[str, ...]]:
        programs = {slug: r.doc.source.path for slug, r in self.programs.items()}
        locations = {slug: r.doc.source.path for slug, r in self.locations.items()}
        local = {key: r.doc.source.path for key, r in self.local_texts.items()}
        found: list[tuple[str, ...]] = []
        for route in routes:
            if isinstance(route, ProgramAtLocationRoute):
                files = (programs[route.program], locations[route.location])
                text = local.get((route.location, route.program))
                found.append((*files, text) if text else files)
            else:
                found.append(tuple(self.files_of(route)))
        return found


def image_refs(fields: ProgramFields | LocationFields | LocalFields) -> list[tuple[tuple, str]]:
    """Every (field path, asset path) of images named in a front matter or location file."""
    # by the kind of file: asking a pydantic model for a field it lacks raises inside
    found: list[tuple[tuple, str]] = []
    if isinstance(fields, LocationFields):
        for index, photo in enumerate(fields.photos):
            found.append((("photos", index, "src"), photo.src))
        return found
    if fields.hero:
        found.append((("hero", "src"), fields.hero.src))
    if isinstance(fields, ProgramFields):
        for index, benefit in enumerate(fields.benefits):
            found.append((("benefits", index, "image"), benefit.image))
    return found


def text_at(record: Program | Location | LocalText | Page, path: tuple, value: str) -> ContentText:
    """A text field of a front matter or location file, positioned at the line of its value
    (and each of its written lines at theirs). Made once for the same document, path and
    value (a build asks for a location's about several times, and a rebuild again)."""
    doc = record.doc
    key = ("text_at", path, value)
    found = doc.memo.get(key)
    if found is None:
        at = doc.source.at(doc.text_start_line(path))
        found = doc.memo[key] = ContentText(value, at, doc.line_starts(path))
    return found
