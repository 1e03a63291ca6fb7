"""End to end: build the example site in this repository and read its pages as a browser would."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT, snapshot
from sitegen.cli import main

EXPECTED_PAGES = {
    "/",
    "/404.html",
    "/beverly-hills/",
    "/beverly-hills/intensive-outpatient-program/",
    "/beverly-hills/outpatient-program/",
    "/contact/",
    "/contact/thanks/",
    "/insurance/",
    "/locations/",
    "/los-angeles/",
    "/los-angeles/intensive-outpatient-program/",
    "/los-angeles/outpatient-program/",
    "/los-angeles/partial-hospitalization-program/",
    "/programs/",
    "/programs/intensive-outpatient-program/",
    "/programs/outpatient-program/",
    "/programs/partial-hospitalization-program/",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "public"
    assert main(["build", "--root", str(PROJECT), "--out", str(out)]) == 0
    return out


BASE = "https://www.example.com"


def page(site: Path, url: str) -> BeautifulSoup:
    file = site / (url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/"))
    return BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")


def urls_of(site: Path) -> set[str]:
    found = set()
    for file in site.rglob("*.html"):
        rel = file.relative_to(site).as_posix()
        found.add("/" + rel.removesuffix("index.html") if rel.endswith("index.html") else "/" + rel)
    return found


def test_the_example_site_has_exactly_the_expected_pages(site):
    assert urls_of(site) == EXPECTED_PAGES


@pytest.mark.parametrize(
    ("url", "h1"),
    [
        (
            "/los-angeles/intensive-outpatient-program/",
            "Intensive Outpatient Program in Los Angeles, CA",
        ),
        (
            "/beverly-hills/intensive-outpatient-program/",
            "Intensive Outpatient Program in Beverly Hills, CA",
        ),
        ("/beverly-hills/", "Treatment programs in Beverly Hills, CA"),
        ("/programs/intensive-outpatient-program/", "Intensive Outpatient Program"),
    ],
)
def test_each_page_has_one_h1_naming_program_and_city(site, url, h1):
    headings = page(site, url).find_all("h1")
    assert [" ".join(h.get_text().split()) for h in headings] == [h1]


@pytest.mark.parametrize("url", sorted(EXPECTED_PAGES))
def test_every_page_is_complete_html(site, url):
    doc = page(site, url)
    html = str(doc)
    assert doc.html["lang"] == "en-US"
    assert doc.title and doc.title.get_text().strip()
    assert doc.find("meta", attrs={"name": "description"})["content"].strip()
    assert "{{" not in html and "{%" not in html and "sitegencomponent" not in html
    assert doc.find("main")
    for img in doc.find_all("img"):
        assert img.has_attr("alt"), img  # alt="" only on decorative images like the logo
        assert img.get("width") and img.get("height"), img
    nav = doc.find("nav", attrs={"aria-label": "Main"})
    assert [a["href"] for a in nav.find_all("a")] == [
        "/programs/",
        "/locations/",
        "/insurance/",
        "/contact/",
    ]


@pytest.mark.parametrize("url", sorted(EXPECTED_PAGES))
def test_every_page_shows_the_admissions_phone_as_a_link(site, url):
    links = {a["href"] for a in page(site, url).find_all("a", href=True)}
    assert "tel:+13234578208" in links
    assert "sms:+14243022598" in links


def test_internal_links_and_assets_all_resolve(site):
    urls = urls_of(site)
    for file in site.rglob("*.html"):
        doc = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
        refs = [a["href"] for a in doc.find_all("a", href=True)]
        refs += [t["src"] for t in doc.find_all(src=True)]
        refs += [t["href"] for t in doc.find_all("link", href=True)]
        for ref in refs:
            if not ref.startswith("/"):
                continue
            path = ref.split("#")[0]
            if path.startswith("/assets/"):
                assert (site / path.lstrip("/")).is_file(), f"{file}: {ref}"
            elif path != "/contact/thanks/" or path in urls:
                assert path in urls, f"{file}: broken link {ref}"


def test_location_pages_of_one_program_say_different_things(site):
    la = page(site, "/los-angeles/intensive-outpatient-program/")
    bh = page(site, "/beverly-hills/intensive-outpatient-program/")

    def description(doc):
        return doc.find("meta", attrs={"name": "description"})["content"]

    assert description(la) != description(bh)
    assert la.title.get_text() != bh.title.get_text()
    assert "Beverly Hills" in bh.main.get_text() and "Beverly Hills" not in description(la)


def test_canonical_urls_are_absolute_and_in_the_sitemap(site):
    sitemap = (site / "sitemap.xml").read_text()
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    not_indexed = {"/404.html", "/contact/thanks/"}  # the confirmation after the form
    for url in EXPECTED_PAGES - {"/404.html"}:
        canonical = page(site, url).find("link", rel="canonical")["href"]
        assert canonical == "https://www.example.com" + url
        assert (canonical in locs) == (url not in not_indexed)
    assert len(locs) == len(EXPECTED_PAGES) - len(not_indexed)


def test_program_page_has_the_sections_of_the_page(site):
    doc = page(site, "/beverly-hills/intensive-outpatient-program/")
    crumbs = [
        a.get_text().strip()
        for a in doc.find("nav", attrs={"aria-label": "Breadcrumb"}).find_all(["a", "span"])
        if a.get_text().strip()
    ]
    assert crumbs[0] == "Home" and crumbs[-1] == "IOP"
    h2 = [" ".join(h.get_text().split()) for h in doc.find_all("h2")]
    for heading in (
        "What is IOP?",
        "Who is eligible for IOP?",
        "What happens during IOP?",
        "Begin IOP in Beverly Hills today",
        "Speak to Admissions",
    ):
        assert heading in h2, h2
    text = doc.get_text(" ")
    assert "Anthem Blue Cross" in text and "reCAPTCHA" in text
    form = doc.find("form")
    assert form["method"].upper() == "POST" and form.get("data-netlify") == "true"


def trail(doc) -> list[tuple[str, str]]:
    """The visible breadcrumb trail, (title, URL) a crumb; the same as the trail of the
    page's BreadcrumbList JSON-LD node."""
    nav = doc.find("nav", attrs={"aria-label": "Breadcrumb"})
    shown = [(a.get_text().strip(), a.get("href")) for a in nav.find_all("a")]
    nodes = [
        node
        for script in doc.find_all("script", type="application/ld+json")
        for node in json.loads(script.string).get("@graph", [json.loads(script.string)])
        if node.get("@type") == "BreadcrumbList"
    ]
    assert len(nodes) == 1
    items = sorted(nodes[0]["itemListElement"], key=lambda item: item["position"])
    assert [(i["name"], i["item"].removeprefix(BASE)) for i in items] == shown
    return shown


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/programs/intensive-outpatient-program/",
            [("Home", "/"), ("Treatment programs", "/programs/"), ("IOP", None)],
        ),
        (
            "/contact/thanks/",
            [
                ("Home", "/"),
                ("Contact admissions", "/contact/"),
                ("Thank you for your message", None),
            ],
        ),
        (
            "/beverly-hills/intensive-outpatient-program/",
            [("Home", "/"), ("Beverly Hills", "/beverly-hills/"), ("IOP", None)],
        ),
        ("/beverly-hills/", [("Home", "/"), ("Beverly Hills", None)]),
        ("/programs/", [("Home", "/"), ("Treatment programs", None)]),
    ],
)
def test_breadcrumbs_pass_through_the_pages_of_the_folders_above(site, url, expected):
    """A page below another page's folder (/programs/iop/ below /programs/) has that page
    between Home and itself, in the trail and in its JSON-LD (the trail skipped it)."""
    assert trail(page(site, url)) == [(title, href or url) for title, href in expected]


def test_building_the_example_twice_is_byte_identical(site, tmp_path):
    out = tmp_path / "again"
    assert main(["build", "--root", str(PROJECT), "--out", str(out)]) == 0
    assert snapshot(out) == snapshot(site)


def test_build_does_not_touch_the_source_tree(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(
        PROJECT,
        copy,
        ignore=shutil.ignore_patterns("public", ".git", ".venv", "__pycache__", ".pytest_cache"),
    )
    before = snapshot(copy)
    assert main(["build", "--root", str(copy)]) == 0
    after = {k: v for k, v in snapshot(copy).items() if not k.startswith("public/")}
    assert after == before
