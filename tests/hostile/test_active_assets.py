"""Editors' assets are data: an asset a browser would run as a document on the site's own
address is refused, and a file that only looks like a picture is an error naming it, never
a traceback. Real build processes (run_bounded); public/ byte for byte as it was."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from conftest import built_once, edit, run_bounded, snapshot

IOP = "content/programs/intensive-outpatient-program.md"
HEADING = "## What is {{ short_name }}?"


def refused(site: Path, before: dict[str, bytes], *fragments: str) -> str:
    run = run_bounded(site, limit=60)
    assert run.code == 1, f"exit {run.code}\n{run.out}\n{run.err}"
    for fragment in fragments:
        assert fragment in run.err, f"{fragment!r} not in:\n{run.err}"
    assert snapshot(site / "public") == before
    return run.err


@pytest.mark.parametrize("name", ["evil.html", "docs/page.htm", "feed.xml", "x.xhtml"])
def test_an_html_or_xml_asset_is_refused(example_site, build_cli, name):
    before = built_once(example_site, build_cli)
    path = example_site / "assets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<script src="/assets/js/x.js"></script>')
    refused(example_site, before, f"error: assets/{name}: an HTML or XML file in assets/")


@pytest.mark.parametrize(
    "name",
    [
        *["t/q.svgz", "t/q.xhtm", "p.xpdl", "p.mml", "feed.atom", "a.rdf", "x.MathML", "k.xul"],
        *["show.sml", "setup.PKG", "notes.odd"],  # what Debian's /etc/mime.types names XML
    ],
)
def test_a_file_a_browser_opens_as_an_xml_or_html_document_is_refused(
    example_site, build_cli, name
):
    """By its extension, as a server names its type (model.document_types): a fresh tester
    had .svgz, .xhtm and .xpdl files run a script on the preview's address and, through a
    published .mjs, under the site's own Content-Security-Policy."""
    before = built_once(example_site, build_cli)
    path = example_site / "assets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script href="/assets/t/x.mjs"/></svg>'
    )
    expected = (
        "a compressed SVG cannot be checked for scripts"
        if name.endswith(".svgz")
        else f"an HTML or XML file in assets/ (.{name.rpartition('.')[2].lower()})"
    )
    refused(example_site, before, f"error: assets/{name}: {expected}")


@pytest.mark.skipif(
    not Path("/etc/mime.types").is_file(),
    reason="no /etc/mime.types: Debian's media-types package, which .ci/run installs",
)
def test_every_type_the_machines_table_opens_as_a_document_is_listed():
    """Apache, nginx's packages and Python's mimetypes.guess_type read the machine's
    /etc/mime.types: a fresh tester found 18 extensions Debian's names an XML type that no
    other table did, served so by the preview then."""
    import mimetypes

    from sitegen.model.document_types import DOCUMENT_EXTENSIONS

    table = mimetypes.MimeTypes(filenames=("/etc/mime.types",))
    types = {**table.types_map[False], **table.types_map[True]}
    for extension, kind in types.items():
        essence = kind.split(";")[0].strip().lower()
        if essence in ("text/html", "text/xml", "application/xml") or essence.endswith("+xml"):
            assert extension == ".svg" or extension[1:].lower() in DOCUMENT_EXTENSIONS, extension


def test_every_type_pythons_table_opens_as_a_document_is_listed_and_assets_are_not():
    """The preview's server names types with Python's mimetypes: each extension its own
    table maps to an HTML or XML MIME type (WHATWG MIME Sniffing) is a document, or an SVG
    (judged by content); the files a site's assets are made of are not."""
    import mimetypes

    from sitegen.model.document_types import DOCUMENT_EXTENSIONS, document_extension

    table = mimetypes.MimeTypes(filenames=())
    types = {**table.types_map[False], **table.types_map[True]}
    for extension, kind in types.items():
        essence = kind.split(";")[0].strip().lower()
        if essence in ("text/html", "text/xml", "application/xml") or essence.endswith("+xml"):
            assert extension == ".svg" or extension[1:] in DOCUMENT_EXTENSIONS, extension
    for name in [
        "css/site.css", "js/site.js", "a.pdf", "b.png", "c.JPG", "d.webp", "e.avif",
        "f.woff2", "favicon.ico", "robots.txt", "data.json", "site.webmanifest", "v.mp4",
        "icon.svg", "html", "archive.html.zip", "folder.xml/readme.txt",
    ]:  # fmt: skip
        assert document_extension(name) is None, name
    assert document_extension("Page.HTML") == ".html"


@pytest.mark.parametrize("name", ["a\nb.txt", "docs/x\ry.pdf", "tab\there.css", "esc\x1b[31m.txt"])
def test_an_asset_whose_name_holds_a_control_character_is_refused(example_site, build_cli, name):
    """A newline in a file's name went into its published address (%0A), and reports
    printed it on a line of its own before `inert` escaped it (found by a fresh tester)."""
    before = built_once(example_site, build_cli)
    path = example_site / "assets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    shown = name.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    err = refused(
        example_site,
        before,
        f"error: assets/{shown.replace(chr(27), chr(92) + 'x1b')}: the file's name holds a "
        "control character",
        "hint: rename the file",
    )
    assert "\x1b" not in err


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
ACTIVE_SVGS = {
    "script": f"{SVG}<script>alert(1)</script></svg>",
    "handler": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "foreignObject": f"{SVG}<foreignObject><p>x</p></foreignObject></svg>",
    "javascript link": f'{SVG}<a href="javascript:alert(1)">x</a></svg>',
    "prefixed script": f'{SVG}<svg:script xmlns:svg="x">1</svg:script></svg>',
    # what got past the pattern the check was (found by the attacker tester)
    "prefix with a digit": (
        f'{SVG}<s1:script xmlns:s1="http://www.w3.org/2000/svg" href="/a.js"/></svg>'
    ),
    "character reference": f'{SVG}<a href="&#106;avascript:alert(1)">x</a></svg>',
    "entity": (
        f'<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script&#62;">]>{SVG}&x;</svg>'
    ),
    "animation": f'{SVG}<a><set attributeName="href" to="javascript:alert(1)"/>x</a></svg>',
    "xlink animation": f'{SVG}<a><animate attributeName="xlink:href" values="/x"/></a></svg>',
    "tab in scheme": f'{SVG}<a xlink:href="java&#9;script:alert(1)">x</a></svg>',
    "xhtml": f'{SVG}<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="x"/></svg>',
    "stylesheet": f'<?xml-stylesheet type="text/xsl" href="/a.xsl"?>{SVG}</svg>',
    "not xml": f"{SVG}<script>alert(1)</script>",
    # found by the second attacker: lxml decodes UTF-7, a browser reads the bytes as UTF-8
    "utf-7": (
        '<?xml version="1.0" encoding="UTF-7"?>\n'
        f'{SVG}<!-- logo +AGE--><script href="/assets/a.js"/>--></svg>'
    ),
    "attribute defaults": f'<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>{SVG}</svg>',
    "an SVG as data": f'{SVG}<image href="data:image/svg+xml;base64,PHN2Zz4=" width="1"/></svg>',
}


@pytest.mark.parametrize("svg", list(ACTIVE_SVGS.values()), ids=list(ACTIVE_SVGS))
def test_an_svg_that_runs_script_is_refused(example_site, build_cli, svg):
    before = built_once(example_site, build_cli)
    (example_site / "assets/images/icon.svg").write_text(svg)
    refused(
        example_site,
        before,
        "error: assets/images/icon.svg: this SVG could run or embed something when a "
        "browser opens it",
    )


def test_an_svg_of_more_tags_than_a_drawing_has_is_refused_unparsed(tmp_path, monkeypatch):
    """A fresh tester's 16 MB of `<g/>` passed the check after 7 s of CPU and 1.2 GB of
    memory (and git keeps it in a few kilobytes): over MAX_SVG_TAGS tags, an SVG is
    refused before lxml parses it; at the limit it is judged as any drawing."""
    from lxml import etree

    from sitegen.load import svgcheck
    from sitegen.model.limits import MAX_SVG_TAGS

    def drawing(tags: int) -> bytes:
        return f"{SVG}{'<g/>' * (tags - 2)}</svg>".encode()

    assert svgcheck.svg_problem(drawing(MAX_SVG_TAGS)) is None
    parsed: list[bytes] = []
    real = etree.fromstring
    monkeypatch.setattr(etree, "fromstring", lambda data, *a: parsed.append(data) or real(data, *a))
    problem = svgcheck.svg_problem(drawing(MAX_SVG_TAGS + 1))
    assert problem == "it has over 250,000 tags, more than a drawing needs" and parsed == []


