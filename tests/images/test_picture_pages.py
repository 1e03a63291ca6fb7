"""A site with real raster pictures, built end to end: the <picture> markup of the hero,
the cards, the benefits, the photos and Markdown, the shared-link picture, the files
published (and the original's metadata gone), the persistent cache, and the editors'
errors and warnings at the file and line that names the picture."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from image_files import cmyk_jpeg, jpeg, opened, png

from conftest import edit, line_of
from sitegen.cli import main
from sitegen.images import store
from sitegen.images.encode import avif_available
from sitegen.model.sizes import slot_width

IOP = "content/programs/intensive-outpatient-program.md"
LA = "content/locations/los-angeles.yaml"
IOP_PAGE = "los-angeles/intensive-outpatient-program/index.html"


def with_photos(site: Path) -> Path:
    """The example with a JPEG hero (2400 x 1600, GPS inside), a JPEG benefit picture, a
    sideways-stored location photo, and a PNG placed in the insurance page's Markdown."""
    images = site / "assets/images"
    (images / "room.jpg").write_bytes(jpeg(2400, 1600))
    (images / "door.jpg").write_bytes(jpeg(900, 600))
    (images / "street.jpg").write_bytes(jpeg(1600, 1200, orientation=6))
    (images / "card.png").write_bytes(png(600, 300))
    hero = "  src: images/photos/group-therapy.jpg"
    edit(site, IOP, hero, "  src: images/room.jpg\n  focus: 50% 20%")
    edit(site, IOP, "    image: images/photos/privacy.jpg", "    image: images/door.jpg")
    edit(site, LA, "  - src: images/photos/los-angeles.jpg", "  - src: images/street.jpg")
    edit(
        site,
        "content/pages/insurance.md",
        "## Plans we work with",
        "![An insurance card on a desk](/assets/images/card.png)\n\n## Plans we work with",
    )
    return site


def build(site: Path, cache: Path, *extra: str) -> dict:
    return run(site, cache, "--json", *extra)


def run(site: Path, cache: Path | None, *extra: str, code: int = 0) -> dict:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        cached = ["--image-cache", str(cache)] if cache is not None else []  # else the tests'
        got = main(["build", "--root", str(site), *cached, *extra])
    assert got == code, err.getvalue() + out.getvalue()
    return json.loads(out.getvalue()) if "--json" in extra else {"err": err.getvalue()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict, dict, Path]:
    from conftest import PROJECT

    site = tmp_path_factory.mktemp("photos") / "site"
    site.mkdir()
    for name in ("content", "layouts", "assets"):
        import shutil

        shutil.copytree(PROJECT / name, site / name)
    (site / "site.yaml").write_bytes((PROJECT / "site.yaml").read_bytes())
    with_photos(site)
    cache = tmp_path_factory.mktemp("image-cache")
    first = build(site, cache)
    second = build(site, cache, "--no-cache")  # a whole build, its pictures from the cache
    return site, first, second, cache


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / "public" / path).read_text(encoding="utf-8"), "html.parser")


def slots(site: Path) -> dict[str, str]:
    import yaml

    return yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))["images"]["slots"]


def test_the_hero_is_a_picture_in_modern_formats_loaded_first(built):
    site, *_ = built
    hero = page(site, IOP_PAGE).select_one(".hero-media picture")
    assert hero is not None
    types = [source["type"] for source in hero.find_all("source")]
    assert types == (["image/avif", "image/webp"] if avif_available() else ["image/webp"])
    img = hero.find("img")
    assert (img["width"], img["height"]) == ("2400", "1600")
    assert img["fetchpriority"] == "high" and not img.has_attr("loading")
    assert img["alt"].startswith("Illustration of six people seated in a circle")
    assert img["sizes"] == slots(site)["hero"]
    widths = [int(c.split()[1][:-1]) for c in img["srcset"].split(", ")]
    assert widths == sorted(widths) and widths[-1] <= 2400
    for source in hero.find_all("source"):
        assert source["sizes"] == img["sizes"]
    # every width a 375, 768 or 1280 px screen needs, at 1x and 2x, is there within 10%
    for viewport in (375, 768, 1280):
        for density in (1, 2):
            needed = slot_width(img["sizes"], viewport) * density
            assert min(w for w in widths if w >= needed) <= needed * 1.1


