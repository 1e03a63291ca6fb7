"""Assets: the files under assets/, CSS and JS fingerprinted by content hash, image sizes."""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from sitegen.errors import SiteError, SourceRef
from sitegen.model.project import ASSETS_DIR

URL_PREFIX = "/assets/"
FINGERPRINTED = (".css", ".js")
# Pictures social networks and search features show (not SVG), by suffix, with their type.
RASTER_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".webp": "image/webp", ".gif": "image/gif"}  # fmt: skip
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


@dataclass(frozen=True)
class Asset:
    """One file of assets/: its name there, the URL it is published at, and its bytes' path."""

    name: str
    url: str
    path: Path

    @property
    def output(self) -> str:
        return self.url.lstrip("/")


@dataclass
class AssetCatalog:
    assets: dict[str, Asset] = field(default_factory=dict)
    _sizes: dict[str, tuple[int, int]] = field(default_factory=dict)

    def url(self, name: str) -> str:
        """The published URL of assets/<name>; KeyError with a suggestion when it is missing."""
        asset = self.assets.get(name.lstrip("/").removeprefix("assets/"))
        if asset is None:
            raise KeyError(self.missing_message(name))
        return asset.url

    def missing_message(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.assets), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"there is no file assets/{name}{hint}"

    def has(self, name: str) -> bool:
        return name in self.assets

    def image_size(self, name: str) -> tuple[int, int]:
        if name not in self._sizes:
            self._sizes[name] = _measure(self.assets[name].path)
        return self._sizes[name]


def collect_assets(root: Path) -> AssetCatalog:
    catalog = AssetCatalog()
    base = root / ASSETS_DIR
    if not base.is_dir():
        return catalog
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        name = path.relative_to(base).as_posix()
        if any(part.startswith(".") for part in name.split("/")):
            continue
        catalog.assets[name] = Asset(name, URL_PREFIX + _published_name(name, path), path)
    return catalog


def _published_name(name: str, path: Path) -> str:
    """css/site.css -> css/site.1a2b3c4d5e.css, so the file can be cached forever."""
    if not name.endswith(FINGERPRINTED):
        return name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}{dot}{suffix}"


def check_image(catalog: AssetCatalog, name: str, source: SourceRef) -> SiteError | None:
    """An error when `name` (relative to assets/) is not an image that exists."""
    if not catalog.has(name):
        return SiteError(
            f"image '{name}' not found: {catalog.missing_message(name)}",
            source,
            "image paths are relative to the assets/ folder, e.g. images/group-therapy.svg",
        )
    try:
        catalog.image_size(name)
    except ValueError as exc:
        return SiteError(f"image '{name}' cannot be read: {exc}", source)
    return None


def _measure(path: Path) -> tuple[int, int]:
    if path.suffix.lower() == ".svg":
        return _svg_size(path)
    try:
        from PIL import Image as PillowImage  # only sites with raster images pay its import

        with PillowImage.open(path) as image:
            return image.size
    except OSError as exc:
        raise ValueError("not an image Pillow can read") from exc


def _svg_size(path: Path) -> tuple[int, int]:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"invalid SVG ({exc})") from exc
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width and height:
        return round(width), round(height)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        return round(float(box[2])), round(float(box[3]))
    raise ValueError("the SVG has neither width/height nor a viewBox")


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) if match else None
