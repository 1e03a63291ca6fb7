"""Planning: the width ladder from the slots, never upscaled, the formats, the names, and
the shared-link crop around the focal point."""

from __future__ import annotations

import pytest

from sitegen.images.plan import ladder, plan_picture, social_variant
from sitegen.model.images import SourceImage
from sitegen.model.sizes import slot_width

HERO = "(min-width: 72rem) 495px, (min-width: 60em) calc((100vw - 112px) / 2.1), calc(100vw - 40px)"
QUALITY = {"avif": 55, "webp": 78, "jpeg": 80, "png": 100}


def source(width: int, height: int, alpha: bool = False, kind: str = "JPEG") -> SourceImage:
    return SourceImage("images/room.jpg", "ab" * 32, width, height, kind, alpha)


def test_the_ladder_has_every_slot_width_at_one_and_two_dots_per_pixel_within_ten_percent():
    widths = ladder({"hero": HERO})
    assert widths == (335, 495, 728, 990, 1456)  # 670 is within 10% of 728: left out
    for viewport in (375, 768, 1280):
        for density in (1, 2):
            needed = slot_width(HERO, viewport) * density
            chosen = min(w for w in widths if w >= needed)
            assert chosen <= needed * 1.1


def test_no_slots_no_ladder():
    assert ladder({}) == ()


def test_a_picture_is_made_at_the_widths_below_its_own_and_its_own_never_larger():
    picture = plan_picture(
        source(800, 600), "/assets/images/room.jpg", (335, 495, 728, 990), ("avif", "webp"), QUALITY
    )
    assert list(picture.variants) == ["avif", "webp", "jpeg"]
    for variants in picture.variants.values():
        assert [v.width for v in variants] == [335, 495, 800]  # 728 is within 10% of 800
        assert [v.height for v in variants] == [251, 371, 600]
    assert picture.original.url == "/assets/images/room.jpg"
    assert (picture.original.width, picture.original.format) == (800, "jpeg")
    assert picture.variants["avif"][0].url.startswith("/assets/variants/images/room-335.")
    assert picture.variants["avif"][0].url.endswith(".avif")


def test_a_transparent_picture_falls_back_to_png_and_names_change_with_settings():
    picture = plan_picture(
        source(400, 400, alpha=True, kind="PNG"), "/assets/a.png", (300,), ("webp",), QUALITY
    )
    assert list(picture.variants) == ["webp", "png"]
    sharper = plan_picture(
        source(400, 400, alpha=True, kind="PNG"),
        "/assets/a.png",
        (300,),
        ("webp",),
        {**QUALITY, "webp": 90},
    )
    assert sharper.variants["webp"][0].url != picture.variants["webp"][0].url
    assert sharper.variants["png"][0].url == picture.variants["png"][0].url


@pytest.mark.parametrize(
    ("focus", "box"),
    [
        (None, (0, 950, 4000, 3050)),  # 4000 x 4000: the middle band, 2100 px high
        ((0.5, 0.0), (0, 0, 4000, 2100)),  # the top, as far as the edge allows
        ((0.5, 0.9), (0, 1900, 4000, 4000)),  # near the bottom: kept inside the picture
    ],
)
def test_the_shared_link_crop_is_1200_by_630_around_the_focal_point(focus, box):
    variant = social_variant(source(4000, 4000), "/assets/images/room.jpg", focus)
    assert (variant.width, variant.height) == (1200, 630)
    assert variant.crop is not None
    crop = variant.crop
    assert (crop.left, crop.top, crop.right, crop.bottom) == box
    assert variant.url.startswith("/assets/variants/images/room-og.")


def test_a_small_shared_picture_is_cropped_not_upscaled():
    variant = social_variant(source(600, 600), "/assets/images/room.jpg", None)
    assert (variant.width, variant.height) == (600, 315)
