import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, PROJECT, edit, snapshot, write_files

BASE = "https://care.example.org"  # the fixture's base_url


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_minimal_site_builds_every_route(minimal_site, build_cli):
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    out = minimal_site / "public"
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("index.html"))
    assert pages == [
        "index.html",
        "programs/day-program/index.html",
        "springfield/day-program/index.html",
        "springfield/index.html",
    ]
    assert "Built 4 pages" in run.out


def test_two_builds_are_byte_identical(minimal_site, build_cli, tmp_path):
    assert build_cli(minimal_site, "--out", str(tmp_path / "a")).code == 0
    assert build_cli(minimal_site, "--out", str(tmp_path / "b")).code == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_local_text_and_variables_are_merged_into_the_location_page(minimal_site, build_cli):
    assert build_cli(minimal_site).code == 0
    page = soup(minimal_site / "public/springfield/day-program/index.html")
    assert page.h1.get_text() == "Day Program in Springfield, IL"
    text = page.main.get_text()
    assert "Welcome to Springfield." in text
    assert "Springfield's own words." in text
    assert page.find("meta", attrs={"name": "description"})["content"] == (
        "The day program, as offered in Springfield."
    )
    assert page.select_one("p.banner").get_text() == "Days in Springfield"


def test_css_is_fingerprinted_and_linked(minimal_site, build_cli):
    assert build_cli(minimal_site).code == 0
    href = soup(minimal_site / "public/index.html").find("link", rel="stylesheet")["href"]
    assert href.startswith("/assets/css/site.") and href.endswith(".css") and href.count(".") == 2
    assert (minimal_site / "public" / href.lstrip("/")).is_file()


def test_changed_css_gets_a_new_fingerprint(minimal_site, build_cli):
    assert build_cli(minimal_site).code == 0
    before = soup(minimal_site / "public/index.html").find("link", rel="stylesheet")["href"]
    (minimal_site / "assets/css/site.css").write_text("body { margin: 1px; }\n")
    assert build_cli(minimal_site).code == 0
    after = soup(minimal_site / "public/index.html").find("link", rel="stylesheet")["href"]
    assert before != after
    assert not (minimal_site / "public" / before.lstrip("/")).exists()


def test_yaml_values_are_escaped_in_html(minimal_site, build_cli):
    loc = minimal_site / "content/locations/springfield.yaml"
    loc.write_text(loc.read_text().replace("city: Springfield", 'city: "<b>Spring</b>"'))
    assert build_cli(minimal_site).code == 0
    html = (minimal_site / "public/springfield/index.html").read_text()
    assert "<b>Spring</b>" not in html
    assert "&lt;b&gt;Spring&lt;/b&gt;" in html


