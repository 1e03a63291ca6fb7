"""content/locations/<location>.yaml -> Location."""

from __future__ import annotations

from pathlib import Path

from .errors import ErrorList, SourceRef, relative_path
from .model import Location
from .parallel_read import read_all
from .schema import LocationFields
from .sources import LOCATIONS_DIR, YAML_SUFFIXES, slugs_of, source_files
from .textfiles import read_text
from .validation import validate
from .yamlio import YamlDoc, parse_yaml


def load_locations(root: Path, errors: ErrorList, broken: set[str]) -> dict[str, Location]:
    """Valid locations by slug; the slugs of location files with errors are added to `broken`."""
    locations: dict[str, Location] = {}
    files = slugs_of(source_files(root / LOCATIONS_DIR, YAML_SUFFIXES), root, errors)

    def parse(path: Path) -> YamlDoc:
        return parse_yaml(read_text(path, root), SourceRef(relative_path(path, root)))

    parsed = read_all(parse, [path for _slug, path in files])
    for (slug, _path), outcome in zip(files, parsed, strict=True):
        broken.add(slug)
        with errors.catching():
            doc = outcome.get()
            fields = validate(LocationFields, doc, doc.source.path)
            locations[slug] = Location(slug, fields, doc)
            broken.discard(slug)
    return locations
