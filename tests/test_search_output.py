"""Search-ready output of the example site: the head of every page, JSON-LD checked against
the data, sitemap, robots.txt, Netlify's _headers and _redirects, netlify.toml, previews."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from conftest import PROJECT
from sitegen.cli import main

BASE = "https://www.example.com"
NOT_INDEXED = {"/404.html"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("search") / "public"
    assert main(["build", "--root", str(PROJECT), "--out", str(out), "--env", "production"]) == 0
    return out


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("preview") / "public"
    args = ["build", "--root", str(PROJECT), "--out", str(out), "--env", "preview"]
    assert main([*args, "--deploy-url", "https://deploy-preview-7--cast.netlify.app"]) == 0
    return out


def pages(site: Path) -> dict[str, BeautifulSoup]:
    found = {}
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        url = "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        found[url] = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
    return found


def json_ld(doc: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]


def of_type(doc: BeautifulSoup, kind: str) -> list[dict]:
    return [d for d in json_ld(doc) if d["@type"] == kind]


def meta(doc: BeautifulSoup, key: str) -> str | None:
    tag = doc.find("meta", attrs={"property": key}) or doc.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def location_data(slug: str) -> dict:
    return yaml.safe_load((PROJECT / f"content/locations/{slug}.yaml").read_text())


# --- the head of every page ---------------------------------------------------------------


def test_every_page_has_a_unique_title_and_description_and_the_basics(site):
    docs = pages(site)
    indexed = {u: d for u, d in docs.items() if u not in NOT_INDEXED}
    titles = [d.title.string for d in indexed.values()]
    descriptions = [meta(d, "description") for d in indexed.values()]
    assert len(set(titles)) == len(titles), titles
    assert len(set(descriptions)) == len(descriptions)
    for url, doc in docs.items():
        assert doc.html["lang"] == "en-US", url
        assert doc.find("meta", charset="utf-8"), url
        assert "width=device-width" in meta(doc, "viewport"), url
        assert 10 <= len(doc.title.string) <= 70, (url, doc.title.string)
        assert 50 <= len(meta(doc, "description")) <= 170, url


def test_program_location_titles_name_program_city_state_and_organisation(site):
    doc = pages(site)["/beverly-hills/intensive-outpatient-program/"]
    assert doc.title.string == "Intensive Outpatient Program in Beverly Hills, CA | CAST Centers"


def test_canonical_and_open_graph_urls_are_absolute_production_urls(site):
    for url, doc in pages(site).items():
        if url == "/404.html":
            assert doc.find("link", rel="canonical") is None
            continue
        canonical = doc.find("link", rel="canonical")["href"]
        assert canonical == BASE + url
        assert meta(doc, "og:url") == canonical
        assert meta(doc, "og:title") == doc.h1.get_text(" ", strip=True)
        assert meta(doc, "og:description") == meta(doc, "description")


def test_shared_link_pictures_are_absolute_png_files_that_exist(site):
    for url, doc in pages(site).items():
        image = meta(doc, "og:image")
        assert image and image.startswith(BASE + "/"), url
        file = site / image.removeprefix(BASE + "/")
        with Image.open(file) as picture:
            assert picture.format in {"PNG", "JPEG", "WEBP", "GIF"}
            assert picture.size == (
                int(meta(doc, "og:image:width")),
                int(meta(doc, "og:image:height")),
            )
        assert meta(doc, "og:image:alt")
        assert meta(doc, "twitter:card") == "summary_large_image"


def test_production_pages_are_indexable_but_the_forms_confirmation(site):
    """No robots meta but on the page the contact form leads to (noindex: true: a
    confirmation has nothing to find in search): the not-found page is kept out of search
    by its 404 status (and out of the sitemap), which Lighthouse's SEO audit also expects."""
    for url, doc in pages(site).items():
        assert meta(doc, "robots") == ("noindex" if url == "/contact/thanks/" else None), url


# --- structured data --------------------------------------------------------------------