def test_pictures_below_the_fold_are_lazy_and_each_file_is_published(built):
    site, *_ = built
    soup = page(site, IOP_PAGE)
    benefit = soup.select_one(".benefit picture img")
    assert benefit["loading"] == "lazy" and benefit["decoding"] == "async"
    assert benefit["sizes"] == slots(site)["benefit"]
    for element in soup.select("picture source, picture img"):
        for candidate in element["srcset"].split(", "):
            url, width = candidate.split()
            file = site / "public" / url.lstrip("/")
            assert file.is_file(), url
            assert opened(file.read_bytes()).width == int(width[:-1])
    cards = page(site, "programs/index.html").select("picture img.card-img")
    assert cards and all(img["loading"] == "lazy" for img in cards)


def test_a_photo_stored_sideways_is_shown_upright_with_its_true_size(built):
    site, *_ = built
    soup = page(site, "los-angeles/index.html")
    img = soup.select_one(".hero-media picture img")
    assert (img["width"], img["height"]) == ("1200", "1600")  # stored 1600 x 1200, turned
    url = img["srcset"].split(", ")[-1].split()[0]
    assert opened((site / "public" / url.lstrip("/")).read_bytes()).size == (1200, 1600)


def test_a_picture_in_markdown_becomes_a_lazy_picture_in_the_content_slot(built):
    site, *_ = built
    img = page(site, "insurance/index.html").select_one("main picture img")
    assert img["alt"] == "An insurance card on a desk"
    assert img["sizes"] == slots(site)["content"]
    assert img["loading"] == "lazy" and (img["width"], img["height"]) == ("600", "300")


def test_the_shared_link_picture_is_1200_by_630_cropped_around_the_focal_point(built):
    site, *_ = built
    soup = page(site, IOP_PAGE)
    meta = {m["property"]: m["content"] for m in soup.select("meta[property^='og:image']")}
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:type"] == "image/jpeg"
    file = site / "public" / meta["og:image"].split("example.com/", 1)[1]
    picture = opened(file.read_bytes()).convert("RGB")
    assert picture.size == (1200, 630)
    # focus 50% 20% of a 1600 px high picture: the crop starts at the top, where the marker is
    assert picture.getpixel((3, 3))[0] > 180


def test_the_published_original_keeps_its_url_and_loses_its_metadata(built):
    site, *_ = built
    original = (site / "public/assets/images/room.jpg").read_bytes()
    assert b"SERIAL-12345" not in original and b"SECRET-XMP" not in original
    assert opened(original).size == (2400, 1600)
    for file in (site / "public/assets").rglob("*"):  # the variants and the originals
        if not file.is_file():
            continue
        data = file.read_bytes()
        assert b"SERIAL-12345" not in data and b"SECRET-XMP" not in data, file.name


def test_a_second_build_encodes_nothing_and_the_cache_is_outside_the_output(built):
    site, first, second, cache = built
    assert first["images"]["encoded"] > 40
    assert second["images"]["encoded"] == 0
    assert second["images"]["cached"] == first["images"]["encoded"] + first["images"]["cached"]
    assert first["images"]["seconds"] and all(s >= 0 for s in first["images"]["seconds"].values())
    assert any(cache.rglob("*.avif" if avif_available() else "*.webp"))
    assert not (site / "public").is_relative_to(cache)
    assert second["written"] == 0
    third = build(site, cache)  # nothing changed: the build cache answers, no picture step
    assert third["cached"] and third["images"] is None and third["written"] == 0


