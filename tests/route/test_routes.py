"""sitegen.routes: the URL table of a site with 3 programs x 3 locations, pages and permalinks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, write_files
from sitegen.errors import BuildFailed, ErrorList, SiteError, SourceRef
from sitegen.load.config import load_config
from sitegen.model.routes import (
    LocationRoute,
    PageRoute,
    ProgramAtLocationRoute,
    ProgramRoute,
)
from sitegen.pipeline import BuildOptions, LoadedSite, build, load_site, route_site
from sitegen.route.permalinks import check_permalinks
from sitegen.route.table import build_routes, route_errors

LOCATIONS = ("capital-city", "shelbyville", "springfield")
PROGRAMS = ("day-program", "evening-program", "residential")
OFFERED = {
    "springfield": PROGRAMS,
    "shelbyville": PROGRAMS,
    "capital-city": ("day-program", "evening-program"),
}


@pytest.fixture
def multi_site(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/multi that a test may change."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "multi", root)
    return root


def load(root: Path) -> LoadedSite:
    warnings: list = []
    errors = ErrorList()
    site = load_site(BuildOptions(root, root / "public"), warnings, errors)
    assert warnings == [] and not errors
    return site


def routes_of(root: Path):
    site = load(root)
    return build_routes(site.config, site.content)


def errors_of(root: Path):
    site = load(root)
    routes = build_routes(site.config, site.content)
    return route_errors(routes, site.config, site.content, site.layouts.folder)


def navigation_errors_of(root: Path, drafts: bool = False) -> list[SiteError]:
    """What a build reports of site.yaml's navigation (`drafts`: a --drafts build)."""
    errors = ErrorList()
    try:
        build(BuildOptions(root, root / "public", drafts=drafts))
    except BuildFailed as failed:
        errors.extend(failed.errors)
    return errors.errors


def table(routes) -> set[tuple[str, str, str]]:
    return {(r.kind, r.url, r.output) for r in routes}


def add_to_site_yaml(root: Path, text: str) -> None:
    path = root / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# --- the default URL table -------------------------------------------------------------------


def test_programs_at_locations_are_expanded_only_where_offered(multi_site):
    routes = routes_of(multi_site)
    expected = {
        ("program_at_location", f"/{loc}/{prog}/", f"{loc}/{prog}/index.html")
        for loc, progs in OFFERED.items()
        for prog in progs
    }
    assert {t for t in table(routes) if t[0] == "program_at_location"} == expected
    assert len(expected) == 8
    assert ("program_at_location", "/capital-city/residential/") not in {
        (r.kind, r.url) for r in routes
    }


def test_the_whole_route_table(multi_site):
    assert table(routes_of(multi_site)) == {
        ("page", "/", "index.html"),
        ("page", "/insurance/", "insurance/index.html"),
        *(("location", f"/{loc}/", f"{loc}/index.html") for loc in LOCATIONS),
        *(("program", f"/programs/{p}/", f"programs/{p}/index.html") for p in PROGRAMS),
        *(
            ("program_at_location", f"/{loc}/{p}/", f"{loc}/{p}/index.html")
            for loc, progs in OFFERED.items()
            for p in progs
        ),
    }


def test_sixteen_routes_and_no_duplicates(multi_site):
    routes = routes_of(multi_site)
    assert len(routes) == 16
    assert len({r.url for r in routes}) == 16


def test_routes_are_sorted_by_url(multi_site):
    urls = [r.url for r in routes_of(multi_site)]
    assert urls == sorted(urls)
    assert urls[0] == "/"


def test_routes_are_typed_by_kind_and_name_what_they_show(multi_site):
    by_url = {r.url: r for r in routes_of(multi_site)}
    at = by_url["/shelbyville/evening-program/"]
    assert isinstance(at, ProgramAtLocationRoute)
    assert (at.program, at.location) == ("evening-program", "shelbyville")
    hub = by_url["/programs/residential/"]
    assert isinstance(hub, ProgramRoute) and hub.program == "residential"
    assert (hub.program_slug, hub.location_slug) == ("residential", None)
    location = by_url["/capital-city/"]
    assert isinstance(location, LocationRoute) and location.location == "capital-city"
    assert (location.program_slug, location.location_slug) == (None, "capital-city")
    page = by_url["/insurance/"]
    assert isinstance(page, PageRoute) and page.page == "coverage"
    assert by_url["/"] == PageRoute(url="/", layout="page", source=by_url["/"].source, page="index")
    assert {r.key for r in by_url.values()} == {r.key for r in routes_of(multi_site)}
    assert len({r.key for r in by_url.values()}) == len(by_url)  # one page per key


