"""sitegen.model.sizes: a `sizes` attribute (and a <source media>) evaluated as a browser
does, at the viewport widths images are judged at."""

from __future__ import annotations

import pytest

from sitegen.model.sizes import VIEWPORTS, SizesError, media_matches, slot_width

PICTURE = (
    "(min-width: 72rem) 495px, (min-width: 60em) calc((100vw - 112px) / 2.1), calc(100vw - 40px)"
)


def widths(sizes: str) -> list[float]:
    return [round(slot_width(sizes, viewport), 2) for viewport in VIEWPORTS]


def test_the_viewports_are_a_phone_a_tablet_and_a_laptop():
    assert VIEWPORTS == (375, 768, 1280)


def test_the_builds_picture_sizes():
    # 72rem = 1152 px, 60em = 960 px: the phone and the tablet take the last entry
    assert widths(PICTURE) == [335.0, 728.0, 495.0]
    assert slot_width(PICTURE, 1000) == pytest.approx((1000 - 112) / 2.1)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ("(min-width: 768px) 50vw, 100vw", [375, 384, 640]),
        ("(max-width: 767px) 100vw, 600px", [375, 600, 600]),
        ("(width: 768px) 1px, 2px", [2, 1, 2]),
        ("(min-width:768px)10px,20px", [20, 10, 10]),  # no spaces
        ("(MIN-WIDTH: 768PX) 10px, 20px", [20, 10, 10]),  # any case
    ],
)
def test_min_max_and_exact_width(sizes: str, expected: list[float]):
    assert widths(sizes) == expected


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ("(600px <= width < 900px) 10px, 20px", [20, 10, 20]),
        ("(width >= 768px) 10px, 20px", [20, 10, 10]),
        ("(width < 768px) 10px, 20px", [10, 20, 20]),
        ("(768px < width) 10px, 20px", [20, 20, 10]),  # 768 is not above 768
        ("(1280px > width >= 768px) 10px, 20px", [20, 10, 20]),
        ("(400px < width <= 768px) 10px, 20px", [20, 10, 20]),
    ],
)
def test_range_syntax(sizes: str, expected: list[float]):
    assert widths(sizes) == expected


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ("not (min-width: 768px) 10px, 20px", [10, 20, 20]),
        ("(min-width: 600px) and (max-width: 900px) 10px, 20px", [20, 10, 20]),
        ("(max-width: 400px) or (min-width: 1000px) 10px, 20px", [10, 20, 10]),
        ("((min-width: 600px) and (not (max-width: 800px))) 10px, 20px", [20, 20, 10]),
        ("(not (min-width: 768px)) 10px, 20px", [10, 20, 20]),
    ],
)
def test_not_and_or(sizes: str, expected: list[float]):
    assert widths(sizes) == expected


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ("(min-width: 48em) 10px, 20px", [20, 10, 10]),  # 48em = 768 px
        ("(min-width: 48rem) 10px, 20px", [20, 10, 10]),
        ("20em", [320, 320, 320]),
        ("1.5rem", [24, 24, 24]),
        (".5em", [8, 8, 8]),
        ("50vw", [187.5, 384, 640]),
        ("1e2px", [100, 100, 100]),
        ("0", [0, 0, 0]),
    ],
)
def test_units(sizes: str, expected: list[float]):
    assert widths(sizes) == expected


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ("calc(100vw - 40px)", [335, 728, 1240]),
        ("calc(100vw / 3)", [125, 256, 426.67]),
        ("calc(2 * 50vw)", [375, 768, 1280]),
        ("calc(50vw + 10px * 2)", [207.5, 404, 660]),
        ("calc((100vw - 40px) / 2)", [167.5, 364, 620]),
        ("CALC(100VW - 40PX)", [335, 728, 1240]),
        ("min(100vw, 600px)", [375, 600, 600]),
        ("max(300px, 50vw)", [300, 384, 640]),
        ("max(10px, 20px, 30px)", [30, 30, 30]),
        ("clamp(200px, 50vw, 400px)", [200, 384, 400]),
        ("min(calc(100vw - 2em), 40rem)", [343, 640, 640]),
    ],
)
def test_calc_min_max_clamp(sizes: str, expected: list[float]):
    assert widths(sizes) == expected


def test_the_first_matching_entry_wins_and_the_last_needs_no_condition():
    assert widths("(min-width: 300px) 10px, (min-width: 700px) 20px, 30px") == [10, 10, 10]
    assert widths("(min-width: 1000px) 10px, (min-width: 700px) 20px, 30px") == [30, 20, 10]
    assert widths("25vw") == [93.75, 192, 320]


def test_no_entry_matching_is_the_full_viewport():
    assert widths("(min-width: 1000px) 500px") == [375, 768, 500]
    assert widths("(max-width: 100px) 50px, (min-width: 5000px) 10px") == [375, 768, 1280]


@pytest.mark.parametrize(
    ("sizes", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("auto", "auto"),
        ("AUTO", "auto"),
        ("(min-width: 600px) 50vw, auto", "not a length"),
        ("10foo", "unit 'foo'"),
        ("50%", "unit '%'"),
        ("10", "not a length"),
        ("garbage!!", "cannot read"),
        ("(min-width: 600px)", "missing its length"),
        ("(min-width: 600px) 50vw,", "empty entry"),
        ("(min-width: 9999px) 10px,, 20px", "empty entry"),
        ("(min-width: 600px) 50vw 3px, 2px", "unexpected"),
        ("calc(100vw - 40px", "expected ')'"),
        ("calc(100vw / 2px)", "divided by a plain number"),
        ("calc(100vw * 2vw)", "cannot be multiplied"),
        ("calc(100vw - 3)", "length and a plain number"),
        ("calc(100)", "not a length"),
        ("min(10px, 2)", "mixes"),
        ("calc(1px, 2px)", "one expression"),
        ("clamp(1px, 2px)", "three"),
        ("calc(100vw / 0)", "division by zero"),
        ("-10px", "negative"),
        ("(orientation: landscape) 1px, 2px", "orientation"),
        ("screen and (min-width: 600px) 1px, 2px", "not a length"),
    ],
)
def test_what_it_cannot_read_is_a_sizes_error(sizes: str, says: str):
    with pytest.raises(SizesError) as raised:
        slot_width(sizes, 375)
    assert says in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_an_entry_after_the_match_is_not_judged():
    # the browser stops at the first match; what follows is not read for its width
    assert slot_width("(min-width: 300px) 10px, (orientation: landscape) 20px", 375) == 10


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        ("", [True, True, True]),
        ("(min-width: 768px)", [False, True, True]),
        ("screen and (max-width: 767px)", [True, False, False]),
        ("only screen and (min-width: 48em)", [False, True, True]),
        ("all", [True, True, True]),
        ("print", [False, False, False]),
        ("(max-width: 400px), (min-width: 1000px)", [True, False, True]),
        ("print, (600px <= width < 900px)", [False, True, False]),
    ],
)
def test_source_media(media: str, expected: list[bool]):
    assert [media_matches(media, viewport) for viewport in VIEWPORTS] == expected


def test_source_media_it_cannot_read():
    for media in ("tv", "(min-width: 600px),", "(hover: hover)"):
        with pytest.raises(SizesError):
            media_matches(media, 375)
