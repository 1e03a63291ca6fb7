"""The picture pipeline under hostile data: site.yaml's slots, the sources in assets/ and
the image cache. Each case is a real build process (run_bounded): a clear error at the
value, or a safe build, never a traceback, a hang or a leak."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from PIL import Image, PngImagePlugin

from conftest import needs_git, run_bounded
from sitegen.images.encode import avif_available
from sitegen.model.srcset import candidates

GPS_TAG = 0x8825
SERIAL_TAG = 0xA431  # BodySerialNumber

CONTENT_SLOT = '    content: "(min-width: 48rem) 720px, calc(100vw - 40px)"'


def _with_content_sizes(site: Path, sizes: str) -> None:
    path = site / "site.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(CONTENT_SLOT) == 1
    quoted = "'" + sizes.replace("'", "''") + "'"
    path.write_text(text.replace(CONTENT_SLOT, f"    content: {quoted}"), encoding="utf-8")


@pytest.mark.parametrize(
    "sizes",
    [
        "max(" * 10_000 + "1px" + ")" * 10_000,
        "calc(" * 400 + "1px" + ")" * 400,
        "1e400px",
        "calc(1e400px - 1e400px)",
        "calc(1e300px * 1e300)",
        "max(1e308px, 1px)",
        "calc(100vw * 1e9)",
        "(min-width: 1px) 10px, " * 45_000 + "5px",
    ],
    ids=["max 10000 deep", "calc 400", "1e400px", "NaN", "overflow", "1e308px", "1e9vw", "1MB"],
)
def test_a_slot_whose_sizes_cannot_be_judged_is_an_error_at_its_line(example_site, sizes):
    _with_content_sizes(example_site, sizes)
    run = run_bounded(example_site, limit=60)
    assert run.code == 1, f"exit {run.code}\n{run.out}\n{run.err}"
    assert "error: site.yaml:54:14: 'images.slots.content'" in run.err, run.err
    assert "is not a sizes value the build can read" in run.err
    assert len(run.err) < 2_000, "the error repeats the hostile value"
    assert run.seconds < 30
    assert not (example_site / "public").exists()


def _frames(count: int) -> list[Image.Image]:
    return [Image.new("RGB", (64, 64), (40 * i % 256, 0, 0)) for i in range(count)]


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[SERIAL_TAG] = "SERIAL-12345"
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (34.0, 3.0, 0.0)})
    return exif


def _saved(kind: str, count: int, **options: object) -> bytes:
    frames = _frames(count)
    buffer = io.BytesIO()
    frames[0].save(buffer, kind, save_all=True, append_images=frames[1:], **options)
    return buffer.getvalue()


def _leaks(public: Path) -> list[str]:
    return [
        p.relative_to(public).as_posix()
        for p in public.rglob("*")
        if p.is_file() and b"SERIAL-12345" in p.read_bytes()
    ]


def test_a_cameras_mpo_is_cleaned_like_any_jpeg(example_site):
    """A camera's JPEG with a second picture (MPO) was taken for an animation and
    published as it was, GPS and serial number included."""
    path = example_site / "assets/images/x/camera.jpg"
    path.parent.mkdir(parents=True)
    path.write_bytes(_saved("MPO", 2, exif=_gps_exif()))
    run = run_bounded(example_site, limit=120)
    assert run.code == 0, run.err
    assert _leaks(example_site / "public") == []
    assert any((example_site / "public/assets/variants/images/x").glob("camera-64.*.webp"))


@pytest.mark.parametrize("name", ["saved.jfif", "old.JPE"])
def test_a_jpeg_under_its_other_names_is_cleaned_and_made_in_sizes(example_site, name):
    """.jfif (what Windows saves a picture from a browser as) and .jpe are JPEG: they were
    published as they were, GPS and serial number included, with no smaller sizes."""
    path = example_site / "assets/images/x" / name
    path.parent.mkdir(parents=True)
    buffer = io.BytesIO()
    _frames(1)[0].save(buffer, "JPEG", exif=_gps_exif())
    assert b"SERIAL-12345" in buffer.getvalue()
    path.write_bytes(buffer.getvalue())
    run = run_bounded(example_site, limit=120)
    assert run.code == 0, run.err
    assert _leaks(example_site / "public") == []
    stem = name.rsplit(".", 1)[0]
    assert any((example_site / "public/assets/variants/images/x").glob(f"{stem}-64.*.webp"))


@pytest.mark.parametrize(
    ("name", "kind", "options"),
    [
        ("moving.png", "PNG", {"exif": "gps"}),
        ("moving.webp", "WEBP", {"exif": "gps"}),
        ("moving2.png", "PNG", {"pnginfo": "text"}),
        ("moving.jpg", "GIF", {"comment": b"SERIAL-12345"}),
        ("flat.jpg", "TIFF", {"exif": "gps"}),
    ],
    ids=["apng exif", "webp exif", "apng text", "gif named jpg", "tiff named jpg"],
)
def test_a_picture_published_as_it_is_never_carries_metadata(example_site, name, kind, options):
    """Animated pictures are published as they are: one holding metadata is an error; a
    file of another format under a picture's name is one too (a GIF named .jpg was
    published with its comment; a TIFF was decoded by Pillow's TIFF reader)."""
    if options.get("exif") == "gps":
        options = {"exif": _gps_exif()}
    if options.get("pnginfo") == "text":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "SERIAL-12345")
        options = {"pnginfo": info}
    path = example_site / "assets/images/x" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(_saved(kind, 1 if kind == "TIFF" else 3, **options))
    run = run_bounded(example_site, limit=60)
    assert run.code == 1, f"exit {run.code}\n{run.out}\n{run.err}"
    assert f"error: assets/images/x/{name}: " in run.err
    assert "cannot identify image file" not in run.err  # Pillow's words, with the path
    assert not (example_site / "public").exists()