def test_json_ld_cannot_be_closed_by_script_tags_in_data(minimal_site, build_cli):
    evil = "</script><script>alert(1)</script>"
    loc = minimal_site / "content/locations/springfield.yaml"
    loc.write_text(loc.read_text().replace("name: Springfield", f'name: "{evil}"'))
    assert build_cli(minimal_site).code == 0
    html = (minimal_site / "public/springfield/day-program/index.html").read_text()
    assert "<script>alert(1)" not in html
    scripts = soup(minimal_site / "public/springfield/day-program/index.html").find_all(
        "script", type="application/ld+json"
    )
    blocks = {data["@type"]: data for data in (json.loads(s.string) for s in scripts)}
    assert set(blocks) == {"MedicalClinic", "BreadcrumbList"}
    crumbs = blocks["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in crumbs] == ["Home", evil, "DP"]
    assert blocks["MedicalClinic"]["name"].endswith(evil)


def test_drafts_are_left_out_unless_asked_for(minimal_site, build_cli):
    write_files(
        minimal_site,
        {"content/pages/news.md": "---\ntitle: News\ndescription: d\ndraft: true\n---\nSoon.\n"},
    )
    assert build_cli(minimal_site).code == 0
    assert not (minimal_site / "public/news/index.html").exists()
    assert build_cli(minimal_site, "--drafts").code == 0
    assert (minimal_site / "public/news/index.html").is_file()


def test_a_draft_program_is_left_out_of_its_locations_with_a_warning(minimal_site, build_cli):
    program = minimal_site / "content/programs/day-program.md"
    program.write_text(program.read_text().replace("summary:", "draft: true\nsummary:", 1))
    run = build_cli(minimal_site)
    assert run.code == 0
    assert "content/locations/springfield.yaml:6:" in run.err and "is a draft" in run.err
    assert not (minimal_site / "public/springfield/day-program/index.html").exists()
    assert (minimal_site / "public/springfield/index.html").is_file()


def test_base_url_from_the_command_line_sets_canonical_urls_and_sitemap(minimal_site, build_cli):
    assert build_cli(minimal_site, "--base-url", "https://preview.example.net").code == 0
    canonical = soup(minimal_site / "public/springfield/index.html").find("link", rel="canonical")
    assert canonical["href"] == "https://preview.example.net/springfield/"
    sitemap = (minimal_site / "public/sitemap.xml").read_text()
    assert "<loc>https://preview.example.net/springfield/day-program/</loc>" in sitemap
    robots = (minimal_site / "public/robots.txt").read_text()
    assert "Sitemap: https://preview.example.net/sitemap.xml" in robots


def test_a_file_with_a_wrong_extension_is_a_warning_not_a_silent_skip(minimal_site, build_cli):
    (minimal_site / "content/pages/about.txt").write_text("hello")
    run = build_cli(minimal_site)
    assert run.code == 0
    assert "warning: content/pages/about.txt: 'about.txt' is not read" in run.err
    assert "1 warning" in run.out


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("content/locations/shelbyville.yaml.txt", "rename it to 'shelbyville.yaml'"),
        ("content/locations/shelbyville.txt", "rename it to end in .yaml"),
        ("content/locations/springfield/notes.txt", "rename it to end in .md"),
        ("content/programs/photo.JPG", "pictures go in assets/images/"),
    ],
)
def test_a_stray_file_in_any_content_folder_is_a_warning_with_its_fix(
    minimal_site, build_cli, path, hint
):
    """A location saved as .yaml.txt (Windows' Notepad), a note beside local texts, a
    photo among programs: each is a warning naming the file and how to fix it."""
    (minimal_site / path).write_bytes(b"city: Shelbyville\n")
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    name = path.rsplit("/", 1)[1]
    assert f"warning: {path}: '{name}' is not read" in run.err
    assert f"hint: {hint}" in run.err and "1 warning" in run.out


def test_the_files_editors_and_systems_leave_beside_sources_are_not_warned_about(
    minimal_site, build_cli
):
    """vim's `4913` and swap files, a backup `~`, Emacs's `#...#`, Thumbs.db: a warning
    at every save of the preview (found by a fresh tester). A real stray file still is."""
    scratch = [
        "content/pages/4913",
        "content/pages/about.md~",
        "content/locations/springfield.yaml~",
        "content/programs/.day-program.md.swp",
        "content/programs/day-program.md.swp",
        "content/pages/#index.md#",
        "content/locations/Thumbs.db",
        "content/locations/springfield/desktop.ini",
    ]
    for path in scratch:
        (minimal_site / path).parent.mkdir(parents=True, exist_ok=True)
        (minimal_site / path).write_bytes(b"title: scratch\n")
    (minimal_site / "content/pages/notes.txt").write_text("a note")
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    assert "warning: content/pages/notes.txt: 'notes.txt' is not read" in run.err
    assert "1 warning" in run.out and "is not read" not in run.err.replace("notes.txt' is", "")


@pytest.mark.parametrize(
    "path", ["content/pages/gone.md", "content/locations/gone.yaml", "content/programs/gone.md"]
)
def test_a_source_file_that_is_a_link_to_nothing_is_an_error(minimal_site, build_cli, path):
    """A link whose file was moved or deleted was skipped without a word: its page left
    the site (found by a fresh tester)."""
    assert build_cli(minimal_site).code == 0
    (minimal_site / path).symlink_to(minimal_site / "shared/gone.md")
    run = build_cli(minimal_site)
    assert run.code == 1
    name = path.rsplit("/", 1)[1]
    assert f"error: {path}: '{name}' is a link to {minimal_site}/shared/gone.md, which does " in (
        run.err
    )
    assert "hint: restore the file it leads to, or remove the link" in run.err


def test_a_page_whose_extension_is_in_capitals_is_read_and_not_warned_about(
    minimal_site, build_cli
):
    (minimal_site / "content/pages/about.MD").write_text(
        "---\ntitle: About\ndescription: Who we are.\n---\nHello.\n"
    )
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    assert (minimal_site / "public/about/index.html").is_file()
    assert "is not read" not in run.err and "0 warnings" in run.out


