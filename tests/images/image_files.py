"""Tiny real pictures for the image tests, made with Pillow: a photo-like gradient with a
marker in one corner, EXIF (GPS, serial number, orientation), XMP, and an ICC profile."""

from __future__ import annotations

import io

from PIL import Image, ImageCms

GPS_TAG = 0x8825
SERIAL_TAG = 0xA431  # BodySerialNumber
ORIENTATION_TAG = 0x0112
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A smooth gradient (compresses like a photo) with a red square in the top left."""
    across = Image.linear_gradient("L").resize((width, height))
    down = across.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    picture = Image.merge("RGB", (across, down, Image.new("L", (width, height), 120)))
    picture.paste((255, 0, 0), (0, 0, max(1, width // 8), max(1, height // 8)))
    if mode == "RGBA":
        picture = picture.convert("RGBA")
        picture.putalpha(Image.linear_gradient("L").resize((width, height)))
    return picture


def jpeg(width: int, height: int, orientation: int = 1, secrets: bool = True) -> bytes:
    """A JPEG with a GPS position, a camera serial number, XMP and the sRGB profile."""
    picture = photo(width, height)
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    if secrets:
        exif[SERIAL_TAG] = "SERIAL-12345"
        exif.get_ifd(GPS_TAG).update({1: "N", 2: (34.0, 3.0, 0.0), 3: "W", 4: (118.0, 15.0, 0.0)})
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP</x:xmpmeta>' if secrets else b""
    picture.save(buffer, "JPEG", quality=90, exif=exif, icc_profile=SRGB, xmp=xmp)
    return buffer.getvalue()


def png(width: int, height: int, alpha: bool = False) -> bytes:
    buffer = io.BytesIO()
    photo(width, height, "RGBA" if alpha else "RGB").save(buffer, "PNG")
    return buffer.getvalue()


def cmyk_jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    photo(width, height).convert("CMYK").save(buffer, "JPEG")
    return buffer.getvalue()


def opened(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture
