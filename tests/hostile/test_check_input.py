"""A hostile folder given to `python build.py check` (a fork's deploy preview, checked in
CI with secrets around): each input ends in findings or a clear error within seconds,
never a traceback, a hang, a read outside the folder or output a CI runner obeys."""

from __future__ import annotations

import json
import marshal
import os
from pathlib import Path

import pytest

from conftest import run_bounded, write_files
from sitegen.cache import cache_path

BOUND = 30.0  # seconds; each of these checks takes about 1 s when all is well


def page(url: str, title: str = "A page title that is long enough ok", body: str = "") -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        f"<title>{title}</title>"
        '<meta name="description" content="A description long enough to pass the checker '
        'minimum of seventy characters, surely.">'
        f'<link rel="canonical" href="https://ex.com{url}"></head>'
        f"<body><main><h1>Hi</h1><p>Hello.</p>{body}</main></body></html>"
    )


def folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """The folder to check, tmp_path/out, holding `files`."""
    return write_files(tmp_path / "out", files)


def check(tmp_path: Path, out: Path, *args: str, limit: float = BOUND):
    """`build.py check OUT --root EMPTY ARGS` as a real process (no site.yaml: a folder
    that is not ours), bounded in time and free of tracebacks."""
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    return run_bounded(root, str(out), *args, command="check", limit=limit)


def test_json_ld_nested_deeper_than_the_parser_goes_is_a_finding(tmp_path):
    """The place names of a folder not ours come from its JSON-LD, parsed again: 100,000
    `[` raised RecursionError there (a traceback) although the data rule had reported it."""
    deep = "[" * 100_000 + "]" * 100_000
    out = folder(
        tmp_path,
        {"index.html": page("/", body=f'<script type="application/ld+json">{deep}</script>')},
    )
    run = check(tmp_path, out)
    assert run.code == 1
    assert "jsonld-invalid: JSON-LD nested too deeply to read" in run.out


def test_a_headers_pattern_that_backtracks_does_not_hang_a_preview_check(tmp_path):
    """_headers paths were regular expressions: `/*a*a*...*b` is `.*a.*a...b`, which takes
    hours to fail on a URL of 60 a's. Matched by all states at once it takes no time,
    and matches what it matched."""
    long = "/" + "a" * 60 + ".html"
    headers = (
        "/" + "*a" * 30 + "*b\n  X-Robots-Tag: noindex\n"
        "/" + ":a" * 30 + "q\n  X-Robots-Tag: noindex\n"
        "/covered/*\n  X-Robots-Tag: noindex\n"
    )
    out = folder(
        tmp_path,
        {
            "index.html": page("/"),
            long[1:]: page(long, title="Another page title long enough here"),
            "covered/x.html": page("/covered/x.html", title="A third page title long enough"),
            "_headers": headers,
        },
    )
    run = check(tmp_path, out, "--env", "preview", "--format", "json")
    assert run.seconds < BOUND
    found = json.loads(run.out)["findings"]
    # the long page is covered by the second rule (30 one-segment placeholders), and
    # /covered/x.html by the third; only the home page is open to search
    assert {f["url"] for f in found if f["rule"] == "preview-indexable"} == {"/"}


@pytest.mark.parametrize(
    ("pattern", "url", "matches"),
    [
        ("/*", "/a/b.html", True),
        ("/a/*", "/b/c.html", False),
        ("/:x/b.html", "/a/b.html", True),
        ("/:x/b.html", "/a/c/b.html", False),
        ("/:x", "/", False),
        ("/a:1", "/a:1", True),  # a colon and a digit are no placeholder
        ("/a:1", "/ab", False),
        ("/*a*a*a*b", "/" + "a" * 200, False),
    ],
)
def test_headers_patterns_match_as_netlify_reads_them(pattern, url, matches):
    from sitegen.check.site_rules import PathPattern

    assert PathPattern(pattern).match(url) is matches


