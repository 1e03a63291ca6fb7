"""Assets: the files under assets/, CSS and JS fingerprinted by content hash, image sizes."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from sitegen.errors import SiteError, SourceRef
from sitegen.load.images import read_source
from sitegen.load.svgcheck import TOO_LARGE, svg_problem
from sitegen.model.assets import Asset, AssetCatalog, leads_out
from sitegen.model.document_types import document_extension
from sitegen.model.images import RASTER_SOURCES, VARIANTS_URL, ImageProblem
from sitegen.model.limits import MAX_SITE_SVG_BYTES, MAX_SITE_SVG_TAGS, MAX_SVG_BYTES
from sitegen.model.project import ASSETS_DIR, ASSETS_URL

FINGERPRINTED = (".css", ".js")
VARIANTS_FOLDER = VARIANTS_URL.removeprefix(ASSETS_URL)  # variants/
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def collect_assets(root: Path) -> AssetCatalog:
    """Every file under assets/ (hidden ones left out), published at /assets/<name>, CSS
    and JS with a content hash in their name; links to nothing in `dangling`."""
    catalog = AssetCatalog(measure=measure_image)
    base = root / ASSETS_DIR
    if not base.is_dir():
        if base.is_symlink() and not base.exists():  # assets/ itself: named "" here
            catalog.dangling[""] = base
        return catalog
    files, dangling = _files(base)
    catalog.dangling = {path.relative_to(base).as_posix(): path for path in dangling}
    for path in files:
        name = path.relative_to(base).as_posix()
        catalog.assets[name] = Asset(name, ASSETS_URL + _published_name(name, path), path)
        if name.lower().endswith(RASTER_SOURCES):
            try:
                source = read_source(path, name)
            except ImageProblem as problem:
                catalog.problems[name] = problem
            else:
                if not source.animated:
                    catalog.sources[name] = source
    return catalog


def _files(base: Path) -> tuple[list[Path], list[Path]]:
    """The files under `base`, and the links there that lead to nothing, hidden ones and
    those in hidden folders left out, each sorted; walked with a list, not recursion, so
    that folders nested thousands deep are no RecursionError. (Other entries that are no
    file, a named pipe or a device, are load.inside's to refuse.)"""
    found: list[Path] = []
    dangling: list[Path] = []
    pending = [str(base)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    pending.append(entry.path)
                elif entry.is_file():
                    found.append(Path(entry.path))
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    dangling.append(Path(entry.path))
    return sorted(found), sorted(dangling)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


SvgChecks = dict[Path, tuple[bytes, str | None]]
"""An SVG file -> the bytes svg_problem was given from it, and what it found."""


class CheckedAssets(NamedTuple):
    """What active_asset_errors found: its errors, and each SVG's bytes as read and
    judged, which are what a build publishes (`svgs`)."""

    errors: list[SiteError]
    svgs: SvgChecks


def active_asset_errors(catalog: AssetCatalog, last: SvgChecks | None = None) -> CheckedAssets:
    """An error for each file whose name holds a control character, each file in
    assets/variants/ (the build's own folder), and for each asset that a browser would run
    as a document on the site's own address: an HTML or XML document (by its extension:
    model.document_types, .html, .xhtm, .rdf, .svgz and 150 more), or an SVG with a
    script, an event handler, embedded HTML (foreignObject) or a javascript:/data: address
    (by its content: load.svgcheck). Editors' files are data (docs/threat-model.md); a
    page belongs in content/, a script in layouts/.
    Every SVG is read once each call, and those bytes are what the build publishes (an
    editor may save the file while the build runs: a second read would publish bytes never
    judged). It is never trusted by its stat: a write through a memory map may leave it as
    it was. `last` (a resident process's, the dev server's): what the last call found,
    taken over for the very same bytes (svg_problem depends on nothing else). All the SVGs
    together stay within model.limits' MAX_SITE_SVG_BYTES and MAX_SITE_SVG_TAGS: the one
    that goes over is an error, and those after it are not read.
    Raises OSError for an SVG not read."""
    errors: list[SiteError] = [_dangling_error(name, catalog) for name in catalog.dangling]
    found: SvgChecks = {}
    spent_bytes = spent_tags = 0  # of all the SVGs read: model.limits' site-wide budget
    over_budget = False
    for name, asset in catalog.assets.items():
        source = SourceRef(f"{ASSETS_DIR}/{name}")
        if _CONTROL.search(name):
            errors.append(
                SiteError(
                    "the file's name holds a control character (a newline, a tab): its "
                    "address would too, and reports and Netlify's rules are read line by line",
                    source,
                    "rename the file with letters, digits, '-', '_' and '.' only",
                )
            )
        elif name.startswith(VARIANTS_FOLDER):
            errors.append(
                SiteError(
                    f"assets/{VARIANTS_FOLDER} is where the build publishes the sizes and "
                    "formats it makes of each picture",
                    source,
                    f"move the file out of assets/{VARIANTS_FOLDER} (any other folder will do)",
                )
            )
        elif is_svg(name):
            if over_budget:
                continue  # not read: the build fails on the budget's error
            data = _head(asset.path, MAX_SVG_BYTES + 1)
            spent_bytes += len(data)
            spent_tags += data.count(b"<")
            if spent_bytes > MAX_SITE_SVG_BYTES or spent_tags > MAX_SITE_SVG_TAGS:
                over_budget = True
                errors.append(_budget_error(name))
                continue
            kept = last.get(asset.path) if last is not None else None
            problem = kept[1] if kept is not None and kept[0] == data else svg_problem(data)
            found[asset.path] = (data, problem)
            if problem is not None:
                errors.append(_svg_error(name, problem))
        elif (suffix := document_extension(name)) is not None:
            errors.append(_document_error(suffix, source))
    return CheckedAssets(errors, found)


def is_svg(name: str) -> bool:
    """Whether the asset `name` (relative to assets/) is an SVG drawing, which
    active_asset_errors reads, judges and hands to the build to publish."""
    return name.lower().endswith(".svg")


def _dangling_error(name: str, catalog: AssetCatalog) -> SiteError:
    """The error for assets/<name>, a link to a file that does not exist (moved or
    deleted): the site would lose the file without a word, and a layout naming it would
    be told it is missing, not why."""
    try:
        target = os.readlink(catalog.dangling[name])
    except OSError:  # gone since it was listed
        target = "a file"
    return SiteError(
        f"this is a link to {target}, which does not exist (what it led to was moved or "
        "deleted): the site would be published without it",
        SourceRef(f"{ASSETS_DIR}/{name}" if name else ASSETS_DIR),
        "restore the file it leads to, or remove the link",
    )


def _document_error(suffix: str, source: SourceRef) -> SiteError:
    if suffix == ".svgz":
        return SiteError(
            "a compressed SVG cannot be checked for scripts, and a browser opens it as a "
            "document on the site's address",
            source,
            "save the drawing as plain .svg: the build checks it, and hosts compress it",
        )
    return SiteError(
        f"an HTML or XML file in assets/ ({suffix}) would be a page that can run script "
        "on the site's address",
        source,
        "write a page in content/pages/ instead; assets are pictures, fonts, "
        "styles and documents such as PDF",
    )


def _svg_error(name: str, problem: str) -> SiteError:
    """The error for assets/<name>, an SVG with `problem` (load.svgcheck's): a limit it is
    over, or what a browser would run or embed."""
    if problem.endswith(TOO_LARGE):
        return SiteError(
            f"this SVG is larger than the build checks: {problem}",
            SourceRef(f"{ASSETS_DIR}/{name}"),
            "simplify the drawing (fewer shapes, attributes and points), or save it as PNG "
            "or WebP, which the build makes sizes of",
        )
    return SiteError(
        f"this SVG could run or embed something when a browser opens it: {problem}",
        SourceRef(f"{ASSETS_DIR}/{name}"),
        "export the picture again as plain SVG (shapes, paths, text, "
        "gradients), without scripts, links or embedded files",
    )


def _budget_error(name: str) -> SiteError:
    """The error for the SVG that takes the site's drawings over MAX_SITE_SVG_BYTES or
    MAX_SITE_SVG_TAGS (those after it are not read)."""
    return SiteError(
        f"with this drawing the site's SVGs are over {MAX_SITE_SVG_BYTES // (1024 * 1024)} "
        f"MB or {MAX_SITE_SVG_TAGS:,} tags together, more than a site's drawings need "
        "(each is checked for scripts, and held until it is published)",
        SourceRef(f"{ASSETS_DIR}/{name}"),
        "save large pictures as PNG, JPEG or WebP, which the build makes sizes of; keep "
        "SVG for icons and illustrations",
    )


def _head(path: Path, size: int) -> bytes:
    """The first `size` bytes of the file at `path` (all of a smaller one)."""
    with path.open("rb") as file:
        return file.read(size)


def _published_name(name: str, path: Path) -> str:
    """css/site.css -> css/site.1a2b3c4d5e.css, so the file can be cached forever."""
    if not name.endswith(FINGERPRINTED):
        return name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}{dot}{suffix}"


def check_image(catalog: AssetCatalog, name: str, source: SourceRef) -> SiteError | None:
    """An error when `name` (relative to assets/) is not an image that exists."""
    if leads_out(name):
        return SiteError(
            f"image '{name}' leads out of the assets/ folder: pictures are published from "
            "there only",
            source,
            "write its path inside assets/, e.g. images/group-therapy.svg, and put the file there",
        )
    if not catalog.has(name):
        return SiteError(
            f"image '{name}' not found: {catalog.missing_message(name)}",
            source,
            "image paths are relative to the assets/ folder, e.g. images/group-therapy.svg",
        )
    problem = catalog.problems.get(name)
    if problem is not None:
        return SiteError(f"image '{name}': {problem}", source, problem.fix)
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
    from PIL import Image as PillowImage  # only sites with raster images pay its import

    try:
        with PillowImage.open(path) as image:
            width, height = image.size
            return int(width), int(height)
    except PillowImage.DecompressionBombError as exc:
        raise ValueError(f"its size is too large to be a picture ({exc})") from exc
    except OSError as exc:
        raise ValueError("not an image Pillow can read") from exc


def _svg_size(path: Path) -> tuple[int, int]:
    try:
        # read here: lxml cannot take a path (or a file's name) that is not UTF-8
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"invalid SVG ({exc})") from exc
    width, height = _length(root.get("width")), _length(root.get("height"))
    if not (width and height):
        box = (root.get("viewBox") or "").replace(",", " ").split()
        if len(box) != 4:
            raise ValueError("the SVG has neither width/height nor a viewBox")
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError as exc:
            raise ValueError(f"the SVG's viewBox is not four numbers ({exc})") from exc
    if not (0 < width < 1e6 and 0 < height < 1e6):  # also refuses inf and nan
        raise ValueError("the SVG's width and height must be positive numbers below 1,000,000")
    return round(width), round(height)


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) if match else None
