"""render.affected.pages_of_files and the per-build memo of SiteContent.files_of_pages it
shares with the sitemap: which pages a changed content file makes."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from sitegen.errors import ErrorList
from sitegen.model.records import SiteContent
from sitegen.model.routes import Route
from sitegen.pipeline import BuildOptions, load_site, route_site
from sitegen.render.affected import pages_of_files


@pytest.fixture(scope="module")
def multi() -> tuple[SiteContent, list[Route]]:
    root = FIXTURES / "multi"
    errors = ErrorList()
    site = load_site(BuildOptions(root=root, out=root / "unused"), [], errors)
    routes, _aliases = route_site(site, errors)
    assert not errors
    return site.content, routes


def test_files_of_pages_is_files_of_each_page_worked_out_once_for_one_list(multi) -> None:
    content, routes = multi
    found = content.files_of_pages(routes)
    assert found == [tuple(content.files_of(route)) for route in routes]
    assert content.files_of_pages(routes) is found  # the same list object: kept
    again = list(routes)  # equal, another object: worked out again, not a stale answer
    assert content.files_of_pages(again) is not found and content.files_of_pages(again) == found
    fewer = routes[1:]
    assert content.files_of_pages(fewer) == found[1:]


def test_a_changed_file_makes_the_pages_made_from_it(multi) -> None:
    content, routes = multi
    for route in routes:
        for path in content.files_of(route):
            made = pages_of_files(content, routes, {path})
            expected = {r.url for r in routes if path in content.files_of(r)}
            assert made == expected and route.url in made
    assert pages_of_files(content, routes, set()) == set()


def test_a_changed_file_that_makes_no_page_renders_every_page(multi) -> None:
    content, routes = multi
    some = content.files_of(routes[0])[0]
    assert pages_of_files(content, routes, {"content/pages/gone.md"}) is None
    assert pages_of_files(content, routes, {some, "content/pages/gone.md"}) is None


def test_urls_by_key_is_each_routes_url_worked_out_once_for_one_list(multi) -> None:
    content, routes = multi
    found = content.urls_by_key(routes)
    assert found == {route.key: route.url for route in routes} and len(found) == len(routes)
    assert content.urls_by_key(routes) is found
    fewer = routes[1:]
    assert content.urls_by_key(fewer) == {route.key: route.url for route in fewer}
