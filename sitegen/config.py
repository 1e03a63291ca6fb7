"""site.yaml -> SiteConfig."""

from __future__ import annotations

from pathlib import Path

from .errors import SiteError, SourceRef
from .model import SiteConfig
from .schema import SiteFields
from .textfiles import read_text
from .validation import validate
from .yamlio import parse_yaml

CONFIG_FILE = "site.yaml"


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read site.yaml; `base_url` (from the command line) replaces the file's value."""
    path = root / CONFIG_FILE
    if not path.is_file():
        raise SiteError(
            f"no {CONFIG_FILE} in {root.resolve()}",
            SourceRef(CONFIG_FILE),
            "run the command from the project folder, or create site.yaml",
        )
    doc = parse_yaml(read_text(path, root), SourceRef(CONFIG_FILE))
    if base_url is not None and isinstance(doc.data, dict):
        doc.data["base_url"] = base_url
    fields = validate(SiteFields, doc, CONFIG_FILE)
    return SiteConfig(fields, doc, root)
