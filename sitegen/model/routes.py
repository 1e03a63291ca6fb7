"""Routes: one record per page of the output, typed by kind, so that a program page at a
location always has its program and its location, and a hub or an ordinary page never
pretends to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Literal

from sitegen.errors import SourceRef
from sitegen.model.urls import output_file

Kind = Literal["program_at_location", "location", "program", "page"]
KINDS: tuple[Kind, ...] = ("program_at_location", "location", "program", "page")


@dataclass(frozen=True, kw_only=True)
class BaseRoute:
    """What every page has: its URL, its layout (a file name in layouts/ without .html),
    the source line that makes it, and whether it is kept out of search (a draft, or a page
    marked noindex)."""

    kind: ClassVar[Kind]
    url: str
    layout: str
    source: SourceRef
    noindex: bool = False

    @cached_property
    def output(self) -> str:
        """The file the page is written to: /a/b/ -> a/b/index.html (worked out once: the
        build asks for it several times a page)."""
        return output_file(self.url)

    @property
    def program_slug(self) -> str | None:
        """The program the page shows, if it shows one."""
        return None

    @property
    def location_slug(self) -> str | None:
        """The location the page shows, if it shows one."""
        return None

    @property
    def key(self) -> tuple[str, ...]:
        """The page's identity apart from its URL: its kind and slugs."""
        return (self.kind,)


@dataclass(frozen=True, kw_only=True)
class ProgramAtLocationRoute(BaseRoute):
    """One program at one location: /los-angeles/intensive-outpatient/."""

    kind: ClassVar[Kind] = "program_at_location"
    program: str
    location: str

    @property
    def program_slug(self) -> str:
        """The program the page shows (its slug): always one."""
        return self.program

    @property
    def location_slug(self) -> str:
        """The location the page shows (its slug): always one."""
        return self.location

    @property
    def key(self) -> tuple[str, ...]:
        """("program_at_location", program, location)."""
        return self.key_of(self.program, self.location)

    @classmethod
    def key_of(cls, program: str, location: str) -> tuple[str, ...]:
        """The key of the page of `program` at `location`, to find its route by slugs."""
        return (cls.kind, program, location)


@dataclass(frozen=True, kw_only=True)
class LocationRoute(BaseRoute):
    """A location's hub: the programs offered there."""

    kind: ClassVar[Kind] = "location"
    location: str

    @property
    def location_slug(self) -> str:
        """The location of the hub (its slug): always one."""
        return self.location

    @property
    def key(self) -> tuple[str, ...]:
        """("location", location)."""
        return self.key_of(self.location)

    @classmethod
    def key_of(cls, location: str) -> tuple[str, ...]:
        """The key of the hub of `location`, to find its route by slug."""
        return (cls.kind, location)


@dataclass(frozen=True, kw_only=True)
class ProgramRoute(BaseRoute):
    """A program's hub: the program and the locations that offer it."""

    kind: ClassVar[Kind] = "program"
    program: str

    @property
    def program_slug(self) -> str:
        """The program of the hub (its slug): always one."""
        return self.program

    @property
    def key(self) -> tuple[str, ...]:
        """("program", program)."""
        return self.key_of(self.program)

    @classmethod
    def key_of(cls, program: str) -> tuple[str, ...]:
        """The key of the hub of `program`, to find its route by slug."""
        return (cls.kind, program)


@dataclass(frozen=True, kw_only=True)
class PageRoute(BaseRoute):
    """An ordinary page of content/pages/ (the home page among them)."""

    kind: ClassVar[Kind] = "page"
    page: str

    @property
    def key(self) -> tuple[str, ...]:
        """("page", page)."""
        return self.key_of(self.page)

    @classmethod
    def key_of(cls, page: str) -> tuple[str, ...]:
        """The key of the page content/pages/<page>.md, to find its route by slug."""
        return (cls.kind, page)


Route = ProgramAtLocationRoute | LocationRoute | ProgramRoute | PageRoute
"""Any page of the output."""


@dataclass(frozen=True)
class Alias:
    """An old address of a page (`aliases:` in its file), redirected to it for good."""

    url: str  # the old address
    target: str  # the page's URL now
    source: SourceRef
