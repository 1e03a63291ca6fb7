"""The image rules across pages, which read the image files: img-oversized (a file much
wider than the slot it is shown in) and img-modern-format (a JPEG or PNG without an AVIF
or WebP alternative). Each file's header is read once per check (ImageFiles), and each
distinct image markup (sitegen.rules.model.Picture, the same on thousands of pages) is
judged once; a page lists a file once per rule.

There is no CSS layout here: an image is as wide as its `sizes` says (sitegen.model.sizes),
else its width attribute (at most the viewport: `max-width: 100%` is near universal),
else unknown, and then it is not judged."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.check.site_rules import Site
from sitegen.model.sizes import VIEWPORTS, SizesError, media_matches, slot_width
from sitegen.rules.model import Candidate, Choice, Finding, Picture, Thresholds

DPR = {375: 2.0, 768: 2.0, 1280: 1.0}
"""The device pixel ratio of each of VIEWPORTS. Phones and tablets are 2x or more (every
iPhone and iPad since 2012, most Android phones 2.6 to 3.5); a 1280 px laptop screen is
often 1x. Lighthouse's mobile run emulates 1.75 at 412 px wide (721 image px for a full-
width image, https://github.com/GoogleChrome/lighthouse/blob/main/docs/emulation.md),
and 375 px at 2 asks 750, about the same; its desktop run is 1x at 1350 px. A higher ratio
only makes the rule more lenient (the image needs more pixels)."""

LEGACY_FORMATS = {"JPEG": "JPEG", "PNG": "PNG"}  # Pillow's names, by file signature
LEGACY_SUFFIXES = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jfif": "JPEG",
    ".jpe": "JPEG",
    ".png": "PNG",
}  # when it cannot read it


@dataclass(frozen=True)
class ImageFile:
    """What an image file's header says: Pillow's name of its format (JPEG, PNG, WEBP,
    AVIF, GIF...; "" when Pillow cannot read it, as an SVG) and its size in pixels (0, 0
    when unknown)."""

    format: str
    width: int
    height: int


class ImageFiles:
    """The headers of the image files of one built folder, each read once (by URL path),
    and their sizes in bytes. Only files of `files` (list_files: inside the folder, no
    link out of it) are read; the pixels are never decoded."""

    def __init__(self, folder: Path | None, files: Mapping[str, int]):
        self.folder = folder
        self.files = files
        self._read: dict[str, ImageFile | None] = {}

    def size(self, path: str) -> int | None:
        """The file's size in bytes, None when the build has no such file."""
        return self.files.get(path)

    def get(self, path: str) -> ImageFile | None:
        """The header of the file at URL path `path`, None when it is not in the folder."""
        if path in self._read:
            return self._read[path]
        found = None
        if self.folder is not None and path in self.files and not path.endswith(".html"):
            found = _header(os.path.join(self.folder, path.lstrip("/")))
        self._read[path] = found
        return found