def test_a_build_keeps_the_cached_files_it_uses_and_removes_those_unused_for_a_month(built):
    """Every file of the cache made a year ago, and one no picture of the site needs: a
    build (once a day) removes that one only, and encodes nothing."""
    site, _first, _second, cache = built
    year_ago = time.time() - 365 * 86400
    files = [f for f in cache.rglob("*") if f.is_file() and f.name != store.PRUNED]
    orphan = files[0].with_name("0" * 64 + ".webp")
    orphan.write_bytes(b"a picture since removed")
    for file in [*files, orphan, cache / store.PRUNED]:
        if file.exists():
            os.utime(file, (year_ago, year_ago))
    again = build(site, cache, "--no-cache")
    assert again["images"]["encoded"] == 0
    assert not orphan.exists()
    assert all(file.exists() and file.stat().st_mtime > year_ago for file in files)


def test_a_broken_picture_is_an_error_at_the_line_that_names_it(example_site, tmp_path):
    (example_site / "assets/images/cut.jpg").write_bytes(jpeg(300, 200)[:-400])
    hero = "  src: images/photos/group-therapy.jpg"
    text = edit(example_site, IOP, hero, "  src: images/cut.jpg")
    got = run(example_site, None, code=1)["err"]
    assert f"{IOP}:{line_of(text, 'cut.jpg')}" in got
    assert "cut short or damaged" in got and "export it again" in got
    assert not (example_site / "public").exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [(cmyk_jpeg(800, 600), "CMYK"), (png(8200, 10), "8,000 px"), (b"GIF89a not really", "cannot")],
    ids=["cmyk", "huge", "not a picture"],
)
def test_a_source_the_build_refuses_is_an_error_at_the_line_that_names_it(
    example_site, tmp_path, data, words
):
    (example_site / "assets/images/bad.jpg").write_bytes(data)
    photo = "  - src: images/photos/los-angeles.jpg"
    text = edit(example_site, LA, photo, "  - src: images/bad.jpg")
    got = run(example_site, None, code=1)["err"]
    assert f"{LA}:{line_of(text, 'bad.jpg')}" in got and words in got


def test_an_unused_broken_picture_is_an_error_at_its_own_file(example_site, tmp_path):
    (example_site / "assets/images/stray.png").write_bytes(b"not a png")
    got = run(example_site, None, code=1)["err"]
    assert "assets/images/stray.png" in got


def test_a_picture_too_small_for_its_slot_is_a_warning_at_its_line(example_site, tmp_path):
    (example_site / "assets/images/tiny.jpg").write_bytes(jpeg(300, 200))
    hero = "  src: images/photos/group-therapy.jpg"
    text = edit(example_site, IOP, hero, "  src: images/tiny.jpg")
    got = run(example_site, None)["err"]
    assert f"warning: {IOP}:{line_of(text, 'tiny.jpg')}" in got
    assert "300 px wide" in got and "hero slot" in got


def test_a_missing_alt_text_is_an_error(example_site, tmp_path):
    text = edit(
        example_site,
        LA,
        "    alt: Illustration of a city skyline among hills and palm trees at sunset, "
        "evoking Los Angeles\n",
        "",
    )
    got = run(example_site, None, code=1)["err"]
    assert f"{LA}:{line_of(text, 'images/photos/los-angeles.jpg')}" in got and "alt" in got


def test_a_layout_naming_a_slot_site_yaml_does_not_have_is_an_error_at_its_line(
    example_site, tmp_path
):
    text = edit(
        example_site,
        "layouts/partials/media.html",
        '"hero", priority=true',
        '"banner", priority=true',
    )
    got = run(example_site, None, code=1)["err"]
    assert "layouts/partials/media.html" in got and "no image slot 'banner'" in got
    assert line_of(text, '"banner"')


def test_a_file_in_the_builds_own_variants_folder_is_an_error(example_site, tmp_path):
    (example_site / "assets/variants").mkdir()
    (example_site / "assets/variants/room.jpg").write_bytes(jpeg(10, 10))
    got = run(example_site, None, code=1)["err"]
    assert "assets/variants/room.jpg" in got and "move the file out" in got
