"""Raster images as the build publishes them: a source file of assets/ (its digest, size
and kind), the variants made from it (width, format, crop) with their URLs, and the
picture a page shows (the variants by format, and the fallback).

Every name here is plain data: the planning is in sitegen.images.plan, the encoding in
sitegen.images.encode, the markup in sitegen.render.pictures.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

RASTER_SOURCES = (".jpg", ".jpeg", ".jfif", ".jpe", ".png", ".webp")
"""The files of assets/ the build resizes and re-encodes (.jfif and .jpe are JPEG's other
names: Windows saves a picture from a browser as .jfif). GIF (often animated), SVG
(drawn at any size) and ICO are published as they are."""

SOURCE_FORMATS = ("JPEG", "PNG", "WEBP")
"""The Pillow formats a raster source may be opened as (its JPEG reader also opens MPO,
a camera's JPEG with a second picture, of which the first is used). A file of another
format under one of RASTER_SOURCES' names (a TIFF, PSD, GIF or EPS renamed .jpg) is not
opened: each format is a decoder of its own to attack, and a GIF would be published with
its metadata."""

FORMATS = ("avif", "webp", "jpeg", "png")
MEDIA_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
SUFFIXES = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}

MAX_SIDE = 8000
"""Pixels: a longer side is refused (a camera's full-size file, or a decompression bomb);
a page never shows more than about 2,600 px of it."""
MAX_BYTES = 25 * 1024 * 1024
"""A source file larger than this is refused: it would slow every cold build."""

MAX_PROFILE_BYTES = 256 * 1024
"""Bytes a source's ICC colour profile may have: it is copied into every file made of the
picture (about twenty), so a 10 MB one made 190 MB of a 10 MB WebP. Real ones are small
(sRGB about 3 KB, Display P3 and Adobe RGB under 1 KB)."""

VARIANTS_URL = "/assets/variants/"
"""The folder of the files made from raster sources: every name in it carries a hash of
what made it, so it can be cached for a year."""

SOCIAL_SIZE = (1200, 630)
"""og:image in pixels: the size Facebook, LinkedIn and X show a large link card at
(https://developers.facebook.com/docs/sharing/webmasters/images, 1.91:1)."""

ENCODER_VERSION = "1"
"""Part of every variant's key: raised when the encoding code changes its output."""


class ImageProblem(ValueError):
    """A raster source the build cannot publish: `str()` says what is wrong, `fix` what
    to do about it."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix

    def __reduce__(self) -> tuple[type[ImageProblem], tuple[str, str]]:
        return type(self), (str(self), self.fix)  # it crosses from worker processes


@dataclass(frozen=True)
class SourceImage:
    """A raster file of assets/ as read from its header: `name` relative to assets/
    (images/room.jpg), the SHA-256 of its bytes (hex), its width and height in pixels as
    shown (EXIF orientation applied), its Pillow format (JPEG, PNG, WEBP), whether it has
    transparency, and whether it is animated (then it is published as it is)."""

    name: str
    digest: str
    width: int
    height: int
    format: str
    alpha: bool = False
    animated: bool = False

    @property
    def fallback(self) -> str:
        """The format every browser shows: PNG keeps transparency, JPEG for the rest."""
        return "png" if self.alpha else "jpeg"


@dataclass(frozen=True)
class Crop:
    """A box of the (oriented) source in pixels: left, top, right, bottom."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class Variant:
    """One file made from a source: its width and height in pixels, its format (one of
    FORMATS), the encoder's quality (0-100), and the part of the source it shows (None:
    all of it). `key` names it in the persistent cache; `url` is where it is published."""

    source: str  # the SourceImage's name
    digest: str  # the source's
    width: int
    height: int
    format: str
    quality: int
    crop: Crop | None = None
    url: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """A hex digest of everything the variant's bytes depend on: the source's bytes,
        the size, format, quality and crop, and the encoder (ENCODER_VERSION)."""
        crop = self.crop and (self.crop.left, self.crop.top, self.crop.right, self.crop.bottom)
        text = f"{self.digest}|{self.width}x{self.height}|{self.format}|{self.quality}|{crop}"
        return hashlib.sha256(f"{text}|{ENCODER_VERSION}".encode()).hexdigest()

    @property
    def output(self) -> str:
        """The file's path in the output folder (the URL without its leading slash)."""
        return self.url.lstrip("/")


@dataclass(frozen=True)
class Picture:
    """The published forms of one raster source: `original` (the full picture at the
    source's URL, metadata stripped), `variants` by format (each sorted by width, the
    fallback format last), and `social` (the 1200x630 crop for og:image, None when the
    source is smaller than that in either side and cannot be cropped to it)."""

    source: SourceImage
    original: Variant
    variants: dict[str, tuple[Variant, ...]]
    social: Variant | None = None

    @property
    def width(self) -> int:
        return self.source.width

    @property
    def height(self) -> int:
        return self.source.height

    def files(self) -> list[Variant]:
        """Every variant file to publish, the original first."""
        found = [self.original, *(v for group in self.variants.values() for v in group)]
        if self.social is not None:
            found.append(self.social)
        return found


Focus = tuple[float, float] | None
"""A focal point as fractions across and down from the top left (None: the centre)."""


@dataclass(frozen=True)
class Pictures:
    """Every raster source's published forms for one build (by the source's name in
    assets/), the shared-link crops (by name and focal point), and the layouts' slots
    (name -> HTML sizes value; `content`: the slot of pictures placed in Markdown)."""

    pictures: dict[str, Picture] = field(default_factory=dict)
    social: dict[tuple[str, Focus], Variant] = field(default_factory=dict)
    slots: dict[str, str] = field(default_factory=dict)
    content: str = "content"

    def files(self) -> dict[str, list[Variant]]:
        """Every file to publish, by source name."""
        found = {name: picture.files() for name, picture in self.pictures.items()}
        for (name, _focus), variant in self.social.items():
            found[name].append(variant)
        return found

    def sizes(self, slot: str) -> str:
        """The HTML sizes value of `slot`; KeyError (naming the slots there are) when the
        layouts' slot is not in site.yaml's images.slots."""
        if slot not in self.slots:
            known = ", ".join(sorted(self.slots)) or "none"
            raise KeyError(
                f"there is no image slot '{slot}' in site.yaml's images.slots (there are: {known})"
            )
        return self.slots[slot]
