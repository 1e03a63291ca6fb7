"""content/locations/<location>.yaml -> Location."""

from __future__ import annotations

from pathlib import Path

from .content import LOCATIONS_DIR
from .errors import ErrorList, SourceRef, relative_path
from .model import Location
from .schema import LocationFields
from .sources import YAML_SUFFIXES, slugs_of, source_files
from .textfiles import read_text
from .validation import validate
from .yamlio import parse_yaml


def load_locations(root: Path, errors: ErrorList, broken: set[str]) -> dict[str, Location]:
    """Valid locations by slug; the slugs of location files with errors are added to `broken`."""
    locations: dict[str, Location] = {}
    files = source_files(root / LOCATIONS_DIR, YAML_SUFFIXES)
    for slug, path in slugs_of(files, root, errors):
        broken.add(slug)
        with errors.catching():
            source = SourceRef(relative_path(path, root))
            doc = parse_yaml(read_text(path, root), source)
            fields = validate(LocationFields, doc, source.path)
            locations[slug] = Location(slug, fields, doc)
            broken.discard(slug)
    return locations
