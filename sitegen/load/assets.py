"""Assets: the files under assets/, CSS and JS fingerprinted by content hash, image sizes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lxml import etree

from sitegen.errors import SiteError, SourceRef
from sitegen.model.assets import Asset, AssetCatalog
from sitegen.model.project import ASSETS_DIR, ASSETS_URL

FINGERPRINTED = (".css", ".js")
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def collect_assets(root: Path) -> AssetCatalog:
    """Every file under assets/ (hidden ones left out), published at /assets/<name>, CSS
    and JS with a content hash in their name."""
    catalog = AssetCatalog(measure=measure_image)
    base = root / ASSETS_DIR
    if not base.is_dir():
        return catalog
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        name = path.relative_to(base).as_posix()
        if any(part.startswith(".") for part in name.split("/")):
            continue
        catalog.assets[name] = Asset(name, ASSETS_URL + _published_name(name, path), path)
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


def measure_image(path: Path) -> tuple[int, int]:
    """(width, height) of an SVG (its width/height, else its viewBox) or a raster image
    (by Pillow); ValueError when it cannot be read."""
    if path.suffix.lower() == ".svg":
        return _svg_size(path)
    try:
        from PIL import Image as PillowImage  # only sites with raster images pay its import

        with PillowImage.open(path) as image:
            width, height = image.size
            return int(width), int(height)
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