def test_routes_use_the_default_layout_of_their_kind(multi_site):
    layouts = {r.kind: r.layout for r in routes_of(multi_site)}
    assert layouts == {
        "program_at_location": "program-location",
        "location": "location",
        "program": "program",
        "page": "page",
    }


def test_program_at_location_source_is_the_line_that_offers_it(multi_site):
    by_url = {r.url: r for r in routes_of(multi_site)}
    # programs: [residential, evening-program, day-program] on line 6 of shelbyville.yaml
    source = by_url["/shelbyville/evening-program/"].source
    assert source == SourceRef("content/locations/shelbyville.yaml", 6, 25)
    assert by_url["/shelbyville/"].source.path == "content/locations/shelbyville.yaml"
    assert by_url["/insurance/"].source.path == "content/pages/coverage.md"


def test_the_default_site_has_no_route_errors(multi_site):
    assert errors_of(multi_site) == []


def test_a_program_no_longer_offered_has_no_location_page(multi_site):
    path = multi_site / "content/locations/springfield.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(", residential]", "]"), encoding="utf-8"
    )
    urls = {r.url for r in routes_of(multi_site)}
    assert "/springfield/residential/" not in urls
    assert "/shelbyville/residential/" in urls
    assert "/programs/residential/" in urls


# --- custom permalinks -----------------------------------------------------------------------


def test_program_at_location_pattern_from_site_yaml_changes_the_urls(multi_site):
    add_to_site_yaml(multi_site, "permalinks:\n  program_at_location: /{program}/{location}/\n")
    routes = routes_of(multi_site)
    assert {t for t in table(routes) if t[0] == "program_at_location"} == {
        ("program_at_location", f"/{p}/{loc}/", f"{p}/{loc}/index.html")
        for loc, progs in OFFERED.items()
        for p in progs
    }
    assert ("location", "/springfield/", "springfield/index.html") in table(routes)
    assert [r.url for r in routes] == sorted(r.url for r in routes)


def test_every_kind_of_permalink_can_be_changed(multi_site):
    add_to_site_yaml(
        multi_site,
        "permalinks:\n"
        "  program_at_location: /care/{location}/{program}.html\n"
        "  location: /locations/{location}/\n"
        "  program: /{program}/\n"
        "  page: /info/{slug}/\n",
    )
    write_files(multi_site, {"content/pages/about.md": "---\ntitle: A\ndescription: d\n---\n"})
    by_url = {r.url: r for r in routes_of(multi_site)}
    assert (
        by_url["/care/springfield/day-program.html"].output == "care/springfield/day-program.html"
    )
    assert by_url["/locations/capital-city/"].kind == "location"
    assert by_url["/residential/"].kind == "program"
    assert by_url["/info/about/"].kind == "page"
    # The home page and pages with their own permalink do not follow the page pattern.
    assert by_url["/"].page == "index"
    assert by_url["/insurance/"].page == "coverage"
    assert errors_of(multi_site) == []


def test_page_permalink_overrides_the_page_pattern(multi_site):
    urls = {r.url for r in routes_of(multi_site)}
    assert "/insurance/" in urls
    assert "/coverage/" not in urls


# --- collisions and other route errors -------------------------------------------------------


def test_page_permalink_that_collides_with_a_location_is_an_error_at_the_permalink(multi_site):
    write_files(
        multi_site,
        {
            "content/pages/visit.md": (
                "---\ntitle: Visit\ndescription: d\npermalink: /springfield/\n---\nHi\n"
            )
        },
    )
    errors = errors_of(multi_site)
    assert len(errors) == 1
    error = errors[0]
    assert error.message == (
        "two pages would be written to /springfield/: this one and the one from "
        "content/locations/springfield.yaml:1"
    )
    assert error.source == SourceRef("content/pages/visit.md", 4, 12)
    assert "each page has its own URL" in error.hint


def test_page_slug_that_collides_with_a_location_hub(multi_site):
    write_files(
        multi_site, {"content/pages/shelbyville.md": "---\ntitle: S\ndescription: d\n---\n"}
    )
    [error] = errors_of(multi_site)
    assert error.message.startswith("two pages would be written to /shelbyville/")
    assert error.source == SourceRef("content/pages/shelbyville.md", 1)
    assert error.hint == (
        "both URLs come from site.yaml's permalinks (location: /{location}/; page: /{slug}/): "
        "rename a file, give the page a permalink, or change a pattern"
    )


