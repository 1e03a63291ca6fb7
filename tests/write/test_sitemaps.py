"""A sitemap keeps to the sitemaps protocol's limits (50,000 URLs, 50 MB a file): a larger
site gets several sitemaps and sitemap.xml is their index; `check` reads the index whole
and finds a sitemap that lists too many URLs."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

import sitegen.check.site_rules as site_rules
import sitegen.write.sitefiles as sitefiles
from conftest import snapshot
from sitegen.cli import main
from sitegen.model.project import SITEMAP
from sitegen.model.sitemaps import MAX_SITEMAP_BYTES, MAX_SITEMAP_URLS
from sitegen.write.sitefiles import SitemapMemo, sitemap_parts, sitemaps

ORIGIN = "https://example.org"
LOC = re.compile(r"<loc>([^<]+)</loc>")


def urls(count: int, length: int = 0) -> list[str]:
    """`count` sorted page URLs, each padded to about `length` characters."""
    pad = "x" * max(0, length - 30)
    return [f"{ORIGIN}/p{index:07d}{pad}/" for index in range(count)]


def test_a_sitemap_of_120_001_pages_is_three_files_of_at_most_50_000():
    listed = urls(120_001)
    parts = sitemap_parts(listed)
    assert [p.stop - p.start for p in parts] == [50_000, 50_000, 20_001]
    files = sitemaps(ORIGIN, [(url, None) for url in listed])
    assert list(files) == [SITEMAP, "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    pages = [loc for name in list(files)[1:] for loc in LOC.findall(files[name])]
    assert pages == listed  # each page once, in order
    for text in files.values():
        assert len(LOC.findall(text)) <= MAX_SITEMAP_URLS
        assert len(text.encode()) <= MAX_SITEMAP_BYTES
    index = files[SITEMAP]
    assert index.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex ')
    assert LOC.findall(index) == [f"{ORIGIN}/sitemap-{n}.xml" for n in (1, 2, 3)]


def test_50_000_pages_are_one_sitemap():
    files = sitemaps(ORIGIN, [(url, None) for url in urls(50_000)])
    assert list(files) == [SITEMAP] and "<urlset" in files[SITEMAP]


def test_long_urls_split_a_sitemap_by_its_bytes(monkeypatch):
    """The byte limit (50 MB; a tenth of it here, to stay quick) splits a sitemap of fewer
    URLs than the count limit; each file stays under it, with its XML-escaped URLs."""
    limit = MAX_SITEMAP_BYTES // 10
    monkeypatch.setattr(sitefiles, "MAX_SITEMAP_BYTES", limit)
    listed = [url.replace("x", "&", 3) for url in urls(4_000, length=2_000)]  # 8 MB
    date = datetime.date(2026, 11, 30)
    files = sitemaps(ORIGIN, [(url, date) for url in listed])
    assert len(files) > 2
    for text in files.values():
        assert len(text.encode()) <= limit
    pages = [loc for name in list(files)[1:] for loc in LOC.findall(files[name])]
    assert pages == [url.replace("&", "&amp;") for url in listed]
    assert files[SITEMAP].count("<lastmod>2026-11-30</lastmod>") == len(files) - 1


def check(folder: Path, capsys) -> tuple[int, list[tuple[str, str]]]:
    capsys.readouterr()
    code = main(["check", str(folder), "--no-cache", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return code, sorted((f["rule"], f["url"]) for f in report["findings"])


def sitemap_findings(findings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [f for f in findings if f[0].startswith("sitemap")]


def test_a_site_of_more_pages_than_a_sitemap_holds_gets_an_index_that_check_reads_whole(
    example_site, build_cli, monkeypatch, capsys
):
    """With a limit of 5 URLs a sitemap (50,000 on a real site), the example's pages are
    listed by several sitemaps, together exactly the pages one sitemap lists; check finds
    nothing to say of them; a build under the real limit removes the parts again."""
    whole = example_site / "whole"
    assert build_cli(example_site, "--out", str(whole)).code == 0
    pages = LOC.findall((whole / SITEMAP).read_text())
    assert len(pages) > 10
    monkeypatch.setattr(sitefiles, "MAX_SITEMAP_URLS", 5)
    run = build_cli(example_site)
    assert run.code == 0, run.err
    out = example_site / "public"
    parts = sorted(out.glob("sitemap-*.xml"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(parts) == -(-len(pages) // 5)
    index = (out / SITEMAP).read_text()
    assert "<sitemapindex" in index
    assert LOC.findall(index) == [f"{origin_of(out)}/{p.name}" for p in parts]
    assert [loc for p in parts for loc in LOC.findall(p.read_text())] == pages
    assert "sitemap.xml" in (out / "robots.txt").read_text()
    code, findings = check(out, capsys)
    assert sitemap_findings(findings) == [] and code == 0
    monkeypatch.undo()
    assert build_cli(example_site, "--no-cache").code == 0
    assert not list(out.glob("sitemap-*.xml"))
    assert snapshot(out) == snapshot(whole)


def origin_of(out: Path) -> str:
    """The site's origin as its robots.txt names it."""
    found = re.search(r"Sitemap: (https?://[^/\s]+)", (out / "robots.txt").read_text())
    assert found
    return found.group(1)


