"""sitegen.assets: CSS/JS fingerprints, hidden files, image sizes, and missing-image errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import write_files
from sitegen.errors import SourceRef
from sitegen.load.assets import check_image, collect_assets

CSS = "body { margin: 0; }\n"
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
REF = SourceRef("content/programs/day-program.md", 6, 1)


def site(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    return write_files(tmp_path, {f"assets/{name}": data for name, data in files.items()})


def svg(attributes: str) -> str:
    return f"<svg {SVG_NS} {attributes}><rect width='1' height='1'/></svg>"


# --- collecting and fingerprinting -----------------------------------------------------------


def test_css_and_js_get_a_ten_hex_digit_fingerprint(tmp_path):
    catalog = collect_assets(site(tmp_path, {"css/site.css": CSS, "js/menu.js": "let a;"}))
    assert re.fullmatch(r"/assets/css/site\.[0-9a-f]{10}\.css", catalog.url("css/site.css"))
    assert re.fullmatch(r"/assets/js/menu\.[0-9a-f]{10}\.js", catalog.url("js/menu.js"))


@pytest.mark.parametrize(
    "name", ["images/hero.svg", "images/photo.png", "fonts/a.woff2", "robots.css.map", "data.json"]
)
def test_other_files_keep_their_name(tmp_path, name):
    catalog = collect_assets(site(tmp_path, {name: b"x"}))
    assert catalog.url(name) == f"/assets/{name}"


def test_fingerprint_is_stable_for_the_same_content(tmp_path):
    first = collect_assets(site(tmp_path / "one", {"css/site.css": CSS})).url("css/site.css")
    second = collect_assets(site(tmp_path / "two", {"css/site.css": CSS})).url("css/site.css")
    assert first == second
    assert collect_assets(tmp_path / "one").url("css/site.css") == first


def test_fingerprint_changes_with_the_content(tmp_path):
    root = site(tmp_path, {"css/site.css": CSS})
    before = collect_assets(root).url("css/site.css")
    (root / "assets/css/site.css").write_text(CSS + "p { color: red; }\n", encoding="utf-8")
    after = collect_assets(root).url("css/site.css")
    assert before != after


def test_fingerprint_keeps_dots_in_the_stem(tmp_path):
    url = collect_assets(site(tmp_path, {"js/app.min.js": "1"})).url("js/app.min.js")
    assert re.fullmatch(r"/assets/js/app\.min\.[0-9a-f]{10}\.js", url)


def test_asset_output_is_the_url_without_the_leading_slash(tmp_path):
    catalog = collect_assets(site(tmp_path, {"css/site.css": CSS}))
    asset = catalog.assets["css/site.css"]
    assert asset.output == asset.url.removeprefix("/")
    assert asset.path == tmp_path / "assets/css/site.css"


def test_hidden_files_and_folders_are_ignored(tmp_path):
    catalog = collect_assets(
        site(
            tmp_path,
            {
                "css/site.css": CSS,
                ".DS_Store": b"\0",
                "css/.site.css.swp": b"\0",
                ".cache/old.css": CSS,
                "images/.hidden/x.svg": svg('width="1" height="1"'),
            },
        )
    )
    assert set(catalog.assets) == {"css/site.css"}


def test_no_assets_folder_gives_an_empty_catalog(tmp_path):
    assert collect_assets(tmp_path).assets == {}


def test_url_accepts_a_leading_slash_or_assets_prefix(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/hero.svg": svg('width="1" height="1"')}))
    assert catalog.url("/images/hero.svg") == "/assets/images/hero.svg"
    assert catalog.url("assets/images/hero.svg") == "/assets/images/hero.svg"


def test_url_of_a_missing_file_is_a_key_error_with_a_suggestion(tmp_path):
    catalog = collect_assets(site(tmp_path, {"css/site.css": CSS}))
    with pytest.raises(KeyError) as info:
        catalog.url("css/sites.css")
    assert (
        info.value.args[0] == "there is no file assets/css/sites.css; did you mean 'css/site.css'?"
    )


# --- image sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "size"),
    [
        ('width="40" height="30"', (40, 30)),
        ('width="40px" height="30px"', (40, 30)),
        ('width="40.6" height="29.5"', (41, 30)),
        ('width="40" height="30" viewBox="0 0 400 300"', (40, 30)),
        ('viewBox="0 0 120 80"', (120, 80)),
        ('viewBox="0,0,120,80"', (120, 80)),
        ('viewBox="-10 -10 64 48"', (64, 48)),
        ('width="100%" height="100%" viewBox="0 0 64 48"', (64, 48)),
        ('width="40" viewBox="0 0 64 48"', (64, 48)),
    ],
)
def test_svg_size_from_width_and_height_else_the_viewbox(tmp_path, attributes, size):
    catalog = collect_assets(site(tmp_path, {"images/a.svg": svg(attributes)}))
    assert catalog.image_size("images/a.svg") == size


def test_svg_with_neither_size_nor_viewbox_is_a_value_error(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/a.svg": svg("")}))
    with pytest.raises(ValueError, match="neither width/height nor a viewBox"):
        catalog.image_size("images/a.svg")


def test_svg_that_is_not_xml_is_a_value_error(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/a.svg": "<svg"}))
    with pytest.raises(ValueError, match="invalid SVG"):
        catalog.image_size("images/a.svg")


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif")])
def test_raster_image_size_comes_from_pillow(tmp_path, fmt, suffix):
    path = tmp_path / "assets" / "images" / f"photo.{suffix}"
    path.parent.mkdir(parents=True)
    Image.new("RGB", (37, 21), "white").save(path, fmt)
    catalog = collect_assets(tmp_path)
    assert catalog.image_size(f"images/photo.{suffix}") == (37, 21)


def test_file_pillow_cannot_read_is_a_value_error(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/photo.png": b"not a png"}))
    with pytest.raises(ValueError, match="not a picture the build can read"):
        catalog.image_size("images/photo.png")


# --- check_image -----------------------------------------------------------------------------


def test_existing_image_has_no_problem(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/hero.svg": svg('width="4" height="3"')}))
    assert check_image(catalog, "images/hero.svg", REF) is None


def test_missing_image_suggests_a_close_name_at_the_given_source(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/hero.svg": svg('width="4" height="3"')}))
    error = check_image(catalog, "images/heros.svg", REF)
    assert error.source == REF
    assert error.message == (
        "image 'images/heros.svg' not found: there is no file assets/images/heros.svg; "
        "did you mean 'images/hero.svg'?"
    )
    assert "relative to the assets/ folder" in error.hint


def test_missing_image_with_nothing_close_has_no_suggestion(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/hero.svg": svg('width="4" height="3"')}))
    error = check_image(catalog, "photos/team-portrait.jpg", REF)
    assert "did you mean" not in error.message


def test_unreadable_image_is_an_error_that_says_why(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/hero.svg": svg("")}))
    error = check_image(catalog, "images/hero.svg", REF)
    assert error.message == (
        "image 'images/hero.svg' cannot be read: the SVG has neither width/height nor a viewBox"
    )
    assert error.source == REF


def test_hidden_image_counts_as_missing(tmp_path):
    catalog = collect_assets(site(tmp_path, {"images/.hero.svg": svg('width="4" height="3"')}))
    assert check_image(catalog, "images/.hero.svg", REF) is not None