def test_home_page_describes_the_organisation_and_the_web_site(site):
    doc = pages(site)["/"]
    [org] = of_type(doc, "MedicalOrganization")
    [web] = of_type(doc, "WebSite")
    config = yaml.safe_load((PROJECT / "site.yaml").read_text())
    assert org["@id"] == BASE + "/#organization"
    assert org["name"] == config["organization"]["name"]
    assert org["url"] == BASE + "/"
    assert org["telephone"] == "+13234578208"
    assert org["contactPoint"][0]["telephone"] == org["telephone"]
    assert org["healthPlanNetworkId"] == config["organization"]["insurance"]["in_network"]
    logo = site / org["logo"].removeprefix(BASE + "/")
    with Image.open(logo) as picture:
        assert picture.format == "PNG" and min(picture.size) >= 112
    assert web["publisher"] == {"@id": org["@id"]}
    tel = doc.find("a", href=re.compile(r"^tel:"))["href"]
    assert tel == "tel:" + org["telephone"]


@pytest.mark.parametrize("slug", ["los-angeles", "beverly-hills"])
def test_each_location_is_one_clinic_on_its_hub_and_program_pages(site, slug):
    docs = pages(site)
    data = location_data(slug)
    program_urls = [f"/{slug}/{p}/" for p in data["programs"]]
    clinics = [of_type(docs[u], "MedicalClinic") for u in [f"/{slug}/", *program_urls]]
    assert all(len(c) == 1 for c in clinics)
    clinic = clinics[0][0]
    assert all(c[0] == clinic for c in clinics)  # the same node everywhere
    assert clinic["@id"] == f"{BASE}/{slug}/#clinic"
    assert clinic["url"] == f"{BASE}/{slug}/"
    assert clinic["parentOrganization"] == {"@id": BASE + "/#organization"}
    address = clinic["address"]
    assert (address["addressLocality"], address["addressRegion"]) == (data["city"], data["state"])
    assert "streetAddress" not in address and "postalCode" not in address  # not known
    assert "geo" not in clinic and "openingHours" not in clinic
    services = [s["url"] for s in clinic["availableService"]]
    assert sorted(services) == sorted(BASE + u for u in program_urls)
    for url in [f"/{slug}/", *program_urls]:
        links = {a["href"] for a in docs[url].find_all("a", href=re.compile(r"^tel:"))}
        assert "tel:" + clinic["telephone"] in links, url


def test_breadcrumb_markup_matches_the_visible_breadcrumb(site):
    for url, doc in pages(site).items():
        nav = doc.find("nav", attrs={"aria-label": "Breadcrumb"})
        marked = of_type(doc, "BreadcrumbList")
        if nav is None:
            assert not marked, url
            continue
        [crumbs] = marked
        items = crumbs["itemListElement"]
        assert [i["position"] for i in items] == list(range(1, len(items) + 1))
        visible = [li.get_text(" ", strip=True) for li in nav.find_all("li")]
        assert [i["name"] for i in items] == visible, url
        assert items[-1]["item"] == BASE + url
        hrefs = [a["href"] for a in nav.find_all("a")]
        assert [i["item"] for i in items] == [BASE + h for h in hrefs]


def test_faq_markup_holds_only_questions_shown_on_that_page_and_once_per_site(site):
    marked_questions: list[str] = []
    for url, doc in pages(site).items():
        for faq in of_type(doc, "FAQPage"):
            shown = {s.get_text(" ", strip=True) for s in doc.select("details summary")}
            for entry in faq["mainEntity"]:
                assert entry["name"] in shown, (url, entry["name"])
                marked_questions.append(entry["name"])
    assert marked_questions, "the program pages show FAQs"
    assert len(marked_questions) == len(set(marked_questions))  # one marked copy each


def test_no_page_rates_or_reviews_the_provider(site):
    for file in site.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        assert "AggregateRating" not in text and '"Review"' not in text, file


# --- site files -------------------------------------------------------------------------


def test_sitemap_lists_every_indexable_page_and_nothing_else(site):
    sitemap = (site / "sitemap.xml").read_text()
    entries = re.findall(
        r"<url><loc>([^<]+)</loc><lastmod>(\d{4}-\d\d-\d\d)</lastmod></url>", sitemap
    )
    assert sitemap.count("<url>") == len(entries)  # every entry has a lastmod in this repo
    indexable = {
        d.find("link", rel="canonical")["href"]
        for u, d in pages(site).items()
        if meta(d, "robots") != "noindex" and u != "/404.html"
    }
    assert {loc for loc, _ in entries} == indexable


def test_robots_txt_points_at_the_sitemap_in_production(site):
    robots = (site / "robots.txt").read_text()
    assert "Disallow: /\n" not in robots
    assert f"Sitemap: {BASE}/sitemap.xml" in robots