def page(url: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>A page of the example site at {url}</title>"
        f'<meta name="description" content="A page of the example site, at {url}, for a test.">'
        f'<link rel="canonical" href="{ORIGIN}{url}"></head>'
        f'<body><h1>Page {url}</h1><a href="/">Home</a> <a href="/a/">A</a> '
        f'<a href="/b/">B</a> <a href="/c/">C</a></body></html>'
    )


def urlset(*paths: str) -> str:
    locs = "".join(f"<url><loc>{ORIGIN}{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


@pytest.mark.parametrize("indexed", [False, True])
def test_a_sitemap_listing_more_urls_than_the_protocol_allows_is_an_error(
    tmp_path, capsys, monkeypatch, indexed
):
    """sitemap-too-large at the file that lists too many, alone or in an index (a limit
    of 3 here for 50,000)."""
    monkeypatch.setattr(site_rules, "MAX_SITEMAP_URLS", 3)
    folder = tmp_path / "site"
    paths = ["/", "/a/", "/b/", "/c/"]
    for path in paths:
        target = folder / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(path))
    if indexed:
        (folder / "sitemap-1.xml").write_text(urlset(*paths))
        (folder / SITEMAP).write_text(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9"><sitemap><loc>{ORIGIN}/sitemap-1.xml</loc></sitemap></sitemapindex>'
        )
    else:
        (folder / SITEMAP).write_text(urlset(*paths))
    code, findings = check(folder, capsys)
    where = "/sitemap-1.xml" if indexed else "/sitemap.xml"
    assert sitemap_findings(findings) == [("sitemap-too-large", where)]
    assert code == 1
    monkeypatch.undo()
    code, findings = check(folder, capsys)
    assert sitemap_findings(findings) == []


def test_a_rebuild_with_the_same_entries_takes_the_last_sitemap_over():
    """SitemapMemo (the resident build process, the preview): the same (URL, date) pairs
    give the last sitemap back without writing it again; a date or a page that changed
    gives a new one, the same as written afresh."""
    base = "https://care.example.org"
    day = datetime.date(2026, 11, 30)
    entries = [(f"{base}/l{n}/", day) for n in range(3)]
    memo = SitemapMemo()
    first = memo.sitemaps(base, entries)
    assert first == sitemaps(base, entries)
    assert memo.sitemaps(base, list(entries)) is first  # equal pairs, another list
    changed = [*entries[:2], (entries[2][0], datetime.date(2026, 12, 2))]
    assert memo.sitemaps(base, changed) == sitemaps(base, changed) != first
    more = [*changed, (f"{base}/new/", None)]
    assert memo.sitemaps(base, more) == sitemaps(base, more)