def test_a_file_name_can_neither_end_an_attribute_nor_split_a_srcset(example_site):
    """A picture's URLs come from its file name; a quote in it ended the attribute and
    published `<img ... onerror="alert(1)...">`, a space or comma split the candidates."""
    images = example_site / "assets/images"
    names = ['q" onerror="alert(1).jpg', "sp ace.jpg", "com,ma 9w.jpg", "pct%22.jpg", "ü.jpg"]
    photo = Image.new("RGB", (300, 200), (90, 120, 150))
    for name in names:
        photo.save(images / name, "JPEG")
    iop = example_site / "content/programs/intensive-outpatient-program.md"
    text = iop.read_text(encoding="utf-8")
    old = "  src: images/photos/group-therapy.jpg"
    iop.write_text(text.replace(old, "  src: 'images/q\" onerror=\"alert(1).jpg'"), "utf-8")
    insurance = example_site / "content/pages/insurance.md"
    insurance.write_text(
        insurance.read_text(encoding="utf-8")
        + "\n\n![a](</assets/images/sp ace.jpg>) ![b](/assets/images/com,ma%209w.jpg)"
        " ![c](/assets/images/pct%2522.jpg) ![d](/assets/images/ü.jpg)\n",
        encoding="utf-8",
    )
    run = run_bounded(example_site, limit=120)
    assert run.code == 0, run.err
    public = example_site / "public"
    for path in public.rglob("*.html"):
        for element in lxml.html.fromstring(path.read_bytes()).iter():
            handlers = [a for a in element.attrib if a.lower().startswith("on")]
            assert not handlers, (path, element.tag, handlers)
    page = (public / "insurance/index.html").read_text(encoding="utf-8")
    found = 0
    for srcset in re.findall(r'srcset="([^"]*)"', page):
        for candidate in candidates(html.unescape(srcset)):
            assert candidate.width is not None, srcset
            assert (public / unquote(candidate.url).lstrip("/")).is_file(), candidate.url
            found += 1
    formats = 3 if avif_available() else 2  # AVIF (where Pillow writes it), WebP, JPEG
    assert found >= 4 * formats * 2  # four pictures, two widths each


@pytest.mark.parametrize("where", ["assets/cache", "content/x", "public/cache", "public"])
def test_an_image_cache_among_the_sources_or_in_the_output_is_refused(example_site, where):
    """In assets/ the cache's files became sources of the next build, each made in every
    width into the cache again: 232 files, then 1,993 and 94 s, growing at every build."""
    run = run_bounded(example_site, "--image-cache", str(example_site / where), limit=60)
    assert run.code == 2, f"exit {run.code}\n{run.out}\n{run.err}"
    assert f"the image cache {example_site / where} is inside the " in run.err
    assert not (example_site / where).exists()


