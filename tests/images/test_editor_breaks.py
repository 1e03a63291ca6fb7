"""What a marketing editor does to pictures, mistakes included, on the small fixture site:
names with spaces and accents, Markdown pictures written in several ways, wrong focal
points and odd files; each build either publishes pictures that work or stops at the
file and line with a fix, and never with a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from image_files import jpeg, opened

from conftest import edit
from sitegen.cli import main
from sitegen.model.srcset import candidates

PROGRAM = "content/programs/day-program.md"
PAGE = "springfield/day-program/index.html"


@pytest.fixture
def site(minimal_site: Path, tmp_path: Path) -> Path:
    """The minimal site with a content slot (so Markdown pictures get variants), built into
    its own image cache."""
    text = (minimal_site / "site.yaml").read_text(encoding="utf-8")
    text += '\nimages:\n  slots:\n    content: "(min-width: 48rem) 720px, calc(100vw - 40px)"\n'
    (minimal_site / "site.yaml").write_text(text, encoding="utf-8")
    return minimal_site


def build(site: Path, tmp_path: Path, capsys, *extra: str) -> tuple[int, str]:
    """Build `site` with an image cache of the test's own; (exit code, what it printed)."""
    code = main(["build", "--root", str(site), "--image-cache", str(tmp_path / "images"), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "public" / PAGE).read_text(encoding="utf-8"), "html.parser")


def published(site: Path, url: str) -> Path:
    """The file of the build that `url` (as written in the HTML, percent-encoded) names."""
    from urllib.parse import unquote

    return site / "public" / unquote(url).lstrip("/")


def test_a_picture_named_with_spaces_and_accents_has_a_srcset_a_browser_reads(
    site: Path, tmp_path: Path, capsys
):
    """`Group Room é.jpg` placed in Markdown: every srcset candidate is one whole URL (a
    space in a srcset URL splits it) that names a published file of the right width."""
    (site / "assets/images/Group Room é.jpg").write_bytes(jpeg(1600, 1200))
    edit(site, PROGRAM, "Text.", "![The group room](/assets/images/Group%20Room%20%C3%A9.jpg)")
    code, printed = build(site, tmp_path, capsys)
    assert code == 0, printed
    picture = page(site).select_one("main picture")
    assert picture is not None
    img = picture.find("img")
    assert published(site, img["src"]).is_file()
    for element in picture.select("source, img"):
        found = candidates(element["srcset"])
        assert found, element["srcset"]
        for candidate in found:
            assert " " not in candidate.url
            file = published(site, candidate.url)
            assert file.is_file(), candidate.url
            assert opened(file.read_bytes()).width == candidate.width


@pytest.mark.parametrize(
    "written",
    [
        "![](/assets/images/room.jpg)",
        "![](/assets/images/Group%20Room%20%C3%A9.jpg)",
        '![](</assets/images/Group Room é.jpg> "The room")',
    ],
)
def test_a_markdown_picture_without_alt_text_is_reported_at_its_line(
    site: Path, tmp_path: Path, capsys, written: str
):
    """The picture a Markdown image becomes has the variants' addresses, not the one the
    editor wrote; the missing alt text is still reported at the line and column of the
    image, not at the first line of the body."""
    for name in ("room.jpg", "Group Room é.jpg"):
        (site / "assets/images" / name).write_bytes(jpeg(1600, 1200))
    text = edit(site, PROGRAM, "Text.", f"Text.\n\nMore text.\n\n{written}")
    code, printed = build(site, tmp_path, capsys)
    assert code == 1, printed
    line = text.split("\n").index(written) + 1
    assert re.search(rf"error: {PROGRAM}:{line}:\d+: img-alt", printed), printed
    assert "Traceback" not in printed


def test_shared_link_and_structured_data_addresses_of_a_picture_named_with_spaces_are_valid(
    site: Path, tmp_path: Path, capsys
):
    """og:image and the MedicalClinic's image are absolute URLs that crawlers fetch as
    written: a picture named `Group Room é.jpg` is percent-encoded there too."""
    from urllib.parse import urlsplit

    (site / "assets/images/Group Room é.jpg").write_bytes(jpeg(1600, 1200))
    edit(site, PROGRAM, "hero: {src: images/hero.svg,", "hero: {src: images/Group Room é.jpg,")
    location = "content/locations/springfield.yaml"
    text = (site / location).read_text(encoding="utf-8")
    text += "photos:\n  - {src: images/Group Room é.jpg, alt: The group room}\n"
    (site / location).write_text(text, encoding="utf-8")
    code, printed = build(site, tmp_path, capsys)
    assert code == 0, printed
    html = (site / "public" / PAGE).read_text(encoding="utf-8")
    og = BeautifulSoup(html, "html.parser").find("meta", property="og:image")["content"]
    hub = (site / "public/springfield/index.html").read_text(encoding="utf-8")
    clinic = re.search(r'"image":"([^"]+)"', hub)
    assert clinic is not None, hub
    for url in (og, clinic.group(1)):
        assert " " not in url and url.isascii(), url
        assert published(site, urlsplit(url).path).is_file(), url


@pytest.mark.parametrize("suffix", ["?v=2", "#top"])
def test_a_markdown_picture_with_a_query_or_fragment_is_still_a_picture(
    site: Path, tmp_path: Path, capsys, suffix: str
):
    """`![...](/assets/images/room.jpg?v=2)` (an editor's cache-buster) names the same
    picture: it is published as a <picture> of small files, not as the full-size original
    with a warning that it has no width and height."""
    (site / "assets/images/room.jpg").write_bytes(jpeg(1600, 1200))
    edit(site, PROGRAM, "Text.", f"![The group room](/assets/images/room.jpg{suffix})")
    code, printed = build(site, tmp_path, capsys)
    assert code == 0, printed
    assert "warning:" not in printed, printed
    img = page(site).select_one("main picture img")
    assert img is not None and img["srcset"]
    assert (img["width"], img["height"]) == ("1600", "1200")
