"""content/locations/<location>.yaml -> Location."""

from __future__ import annotations

from pathlib import Path

from .errors import ErrorList, SourceRef, relative_path
from .model import Location
from .parallel_read import read_all
from .records import Records
from .schema import LocationFields
from .sources import LOCATIONS_DIR, YAML_SUFFIXES, slugs_of, source_files
from .textfiles import read_text
from .validation import validate
from .yamlio import YamlDoc, parse_yaml


def load_locations(
    root: Path, errors: ErrorList, broken: set[str], kept: Records | None = None
) -> dict[str, Location]:
    """Valid locations by slug; the slugs of location files with errors are added to `broken`.
    Files with a record in `kept` are not read again, and new records are added to it."""
    locations: dict[str, Location] = {}
    files = slugs_of(source_files(root / LOCATIONS_DIR, YAML_SUFFIXES), root, errors)
    kept = kept if kept is not None else Records()
    to_read = [(slug, path) for slug, path in files if kept.get(path) is None]

    def parse(path: Path) -> YamlDoc:
        return parse_yaml(read_text(path, root), SourceRef(relative_path(path, root)))

    parsed = read_all(parse, [path for _slug, path in to_read])
    for (slug, path), outcome in zip(to_read, parsed, strict=True):
        broken.add(slug)
        with errors.catching():
            doc = outcome.get()
            fields = validate(LocationFields, doc, doc.source.path)
            kept.put(path, Location(slug, fields, doc))
            broken.discard(slug)
    for slug, path in files:
        location = kept.get(path)
        if isinstance(location, Location):
            locations[slug] = location
    return locations