def test_links_that_lead_out_of_the_folder_are_not_read(tmp_path):
    """A page, sitemap.xml, _redirects or _headers that is a link to a file outside the
    folder (/etc/passwd, /proc/self/environ, a secret beside the folder) is not read:
    its contents were checked and quoted (the sitemap's <loc> in sitemap-extra)."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "sitemap.xml").write_text("<loc>https://ex.com/SECRET-sitemap</loc>")
    (secrets / "_redirects").write_text("/SECRET-redirect / 301\n")
    (secrets / "_headers").write_text("/SECRET-headers\n  X-Robots-Tag: noindex\n")
    (secrets / "page.html").write_text(page("/", title="SECRET-title"))
    out = folder(tmp_path, {"index.html": page("/"), "inside.html": page("/inside.html")})
    for name in ("sitemap.xml", "_redirects", "_headers"):
        os.symlink(secrets / name, out / name)
    os.symlink(secrets / "page.html", out / "leak.html")
    os.symlink("/etc/passwd", out / "passwd.html")
    os.symlink("/proc/self/environ", out / "environ.html")
    os.symlink(out / "index.html", out / "same.html")  # a link inside the folder is read
    run = check(tmp_path, out, "--format", "json")
    assert "SECRET" not in run.out + run.err
    report = json.loads(run.out)
    urls = {f["url"] for f in report["findings"]}
    assert not urls & {"/leak.html", "/passwd.html", "/environ.html"}
    assert report["pages"] == 3  # index, inside and the link to index


@pytest.mark.parametrize("name", ["sitemap.xml", "_redirects", "_headers"])
def test_a_site_file_of_a_gigabyte_is_an_error_not_read(tmp_path, name):
    """A 1 GB sitemap.xml, _redirects or _headers (one line, no newline) was read whole:
    53 s and 2 GB of memory for the sitemap. Past 50 MB (the sitemap protocol's limit)
    it is an error naming the file, after reading 50 MB."""
    out = folder(tmp_path, {"index.html": page("/")})
    with open(out / name, "wb") as file:
        file.write(b"<loc>")
        file.truncate(1 << 30)  # sparse: a gigabyte of NUL bytes on no disk
    run = check(tmp_path, out)
    assert run.code == 1
    assert f"{name} of {out} is larger than 50 MB" in run.err
    assert run.seconds < 15


@pytest.mark.parametrize("name", ["sitemap.xml", "_redirects", "_headers", "robots.txt"])
@pytest.mark.parametrize("kind", ["pipe", "folder"])
def test_a_site_file_that_is_a_pipe_or_a_folder_is_an_error_not_missing(tmp_path, name, kind):
    """A named pipe at sitemap.xml was reported as no sitemap (and at _redirects or
    _headers not at all): the check now says what is there, and never opens a pipe."""
    out = folder(tmp_path, {"index.html": page("/")})
    if kind == "pipe":
        os.mkfifo(out / name)
    else:
        (out / name).mkdir()
    run = check(tmp_path, out)
    assert run.code == 1
    assert f"{name} of {out} is not a regular file" in run.err
    assert run.seconds < 15


def test_a_clinic_name_of_thirty_thousand_words_is_not_looked_for_word_by_word(tmp_path):
    """Each word of a clinic's name was looked for in the whole page: a 30,000-word name
    on a 2 MB page took 68 s."""
    name = " ".join(f"w{i}" for i in range(30_000))
    item = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "@id": "https://ex.com/#c",
        "name": name,
    }
    body = f"<p>{'filler ' * 300_000}</p><p>{name} shown</p>"
    body += f'<script type="application/ld+json">{json.dumps(item)}</script>'
    out = folder(tmp_path, {"index.html": page("/", body=body)})
    run = check(tmp_path, out, limit=20)
    assert "clinic-required" in run.out
    assert "does not show the MedicalClinic's name" not in run.out  # shown as written


def test_the_name_words_are_still_looked_for_one_by_one():
    from sitegen.rules.data_rules import _shows_name

    assert _shows_name("the springfield health clinic, since 1990", "Clinic Springfield")
    assert not _shows_name("the springfield clinic", "Clinic Shelbyville")
    many = " ".join(f"w{i}" for i in range(40))
    assert not _shows_name(" ".join(reversed(many.split())), many)  # too many, not as written
    assert _shows_name(many, many)


HOSTILE_NAMES = {
    "a\n::add-mask::x.html": "T\n::set-output name=x::1 long enough title",
    "b\x1b[31mred.html": "\x1b]0;title\x07\x1b[2J a long enough title here",
    "c##[add-mask]y.html": "##[add-mask]z a title that is long enough",
    "d::warning::.html": "::error::injected, a title that is long enough",
}


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_the_report_gives_a_ci_runner_no_command_and_a_terminal_no_escape(tmp_path, fmt):
    """File names, titles and addresses of a hostile folder are quoted in the report: a
    newline in a file name put `::add-mask::...` at the start of a line of the text
    report, which GitHub Actions obeys, a canonical `::add-mask::y` stood alone on its
    line, and ESC sequences reached the terminal."""
    files: dict[str, str | bytes] = {
        name: page("/x", title=title, body=f'<a href="/{name}">x</a>')
        for name, title in HOSTILE_NAMES.items()
    }
    files["index.html"] = page("/").replace('href="https://ex.com/"', 'href="::add-mask::y"')
    files["sitemap.xml"] = "<loc>https://ex.com/\x1b[2J</loc><loc>https://ex.com/##[x]</loc>"
    out = folder(tmp_path, files)
    run = check(tmp_path, out, "--format", fmt)
    assert run.code == 1
    for char in "\x1b\x07\r":
        assert char not in run.out
    assert "##[" not in run.out
    for line in run.out.splitlines():
        if fmt == "github" and not line.startswith("Checked "):
            # an annotation; a `::` later on its line is its message's (GitHub reads the
            # command up to the first `::` after the start)
            assert line.startswith(("::error ", "::warning ", "::notice ")), line
        else:
            assert not line.lstrip().startswith("::"), line
    assert "/a\\n::add-mask::x.html" in run.out  # what the name holds, readable


def test_a_damaged_cache_is_read_again_not_a_traceback(tmp_path):
    """The cache holds each page's facts as marshal bytes: a blob cut short raised
    EOFError (marshal's, not the ValueError the checker expected) and a traceback."""
    out = folder(tmp_path, {"index.html": page("/"), "a.html": page("/a.html")})
    first = check(tmp_path, out, "--format", "json")
    path = cache_path(out, "check")
    data = marshal.loads(path.read_bytes())
    for entry in data["pages"].values():
        entry["blob"] = b""  # the rules across pages unpack it
        entry["nodes"] = b"["
    data["rules"] = {}
    path.write_bytes(marshal.dumps(data))
    again = check(tmp_path, out, "--format", "json")
    assert json.loads(again.out)["findings"] == json.loads(first.out)["findings"]


def test_a_page_of_many_clinics_is_checked_in_seconds(tmp_path):
    """Each clinic's name and address were searched for in the whole page: 20,000 items on
    a 2.4 MB page took 114 s. The first MAX_PLACES are checked."""
    clinics = [
        {"@context": "https://schema.org", "@type": "MedicalClinic", "@id": f"#c{i}",
         "name": f"Clinic number {i} of the valley", "address": {"streetAddress": f"{i} Elm St"}}
        for i in range(20_000)
    ]  # fmt: skip
    text = "<p>" + " ".join(f"word{i}" for i in range(200_000)) + "</p>"
    block = f'<script type="application/ld+json">{json.dumps(clinics)}</script>'
    out = folder(tmp_path, {"index.html": page("/", body=text + block)})
    run = check(tmp_path, out, "--format", "json")
    found = [f for f in json.loads(run.out)["findings"] if f["rule"] == "clinic-mismatch"]
    assert 20 <= len(found) <= 21  # the first clinics' (20 listed, then how many more)


def test_a_flood_of_findings_is_twenty_listed_and_a_count(tmp_path):
    """A page with 5,000 broken links and 5,000 vague link texts: each rule lists 20, then
    says how many more, in every format (a million took 61 s and 1.7 GB to report)."""
    links = "".join(f'<a href="/gone/{i}/">click here</a>' for i in range(5_000))
    out = folder(tmp_path, {"index.html": page("/", body=links)})
    run = check(tmp_path, out, "--format", "json")
    report = json.loads(run.out)
    for rule in ("broken-link", "link-text"):
        found = [f for f in report["findings"] if f["rule"] == rule and f["url"] == "/"]
        assert len(found) == 21, rule
        more = f"and 4980 more {rule} findings here, not listed one by one"
        assert [f["message"] for f in found].count(more) == 1


def test_a_sitemap_index_naming_one_big_sitemap_many_times_reads_it_once(tmp_path):
    """Each sitemap an index names is read once, and at most 50,000 of them: 100,000
    entries naming one 1 MB sitemap would read 100 GB."""
    urls = "".join(f"<url><loc>https://ex.com/p{i}/</loc></url>" for i in range(20_000))
    child = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    index = "<sitemapindex>" + "<sitemap><loc>https://ex.com/a.xml</loc></sitemap>" * 100_000
    out = folder(
        tmp_path,
        {"index.html": page("/"), "a.xml": child, "sitemap.xml": index + "</sitemapindex>"},
    )
    run = check(tmp_path, out, "--format", "json")
    extra = [f for f in json.loads(run.out)["findings"] if f["rule"] == "sitemap-extra"]
    more = "and 19980 more sitemap-extra findings here, not listed one by one"
    assert len(extra) == 21 and [f["message"] for f in extra].count(more) == 1