def test_a_project_in_a_folder_whose_name_is_not_utf8_builds(tmp_path):
    """A folder name in another encoding (Latin-1's "café" on a Linux disk): the build,
    its cache and the SVG pictures' sizes take the name as bytes, as the system gives it."""
    site = tmp_path / os.fsdecode(b"caf\xe9") / "site"
    shutil.copytree(FIXTURES / "minimal", site)
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--root", os.fsencode(site)]
    first = subprocess.run(command, capture_output=True)
    assert first.returncode == 0, first.stderr
    assert (site / "public/index.html").is_file()
    again = subprocess.run(command, capture_output=True)
    assert b"nothing changed since the last build" in again.stdout
    assert b"caf\xe9/site/public/" in again.stdout  # its name as the system gives it


def write_pages(site: Path, pages: dict[str, tuple[str, str]]) -> None:
    """content/pages/<slug>.md for each slug: (title, permalink)."""
    page = "---\ntitle: {title}\ndescription: About {title}.\npermalink: {url}\n---\nText.\n"
    write_files(
        site,
        {
            f"content/pages/{slug}.md": page.format(title=title, url=url)
            for slug, (title, url) in pages.items()
        },
    )


def trail(site: Path, url: str) -> list[tuple[str, str]]:
    """The page's breadcrumb trail, (name, path) a crumb, from its BreadcrumbList node."""
    doc = soup(site / f"public{url}index.html")
    for script in doc.find_all("script", type="application/ld+json"):
        node = json.loads(script.string)
        if node.get("@type") == "BreadcrumbList":
            items = sorted(node["itemListElement"], key=lambda item: item["position"])
            return [(i["name"], i["item"].removeprefix(BASE)) for i in items]
    raise AssertionError(f"no BreadcrumbList on {url}")


def test_each_page_of_a_folder_above_is_a_crumb_outermost_first(minimal_site, build_cli):
    """Pages at /guide/, /guide/steps/ and /guide/steps/first/ (and a program hub below
    /programs/): each page's trail is Home, the pages of the folders above it, itself."""
    write_pages(
        minimal_site,
        {
            "guide": ("Guide", "/guide/"),
            "steps": ("Steps", "/guide/steps/"),
            "first": ("First step", "/guide/steps/first/"),
            "programs": ("All programs", "/programs/"),
        },
    )
    run = build_cli(minimal_site)
    assert run.code == 0, run.err

    assert trail(minimal_site, "/guide/steps/first/") == [
        ("Home", "/"),
        ("Guide", "/guide/"),
        ("Steps", "/guide/steps/"),
        ("First step", "/guide/steps/first/"),
    ]
    assert trail(minimal_site, "/guide/") == [("Home", "/"), ("Guide", "/guide/")]
    assert trail(minimal_site, "/programs/day-program/")[:2] == [
        ("Home", "/"),
        ("All programs", "/programs/"),
    ]
    assert (
        trail(minimal_site, "/springfield/day-program/")[1][1] == "/springfield/"
    )  # no page above it


def test_a_hub_above_a_page_is_a_crumb_and_a_program_page_keeps_its_location(
    minimal_site, build_cli
):
    """Pages below a location's hub and below a program's hub have the hub as a crumb;
    with program pages at /programs/<program>/<location>/, a program's page at a location
    still goes Home > location > program (its place to a visitor), not through /programs/."""
    write_pages(
        minimal_site,
        {
            "parking": ("Parking", "/springfield/parking/"),
            "faq": ("DP FAQ", "/programs/day-program/faq/"),
            "programs": ("All programs", "/programs/"),
        },
    )
    edit(
        minimal_site,
        "site.yaml",
        "navigation:",
        "permalinks:\n  program_at_location: /programs/{program}/{location}/\nnavigation:",
    )
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    assert trail(minimal_site, "/springfield/parking/") == [
        ("Home", "/"),
        ("Springfield", "/springfield/"),
        ("Parking", "/springfield/parking/"),
    ]
    assert trail(minimal_site, "/programs/day-program/faq/") == [
        ("Home", "/"),
        ("All programs", "/programs/"),
        ("DP", "/programs/day-program/"),
        ("DP FAQ", "/programs/day-program/faq/"),
    ]
    assert trail(minimal_site, "/programs/day-program/springfield/") == [
        ("Home", "/"),
        ("Springfield", "/springfield/"),
        ("DP", "/programs/day-program/springfield/"),
    ]
    write_pages(minimal_site, {"hours": ("Hours", "/programs/day-program/springfield/hours/")})
    assert build_cli(minimal_site).code == 0
    assert trail(minimal_site, "/programs/day-program/springfield/hours/") == [
        ("Home", "/"),
        ("Springfield", "/springfield/"),  # the trail of the page above, not its folders'
        ("DP", "/programs/day-program/springfield/"),
        ("Hours", "/programs/day-program/springfield/hours/"),
    ]