def _header(file: str) -> ImageFile:
    """The format and size of the image `file` from its header (Pillow reads a few hundred
    bytes); ImageFile("", 0, 0) for what it cannot read: an SVG, a damaged or hostile
    file (a header that claims a billion pixels is only a number here). Pillow is imported
    on the first image, not when a check of a folder without one starts."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning: nothing is decoded
            with Image.open(file) as image:
                width, height = image.size
                return ImageFile(str(image.format or ""), int(width), int(height))
    except Exception:  # Pillow raises many kinds for a file it cannot read; none matter here
        return ImageFile("", 0, 0)


def findings(site: Site, thresholds: Thresholds) -> Iterator[Finding]:
    """img-oversized and img-modern-format on every page of `site`, each file at most once
    per page and rule, each distinct image judged once."""
    files = ImageFiles(site.folder, site.files)
    judged: dict[Picture, list[tuple[str, str, str]]] = {}
    for url, page in site.pages.items():
        listed: set[tuple[str, str]] = set()
        for picture in page.pictures:
            verdicts = judged.get(picture)
            if verdicts is None:
                verdicts = judged[picture] = [
                    *oversized(picture, files, thresholds),
                    *modern_format(picture, files, thresholds),
                ]
            for rule, path, message in verdicts:
                if (rule, path) not in listed:
                    listed.add((rule, path))
                    yield Finding(rule, message, url, subject=path)


def oversized(
    picture: Picture, files: ImageFiles, thresholds: Thresholds
) -> Iterator[tuple[str, str, str]]:
    """img-oversized: (rule, file, message) when, at the first of VIEWPORTS where it is so,
    the file a browser picks for the image is more than thresholds.image_oversize times
    as wide as the slot needs (its CSS width times DPR) and the pixels it has beyond them
    weigh more than thresholds.image_waste_kb: the file's bytes times 1 - needed/its
    pixels (both sides scaled alike). That is Lighthouse's uses-responsive-images, which
    flags waste over 4 KiB (https://developer.chrome.com/docs/lighthouse/performance/
    uses-responsive-images); the width ratio spares a file a little larger than needed,
    the next size of a srcset."""
    width_attribute, choices = picture[1], picture[3]
    needs: list[float] = []
    found: tuple[int, float, str, ImageFile, int, Choice] | None = None
    for viewport in VIEWPORTS:
        dpr = DPR[viewport]
        choice = _chosen(choices, viewport)
        slot = _slot(choice, choices[-1][1], width_attribute, viewport) if choice else None
        if choice is None or slot is None or slot <= 0:
            continue
        needs.append(slot * dpr)
        path = _pick(choice, viewport, dpr)
        info = files.get(path) if path else None
        size = files.size(path) if path else None
        if found or not path or not info or not info.width or not size:
            continue
        needed = slot * dpr
        wasted = size * (1 - min(1.0, needed / info.width) ** 2)
        if info.width > needed * thresholds.image_oversize and (
            wasted > thresholds.image_waste_kb * 1024
        ):
            found = (viewport, slot, path, info, size, choice)
    if found is None:
        return
    viewport, slot, path, info, size, choice = found
    dpr = DPR[viewport]
    needed = slot * dpr
    wasted = size * (1 - (needed / info.width) ** 2)
    yield (
        "img-oversized",
        path,
        f"on a {viewport} px wide screen ({dpr:g}x) the image is shown {slot:.0f} px wide "
        f"and needs {needed:.0f} px, but the browser downloads {path}, {info.width} px wide "
        f"({size / 1024:.0f} KB, about {wasted / 1024:.0f} KB of it more than needed): "
        + _fix(choice, max(needs)),
    )


def _fix(choice: Choice, widest: float) -> str:
    """What to do about an oversized image chosen from `choice`; `widest`: the most image
    pixels any of the viewports needs."""
    if not any(width for _, width, _ in choice[2]):
        return (
            "add srcset with smaller widths (w descriptors) and sizes, or resize the file "
            f"to about {widest:.0f} px wide"
        )
    if not choice[1]:
        return (
            "add sizes saying how wide the image is shown (without it the browser assumes "
            "the full screen width and picks a file that wide)"
        )
    return "add smaller widths to srcset, or correct sizes if the image is shown wider"


def _chosen(choices: tuple[Choice, ...], viewport: int) -> Choice | None:
    """The choice (a <source>, else the <img>) a browser takes at `viewport`: the first
    whose media matches (WHATWG HTML, "update the source set"); None when a media query
    cannot be read."""
    for choice in choices:
        try:
            if media_matches(choice[0], viewport):
                return choice
        except SizesError:
            return None
    return None


def _slot(choice: Choice, img_sizes: str, width: int, viewport: int) -> float | None:
    """The width in CSS px the image is shown at: by its sizes (the choice's, else the
    <img>'s), else its width attribute at most the viewport; None when unknown."""
    sizes = choice[1] or img_sizes
    if sizes:
        try:
            return slot_width(sizes, viewport)
        except SizesError:
            return None
    return float(min(width, viewport)) if width else None


def _pick(choice: Choice, viewport: int, dpr: float) -> str | None:
    """The path of the file a browser downloads from `choice` at `viewport` and `dpr`: the
    candidate of the smallest density (a width descriptor's is its width over the slot
    its sizes gives, 100vw without sizes) that is at least `dpr`, else the densest
    (https://html.spec.whatwg.org/multipage/images.html#select-an-image-source leaves the
    choice to the browser; this is what it needs, at the least). None: none, or sizes
    it cannot read."""
    candidates: list[Candidate] = list(choice[2])
    if not candidates:
        return None
    selection = float(viewport)
    if choice[1] and any(width for _, width, _ in candidates):
        try:
            selection = slot_width(choice[1], viewport)
        except SizesError:
            return None
    if selection <= 0:
        return None
    ranked = sorted(
        ((width / selection if width else density), index)
        for index, (_, width, density) in enumerate(candidates)
    )
    for density, index in ranked:
        if density >= dpr:
            return candidates[index][0]
    return candidates[ranked[-1][1]][0]


def modern_format(
    picture: Picture, files: ImageFiles, thresholds: Thresholds
) -> Iterator[tuple[str, str, str]]:
    """img-modern-format: (rule, file, message) for each JPEG or PNG file (by its
    signature, else its suffix) of the image larger than thresholds.image_modern_kb, when
    no AVIF or WebP alternative is offered (no <source type="image/avif"> or image/webp in
    its <picture>, no .avif or .webp candidate). AVIF and WebP files are commonly a
    quarter to a half smaller. Lighthouse's modern-image-formats reports estimated savings
    over 8 KiB (https://developer.chrome.com/docs/lighthouse/performance/
    uses-webp-images); without re-encoding the file, its size stands in for them."""
    if picture[2]:
        return
    paths = dict.fromkeys(path for choice in picture[3] for path, _, _ in choice[2] if path)
    for path in paths:
        size = files.size(path)
        if size is None or size <= thresholds.image_modern_kb * 1024:
            continue
        info = files.get(path)
        kind = LEGACY_FORMATS.get(info.format) if info and info.format else None
        if kind is None and not (info and info.format):
            kind = LEGACY_SUFFIXES.get(os.path.splitext(path)[1].lower())
        if kind is None:
            continue
        yield (
            "img-modern-format",
            path,
            f"{path} is a {kind} of {size / 1024:.0f} KB with no AVIF or WebP version "
            "(usually a quarter to a half smaller): let the build make AVIF and WebP (it "
            "does for pictures in assets/), or offer them in a <picture> with "
            '<source type="image/avif"> and <source type="image/webp">',
        )
