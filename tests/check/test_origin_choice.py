"""sitegen.check.origin on real files: what a folder's pages say their site is, however
their tags are written, and which origin a check then uses."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sitegen.check.origin import BASE_URL, PAGES, SITE_URL, Statements, choose, statements


def pages(folder: Path, heads: dict[str, str]) -> dict[str, str]:
    """Pages with these heads, by URL, as list_files returns them."""
    found = {}
    for url, head in heads.items():
        path = folder / url.strip("/") / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!doctype html><html><head>{head}</head><body></body></html>")
        found[url] = str(path)
    return dict(sorted(found.items()))


def test_canonical_and_og_url_are_read_however_the_tags_are_written(tmp_path):
    html = pages(
        tmp_path,
        {
            "/": '<link rel="canonical" href="https://A.example/">',
            "/a/": "<link href='https://a.example/a/' rel='alternate canonical'>",
            "/b/": "<LINK REL=canonical HREF=https://a.example/b/>",
            "/c/": '<meta content="https://a.example/c/" property="og:url">',
            "/d/": '<link rel="stylesheet" href="https://cdn.example/x.css">',
        },
    )
    said = statements(html, ["https://a.example/", "https://a.example/a/"])
    assert said.canonical == Counter({"https://a.example": 3})
    assert said.og_url == Counter({"https://a.example": 1})
    assert said.sitemap == Counter({"https://a.example": 2})
    assert said.agreed() == "https://a.example"


def test_statements_that_disagree_name_no_origin(tmp_path):
    heads = {f"/{i}/": f'<link rel="canonical" href="https://a.example/{i}/">' for i in range(8)}
    heads["/x/"] = '<link rel="canonical" href="https://b.example/x/">'
    html = pages(tmp_path, heads)
    assert statements(html, None).agreed() is None  # 8 of 9 is less than 9 in 10
    assert statements(html, None).canonical.most_common(1)[0][0] == "https://a.example"
    one = dict(list(html.items())[:8])
    assert statements(one, None).agreed() == "https://a.example"
    # the sitemap names another site than the canonical URLs: no agreement
    assert statements(one, ["https://b.example/"]).agreed() is None


def test_which_origin_a_check_uses():
    said = Statements(Counter({"https://b.example": 5}), Counter(), Counter())
    chosen = choose("https://c.example/", "https://a.example", said)
    assert (chosen.url, chosen.source, chosen.note) == ("https://c.example", SITE_URL, None)
    chosen = choose(None, "https://a.example/", said)
    assert (chosen.url, chosen.source) == ("https://b.example", PAGES)
    assert chosen.note and "https://a.example" in chosen.note and "--site-url" in chosen.note
    same = Statements(Counter({"https://a.example": 5}), Counter(), Counter())
    assert choose(None, "https://A.example", same).source == BASE_URL
    split = Statements(
        Counter({"https://b.example": 5, "https://d.example": 5}), Counter(), Counter()
    )
    assert choose(None, "https://a.example", split).url == "https://a.example"
    assert choose(None, None, split).source == PAGES  # the most common one, said so
    nothing = Statements(Counter(), Counter(), Counter())
    assert choose(None, None, nothing).url is None


def test_at_most_a_sample_of_a_large_folder_is_read(tmp_path):
    heads = {
        f"/p{i:03}/": f'<link rel="canonical" href="https://a.example/p{i:03}/">'
        for i in range(300)
    }
    html = pages(tmp_path, heads)
    assert sum(statements(html, None).canonical.values()) <= 64
