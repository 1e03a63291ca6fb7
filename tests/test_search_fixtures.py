"""Search-ready output on small fixture sites: aliases, lastmod from git, deploy contexts,
title patterns, pictures, FAQ markup, drafts and hostile values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import PROJECT, needs_git, write_files

LOCATION = "content/locations/springfield.yaml"
PROGRAM = "content/programs/day-program.md"
LOCAL = "content/locations/springfield/day-program.md"
BASE = "https://care.example.org"


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def json_ld(path: Path) -> list[dict]:
    scripts = soup(path).find_all("script", type="application/ld+json")
    return [json.loads(s.string) for s in scripts]


# --- aliases -> _redirects ----------------------------------------------------------------


def test_aliases_become_permanent_redirects(minimal_site, build_cli):
    edit(
        minimal_site,
        LOCATION,
        "programs: [day-program]",
        "programs: [day-program]\naliases: [/spfld/]",
    )
    edit(minimal_site, LOCAL, "description:", "aliases: [/old/springfield-days.html]\ndescription:")
    edit(minimal_site, PROGRAM, "short_name: DP", "short_name: DP\naliases: [/services/day/]")
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    rules = (minimal_site / "public/_redirects").read_text().splitlines()[1:]
    assert rules == [
        "/old/springfield-days.html  /springfield/day-program/  301",
        "/services/day/  /programs/day-program/  301",
        "/services/day  /programs/day-program/  301",
        "/spfld/  /springfield/  301",
        "/spfld  /springfield/  301",
    ]


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("/", "is a page's URL (the page from content/pages/index.md:1)"),
        ("/springfield/", "is this page's own URL"),
        ("/springfield", "is this page's own URL /springfield/ (Netlify matches it with or"),
        ("/programs/day-program", "is a page's URL /programs/day-program/ (Netlify matches"),
        ("/springfield/day-program", "is a page's URL /springfield/day-program/"),
        ("/old page/", "is not a plain path"),
        ("/a/../b/", "is not a plain path"),
        ("/old\\0page/", "holds the invisible character U+0000"),  # a NUL, as YAML writes it
        ("/old\\epage/", "holds the invisible character U+001B"),  # an ESC: to _redirects
    ],
)
def test_an_alias_that_would_hide_a_page_or_is_not_a_path_is_an_error(
    minimal_site, build_cli, alias, message
):
    edit(
        minimal_site,
        LOCATION,
        "programs: [day-program]",
        f'programs: [day-program]\naliases: ["{alias}"]',
    )
    run = build_cli(minimal_site)
    assert run.code == 1
    assert f"error: {LOCATION}:7:11:" in run.err
    assert message in run.err


def test_one_old_address_for_two_pages_is_an_error(minimal_site, build_cli):
    edit(
        minimal_site,
        LOCATION,
        "programs: [day-program]",
        "programs: [day-program]\naliases: [/old/]",
    )
    edit(minimal_site, PROGRAM, "short_name: DP", "short_name: DP\naliases: [/old/]")
    run = build_cli(minimal_site)
    assert run.code == 1
    assert "the alias '/old/' is also given in" in run.err


def test_one_old_address_with_and_without_its_slash_is_one_address(minimal_site, build_cli):
    """Netlify matches /old and /old/ as one path: two pages cannot both redirect it."""
    edit(
        minimal_site,
        LOCATION,
        "programs: [day-program]",
        "programs: [day-program]\naliases: [/old]",
    )
    edit(minimal_site, PROGRAM, "short_name: DP", "short_name: DP\naliases: [/old/]")
    run = build_cli(minimal_site)
    assert run.code == 1
    assert "is also given in" in run.err and "one path to Netlify" in run.err
    assert not (minimal_site / "public").exists()


# --- lastmod from git ----------------------------------------------------------------------


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


@needs_git
def test_sitemap_lastmod_is_the_last_commit_of_a_pages_sources(minimal_site, build_cli):
    git(minimal_site, "init", "-q", "-b", "main")
    git(minimal_site, "add", "-A")
    git(minimal_site, "commit", "-q", "-m", "all", date="2024-01-15T10:00:00+00:00")
    edit(minimal_site, LOCATION, "summary: Our Springfield location.", "summary: Our location.")
    git(minimal_site, "commit", "-q", "-am", "location", date="2024-05-02T10:00:00+00:00")
    edit(minimal_site, PROGRAM, "summary: A day program.", "summary: Days.")
    git(minimal_site, "commit", "-q", "-am", "program", date="2024-07-20T10:00:00+00:00")
    (minimal_site / ".gitignore").write_text("public/\n")
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    sitemap = (minimal_site / "public/sitemap.xml").read_text()
    dates = dict(
        line.removeprefix("  <url><loc>").removesuffix("</lastmod></url>").split("</loc><lastmod>")
        for line in sitemap.splitlines()
        if "<lastmod>" in line
    )
    assert dates == {
        f"{BASE}/": "2024-01-15",  # the home page's file was not changed again
        f"{BASE}/springfield/": "2024-05-02",
        f"{BASE}/programs/day-program/": "2024-07-20",
        f"{BASE}/springfield/day-program/": "2024-07-20",  # the newest of its three files
    }
    (minimal_site / LOCAL).write_text((minimal_site / LOCAL).read_text() + "\nMore.\n")
    git(minimal_site, "commit", "-q", "-am", "local text", date="2024-09-09T10:00:00+00:00")
    assert build_cli(minimal_site).code == 0
    sitemap = (minimal_site / "public/sitemap.xml").read_text()
    assert f"<loc>{BASE}/springfield/day-program/</loc><lastmod>2024-09-09<" in sitemap
    assert sitemap.count("2024-09-09") == 1  # its local text is on that page only


# --- deploy contexts --------------------------------------------------------------------


def run_build_py(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(root), *args],
        env={**os.environ, "PYTHONPATH": str(PROJECT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def robots_meta(root: Path) -> set[str | None]:
    found = set()
    for page in (root / "public").rglob("*.html"):
        tag = soup(page).find("meta", attrs={"name": "robots"})
        found.add(tag["content"] if tag else None)
    return found


def test_netlify_preview_contexts_build_a_noindex_preview(minimal_site):
    run = run_build_py(minimal_site, {"CONTEXT": "deploy-preview"})
    assert run.returncode == 0, run.stderr
    assert robots_meta(minimal_site) == {"noindex"}
    assert "Disallow: /" in (minimal_site / "public/robots.txt").read_text()
    assert "This is a preview build: every page says noindex" in run.stdout


def test_env_production_on_the_command_line_overrides_the_context(minimal_site):
    run = run_build_py(minimal_site, {"CONTEXT": "branch-deploy"}, "--env", "production")
    assert run.returncode == 0, run.stderr
    assert robots_meta(minimal_site) == {None}
    assert "X-Robots-Tag" not in (minimal_site / "public/_headers").read_text()
    assert "preview build" not in run.stdout


def test_an_unknown_env_is_bad_usage(minimal_site):
    run = run_build_py(minimal_site, {}, "--env", "staging")
    assert run.returncode == 2
    assert "invalid choice: 'staging'" in run.stderr


# --- titles and pictures ---------------------------------------------------------------


def test_title_patterns_from_site_yaml(minimal_site, build_cli):
    with (minimal_site / "site.yaml").open("a") as file:
        file.write(
            'seo:\n  titles:\n    program_at_location: "{short_name} in {city} - {organization}"\n'
        )
    assert build_cli(minimal_site).code == 0
    title = soup(minimal_site / "public/springfield/day-program/index.html").title.string
    assert title == "DP in Springfield - Example Care"


def test_an_unknown_name_in_a_title_pattern_is_an_error_at_its_line(minimal_site, build_cli):
    with (minimal_site / "site.yaml").open("a") as file:
        file.write('seo:\n  titles:\n    location: "{heading} in {country}"\n')
    lines = (minimal_site / "site.yaml").read_text().splitlines()
    run = build_cli(minimal_site)
    assert run.code == 1
    column = lines[-1].index("{country}") + 1  # at the name, not the key
    assert f"error: site.yaml:{len(lines)}:{column}: " in run.err
    assert "the title pattern of location pages uses '{country}', which they do not have" in run.err
    assert "{city}" in run.err  # the hint lists the names that can be used


def test_an_svg_shared_link_picture_is_refused(minimal_site, build_cli):
    with (minimal_site / "site.yaml").open("a") as file:
        file.write("seo:\n  image: {src: images/hero.svg, alt: A square}\n")
    run = build_cli(minimal_site)
    assert run.code == 1
    assert "'images/hero.svg' must be a PNG, JPEG, WebP or GIF picture" in run.err


def test_a_pages_own_png_is_its_shared_picture_and_svg_falls_back(minimal_site, build_cli):
    Image.new("RGB", (1200, 630), "teal").save(minimal_site / "assets/images/card.png")
    Image.new("RGB", (800, 420), "gold").save(minimal_site / "assets/images/local.png")
    with (minimal_site / "site.yaml").open("a") as file:
        file.write("seo:\n  image: {src: images/card.png, alt: A teal card}\n")
    edit(
        minimal_site,
        LOCAL,
        "description:",
        "hero: {src: images/local.png, alt: Gold}\ndescription:",
    )
    assert build_cli(minimal_site).code == 0
    own = soup(minimal_site / "public/springfield/day-program/index.html")
    other = soup(minimal_site / "public/programs/day-program/index.html")  # SVG hero
    # a crop of each at 1.91:1 (800 x 420 is that shape already), as JPEG
    assert own.find("meta", property="og:image")["content"].startswith(
        f"{BASE}/assets/variants/images/local-og."
    )
    assert own.find("meta", property="og:image:width")["content"] == "800"
    assert other.find("meta", property="og:image")["content"].startswith(
        f"{BASE}/assets/variants/images/card-og."
    )
    assert other.find("meta", property="og:image")["content"].endswith(".jpg")
    assert other.find("meta", property="og:image:alt")["content"] == "A teal card"


# --- FAQ markup, drafts, hostile values ------------------------------------------------


def test_a_locations_own_questions_are_marked_up_on_its_page_only(minimal_site, build_cli):
    edit(
        minimal_site,
        "layouts/program-location.html",
        "{% for item in program.faq %}<h3>{{ item.question }}</h3>{{ item.answer }}{% endfor %}",
        "",
    )
    edit(minimal_site, PROGRAM, "Text.\n", 'Text.\n\n{{ component("faq") }}\n')
    write_files(
        minimal_site,
        {"layouts/components/faq.html": (PROJECT / "layouts/components/faq.html").read_text()},
    )
    edit(
        minimal_site,
        LOCAL,
        "description:",
        'faq:\n  - {question: "Parking?", answer: "Yes."}\ndescription:',
    )
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    page = minimal_site / "public/springfield/day-program/index.html"
    shown = [s.get_text(strip=True) for s in soup(page).select("details summary")]
    assert shown == ["When?", "Parking?"]
    [faq] = [d for d in json_ld(page) if d["@type"] == "FAQPage"]
    assert [q["name"] for q in faq["mainEntity"]] == ["Parking?"]  # not the program's own
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"] == "<p>Yes.</p>"


def test_drafts_in_a_drafts_build_are_noindex_and_not_in_the_sitemap(minimal_site, build_cli):
    write_files(
        minimal_site,
        {"content/pages/news.md": "---\ntitle: News\ndescription: d\ndraft: true\n---\nSoon.\n"},
    )
    assert build_cli(minimal_site, "--drafts").code == 0
    robots = soup(minimal_site / "public/news/index.html").find("meta", attrs={"name": "robots"})
    assert robots["content"] == "noindex"
    assert "/news/" not in (minimal_site / "public/sitemap.xml").read_text()


def test_quotes_and_script_tags_in_data_stay_inert_in_every_attribute(minimal_site, build_cli):
    evil = "Spring\"field' </script><script>alert(1)</script>"
    edit(minimal_site, LOCATION, "city: Springfield", f"city: {json.dumps(evil)}")
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    for page in (minimal_site / "public").rglob("*.html"):
        doc = soup(page)
        scripts = doc.find_all("script")
        assert all(s.get("type") == "application/ld+json" for s in scripts), page
        for script in scripts:
            json.loads(script.string)  # whole, not cut short by the value
        assert "alert(1)</script>" not in page.read_text()
    doc = soup(minimal_site / "public/springfield/day-program/index.html")
    assert evil in doc.title.string
    assert evil in doc.find("meta", property="og:title")["content"]
    clinic = next(
        d
        for d in json_ld(minimal_site / "public/springfield/index.html")
        if d["@type"] == "MedicalClinic"
    )
    assert clinic["address"]["addressLocality"] == evil


def test_a_page_marked_noindex_is_kept_out_of_search_and_the_sitemap(minimal_site, build_cli):
    write_files(
        minimal_site,
        {"content/pages/thanks.md": "---\ntitle: Thanks\ndescription: d\nnoindex: true\n---\n"},
    )
    assert build_cli(minimal_site).code == 0
    robots = soup(minimal_site / "public/thanks/index.html").find("meta", attrs={"name": "robots"})
    assert robots["content"] == "noindex"
    assert "/thanks/" not in (minimal_site / "public/sitemap.xml").read_text()
    home = soup(minimal_site / "public/index.html").find("meta", attrs={"name": "robots"})
    assert home is None


def test_a_clinic_with_full_data_has_address_geo_and_hours(minimal_site, build_cli):
    edit(
        minimal_site,
        LOCATION,
        "programs: [day-program]",
        "programs: [day-program]\ngeo: {latitude: 39.78, longitude: -89.65}\n"
        'hours: ["Mo-Fr 09:00-17:00", "Sa 10:00-14:00"]\nphone: "(217) 555-0142"',
    )
    assert build_cli(minimal_site).code == 0
    page = minimal_site / "public/springfield/day-program/index.html"
    clinic = next(d for d in json_ld(page) if d["@type"] == "MedicalClinic")
    assert clinic["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "100 Example Street",
        "addressLocality": "Springfield",
        "addressRegion": "IL",
        "postalCode": "62701",
        "addressCountry": "US",
    }
    assert "areaServed" not in clinic  # it has an address: not a service-area location
    assert clinic["geo"] == {"@type": "GeoCoordinates", "latitude": 39.78, "longitude": -89.65}
    assert clinic["openingHours"] == ["Mo-Fr 09:00-17:00", "Sa 10:00-14:00"]
    assert clinic["telephone"] == "+12175550142"  # the location's own number
    assert clinic["healthPlanNetworkId"] == "Example Health"
    assert clinic["availableService"] == [
        {
            "@type": "MedicalTherapy",
            "name": "Day Program",
            "url": f"{BASE}/springfield/day-program/",
        }
    ]


def test_the_fast_breadcrumb_json_equals_the_general_serialisation():
    """Head.breadcrumbs writes the JSON from a template (it is on every page): it must be
    exactly what serialising the schema.org object gives."""
    from sitegen.render.head import Head
    from sitegen.render.seo import json_for_script
    from sitegen.render.views import LinkView

    head = Head.__new__(Head)  # breadcrumbs read only the production address and their
    head.base_url = BASE  # items kept from earlier pages
    head._crumbs = {}
    crumbs = [LinkView("Home", "/"), LinkView('A "q" </script> & <b>', "/a/"), LinkView("é", "/é/")]
    expected = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": c.title, "item": BASE + c.url}
            for i, c in enumerate(crumbs, start=1)
        ],
    }
    assert str(head.breadcrumbs(crumbs)) == json_for_script(expected)
    assert str(head.breadcrumbs(crumbs)) == json_for_script(expected)  # from kept items
