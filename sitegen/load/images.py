"""Reading a raster source's header: its size as shown, its kind, and what is wrong with it
for the web (too large, CMYK, unreadable), without decoding its pixels."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

from sitegen.model.images import (
    MAX_BYTES,
    MAX_PROFILE_BYTES,
    MAX_SIDE,
    SOURCE_FORMATS,
    ImageProblem,
    SourceImage,
)

_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
ORIENTATION_TAG = 0x0112


def read_source(path: Path, name: str) -> SourceImage:
    """The SourceImage of the raster file `path` (`name` relative to assets/), from its
    header and a SHA-256 of its bytes. Raises ImageProblem when the file is larger than
    MAX_BYTES, not a JPEG, PNG or WebP (SOURCE_FORMATS, whatever its name), larger than
    MAX_SIDE on a side, CMYK (which browsers show with wrong colours and AVIF and WebP
    cannot hold), with a colour profile over MAX_PROFILE_BYTES, or animated with metadata
    (an animated picture is published as it is, so its EXIF, XMP or text would be too)."""
    # Only sites with raster images pay Pillow's import. Its JPEG, PNG and WebP readers
    # are imported here: Image.open imports all its ~40 readers (~30 ms) when a format
    # of `formats` has none registered yet.
    from PIL import Image, JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401

    data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
    if data is None:
        megabytes = path.stat().st_size / 1024 / 1024
        raise ImageProblem(
            f"the file is {megabytes:.0f} MB; the build takes pictures up to "
            f"{MAX_BYTES // 1024 // 1024} MB",
            "export it again at most 4,000 px wide (JPEG quality 85 is plenty for the web)",
        )
    try:
        with Image.open(path, formats=SOURCE_FORMATS) as image:
            width, height = image.size
            if max(width, height) > MAX_SIDE:
                raise ImageProblem(
                    f"the picture is {width} x {height} px; the build takes at most {MAX_SIDE:,} "
                    "px on a side",
                    "resize it to at most 4,000 px wide before adding it",
                )
            if image.mode == "CMYK":
                raise ImageProblem(
                    "the picture is in CMYK (print colours): browsers show it with wrong "
                    "colours and AVIF and WebP cannot hold it",
                    "export it again as RGB (sRGB) from the photo editor",
                )
            profile = image.info.get("icc_profile") or b""
            if len(profile) > MAX_PROFILE_BYTES:
                raise ImageProblem(
                    f"the picture's colour profile has {len(profile) // 1024:,} KB; the build "
                    f"takes profiles up to {MAX_PROFILE_BYTES // 1024} KB (it is copied into "
                    "every file made of the picture)",
                    "export it again in sRGB (or Display P3) from the photo editor",
                )
            orientation = image.getexif().get(ORIENTATION_TAG, 1)
            alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
                "transparency" in image.info
            )
            kind = str(image.format)
            # an MPO's second picture (a camera's preview or depth map) is no animation
            animated = kind != "MPO" and bool(getattr(image, "is_animated", False))
    except ImageProblem:
        raise
    except Image.DecompressionBombError as exc:  # its header says billions of pixels
        raise ImageProblem(
            f"the picture is larger than {MAX_SIDE:,} px on a side, too large to be decoded safely",
            "resize it to at most 4,000 px wide before adding it",
        ) from exc
    except Image.UnidentifiedImageError as exc:
        raise ImageProblem(
            "it is not a picture the build can read: it cannot be read as a JPEG, PNG or "
            "WebP, whatever its name says",
            "open it in a photo editor and export it again as JPEG or PNG",
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(
            f"it is not a picture the build can read ({exc})",
            "open it in a photo editor and export it again as JPEG or PNG",
        ) from exc
    if animated and (found := metadata_chunk(data)):
        raise ImageProblem(
            f"the picture is animated, so it is published as it is, and it holds metadata "
            f"(a {found} chunk: a camera's or an editor's details, perhaps a GPS position)",
            "export it again without metadata (EXIF, XMP, text), or as a still picture",
        )
    if orientation in _ROTATED:
        width, height = height, width
    return SourceImage(name, hashlib.sha256(data).hexdigest(), width, height, kind, alpha, animated)


PNG_METADATA: tuple[bytes, ...] = (b"eXIf", b"tEXt", b"zTXt", b"iTXt")
WEBP_METADATA: tuple[bytes, ...] = (b"EXIF", b"XMP ")


def metadata_chunk(data: bytes) -> str | None:
    """The type of the first chunk of a PNG or WebP file (`data`) that holds metadata
    (PNG: eXIf, tEXt, zTXt, iTXt; WebP: EXIF, XMP), None when it has none or is neither
    format. Walks the chunk headers only: linear in the number of chunks."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        at, header, kinds, order = 8, 8, PNG_METADATA, ">I"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        at, header, kinds, order = 12, 8, WEBP_METADATA, "<I"
    else:
        return None
    while at + header <= len(data):
        if order == ">I":  # PNG: length, type, data, CRC
            (length,) = struct.unpack_from(order, data, at)
            kind = data[at + 4 : at + 8]
            at += 12 + length
        else:  # WebP (RIFF): type, length, data padded to an even length
            kind = data[at : at + 4]
            (length,) = struct.unpack_from(order, data, at + 4)
            at += 8 + length + (length & 1)
        if kind in kinds:
            return kind.decode("latin-1").strip()
    return None