def test_program_pattern_that_puts_programs_where_locations_are_collides(multi_site):
    add_to_site_yaml(multi_site, "permalinks:\n  program: /{program}/\n")
    write_files(
        multi_site,
        {"content/pages/day-program.md": "---\ntitle: D\ndescription: d\n---\n"},
    )
    [error] = errors_of(multi_site)
    assert error.message == (
        "two pages would be written to /day-program/: this one and the one from "
        "content/programs/day-program.md:1"
    )
    assert error.hint is not None and "(program: /{program}/; page: /{slug}/)" in error.hint


def test_two_hubs_on_one_url_name_the_patterns_that_made_them(multi_site):
    """A program hub pattern /{program}/ and a location named like a program: neither
    file sets its URL, so the hint names the two patterns, not a permalink to change."""
    add_to_site_yaml(multi_site, "permalinks:\n  program: /{program}/\n")
    source = multi_site / "content/locations/shelbyville.yaml"
    source.rename(source.with_name("day-program.yaml"))
    [error] = errors_of(multi_site)
    assert error.source == SourceRef("content/programs/day-program.md", 1)
    assert error.message.endswith("the one from content/locations/day-program.yaml:1")
    assert error.hint == (
        "both URLs come from site.yaml's permalinks (location: /{location}/; program: "
        "/{program}/): change a pattern or rename a file"
    )


def test_folder_url_and_its_index_html_collide(multi_site):
    write_files(
        multi_site,
        {
            "content/pages/a.md": "---\ntitle: A\ndescription: d\npermalink: /a/\n---\n",
            "content/pages/b.md": "---\ntitle: B\ndescription: d\npermalink: /a/index.html\n---\n",
        },
    )
    [error] = errors_of(multi_site)
    assert error.message.startswith("two pages would be written to /a/index.html")
    assert error.source == SourceRef("content/pages/b.md", 4, 12)


def test_unsafe_page_permalink_is_an_error_at_its_line(multi_site):
    write_files(
        multi_site,
        {"content/pages/a.md": "---\ntitle: A\ndescription: d\npermalink: /About Us/\n---\n"},
    )
    [error] = errors_of(multi_site)
    assert error.message == "the URL '/About Us/' is not safe: it has spaces"
    assert error.source == SourceRef("content/pages/a.md", 4, 12)


def test_unknown_page_layout_is_an_error_at_the_layout_line(multi_site):
    write_files(
        multi_site,
        {"content/pages/a.md": "---\ntitle: A\ndescription: d\nlayout: wide\n---\n"},
    )
    [error] = errors_of(multi_site)
    assert error.message == "unknown layout 'wide' (there is no layouts/wide.html)"
    assert error.source == SourceRef("content/pages/a.md", 4, 9)
    assert error.hint == ("available layouts: base, location, page, program, program-location")


def test_unknown_default_layout_is_reported_once_at_site_yaml(multi_site):
    add_to_site_yaml(multi_site, "layouts:\n  location: town\n")
    [error] = errors_of(multi_site)  # one mistake, not one error per location page
    assert error.source == SourceRef("site.yaml", 14, 13)
    assert error.message == "unknown layout 'town' (there is no layouts/town.html)"


# --- navigation ------------------------------------------------------------------------------