def test_headers_file_sets_security_headers_and_a_policy_that_allows_recaptcha(site):
    headers = (site / "_headers").read_text()
    assert headers.splitlines()[1] == "/*"
    for needed in (
        "Strict-Transport-Security: max-age=31536000",
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
        "Referrer-Policy: strict-origin-when-cross-origin",
    ):
        assert f"  {needed}\n" in headers
    policy = re.search(r"Content-Security-Policy: (.+)", headers).group(1)
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert "https://www.google.com/recaptcha/" in directives["script-src"]
    assert "https://www.google.com/recaptcha/" in directives["frame-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "X-Robots-Tag" not in headers


def test_pages_load_nothing_the_policy_does_not_allow(site):
    """Every script, style, image and frame of the built pages is from the site itself."""
    for url, doc in pages(site).items():
        loads = (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"))
        for tag, attr in loads:
            for element in doc.find_all(tag):
                if tag == "link" and element.get("rel") == ["canonical"]:
                    continue  # a link, not a load
                value = element.get(attr)
                if value:
                    assert value.startswith("/") or value.startswith("data:"), (url, value)
        assert not doc.find_all("style") and not doc.select("[style]"), url
        scripts = [s for s in doc.find_all("script") if s.get("type") != "application/ld+json"]
        assert not scripts, url


def test_netlify_toml_builds_with_production_urls_and_caches_only_fingerprinted_files(site):
    config = tomllib.loads((PROJECT / "netlify.toml").read_text())
    assert config["build"]["publish"] == "public"
    assert '--base-url "$URL"' in config["build"]["command"]
    assert config["build"]["environment"]["PYTHON_VERSION"]
    for context in ("deploy-preview", "branch-deploy"):
        command = config["context"][context]["command"]
        assert "--env preview" in command and '--base-url "$URL"' in command
        assert '--deploy-url "$DEPLOY_PRIME_URL"' in command
    immutable = [
        h["for"] for h in config["headers"] if "immutable" in h["values"].get("Cache-Control", "")
    ]
    patterns = [re.compile(re.escape(p).replace(r"\*", ".*") + "$") for p in immutable]
    written = ["/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    fingerprinted = {
        w for w in written if re.search(r"\.[0-9a-f]{10}\.(css|js|avif|webp|jpg|png)$", w)
    }
    assert fingerprinted  # the stylesheet at least
    for path in written:
        cached = any(p.match(path) for p in patterns)
        assert cached == (path in fingerprinted), path


def test_the_contact_form_is_a_netlify_form_with_spam_protection_and_no_health_details(site):
    doc = pages(site)["/contact/"]
    form = doc.find("form", attrs={"data-netlify": "true"})
    assert form["method"].upper() == "POST"
    assert (
        form.find("input", attrs={"name": "form-name", "type": "hidden"})["value"] == form["name"]
    )
    honeypot = form["data-netlify-honeypot"]
    assert form.find("input", attrs={"name": honeypot})
    assert form["data-netlify-recaptcha"] == "true"
    assert form.find("div", attrs={"data-netlify-recaptcha": "true"})
    for field in form.find_all(["input", "textarea", "select"]):
        if field.get("type") == "hidden" or field.get("name") == honeypot:
            continue
        assert form.find("label", attrs={"for": field["id"]}), field
    assert "medical information" in form.get_text()
    assert form["action"] == "/contact/thanks/"
    assert (site / "contact/thanks/index.html").is_file()


def test_not_found_page_is_real_and_kept_out_of_the_sitemap(site):
    doc = pages(site)["/404.html"]
    assert doc.h1 and doc.find("a", href="/")
    assert doc.find("link", rel="canonical") is None
    assert "404.html" not in (site / "sitemap.xml").read_text()


# --- previews -------------------------------------------------------------------------


def test_a_preview_is_noindex_everywhere_with_production_canonicals(preview):
    for url, doc in pages(preview).items():
        assert meta(doc, "robots") == "noindex", url
        if url != "/404.html":
            assert doc.find("link", rel="canonical")["href"] == BASE + url
            assert meta(doc, "og:image").startswith("https://deploy-preview-7--cast.netlify.app/")
    assert (preview / "robots.txt").read_text().endswith("User-agent: *\nDisallow: /\n")
    assert "  X-Robots-Tag: noindex\n" in (preview / "_headers").read_text()
    for doc in pages(preview).values():
        for data in json_ld(doc):
            assert "netlify.app" not in json.dumps(data)  # structured data stays production
