"""The checker on other sites' folders as real generators write them (Hugo, WordPress,
Netlify pretty URLs), and on mistakes: each test is a false alarm or a miss found by
trying to break `check`, run through the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import write_files
from sitegen.cli import main

DESCRIPTION = "A description of this page that is long enough for the length rule, ninety chars"


def page(canonical: str, title: str, body: str = "", head: str = "") -> str:
    """A clean page of another site: everything the page rules ask for."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{DESCRIPTION} ({title})">
<link rel="canonical" href="{canonical}">
<meta property="og:url" content="{canonical}">
{head}</head>
<body><header><nav><a href="/">Home</a></nav></header>
<main><h1>{title}</h1>{body}</main></body></html>
"""


def sitemap(*locs: str) -> str:
    urls = "".join(f"<url><loc>{loc}</loc></url>\n" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )


def write(folder: Path, files: dict[str, str]) -> Path:
    """`files` written under `folder` (conftest.write_files)."""
    return write_files(folder, dict(files))


def check(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    """The real command on `folder` (no site.yaml: a consultant's folder), its exit code
    and JSON report."""
    capsys.readouterr()
    code = main(["check", str(folder), "--root", str(folder.parent), "--no-cache",
                 "--format", "json", *args])  # fmt: skip
    return code, json.loads(capsys.readouterr().out)


def rules(report: dict) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["url"]) for f in report["findings"])


def test_a_sitemap_index_lists_the_pages_of_the_sitemaps_it_names(tmp_path, capsys):
    """Hugo (multilingual) and WordPress write sitemap.xml as an index of sitemaps. Its
    <loc>s are sitemaps, not pages: it was two sitemap-extra errors (one per sitemap)
    and sitemap-missing on every page."""
    o = "https://example.org"
    site = write(
        tmp_path / "site",
        {
            "index.html": page(o + "/", "Example Org home page in two languages",
                               '<a href="/en/">English</a> <a href="/fr/">Fran&ccedil;ais</a>'),
            "en/index.html": page(o + "/en/", "Example Org English home page of the site"),
            "fr/index.html": page(o + "/fr/", "Example Org page d accueil du site en francais"),
            "sitemap.xml": '<?xml version="1.0" encoding="utf-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            "<sitemap><loc>https://example.org/en/sitemap.xml</loc></sitemap>\n"
            "<sitemap><loc>https://example.org/fr/sitemap.xml</loc></sitemap>\n"
            "<sitemap><loc>https://example.org/../../outside.xml</loc></sitemap>\n"
            "</sitemapindex>\n",
            "en/sitemap.xml": sitemap(o + "/", o + "/en/"),
            "fr/sitemap.xml": sitemap("<![CDATA[https://example.org/fr/]]>"),
        },
    )  # fmt: skip
    code, report = check(site, capsys)
    assert rules(report) == []
    assert code == 0


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_a_yoast_breadcrumb_and_a_dashed_telephone_are_no_errors(tmp_path, capsys):
    """Yoast SEO's breadcrumb leaves the last ListItem's item out (Google then takes the
    page's URL), and schema.org's examples write telephones with dashes while the tel:
    link dials +15125550100. Both were errors on a clean page: breadcrumb-invalid twice
    (item '' not a URL, the last item not this page) and clinic-mismatch (the telephone is
    no tel: link). A telephone that is no tel: link is still found."""
    o = "https://www.smileco.com"
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": ["Dentist", "LocalBusiness"],
                "@id": o + "/austin/#business",
                "name": "SmileCo Austin",
                "telephone": "+1-512-555-0100",
                "address": {"@type": "PostalAddress", "streetAddress": "100 Congress Ave",
                            "addressLocality": "Austin", "addressRegion": "TX"},
                "geo": {"@type": "GeoCoordinates", "latitude": 30.26, "longitude": -97.74},
                "openingHours": "Mo-Fr 08:00-17:00",
            },
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Home", "item": o + "/"},
                    {"@type": "ListItem", "position": 2, "name": "Austin"},
                ],
            },
        ],
    }  # fmt: skip
    body = (
        "<p>SmileCo Austin, 100 Congress Ave, Austin, TX. "
        '<a href="tel:+15125550100">(512) 555-0100</a></p>'
    )
    files = {
        "index.html": page(o + "/", "SmileCo family dentists in Texas", '<a href="/austin/">A</a>'),
        "austin/index.html": page(o + "/austin/", "SmileCo dentist in Austin, Texas", body,
                                  jsonld(graph)),
        "sitemap.xml": sitemap(o + "/", o + "/austin/"),
    }  # fmt: skip
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == []
    assert code == 0
    graph["@graph"][0]["telephone"] = "+1-512-555-0199"  # type: ignore[index]
    files["austin/index.html"] = page(
        o + "/austin/", "SmileCo dentist in Austin, Texas", body, jsonld(graph)
    )
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == [("clinic-mismatch", "/austin/")]


def test_pretty_urls_and_upper_case_hosts_name_the_page(tmp_path, capsys):
    """A site of x.html files whose canonical URLs and sitemap say /x (Netlify and
    Cloudflare Pages serve /x from x.html), and a host written in capitals (hosts have no
    case). Each page was canonical-invalid, sitemap-extra and sitemap-missing; and with
    the sitemap no longer wrong, a page linked only as /x must not be an orphan."""
    o = "https://Example.NET"
    files = {
        "index.html": page(o + "/", "Example Net home page, the first one",
                           '<a href="/about">About</a> <a href="blog/post">Post</a>'),
        "about.html": page(o + "/about", "About Example Net and who we are"),
        "blog/post.html": page(o + "/blog/post", "The first post of the Example Net blog"),
        "sitemap.xml": sitemap(o + "/", o + "/about", o + "/blog/post"),
    }  # fmt: skip
    code, report = check(write(tmp_path / "site", files), capsys)
    assert report["origin"] == "https://example.net"
    assert rules(report) == []
    assert code == 0
    # a canonical URL to another page is still one
    files["about.html"] = page(o + "/blog/post", "About Example Net and who we are")
    files["blog/post.html"] = page(o + "/blog/post", "The first post of the Example Net blog")
    code, report = check(write(tmp_path / "site", files), capsys)
    assert ("canonical-invalid", "/about.html") in rules(report)
    # an orphan is still one
    files["index.html"] = page(o + "/", "Example Net home page, the first one", "")
    code, report = check(write(tmp_path / "site", files), capsys)
    assert ("orphan-page", "/blog/post.html") in rules(report)


def test_relative_links_resolve_against_the_pages_base_href(tmp_path, capsys):
    """A page with <base href="/"> (WordPress themes, single-page apps) links
    href="docs/install/" to /docs/install/: that was broken-link (read as
    /docs/docs/install/) and the pages it links orphans. And href="#run" there leads to
    the home page, where no element has that id: a real broken fragment, found."""
    o = "https://example.net"
    base = '<base href="/">'
    files = {
        "index.html": page(o + "/", "Example Net home page, the first one", "<a href=docs/>D</a>"),
        "docs/index.html": page(o + "/docs/", "The documentation of Example Net",
                                '<a href="docs/install/">Install</a> '
                                '<img src="img/logo.png" alt="Logo" width="9" height="9">', base),
        "docs/install/index.html": page(o + "/docs/install/", "Installing Example Net at home",
                                        '<p id="run">Run it.</p>',
                                        '<base href="https://example.net/docs/">'),
        "img/logo.png": "png",
        "sitemap.xml": sitemap(o + "/", o + "/docs/", o + "/docs/install/"),
    }  # fmt: skip
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == []
    assert code == 0
    files["docs/install/index.html"] = page(
        o + "/docs/install/", "Installing Example Net at home", '<a href="#run">Run</a>', base
    )
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == [("broken-fragment", "/docs/install/")]


def test_a_sitemap_on_the_bare_host_is_one_cause_and_the_fallback_says_why(tmp_path, capsys):
    """Canonical URLs on https://www.example.org, the sitemap on https://example.org: the
    pages agree on no origin, so they are judged by site.yaml's base_url (README), but
    the report said nothing of why every canonical URL was then wrong. And the sitemap
    of another origin was one sitemap-extra per URL (thousands on a real site)."""
    www, bare = "https://www.example.org", "https://example.org"
    files = {
        "index.html": page(www + "/", "Example Org home page, the first one",
                           '<a href="/a/">A</a> <a href="/b/">B</a>'),
        "a/index.html": page(www + "/a/", "The A page of Example Org, about A"),
        "b/index.html": page(www + "/b/", "The B page of Example Org, about B"),
        "sitemap.xml": sitemap(bare + "/", bare + "/a/", bare + "/b/"),
    }  # fmt: skip
    site = write(tmp_path / "site", files)
    (tmp_path / "site.yaml").write_text("base_url: https://www.example.com\n")
    # judged as the site its canonical URLs name, and the report says why
    for args in ((), ("--site-url", www)):
        code, report = check(site, capsys, *args)
        assert report["origin"] == www
        extra = [c for c in report["causes"] if c["rule"] == "sitemap-extra"]
        assert len(extra) == 1 and bare in extra[0]["message"], extra
        assert code == 1
    code, report = check(site, capsys)
    note = report["origin_note"]
    assert note and www in note and bare in note and "--site-url" in note
    assert "https://www.example.com" in note
    # a sitemap naming base_url: the pages disagree, judged by base_url, and said why
    files["sitemap.xml"] = sitemap(*(f"https://www.example.com{p}" for p in ("/", "/a/", "/b/")))
    site = write(tmp_path / "site2", files)
    code, report = check(site, capsys)
    assert report["origin"] == "https://www.example.com" and report["origin_source"] == "base-url"
    assert {f["rule"] for f in report["findings"]} >= {"canonical-invalid"}


def test_a_link_under_a_splat_redirect_redirects_and_an_empty_file_is_one_cause(tmp_path, capsys):
    """_redirects' `/news/* /blog/:splat 301!` sends /news/anything on: a link to it was
    broken-link (an error) instead of redirect-link. A rule matching a path a file serves
    is no redirect (the file wins). And an empty .html file was page-unparseable and
    also sitemap-missing (and, in a preview, preview-indexable): one cause said three
    times."""
    o = "https://blog.example.io"
    files = {
        "index.html": page(o + "/", "Example IO blog about static sites",
                           '<a href="/news/anything">News</a> <a href="/news/kept/">Kept</a> '
                           '<a href="/posts/42">Post</a>'),
        "news/kept/index.html": page(o + "/news/kept/", "A kept news page of the Example IO"),
        "empty.html": "<!-- nothing -->",
        "_redirects": "/news/*  /blog/:splat  301!\n/posts/:id  /blog/:id\n/*  /404.html  404\n",
        "sitemap.xml": sitemap(o + "/", o + "/news/kept/", o + "/empty.html"),
    }  # fmt: skip
    site = write(tmp_path / "site", files)
    code, report = check(site, capsys)
    assert rules(report) == [
        ("page-unparseable", "/empty.html"),
        ("redirect-link", "/"),
        ("redirect-link", "/"),
    ]
    assert code == 1
    _code, report = check(site, capsys, "--env", "preview")
    assert ("preview-indexable", "/empty.html") not in rules(report)


def test_the_text_report_shows_no_bare_tag_name_as_the_element(tmp_path, capsys):
    """A broken or redirecting link's element is its tag's name: the text report printed
    a line holding only `a` under the finding, which says nothing to the reader."""
    o = "https://example.net"
    files = {
        "index.html": page(o + "/", "Example Net home page, the first one",
                           "<a href=/gone/>Gone</a> <img src=/nope.png alt=N width=1 height=1>"),
        "sitemap.xml": sitemap(o + "/"),
    }  # fmt: skip
    site = write(tmp_path / "site", files)
    capsys.readouterr()
    assert main(["check", str(site), "--root", str(tmp_path), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "broken-link: <a> points at /gone/" in out
    assert [line for line in out.splitlines() if line.strip() in ("a", "img")] == []


def test_a_site_url_that_is_no_origin_is_a_usage_error(tmp_path, capsys):
    """--site-url www.example.org (no scheme) was taken as it is: every canonical URL
    then 'points elsewhere than this page (www.example.org/)' and the exit code was 1,
    as for a broken site. It is bad usage (exit 2), said as such."""
    site = write(tmp_path / "site", {"index.html": page("https://x.example/", "Home page")})
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main(["check", str(site), "--site-url", "www.example.org"])
    assert stopped.value.code == 2
    assert "not an origin" in capsys.readouterr().err
    _code, report = check(site, capsys, "--site-url", "https://x.example/")
    assert report["origin"] == "https://x.example"


def test_one_url_written_with_and_without_the_roots_slash_is_no_conflict(tmp_path, capsys):
    """An organisation's url "https://www.acme-law.com" on one page and
    "https://www.acme-law.com/" on another is one URL (an empty path is /), as a telephone
    in two formats is one number: that was jsonld-id-conflict, an error. Another url
    still is one."""
    o = "https://www.acme-law.com"

    def firm(url: str) -> str:
        return jsonld({"@context": "https://schema.org", "@type": "LegalService",
                       "@id": o + "/#firm", "name": "Acme Law", "url": url,
                       "telephone": "+1 (555) 010-0200"})  # fmt: skip

    files = {
        "index.html": page(o + "/", "Acme Law, lawyers in Springfield", '<a href="/b/">B</a>',
                           firm(o)),
        "b/index.html": page(o + "/b/", "About the Acme Law firm and partners", "",
                             firm("HTTPS://WWW.ACME-LAW.COM/")),
        "sitemap.xml": sitemap(o + "/", o + "/b/"),
    }  # fmt: skip
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == []
    files["b/index.html"] = page(o + "/b/", "About the Acme Law firm and partners", "",
                                 firm("https://acme-law.com/"))  # fmt: skip
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == [("jsonld-id-conflict", "/b/")] and code == 1


def test_every_page_canonical_to_the_home_page_is_one_cause(tmp_path, capsys):
    """A template that writes the home page's URL as every page's canonical (a common CMS
    mistake) is one cause; the message named each page's own URL, so a site of 40 pages
    was 40 causes in the text report and in GitHub annotations."""
    o = "https://example.net"
    files = {f"p{i}/index.html": page(o + "/", f"Page number {i} of the Example Net site")
             for i in range(40)}  # fmt: skip
    files["index.html"] = page(o + "/", "Example Net home page, the first one")
    code, report = check(write(tmp_path / "site", files), capsys)
    canonical = [c for c in report["causes"] if c["rule"] == "canonical-invalid"]
    assert len(canonical) == 1 and len(canonical[0]["pages"]) == 40, canonical
    assert o + "/" in canonical[0]["message"] and code == 1


def test_the_sitemap_robots_txt_names_is_read_when_there_is_no_sitemap_xml(tmp_path, capsys):
    """WordPress writes /wp-sitemap.xml (an index) and names it in robots.txt; Yoast
    /sitemap_index.xml. The check said 'there is no sitemap.xml' (an error) and judged
    nothing against the sitemap the site has."""
    o = "https://wp.example.com"
    files = {
        "index.html": page(o + "/", "A WordPress site of the example kind", '<a href="/a/">A</a>'),
        "a/index.html": page(o + "/a/", "The A post of the WordPress example"),
        "robots.txt": "User-agent: *\nDisallow: /wp-admin/\n\n"
        "Sitemap: https://wp.example.com/wp-sitemap.xml\n",
        "wp-sitemap.xml": '<?xml version="1.0"?><sitemapindex '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
        "<loc>https://wp.example.com/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>",
        "wp-sitemap-posts-post-1.xml": sitemap(o + "/", o + "/a/", o + "/gone/"),
    }
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == [("sitemap-extra", "/sitemap.xml")] and code == 1
    assert "/gone/" in report["findings"][0]["message"]


def test_x_robots_tag_noindex_in_headers_keeps_a_production_page_out_of_search(tmp_path, capsys):
    """_headers' `/private/*  X-Robots-Tag: noindex` keeps those pages out of search as a
    robots meta tag does, but in production only the meta tag counted: a private page
    was sitemap-missing (an error); and a page the sitemap lists while the header keeps
    it out of search was silent."""
    o = "https://example.net"
    files = {
        "index.html": page(o + "/", "Example Net home page, the first one",
                           '<a href="/a/">A</a> <a href="/private/x/">X</a>'),
        "a/index.html": page(o + "/a/", "The A page of Example Net, about A"),
        "private/x/index.html": page(o + "/private/x/", "A private page of the Example Net site"),
        "_headers": "/private/*\n  X-Robots-Tag: noindex\n",
        "sitemap.xml": sitemap(o + "/", o + "/a/"),
    }  # fmt: skip
    site = write(tmp_path / "site", files)
    code, report = check(site, capsys)
    assert rules(report) == [] and code == 0
    write(site, {"sitemap.xml": sitemap(o + "/", o + "/a/", o + "/private/x/")})
    code, report = check(site, capsys)
    assert rules(report) == [("noindex-in-production", "/private/x/")] and code == 1
    assert "X-Robots-Tag" in report["findings"][0]["message"]


def test_a_telephone_the_page_shows_as_text_matches_its_markup(tmp_path, capsys):
    """A business page that shows "Call (512) 555-0100" without a tel: link shows the
    number its JSON-LD states (+1-512-555-0100): that was clinic-mismatch, an error
    ('is not a tel: link on the page'), on every location page of such a site."""
    o = "https://www.fastplumb.com"
    data = {"@context": "https://schema.org", "@type": "LocalBusiness", "@id": o + "/#biz",
            "name": "FastPlumb Austin", "telephone": "+1-512-555-0100",
            "address": {"@type": "PostalAddress", "streetAddress": "100 Congress Ave",
                        "addressLocality": "Austin", "addressRegion": "TX"},
            "geo": {"@type": "GeoCoordinates", "latitude": 30.2, "longitude": -97.7},
            "openingHours": "Mo-Su 00:00-23:59"}  # fmt: skip
    body = "<p>FastPlumb Austin, 100 Congress Ave, Austin, TX. Call (512) 555-0100.</p>"
    files = {
        "index.html": page(o + "/", "FastPlumb plumbers in Austin, Texas", body, jsonld(data)),
        "sitemap.xml": sitemap(o + "/"),
    }
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == [] and code == 0
    files["index.html"] = page(
        o + "/", "FastPlumb plumbers in Austin, Texas", body.replace("0100", "0199"), jsonld(data)
    )
    code, report = check(write(tmp_path / "site", files), capsys)
    assert rules(report) == [("clinic-mismatch", "/")]


def test_one_relative_id_on_every_page_is_one_split_cause(tmp_path, capsys):
    """A template writing "@id": "#organization" (relative: another thing on each page)
    with the organisation's name and telephone was one jsonld-id-split cause per page,
    each naming its own resolved @id: 12 errors from 12 causes for one template line."""
    o = "https://www.acme.com"
    org = jsonld({"@context": "https://schema.org", "@type": "Organization",
                  "@id": "#organization", "name": "Acme", "telephone": "+15550100200"})  # fmt: skip
    files = {f"p{i}/index.html": page(f"{o}/p{i}/", f"Acme page number {i} about anvils", "", org)
             for i in range(12)}  # fmt: skip
    links = "".join(f'<a href="/p{i}/">{i}</a>' for i in range(12))
    files["index.html"] = page(o + "/", "Acme home page about anvils and rockets", links, org)
    files["sitemap.xml"] = sitemap(o + "/", *(f"{o}/p{i}/" for i in range(12)))
    code, report = check(write(tmp_path / "site", files), capsys)
    split = [c for c in report["causes"] if c["rule"] == "jsonld-id-split"]
    assert len(split) == 1 and len(split[0]["pages"]) == 12, split
    assert "#organization is relative" in split[0]["message"] and code == 1
    assert len(report["findings"]) == 12  # JSON keeps every page


def test_a_doorway_says_to_create_the_local_text_file_it_names(tmp_path, capsys):
    """The example's Outpatient pages have no local text: their doorway warning was filed
    under content/locations/<location>/outpatient-program.md, a file that does not exist,
    with no word that the editor is to create it (and a GitHub annotation on a file
    missing from the repository is shown on no file)."""
    root = Path(__file__).resolve().parents[2]
    capsys.readouterr()
    code = main(["build", "--root", str(root), "--out", str(tmp_path / "out"), "--check",
                 "--format", "json"])  # fmt: skip
    out = capsys.readouterr().out
    report = json.loads(out[out.index('{"causes"') :].splitlines()[0])
    doorways = {f["file"]: f["message"] for f in report["findings"] if f["rule"] == "doorway"}
    missing = "content/locations/los-angeles/outpatient-program.md"
    assert not (root / missing).exists()
    assert f"(create {missing}" in doorways[missing]
    existing = "content/locations/los-angeles/intensive-outpatient-program.md"
    assert "(create" not in doorways[existing]
    assert code == 0


def test_a_scripts_placeholder_link_is_no_broken_fragment(tmp_path, capsys):
    """href="#!" is the placeholder link of menu and modal scripts (Materialize and many
    themes): it goes nowhere on purpose, as #top goes to the top. It was broken-fragment,
    an error; #missing still is one."""
    o = "https://example.net"
    files = {
        "index.html": page(o + "/", "Example Net home page, the first one",
                           '<a href="#!">Menu</a> <a href="#missing">Gone</a>'),
        "sitemap.xml": sitemap(o + "/"),
    }  # fmt: skip
    code, report = check(write(tmp_path / "site", files), capsys)
    assert [f["message"] for f in report["findings"]] == ["#missing is not an id on /"]
    assert code == 1