@pytest.mark.parametrize(
    "sizes",
    ["max(" * 10_000 + "1px" + ")" * 10_000, "1e400px", "max(1e308px, 1px)"],
    ids=["max 10000 deep", "1e400px", "1e308px"],
)
def test_check_judges_a_folder_with_sizes_it_cannot_read_without_a_traceback(tmp_path, sizes):
    """`check` of a folder not ours: sizes nested 10,000 deep raised RecursionError, an
    infinite or huge one OverflowError, in the image rules."""
    png = io.BytesIO()
    Image.new("RGB", (400, 300), (1, 2, 3)).save(png, "PNG")
    body = (
        f'<img src="/a.png" srcset="/a.png 400w" sizes="{sizes}" alt="a" width="400"'
        ' height="300">'
        f'<picture><source media="{sizes}" srcset="/a.png 400w"><img src="/a.png" alt="b"'
        ' width="400" height="300"></picture>'
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.png").write_bytes(png.getvalue())
    (out / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        "<title>A page title that is long enough ok</title>"
        '<meta name="description" content="A description long enough to pass the checker '
        'minimum of seventy characters, surely.">'
        '<link rel="canonical" href="https://ex.com/"></head>'
        f"<body><main><h1>Hi</h1><p>Hello.</p>{body}</main></body></html>",
        encoding="utf-8",
    )
    root = tmp_path / "root"
    root.mkdir()
    run = run_bounded(root, str(out), command="check", limit=30)
    assert run.code in (0, 1), f"exit {run.code}\n{run.out}\n{run.err}"


def test_a_focus_of_a_megabyte_is_an_error_of_a_line(example_site):
    """The error repeated the whole value: a megabyte of CI log."""
    iop = example_site / "content/programs/intensive-outpatient-program.md"
    old = "  src: images/photos/group-therapy.jpg"
    text = iop.read_text(encoding="utf-8")
    iop.write_text(text.replace(old, old + '\n  focus: "' + "50% " * 250_000 + '"'), "utf-8")
    run = run_bounded(example_site, limit=60)
    assert run.code == 1, run.err
    assert "'hero.focus': '50% 50% " in run.err and "is not a focal point" in run.err
    assert len(run.err) < 2_000


def test_a_colour_profile_of_megabytes_is_refused(example_site):
    """The profile is copied into every file made of the picture: a 10 MB WebP with a
    10 MB profile made 181 MB of variants (and as much in the cache)."""
    path = example_site / "assets/images/x/profiled.webp"
    path.parent.mkdir(parents=True)
    profile = b"\0" * 4 + b"x" * (2 * 1024 * 1024)
    Image.new("RGB", (400, 300), (1, 2, 3)).save(path, "WEBP", icc_profile=profile)
    run = run_bounded(example_site, limit=120)
    assert run.code == 1, f"exit {run.code}\n{run.out}\n{run.err}"
    assert "error: assets/images/x/profiled.webp: the picture's colour profile has 2,048 KB" in (
        run.err
    )


def test_a_poisoned_image_cache_in_the_checkout_publishes_no_secret(minimal_site, monkeypatch):
    """netlify.toml keeps the image cache in the checkout (.sitegen-image-cache), where a
    pull request can commit anything: every entry made a link to /proc/self/environ, a
    production build with a secret in its environment publishes none of it (the entries
    are encoded again and replaced), and exits 0 without a traceback."""
    picture = minimal_site / "assets/images/hero.jpg"
    buffer = io.BytesIO()
    _frames(1)[0].save(buffer, "JPEG")
    picture.write_bytes(buffer.getvalue())
    program = minimal_site / "content/programs/day-program.md"
    program.write_text(program.read_text().replace("images/hero.svg", "images/hero.jpg"))
    cache = minimal_site / ".sitegen-image-cache"
    monkeypatch.setenv("SITEGEN_IMAGE_CACHE", str(cache))
    monkeypatch.setenv("SITEGEN_RESIDENT", "0")
    assert run_bounded(minimal_site, "--out", str(minimal_site / "first")).code == 0
    kept = [p for p in cache.rglob("*") if p.is_file() and p.name != ".pruned"]
    assert kept
    for path in kept:
        path.unlink()
        path.symlink_to("/proc/self/environ")
    monkeypatch.setenv("SECRET_TOKEN", "xyz-do-not-publish")
    run = run_bounded(minimal_site, "--out", str(minimal_site / "second"), "--no-cache")
    assert run.code == 0, run.err
    leaked = [
        p
        for p in (minimal_site / "second").rglob("*")
        if p.is_file() and b"xyz-do-not-publish" in p.read_bytes()
    ]
    assert leaked == []
    assert not any(p.is_symlink() for p in kept)  # replaced by what was encoded


@needs_git
def test_an_image_cache_with_files_committed_to_git_is_refused(minimal_site, monkeypatch):
    """A picture committed under its key in .sitegen-image-cache would be published as it
    is (its key can be worked out from the source): a cache in the project that git tracks
    files in is a usage error naming the fix; untracked, it is used."""
    import subprocess

    cache = minimal_site / ".sitegen-image-cache"
    (cache / "ab").mkdir(parents=True)
    (cache / "ab" / ("ab" * 32 + ".jpeg")).write_bytes(b"\xff\xd8\xffpoisoned")
    monkeypatch.setenv("SITEGEN_IMAGE_CACHE", str(cache))
    monkeypatch.setenv("SITEGEN_RESIDENT", "0")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(minimal_site), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "-f", ".sitegen-image-cache")
    run = run_bounded(minimal_site)
    assert run.code == 2 and "holds 1 file committed to git" in run.err
    assert "git rm -r --cached" in run.err and not (minimal_site / "public").exists()
    git("rm", "-q", "-r", "--cached", ".sitegen-image-cache")
    assert run_bounded(minimal_site).code == 0