def test_an_svg_element_of_more_attributes_than_a_drawing_has_is_refused():
    """A second fresh tester's 1 MB SVG of one element with 100,000 attributes (one `<`)
    took 35 s to check: lxml reads attribute values in time that grows with the square of
    their number. Over MAX_SVG_ATTRIBUTES an element is refused, counted before any value
    is read (the tester's file: 0.08 s)."""
    from sitegen.load import svgcheck
    from sitegen.model.limits import MAX_SVG_ATTRIBUTES

    def drawing(count: int) -> bytes:
        names = "".join(f' data-a{i}=""' for i in range(count))
        return f'<svg xmlns="http://www.w3.org/2000/svg"><g{names}/></svg>'.encode()

    assert svgcheck.svg_problem(drawing(MAX_SVG_ATTRIBUTES)) is None
    for count in (MAX_SVG_ATTRIBUTES + 1, 100_000):
        problem = svgcheck.svg_problem(drawing(count))
        assert problem == "a <g> element has over 100 attributes, more than a drawing needs"


def test_an_svg_over_a_limit_is_told_so_with_its_fix(example_site, build_cli):
    """Not as a script would be: what is too large, and what to do instead."""
    before = built_once(example_site, build_cli)
    names = "".join(f' data-a{i}=""' for i in range(200))
    (example_site / "assets/images/icon.svg").write_text(f"{SVG}<g{names}/></svg>")
    refused(
        example_site,
        before,
        "error: assets/images/icon.svg: this SVG is larger than the build checks: a <g> "
        "element has over 100 attributes, more than a drawing needs",
        "hint: simplify the drawing (fewer shapes, attributes and points), or save it as PNG",
    )


def test_the_sites_svgs_together_have_a_budget(tmp_path, monkeypatch):
    """Each SVG's bytes are held from its check until they are published: a thousand
    files of 16 MB (a few kilobytes in git when they repeat) would take 16 GB. The SVG
    that takes the site's drawings over the budget (bytes or tags) is one error naming
    it; those after it are not read."""
    from sitegen.load import assets

    folder = tmp_path / "assets" / "images"
    folder.mkdir(parents=True)
    drawing = f"{SVG}{'<g/>' * 10}</svg>"
    for name in ("a.svg", "b.svg", "c.svg"):
        (folder / name).write_text(drawing)
    catalog = assets.collect_assets(tmp_path)
    assert assets.active_asset_errors(catalog).errors == []
    for limit, value in (("MAX_SITE_SVG_BYTES", len(drawing) * 2 - 1), ("MAX_SITE_SVG_TAGS", 23)):
        monkeypatch.setattr(assets, limit, value)
        found = assets.active_asset_errors(catalog)
        assert [e.source.path for e in found.errors] == ["assets/images/b.svg"], limit
        assert "the site's SVGs are over" in found.errors[0].message
        assert list(found.svgs) == [folder / "a.svg"]  # c.svg was not read
        monkeypatch.undo()


def test_an_svg_in_utf16_is_read_as_a_browser_reads_it(example_site, build_cli):
    """A UTF-16 file (with its byte order mark) holding a plain <script>: bytes that no
    pattern over UTF-8 text matches."""
    before = built_once(example_site, build_cli)
    data = ACTIVE_SVGS["script"].encode("utf-16")
    (example_site / "assets/images/icon.svg").write_bytes(data)
    refused(example_site, before, "error: assets/images/icon.svg: this SVG could run")


@pytest.mark.parametrize(
    "svg",
    [
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        f'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n{SVG}<rect width="1"/></svg>',
        f'{SVG}<image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>',
        f'{SVG}<title aria-label="Learn javascript: basics">Lessons</title></svg>',
        f'<?xml version="1.0" encoding="ISO-8859-1"?>{SVG}<text>caf\xe9</text></svg>',
    ],
    ids=["Illustrator's DOCTYPE", "Inkscape's embedded PNG", "words", "Latin-1"],
)
def test_what_drawing_programs_export_is_published(example_site, build_cli, svg):
    """False positives of the first XML check: Illustrator's external DOCTYPE was taken
    for entities, an embedded PNG for an active data: address."""
    (example_site / "assets/images/icon.svg").write_bytes(svg.encode("latin-1"))
    run = build_cli(example_site)
    assert run.code == 0, run.err


