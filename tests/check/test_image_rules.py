# ruff: noqa: E501 - hand-written HTML pages
"""The image rules of `check` on real folders with real image files (made with Pillow):
img-oversized, img-modern-format, srcset candidates link-checked, and each file's
header read once per check."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from conftest import write_files
from sitegen.check import images
from sitegen.check.model import CheckOptions
from sitegen.check.runner import run_check
from sitegen.images.encode import avif_available
from sitegen.rules.model import Finding

ORIGIN = "https://www.example.com"


def gradient(width: int, height: int, kind: str = "JPEG") -> bytes:
    """A smooth picture: about 76 KB as a 2000 x 1333 JPEG."""
    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    picture.save(out, kind, **({"quality": 80} if kind == "JPEG" else {}))
    return out.getvalue()


def noise(width: int, height: int, kind: str = "JPEG") -> bytes:
    """A picture that does not compress: about 35 KB as a 300 x 200 JPEG."""
    picture = Image.effect_noise((width, height), 60).convert("RGB")
    out = io.BytesIO()
    picture.save(out, kind, **({"quality": 80} if kind == "JPEG" else {}))
    return out.getvalue()


def page(body: str, title: str = "Photos of the garden at the Springfield clinic") -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>Photos</h1>{body}</main></body></html>"
    )


def check(folder: Path, tmp_path: Path) -> list[Finding]:
    options = CheckOptions(folder, tmp_path, site_url=ORIGIN, use_cache=False, jobs=1)
    return run_check(options).findings


def of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


# the check reads a file's width from its header; an old Pillow cannot write AVIF, so
# there the .avif files hold WebP bytes (still the width, still a modern format's name)
AVIF = "AVIF" if avif_available() else "WEBP"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder with the image files the pages below show."""
    return write_files(
        tmp_path / "public",
        {
            "img/room-2000.jpg": gradient(2000, 1333),
            "img/room-400.jpg": gradient(400, 267),
            "img/room-800.jpg": gradient(800, 533),
            # the build's widths for its pictures
            **{
                f"img/room-{width}.{suffix}": gradient(width, width * 2 // 3, kind)
                for width in (356, 728, 990)
                for suffix, kind in (("jpg", "JPEG"), ("webp", "WEBP"), ("avif", AVIF))
            },
            "img/photo.jpg": noise(300, 200),
            "img/photo.bin": noise(300, 200),  # a JPEG by its signature alone
            "img/photo.webp": noise(300, 200, "WEBP"),
            "img/dot.png": gradient(40, 40, "PNG"),
            "img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="2000">'
            + '<circle cx="1000" cy="1000" r="900"/>' * 300
            + "</svg>",
        },
    )


def one_page(site: Path, tmp_path: Path, body: str) -> list[Finding]:
    write_files(site, {"index.html": page(body)})
    return check(site, tmp_path)


def test_the_image_files_are_what_the_tests_say(site: Path):
    assert 40_000 < (site / "img/room-2000.jpg").stat().st_size < 300 * 1024
    assert 30_000 < (site / "img/photo.jpg").stat().st_size < 100_000
    assert (site / "img/dot.png").stat().st_size < 2048
    assert (site / "img/logo.svg").stat().st_size > 8 * 1024


def test_a_2000_px_jpeg_shown_300_px_wide_is_oversized(site: Path, tmp_path: Path):
    found = one_page(
        site,
        tmp_path,
        '<img src="/img/room-2000.jpg" alt="The group room" width="300" height="200">',
    )
    [finding] = of(found, "img-oversized")
    assert finding.url == "/"
    assert finding.subject == "/img/room-2000.jpg"
    message = finding.message
    # the phone first: 300 px at 2x needs 600 px; the file has 2000
    assert "375 px wide screen (2x)" in message
    assert "shown 300 px wide and needs 600 px" in message
    assert "2000 px wide" in message
    assert "add srcset" in message and "resize the file to about 600 px" in message
    assert finding.severity == "warning"


def test_the_same_image_with_srcset_and_sizes_is_not(site: Path, tmp_path: Path):
    found = one_page(
        site,
        tmp_path,
        '<img src="/img/room-2000.jpg" srcset="/img/room-400.jpg 400w, /img/room-800.jpg 800w, '
        '/img/room-2000.jpg 2000w" sizes="300px" alt="The group room" width="300" height="200">',
    )
    assert of(found, "img-oversized") == []


def test_srcset_without_sizes_is_taken_for_the_full_screen(site: Path, tmp_path: Path):
    """Without sizes a browser picks for 100vw: the tablet (768 px at 2x) downloads the
    2000 px file for a 300 px slot."""
    found = one_page(
        site,
        tmp_path,
        '<img src="/img/room-400.jpg" srcset="/img/room-400.jpg 400w, /img/room-800.jpg 800w, '
        '/img/room-2000.jpg 2000w" alt="The group room" width="300" height="200">',
    )
    [finding] = of(found, "img-oversized")
    assert "768 px wide screen (2x)" in finding.message
    assert "/img/room-2000.jpg, 2000 px wide" in finding.message
    assert "add sizes" in finding.message


def test_density_descriptors_give_each_screen_its_file(site: Path, tmp_path: Path):
    found = one_page(
        site,
        tmp_path,
        '<img src="/img/room-400.jpg" srcset="/img/room-800.jpg 2x" alt="The group room" width="400" height="267">',
    )
    assert of(found, "img-oversized") == []


def ladder(suffix: str) -> str:
    return ", ".join(f"/img/room-{w}.{suffix} {w}w" for w in (356, 728, 990))


def test_the_builds_picture_is_not_oversized(site: Path, tmp_path: Path):
    """The build's markup: 335, 728 and 495 px slots at the three screens, 356, 728 and
    990 px files in AVIF, WebP and JPEG."""
    sizes = "(min-width: 72rem) 495px, (min-width: 60em) calc((100vw - 112px) / 2.1), calc(100vw - 40px)"
    found = one_page(
        site,
        tmp_path,
        f'<picture><source type="image/avif" srcset="{ladder("avif")}" sizes="{sizes}">'
        f'<source type="image/webp" srcset="{ladder("webp")}" sizes="{sizes}">'
        f'<img src="/img/room-990.jpg" srcset="{ladder("jpg")}" sizes="{sizes}" '
        'alt="The group room" width="2400" height="1600" loading="lazy" decoding="async"></picture>',
    )
    assert of(found, "img-oversized") == []
    assert of(found, "img-modern-format") == []
    assert of(found, "img-dimensions") == []
    assert of(found, "broken-link") == []


def test_the_source_a_browser_picks_is_judged(site: Path, tmp_path: Path):
    """The first <source> of a <picture> (its type shown, its media matching) is the file a
    browser downloads, not the <img>'s."""
    found = one_page(
        site,
        tmp_path,
        '<picture><source type="image/jxl" srcset="/img/room-356.avif"><source media="(min-width: 2000px)" srcset="/img/room-356.webp">'
        '<source type="image/webp" srcset="/img/room-2000.jpg 2000w" sizes="200px">'
        '<img src="/img/room-400.jpg" alt="The group room" width="200" height="133"></picture>',
    )
    [finding] = of(found, "img-oversized")
    assert "/img/room-2000.jpg, 2000 px wide" in finding.message
    assert "add smaller widths to srcset" in finding.message


def test_an_image_of_unknown_width_is_not_judged(site: Path, tmp_path: Path):
    found = one_page(
        site,
        tmp_path,
        '<img src="/img/room-2000.jpg" alt="The group room">'
        '<img src="/img/room-2000.jpg" alt="The group room" width="100%" height="200">'
        '<img src="/img/room-2000.jpg" sizes="auto" srcset="/img/room-2000.jpg 2000w" alt="The group room" width="300" height="200" loading="lazy">',
    )
    assert of(found, "img-oversized") == []


def test_the_thresholds_are_settings(site: Path, tmp_path: Path):
    write_files(
        site,
        {
            "index.html": page(
                '<img src="/img/room-728.jpg" alt="The room" width="500" height="333">'
            )
        },
    )
    # 728 px for a 500 px slot on the 1x laptop: 1.46 times what it needs
    assert of(check(site, tmp_path), "img-oversized") == []
    from sitegen.rules.model import Thresholds

    options = CheckOptions(
        site, tmp_path, site_url=ORIGIN, use_cache=False, jobs=1,
        thresholds=Thresholds(image_oversize=1.2, image_waste_kb=1),
    )  # fmt: skip
    assert len(of(run_check(options).findings, "img-oversized")) == 1


def test_a_plain_35_kb_jpeg_has_no_modern_format(site: Path, tmp_path: Path):
    found = one_page(
        site,
        tmp_path,
        '<img src="/img/photo.jpg" alt="The garden" width="300" height="200">'
        '<img src="/img/photo.jpg" alt="The garden again" width="300" height="200">'
        '<img src="/img/photo.bin" alt="The garden, a third time" width="300" height="200">',
    )
    modern = of(found, "img-modern-format")
    assert [f.subject for f in modern] == ["/img/photo.bin", "/img/photo.jpg"]  # once per file
    jpeg = next(f for f in modern if f.subject == "/img/photo.jpg")
    assert "is a JPEG of" in jpeg.message and "AVIF" in jpeg.message and "<picture>" in jpeg.message
    assert of(found, "img-oversized") == []


def test_a_jpeg_with_an_avif_or_webp_alternative_is_fine(site: Path, tmp_path: Path):
    found = one_page(
        site,
        tmp_path,
        '<picture><source type="image/webp" srcset="/img/photo.webp"><img src="/img/photo.jpg" alt="The garden" width="300" height="200"></picture>'
        '<img src="/img/photo.jpg" srcset="/img/photo.webp 1x" alt="The garden" width="300" height="200">',
    )
    assert of(found, "img-modern-format") == []


def test_a_tiny_png_and_an_svg_are_fine(site: Path, tmp_path: Path):
    found = one_page(
        site,
        tmp_path,
        '<img src="/img/dot.png" alt="A dot" width="40" height="40">'
        '<img src="/img/logo.svg" alt="The logo" width="100" height="100">'
        '<img src="https://cdn.example.org/huge.jpg" alt="Elsewhere" width="10" height="10">',
    )
    assert of(found, "img-modern-format") == []
    assert of(found, "img-oversized") == []


def test_srcset_candidates_are_link_checked(site: Path, tmp_path: Path):
    found = one_page(
        site,
        tmp_path,
        '<picture><source type="image/webp" srcset="/img/room-356.webp 356w, /img/gone.webp 800w" sizes="50vw">'
        '<img src="/img/room-400.jpg" srcset="/img/room-400.jpg 1x, /img/missing,v2.jpg 2x" alt="The room" width="400" height="267"></picture>',
    )
    broken = sorted(f.message for f in of(found, "broken-link"))
    assert broken == [
        "<img> points at /img/missing,v2.jpg, which is not in the build",
        "<source> points at /img/gone.webp, which is not in the build",
    ]


def test_each_image_header_is_read_once_per_check(site: Path, tmp_path: Path, monkeypatch):
    for n in range(30):
        write_files(
            site,
            {
                f"p{n}/index.html": page(
                    '<img src="/img/room-2000.jpg" alt="The room" width="300" height="200">'
                    f'<img src="/img/photo.jpg" alt="The garden" width="{300 + n % 2}" height="200">',
                    title=f"Photos of the garden at clinic number {n} of the group",
                )
            },
        )
    read: list[str] = []
    header = images._header
    monkeypatch.setattr(images, "_header", lambda file: read.append(file) or header(file))
    found = check(site, tmp_path)
    assert len(of(found, "img-oversized")) == 30
    modern = of(found, "img-modern-format")  # both files are JPEGs over 8 KB
    assert len(modern) == 60 and {f.subject for f in modern} == {
        "/img/photo.jpg",
        "/img/room-2000.jpg",
    }
    assert sorted(Path(f).name for f in read) == ["photo.jpg", "room-2000.jpg"]