@pytest.fixture
def nothing_frozen():
    """As in a new process: no object frozen (gc.freeze) before the test, none after it
    (another test's resident-style build keeps its site frozen)."""
    import gc

    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_a_build_loads_is_left_to_the_collector_only_after_it(
    minimal_site, build_cli, monkeypatch, nothing_frozen
):
    """pipeline._long_lived: the loaded site is frozen (gc.freeze) before the first page is
    rendered, so no collection goes through it during the build (enabling the collector
    again after loading collected everything loading made at once: about 50 ms at 1,000
    locations); a build not in the resident process leaves nothing frozen behind it."""
    import gc

    from sitegen import pipeline

    frozen: list[int] = []
    real = pipeline.write_site

    def writing(*args, **kwargs):
        frozen.append(gc.get_freeze_count())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "write_site", writing)
    assert gc.isenabled()
    run = build_cli(minimal_site, "--jobs", "1")
    assert run.code == 0, run.err
    assert len(frozen) == 1 and frozen[0] > 1000  # the modules' and the site's objects
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    edit(minimal_site, "content/locations/springfield.yaml", "name:", "nmae:")
    assert build_cli(minimal_site, "--jobs", "1").code == 1  # a mistake: nothing frozen
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_files_a_build_makes_are_worked_out_once(minimal_site, build_cli, monkeypatch):
    """pipeline.wanted_files: routing, the commit and the page rules all ask for the list
    of files the output should hold; it is worked out once for the build's routes."""
    from sitegen.write import sitefiles

    calls: list[int] = []
    real = sitefiles.sitemap_files

    def counting(base_url, routes):
        calls.append(1)
        return real(base_url, routes)

    monkeypatch.setattr(sitefiles, "sitemap_files", counting)
    assert build_cli(minimal_site, "--jobs", "1", "--no-cache").code == 0
    assert len(calls) == 1
    assert (minimal_site / "public/sitemap.xml").is_file()


def test_the_section_pages_are_worked_out_once_a_build(minimal_site, build_cli, monkeypatch):
    """view_parts.section_pages: the renderer and the digest of what pages show of each
    other ask for the same routes; each section's crumb is worked out once."""
    from sitegen.render import view_parts

    seen: list[str] = []
    real = view_parts._section

    def counting(content, route, hubs):
        seen.append(route.url)
        return real(content, route, hubs)

    monkeypatch.setattr(view_parts, "_section", counting)
    assert build_cli(minimal_site, "--jobs", "1", "--no-cache").code == 0
    assert seen and len(seen) == len(set(seen))
    seen.clear()
    assert build_cli(minimal_site, "--jobs", "1", "--no-cache").code == 0  # a new build:
    assert seen and len(seen) == len(set(seen))  # its own routes, worked out again


def test_a_process_that_builds_again_and_again_keeps_no_old_layouts(minimal_site, build_cli):
    """Each build makes its own Layouts (the Jinja environment and its compiled templates);
    a cache on its methods that outlived it kept every one a process made (the resident
    build process, the tests: about 340 KB a build). They go with their build."""
    import gc

    from sitegen.render.layouts import Layouts

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, Layouts) for o in gc.get_objects())

    before = alive()
    for _ in range(4):
        assert build_cli(minimal_site, "--jobs", "1", "--no-cache").code == 0
    assert alive() <= before + 1  # at most the last build's, while a cache may hold it


def test_a_callers_frozen_objects_stay_frozen_and_the_resident_site_too(
    minimal_site, build_cli, nothing_frozen
):
    """build() unfreezes at its end only what it froze itself: objects a caller froze
    before stay frozen (the second tester found them unfrozen), and so does the site the
    resident build process keeps (forks.fork_map unfroze everything after rendering on
    two cores, so collections went through the kept site again)."""
    import gc

    from sitegen.cli import main
    from sitegen.pipeline import Kept

    assert gc.get_freeze_count() == 0
    try:
        gc.freeze()
        frozen = gc.get_freeze_count()
        assert build_cli(minimal_site, "--jobs", "2", "--no-cache").code == 0
        assert gc.get_freeze_count() >= frozen
        gc.unfreeze()
        kept = Kept()
        argv = ["build", "--root", str(minimal_site), "--jobs", "2", "--no-cache"]
        assert main(argv, kept=kept) == 0
        assert gc.get_freeze_count() > 1000  # the kept site, until resident.server._settle
    finally:
        gc.unfreeze()
    assert build_cli(minimal_site, "--jobs", "2", "--no-cache").code == 0
    assert gc.get_freeze_count() == 0  # a build of its own: nothing left frozen