def test_a_plain_svg_with_styles_gradients_and_links_is_published(example_site, build_cli):
    (example_site / "assets/images/icon.svg").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n'
        f'{SVG}<style>.a{{fill:url(#g)}}</style><defs><linearGradient id="g"/></defs>'
        '<a href="https://www.example.com/"><rect class="a" width="4" height="4"/></a>'
        '<use xlink:href="#g"/><text>on time</text></svg>'
    )
    assert build_cli(example_site).code == 0


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size and holds no pixels: Pillow reads the size from it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("bomb.png", _png_header(200_000, 200_000), "larger than 8,000 px on a side"),
        (
            "wide.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e400 5"/>',
            "must be positive numbers below 1,000,000",
        ),
        (
            "negative.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 -10 5"/>',
            "must be positive numbers below 1,000,000",
        ),
    ],
    ids=["decompression bomb", "infinite viewBox", "negative viewBox"],
)
def test_a_picture_whose_size_is_no_size_is_an_error(example_site, build_cli, name, data, problem):
    before = built_once(example_site, build_cli)
    (example_site / "assets/images" / name).write_bytes(data)
    edit(example_site, IOP, "  src: images/photos/group-therapy.jpg", f"  src: images/{name}")
    refused(example_site, before, f"image 'images/{name}'", problem)


def test_assets_nested_hundreds_of_folders_deep_are_an_error_not_a_traceback(
    example_site, build_cli
):
    before = built_once(example_site, build_cli)
    folder = str(example_site / "assets")
    for level in range(300):  # (1,500 made Python's recursive folder functions fail)
        folder = os.path.join(folder, "abcdefghijkl"[level % 12])
        os.mkdir(folder)
    Path(folder, "x.txt").write_text("deep")
    too_deep = "/".join("abcdefghijkl"[level % 12] for level in range(33))
    refused(
        example_site, before, f"error: assets/{too_deep}: folders nest more than 32 levels deep"
    )


def test_an_svg_saved_with_a_script_after_its_check_is_not_published(
    example_site, build_cli, monkeypatch
):
    """An editor saving a drawing while a build runs, between the check of the SVGs and
    their copy into the output (found by a fresh tester racing saves against builds: 8 of
    24 builds published a script): a build publishes the very bytes it read and judged
    (load.assets.active_asset_errors hands them over), never a later copy of the file; the
    next build reads the save and refuses it, the file named, the output left as it was."""
    from sitegen.load import assets

    drawing = example_site / "assets/images/icon-clock.svg"
    judged = drawing.read_bytes()
    built_once(example_site, build_cli)
    published = example_site / "public/assets/images/icon-clock.svg"
    published.unlink()  # the output is not as the last build left it: a full build
    checks = assets.active_asset_errors

    def check_then_save(*args):
        found = checks(*args)
        drawing.write_text(ACTIVE_SVGS["script"])  # saved right after the check
        return found

    monkeypatch.setattr(assets, "active_asset_errors", check_then_save)
    run = build_cli(example_site)
    assert run.code == 0, run.out + run.err
    assert published.read_bytes() == judged  # what was judged, not what the file holds now
    monkeypatch.setattr(assets, "active_asset_errors", checks)
    before = snapshot(example_site / "public")
    run = build_cli(example_site)
    assert run.code == 1, run.out + run.err
    assert (
        "error: assets/images/icon-clock.svg: this SVG could run or embed something when a "
        "browser opens it: it has a <script> element" in run.err
    ), run.err
    assert snapshot(example_site / "public") == before