def test_navigation_to_a_url_no_page_has_is_an_error_at_the_url(multi_site):
    add_to_site_yaml(multi_site, "  - {title: Contact, url: /contact/}\n")
    text = (multi_site / "site.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[12] == "  - {title: Contact, url: /contact/}"
    [error] = navigation_errors_of(multi_site)
    assert error.message == "navigation links to /contact/, but no page has that URL"
    assert error.source == SourceRef("site.yaml", 13, 27)
    assert error.hint is not None and "did you mean" not in error.hint
    assert len(error.hint) < 200  # not a list of every URL of the site


def test_navigation_to_a_misspelled_url_suggests_the_page(multi_site):
    add_to_site_yaml(multi_site, "  - {title: Plans, url: /insurence/}\n")
    [error] = navigation_errors_of(multi_site)
    assert error.hint == "did you mean /insurance/?"


def test_navigation_without_the_final_slash_is_an_error_naming_the_pages_url(multi_site):
    add_to_site_yaml(multi_site, "  - {title: Plans, url: '/insurance#plans'}\n")
    [error] = navigation_errors_of(multi_site)
    assert "the page's URL is /insurance/" in error.message and "redirect" in error.message
    assert error.hint == "write url: /insurance/#plans"


def test_navigation_to_a_draft_says_it_is_a_draft(multi_site):
    page = multi_site / "content/pages/coverage.md"
    page.write_text(page.read_text().replace("---\n", "---\ndraft: true\n", 1))
    [error] = navigation_errors_of(multi_site)  # site.yaml's line 12 links to it
    assert error.message == (
        "navigation links to /insurance/, but that page is a draft "
        "(content/pages/coverage.md has draft: true), so this build leaves it out"
    )
    assert error.source == SourceRef("site.yaml", 12, 29)
    assert navigation_errors_of(multi_site, drafts=True) == []  # the preview shows it


def test_navigation_to_an_external_site_is_not_checked(multi_site):
    add_to_site_yaml(multi_site, "  - {title: Blog, url: 'https://blog.example.org/'}\n")
    assert navigation_errors_of(multi_site) == []


def test_navigation_to_a_section_of_an_existing_page_is_not_an_error(multi_site):
    add_to_site_yaml(multi_site, "  - {title: Plans, url: '/insurance/#plans'}\n")
    assert navigation_errors_of(multi_site) == []


# --- check_permalinks ------------------------------------------------------------------------


def permalink_errors(root: Path, permalinks: str):
    add_to_site_yaml(root, "permalinks:\n" + permalinks)
    return check_permalinks(load_config(root))


def test_default_permalinks_are_fine(multi_site):
    assert check_permalinks(load_config(multi_site)) == []


def test_pattern_missing_a_placeholder_is_an_error_at_its_line(multi_site):
    [error] = permalink_errors(multi_site, "  program_at_location: /{location}/\n")
    assert error.message == (
        "permalink '/{location}/' for program_at_location pages must use exactly "
        "{location} and {program}"
    )
    assert error.source == SourceRef("site.yaml", 14, 24)
    assert error.hint == "for example /{location}/{program}/"


def test_pattern_with_an_unknown_placeholder_is_an_error(multi_site):
    [error] = permalink_errors(multi_site, "  location: /{city}/\n")
    assert error.message == "permalink '/{city}/' for location pages must use exactly {location}"
    assert error.hint == "for example /{location}/"


def test_pattern_with_a_placeholder_of_another_kind_is_an_error(multi_site):
    [error] = permalink_errors(multi_site, "  program: /{location}/{program}/\n")
    assert "for program pages must use exactly {program}" in error.message


def test_pattern_with_no_placeholder_is_an_error(multi_site):
    [error] = permalink_errors(multi_site, "  page: /pages/\n")
    assert error.message == "permalink '/pages/' for page pages must use exactly {slug}"


def test_unsafe_pattern_is_an_error(multi_site):
    [error] = permalink_errors(multi_site, "  location: /{location}\n")
    assert error.message == (
        "permalink '/{location}' is not a safe URL: it must end with '/' (or name an .html file)"
    )


def test_several_bad_patterns_are_all_reported(multi_site):
    errors = permalink_errors(multi_site, "  location: /{city}/\n  page: /Pages/{slug}/\n")
    assert [e.source.line for e in errors] == [14, 15]


def test_pattern_with_an_unclosed_brace_is_a_site_error_not_a_crash(multi_site):
    [error] = permalink_errors(multi_site, "  location: /{location/\n")
    assert error.source == SourceRef("site.yaml", 14, 13)


def test_routing_refuses_bad_permalinks(multi_site):
    add_to_site_yaml(multi_site, "permalinks:\n  program: /{slug}/\n")
    site = load(multi_site)
    with pytest.raises(BuildFailed) as info:
        route_site(site, ErrorList())
    assert [e.source for e in info.value.errors] == [SourceRef("site.yaml", 14, 12)]


def test_navigation_to_a_program_page_whose_program_is_a_draft_names_the_program(multi_site):
    program = multi_site / "content/programs/evening-program.md"
    program.write_text(program.read_text().replace("---\n", "---\ndraft: true\n", 1))
    add_to_site_yaml(multi_site, "  - {title: Evenings, url: /shelbyville/evening-program/}\n")
    [error] = navigation_errors_of(multi_site)
    assert "(content/programs/evening-program.md has draft: true)" in error.message
