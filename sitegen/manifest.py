"""What a build records about the pages it wrote, for `check`: the content file an
editor changes for each page, whether the page is meant to be noindex, which pages show
one program at several locations, and each location's names (for the doorway test).

The build saves it in the user's cache folder, keyed by the output folder, so that `check`
knows a folder's pages without loading the project again. A digest of it (its stamp) is
written in the output's marker file by the same commit as the pages, and kept with it: a
manifest whose stamp is not the marker's (a build stopped between the two, a cache that
could not be written) describes other pages, and is not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.cache import cache_path, load, save
from sitegen.model.project import LOCATIONS_DIR, MARKER, marker_stamp

if TYPE_CHECKING:  # annotations only: `check` starts without pydantic and the schema
    from sitegen.model.records import SiteContent
    from sitegen.model.routes import Route

MANIFEST = "sources"  # the cache file's name


@dataclass(frozen=True)
class PageSource:
    """What the build knows about one page it made (absent for folders that are not ours)."""

    source: str  # the content file the page is made from (for a program at a location,
    # the program's: its local text and the location's data are the fields below)
    line: int | None = None
    noindex: bool = False  # the page is meant to be noindex (a draft, noindex: true)
    group: str | None = None  # pages of one program at several locations share a group
    terms: tuple[str, ...] = ()  # the location's names, city, state and phones
    local_text: str | None = None  # where this page's local text is (or would be) written
    data: str | None = None  # the location file whose data (address, hours) the page shows


Manifest = dict[str, PageSource]
"""Page URL -> what the build knows about that page."""


def page_sources(content: SiteContent, routes: list[Route]) -> Manifest:
    """The manifest of a site's pages."""
    return {url: PageSource(*values) for url, values in source_tuples(content, routes).items()}


def source_tuples(content: SiteContent, routes: list[Route]) -> dict[str, tuple]:
    """PageSource fields as plain tuples (what the build stores, written while the pages
    render, so kept cheap: what a location or program gives is worked out once)."""
    found: dict[str, tuple] = {}
    programs = {slug: program.doc.source.path for slug, program in content.programs.items()}
    locations: dict[str, tuple[tuple[str, ...], str]] = {}  # slug -> its terms, its file
    for route in routes:
        location = route.location_slug
        if location is None:
            source = content.records_of(route)[0].doc.source.path
            found[route.url] = (source, 1, route.noindex, None, (), None, None)
            continue
        known = locations.get(location)
        if known is None:
            record = content.locations[location]
            known = locations[location] = (record.terms, record.doc.source.path)
        terms, data = known
        if route.kind == "program_at_location":
            group = route.program_slug
            assert group is not None  # a program at a location has one
            local_text = f"{LOCATIONS_DIR}/{location}/{group}.md"
            found[route.url] = (programs[group], 1, route.noindex, group, terms, local_text, data)
        else:  # the location's hub: made from its file
            found[route.url] = (data, 1, route.noindex, None, terms, None, data)
    return found


def manifest_stamp(manifest: Manifest | dict[str, tuple]) -> str:
    """A digest of the manifest (16 hex digits), for the output's marker: the same for the
    same manifest in every process (marshal's format 0 has no references to shared or
    interned objects, whose bytes would depend on the process)."""
    plain = {u: s if isinstance(s, tuple) else astuple(s) for u, s in manifest.items()}
    return hashlib.sha1(marshal.dumps(plain, 0)).hexdigest()[:16]


class StampMemo:
    """The stamp of the last manifest stamped (manifest_stamp), for the next build of a
    resident process or the dev server, whose manifest is mostly the same: comparing takes
    about 2 ms at 11,000 pages, stamping 20 ms."""

    def __init__(self) -> None:
        self.manifest: dict[str, tuple] | None = None
        self.stamp = ""

    def stamp_of(self, manifest: dict[str, tuple]) -> str:
        """manifest_stamp(manifest), or the last call's when its manifest equals this one."""
        if manifest != self.manifest:
            self.stamp = manifest_stamp(manifest)
            self.manifest = dict(manifest)  # a copy: the caller's may change after
        return self.stamp


def save_manifest(out: Path, manifest: Manifest | dict[str, tuple]) -> None:
    """Record the manifest of the output folder `out`, with the stamp its marker names now.
    Only a cache: a cache folder that cannot be written to just makes the next check
    slower."""
    plain = {u: s if isinstance(s, tuple) else astuple(s) for u, s in manifest.items()}
    with contextlib.suppress(OSError):
        save(cache_path(out, MANIFEST), {"stamp": folder_stamp(out), "pages": plain})


def load_manifest(out: Path) -> Manifest | None:
    """The manifest the last build into `out` recorded, or None (also when it was recorded
    for other pages than those in `out`: its stamp is not the marker's)."""
    found = load(cache_path(out, MANIFEST))
    if not isinstance(found, dict) or found.get("stamp") != folder_stamp(out):
        return None
    pages = found.get("pages")
    if not isinstance(pages, dict) or not all(
        isinstance(url, str) and _is_entry(values) for url, values in pages.items()
    ):
        return None  # missing, or written by another version (or by hand)
    return {url: PageSource(*values) for url, values in pages.items()}


def folder_stamp(out: Path) -> str | None:
    """The manifest stamp the marker of `out` names (None: no marker, or none named)."""
    try:
        return marker_stamp((out / MARKER).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def _is_entry(values: object) -> bool:
    """Whether `values` are the fields of a PageSource, with their types."""
    if not isinstance(values, tuple) or len(values) != 7:
        return False
    source, line, noindex, group, terms, local_text, data = values
    return (
        isinstance(source, str)
        and (line is None or type(line) is int)
        and type(noindex) is bool
        and (group is None or isinstance(group, str))
        and isinstance(terms, tuple)
        and all(isinstance(term, str) for term in terms)
        and (local_text is None or isinstance(local_text, str))
        and (data is None or isinstance(data, str))
    )