def test_what_the_svg_check_found_is_kept_for_the_same_bytes_only(tmp_path, monkeypatch):
    """active_asset_errors with `last` (a resident process's, the dev server's): every
    SVG is read each time, and parsed again unless its bytes are the very bytes last
    parsed; a change that leaves the file's size and times as they were (as a write
    through a memory map can) is seen (a fresh tester's find, against a memo by stat)."""
    from sitegen.load import assets

    folder = tmp_path / "assets" / "images"
    folder.mkdir(parents=True)
    plain = f"{SVG}<rect width='1' height='1'/></svg>"
    for name in ("a.svg", "b.svg"):
        (folder / name).write_text(plain)
    parsed: list[bytes] = []
    real = assets.svg_problem
    monkeypatch.setattr(assets, "svg_problem", lambda data: parsed.append(data) or real(data))
    last: assets.SvgChecks = {}

    def errors() -> list[str]:
        nonlocal last
        catalog = assets.collect_assets(tmp_path)
        found, last = assets.active_asset_errors(catalog, last)
        return [e.message for e in found]

    assert errors() == [] and len(parsed) == 2
    assert errors() == [] and len(parsed) == 2  # the same bytes: not parsed again
    drawing = folder / "b.svg"
    before = drawing.stat()
    evil = f"{SVG}<script>1</script></svg>"
    drawing.write_text(evil + " " * (len(plain) - len(evil)))  # the same size
    os.utime(drawing, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same time
    assert drawing.stat().st_size == before.st_size
    found = errors()
    assert len(found) == 1 and "<script>" in found[0] and len(parsed) == 3
    assert len(errors()) == 1 and len(parsed) == 3  # still refused, from what was kept
    drawing.write_text(plain)
    assert errors() == [] and len(parsed) == 4  # only the last bytes of each are kept
    drawing.unlink()
    assert errors() == [] and list(last) == [folder / "a.svg"]  # a file gone: forgotten


def test_a_link_to_nothing_in_assets_is_an_error_naming_it(example_site, build_cli):
    """A link in assets/ whose file was moved or deleted (a fresh tester's find: it was
    skipped without a word, and the site published without it): an error at the link,
    with its target and the fix, and the output left as it was; once the file is back,
    the build publishes it."""
    before = built_once(example_site, build_cli)
    shared = example_site / "shared"
    shared.mkdir()
    sheet = shared / "print.css"
    (example_site / "assets/css/print.css").symlink_to("../../shared/print.css")
    (example_site / "assets/css/extra.css").symlink_to("gone.css")
    err = refused(
        example_site,
        before,
        "error: assets/css/extra.css: this is a link to gone.css, which does not exist",
        "error: assets/css/print.css: this is a link to ../../shared/print.css, which does",
        "hint: restore the file it leads to, or remove the link",
    )
    assert "Traceback" not in err
    (example_site / "assets/css/extra.css").unlink()
    sheet.write_text("@media print { nav { display: none; } }\n")
    run = build_cli(example_site)
    assert run.code == 0, run.out + run.err
    published = list((example_site / "public/assets/css").glob("print.*.css"))
    assert [p.read_text() for p in published] == [sheet.read_text()]


def test_an_assets_folder_that_is_a_link_to_nothing_is_an_error_naming_it(example_site, build_cli):
    before = built_once(example_site, build_cli)
    (example_site / "assets").rename(example_site / "shared-assets")
    (example_site / "assets").symlink_to("old-assets")
    refused(
        example_site,
        before,
        "error: assets: this is a link to old-assets, which does not exist",
        "hint: restore the file it leads to, or remove the link",
    )


def test_a_kept_catalogue_with_a_link_to_nothing_is_made_again(example_site):
    """A resident process or the preview keeps the asset catalogue while assets/ does not
    change; the file a link there leads to may come back elsewhere, which they do not
    watch: a catalogue that had a link to nothing is made again each build, and the
    layouts and texts made with it."""
    from sitegen.errors import ErrorList
    from sitegen.pipeline import BuildOptions, Reuse, load_site

    shared = example_site / "shared"
    shared.mkdir()
    (example_site / "assets/css/print.css").symlink_to("../../shared/print.css")
    reuse = Reuse()
    options = BuildOptions(example_site, example_site / "public")
    errors = ErrorList()
    load_site(options, [], errors, reuse)
    assert [e.source.path for e in errors.errors] == ["assets/css/print.css"]
    (shared / "print.css").write_text("nav { display: none; }\n")
    errors = ErrorList()
    site = load_site(options, [], errors, reuse)
    assert errors.errors == [] and "css/print.css" in site.catalog.assets
    asset_url = site.layouts.env.globals["asset_url"]  # the layouts see it too (a tester's
    assert asset_url("css/print.css").startswith("/assets/css/print.")  # find: they did not)
