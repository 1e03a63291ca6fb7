"""What the build knows about the pages it made, for the checker: the content file to
change, whether a page is meant to be noindex, and a location's names for the doorway
test. Written to the user's cache folder after each build, so `check` need not reload the
project; rebuilt from the project when it is missing."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..sources import LOCATIONS_DIR
from ..usstates import US_STATES
from .model import PageSource

if TYPE_CHECKING:  # the build's model is not imported by `check` alone: it starts faster
    from ..model import Route, SiteContent


def cache_dir() -> Path:
    """The user's cache folder (never the project or its output): $SITEGEN_CACHE, else
    $XDG_CACHE_HOME/sitegen, else ~/.cache/sitegen."""
    if os.environ.get("SITEGEN_CACHE"):
        return Path(os.environ["SITEGEN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitegen"


def page_sources(content: SiteContent, routes: list[Route]) -> dict[str, PageSource]:
    return {url: PageSource(*values) for url, values in source_tuples(content, routes).items()}


def source_tuples(content: SiteContent, routes: list[Route]) -> dict[str, tuple]:
    """PageSource fields as plain tuples (what the build stores for `check`, written while
    the pages render, so kept cheap)."""
    found: dict[str, tuple] = {}
    terms_of: dict[str, tuple[str, ...]] = {}
    for route in routes:
        terms: tuple[str, ...] = ()
        if route.location:
            if route.location not in terms_of:
                terms_of[route.location] = _location_terms(content, route.location)
            terms = terms_of[route.location]
        local_text = None
        if route.kind == "program_at_location":
            local = content.local_texts.get((route.location, route.program))
            record = local or content.programs[route.program]
            local_text = f"{LOCATIONS_DIR}/{route.location}/{route.program}.md"
        elif route.location:
            record = content.locations[route.location]
        elif route.program:
            record = content.programs[route.program]
        else:
            record = content.pages[route.page]
        found[route.url] = (
            record.doc.source.path,
            1,
            route.noindex,
            route.program if local_text else None,
            terms,
            local_text,
        )
    return found


def _location_terms(content: SiteContent, slug: str) -> tuple[str, ...]:
    """A location's names, state, phone, street address and hours: what differs between
    its pages and another location's when they are made from one template."""
    f = content.locations[slug].fields
    terms = (f.name, f.city, f.state, US_STATES[f.state])
    terms += (f.phone,) if f.phone else ()
    terms += (f.address.street, f.address.postal_code) if f.address else ()
    return terms + tuple(f.hours)


def cache_path(out: Path, name: str) -> Path:
    """The cache file `name` of the output folder `out` (keyed by its absolute path)."""
    key = hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"{name}-{key}.marshal"


def save(path: Path, data: object) -> None:
    """Write atomically: a reader never sees half a file. The caches hold only plain values
    (str, int, tuples, lists, dicts, frozensets), which marshal writes and reads several
    times faster than pickle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(marshal.dumps(data))
    os.replace(temporary, path)


def load(path: Path) -> object | None:
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
