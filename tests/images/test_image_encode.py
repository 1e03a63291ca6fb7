"""Encoding tiny real pictures: sizes and formats, EXIF orientation applied, GPS, serial
numbers and XMP gone in every format, the colour profile kept, transparency kept, and the
sources the build refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from image_files import GPS_TAG, SERIAL_TAG, SRGB, cmyk_jpeg, jpeg, opened, png

from sitegen.images.encode import avif_available, encode_variants
from sitegen.images.plan import plan_picture, social_variant
from sitegen.load.images import read_source
from sitegen.model.images import ImageProblem

QUALITY = {"avif": 55, "webp": 78, "jpeg": 80, "png": 100}
FORMATS = ("avif", "webp") if avif_available() else ("webp",)


def made(tmp_path: Path, name: str, data: bytes, widths=(40, 80, 200)):
    path = tmp_path / name
    path.write_bytes(data)
    source = read_source(path, f"images/{name}")
    picture = plan_picture(source, f"/assets/images/{name}", widths, FORMATS, QUALITY)
    files = picture.files()
    return source, {v.url: (v, data) for v, data in encode_variants(path, files)}


def test_every_variant_has_its_planned_size_and_format(tmp_path):
    source, encoded = made(tmp_path, "room.jpg", jpeg(120, 90))
    assert (source.width, source.height) == (120, 90)
    kinds = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}
    assert len(encoded) == 1 + 3 * len((*FORMATS, "jpeg"))
    for variant, data in encoded.values():
        picture = opened(data)
        assert picture.size == (variant.width, variant.height)
        assert picture.format == kinds[variant.format]
    assert {v.width for v, _ in encoded.values()} == {40, 80, 120}


@pytest.mark.parametrize("orientation", [6, 8, 3])
def test_the_exif_orientation_is_applied_to_the_pixels(tmp_path, orientation):
    source, encoded = made(tmp_path, "turned.jpg", jpeg(160, 80, orientation=orientation))
    rotated = orientation in (6, 8)
    assert (source.width, source.height) == ((80, 160) if rotated else (160, 80))
    for variant, data in encoded.values():
        picture = opened(data).convert("RGB")
        assert picture.size == (variant.width, variant.height)
        assert 0x0112 not in picture.getexif()  # nothing left for a browser to turn again
        # the red marker of the stored top left corner is where the camera meant it
        corner = {
            6: (picture.width - 1, 0),
            8: (0, picture.height - 1),
            3: (picture.width - 1, picture.height - 1),
        }
        red, green, _blue = picture.getpixel(corner[orientation])
        assert red > 180 and green < 90, (
            variant.format,
            variant.width,
            picture.getpixel(corner[orientation]),
        )


def test_gps_serial_numbers_and_xmp_are_gone_and_the_colour_profile_stays(tmp_path):
    _, encoded = made(tmp_path, "secret.jpg", jpeg(120, 90))
    for variant, data in encoded.values():
        picture = opened(data)
        exif = picture.getexif()
        assert GPS_TAG not in exif and SERIAL_TAG not in exif, variant.format
        assert not exif.get_ifd(GPS_TAG)
        assert b"SERIAL-12345" not in data and b"SECRET-XMP" not in data, variant.format
        assert picture.info.get("icc_profile") == SRGB, variant.format


def test_transparency_is_kept_in_a_png_fallback(tmp_path):
    _, encoded = made(tmp_path, "logo.png", png(100, 100, alpha=True))
    formats = {v.format for v, _ in encoded.values()}
    assert "jpeg" not in formats and "png" in formats
    for variant, data in encoded.values():
        assert opened(data).mode in ("RGBA", "LA", "PA"), variant.format


def test_the_shared_link_crop_is_encoded_at_its_size(tmp_path):
    path = tmp_path / "wide.jpg"
    path.write_bytes(jpeg(1300, 800))
    variant = social_variant(
        read_source(path, "images/wide.jpg"), "/assets/images/wide.jpg", (0.1, 0.1)
    )
    [(_, data)] = list(encode_variants(path, [variant]))
    picture = opened(data).convert("RGB")
    assert picture.size == (1200, 630)
    assert picture.getpixel((5, 5))[0] > 180  # the red marker of the top left is kept


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("print.jpg", cmyk_jpeg(40, 40), "CMYK"),
        (
            "broken.jpg",
            b"\xff\xd8\xff\xe0 this is not a picture",
            "not a picture the build can read",
        ),
        ("notes.png", b"hello", "not a picture the build can read"),
    ],
)
def test_sources_the_build_refuses_say_why_and_what_to_do(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImageProblem) as caught:
        read_source(path, name)
    assert words in str(caught.value)
    assert caught.value.fix


def test_a_huge_source_is_refused_before_it_is_decoded(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(png(8001, 2))
    with pytest.raises(ImageProblem, match="8,000 px"):
        read_source(path, "huge.png")


def test_a_file_cut_short_is_refused_when_it_is_decoded(tmp_path):
    path = tmp_path / "cut.jpg"
    whole = jpeg(200, 200, secrets=False)
    path.write_bytes(whole[: len(whole) * 2 // 3])
    source = read_source(path, "cut.jpg")  # the header is whole
    picture = plan_picture(source, "/assets/cut.jpg", (100,), ("webp",), QUALITY)
    with pytest.raises(ImageProblem, match="cut short or damaged"):
        list(encode_variants(path, picture.files()))
