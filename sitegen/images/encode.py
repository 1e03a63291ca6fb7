"""Encoding: one source decoded once, then each of its variants resized from it (Lanczos),
cropped, and saved without the metadata that leaks (EXIF: GPS position, camera serial
numbers, dates; XMP; comments), keeping the colour profile and the orientation (applied
to the pixels, so the EXIF tag is not needed)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.model.images import SOURCE_FORMATS, ImageProblem, Variant

if TYPE_CHECKING:
    from PIL.Image import Image as PillowImage

# libavif's effort, 0 (slowest) to 10: on the example's photographs 8 encodes 3 to 10
# times faster than its default 6, for files within a few per cent of the same size
AVIF_SPEED = 8
WEBP_METHOD = 4  # libwebp's 0-6 effort; 4 is its default


def avif_available() -> bool:
    """Whether the installed Pillow writes AVIF: it knows the module (older Pillows do
    not, and `features.check` warns about a name it does not know) and it was built with
    libavif (PIL.features.check_module)."""
    from PIL import features

    return "avif" in features.modules and bool(features.check_module("avif"))


def encode_variants(path: Path, variants: list[Variant]) -> Iterator[tuple[Variant, bytes]]:
    """Each of `variants` of the source file `path`, as (variant, the file's bytes), in
    order. Raises ImageProblem when the source cannot be decoded (a truncated or corrupt
    file), or `variants` are not all of one source."""
    # the readers of SOURCE_FORMATS: else Image.open imports all of Pillow's (see read_source)
    from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401

    try:
        with Image.open(path, formats=SOURCE_FORMATS) as opened:
            opened.load()
            picture = ImageOps.exif_transpose(opened)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageProblem(
            f"the picture cannot be decoded ({exc}): the file may be cut short or damaged",
            "open it in a photo editor and export it again as JPEG or PNG",
        ) from exc
    profile = picture.info.get("icc_profile")
    picture = _plain(picture)
    for variant in variants:
        yield variant, _encode(picture, variant, profile)


def _plain(picture: PillowImage) -> PillowImage:
    """The pixels in RGB or RGBA (L for greyscale), with no metadata left in `info`."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in picture.info
    if picture.mode == "L" and not has_alpha:
        converted = picture.copy()
    elif picture.mode == "I;16" or picture.mode.startswith("I"):
        converted = picture.point(lambda value: value / 256).convert("L")
    else:
        converted = picture.convert("RGBA" if has_alpha else "RGB")
    converted.info = {}
    return converted


def _encode(picture: PillowImage, variant: Variant, profile: bytes | None) -> bytes:
    from PIL import Image

    if variant.crop is not None:
        crop = variant.crop
        picture = picture.crop((crop.left, crop.top, crop.right, crop.bottom))
    if picture.size != (variant.width, variant.height):
        picture = picture.resize(
            (variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
    if variant.format == "jpeg" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    options: dict[str, object] = {}
    if profile:
        options["icc_profile"] = profile
    if variant.format == "jpeg":
        options.update(quality=variant.quality, optimize=True, progressive=True)
    elif variant.format == "webp":
        options.update(quality=variant.quality, method=WEBP_METHOD)
    elif variant.format == "avif":
        # one thread: the build already encodes one picture per core
        options.update(quality=variant.quality, speed=AVIF_SPEED, max_threads=1)
    elif variant.format == "png":
        options.update(optimize=True)
    buffer = io.BytesIO()
    picture.save(buffer, variant.format.upper(), **options)
    return buffer.getvalue()
