"""Reading a raster source's header: its size as shown, its kind, and what is wrong with it
for the web (too large, CMYK, unreadable), without decoding its pixels."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.model.images import MAX_BYTES, MAX_SIDE, ImageProblem, SourceImage

_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
ORIENTATION_TAG = 0x0112


def read_source(path: Path, name: str) -> SourceImage:
    """The SourceImage of the raster file `path` (`name` relative to assets/), from its
    header and a SHA-256 of its bytes. Raises ImageProblem when the file is larger than
    MAX_BYTES, not an image Pillow reads, larger than MAX_SIDE on a side, or CMYK (which
    browsers show with wrong colours and AVIF and WebP cannot hold)."""
    from PIL import Image  # only sites with raster images pay its import

    data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
    if data is None:
        megabytes = path.stat().st_size / 1024 / 1024
        raise ImageProblem(
            f"the file is {megabytes:.0f} MB; the build takes pictures up to "
            f"{MAX_BYTES // 1024 // 1024} MB",
            "export it again at most 4,000 px wide (JPEG quality 85 is plenty for the web)",
        )
    try:
        with Image.open(path) as image:
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
            orientation = image.getexif().get(ORIENTATION_TAG, 1)
            alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
                "transparency" in image.info
            )
            animated = bool(getattr(image, "is_animated", False))
            kind = str(image.format)
    except ImageProblem:
        raise
    except Image.DecompressionBombError as exc:  # its header says billions of pixels
        raise ImageProblem(
            f"the picture is larger than {MAX_SIDE:,} px on a side, too large to be decoded safely",
            "resize it to at most 4,000 px wide before adding it",
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(
            f"it is not a picture the build can read ({exc})",
            "open it in a photo editor and export it again as JPEG or PNG",
        ) from exc
    if orientation in _ROTATED:
        width, height = height, width
    return SourceImage(name, hashlib.sha256(data).hexdigest(), width, height, kind, alpha, animated)
