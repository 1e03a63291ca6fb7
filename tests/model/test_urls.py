"""sitegen.urls: safe slugs and URL paths, permalink placeholders, the file a URL is written to."""

from __future__ import annotations

import re

import pytest

from sitegen.model.urls import output_file, slug_problem, url_hint, url_problem, url_suggestion
from sitegen.route.permalinks import expand, placeholders

SEGMENT = "must be lowercase letters and digits, with a single '-', '_' or '.' between two of them"

# --- slug_problem ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug", ["a", "iop", "beverly-hills", "intensive-outpatient-program", "24-7", "area51"]
)
def test_safe_slugs_have_no_problem(slug):
    assert slug_problem(slug) is None


@pytest.mark.parametrize(
    ("slug", "problem"),
    [
        ("caf\u00e9", "it has letters outside a-z (accents or other scripts)"),
        ("Caf\u00e9", "it has letters outside a-z (accents or other scripts)"),
        (
            "\u043c\u043e\u0441\u043a\u0432\u0430",
            "it has letters outside a-z (accents or other scripts)",
        ),
        ("Beverly-Hills", "it has uppercase letters"),
        ("IOP", "it has uppercase letters"),
        ("beverly hills", "it has spaces"),
        ("day\tprogram", "it has spaces"),
        ("beverly_hills", "use only lowercase letters a-z, digits and single hyphens"),
        ("beverly--hills", "use only lowercase letters a-z, digits and single hyphens"),
        ("-start", "use only lowercase letters a-z, digits and single hyphens"),
        ("end-", "use only lowercase letters a-z, digits and single hyphens"),
        ("a.b", "use only lowercase letters a-z, digits and single hyphens"),
        ("", "use only lowercase letters a-z, digits and single hyphens"),
    ],
)
def test_unsafe_slugs_say_why(slug, problem):
    assert slug_problem(slug) == problem


# --- url_problem -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/a/",
        "/a/b/",
        "/404.html",
        "/a/page.html",
        "/los-angeles/iop/",
        "/a_b/",
        "/v1.2/",
        "/programs/24-7/",
    ],
)
def test_safe_urls_have_no_problem(url):
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("a/", "it must start with '/'"),
        ("", "it must start with '/'"),
        ("https://example.com/", "it must start with '/'"),
        ("/caf\u00e9/", "it has characters outside a-z"),
        ("/a b/", "it has spaces"),
        ("/a/\tb/", "it has spaces"),
        ("/A/", "it has uppercase letters"),
        ("/Index.html", "it has uppercase letters"),
        ("/../", "it has an empty, '.' or '..' part"),
        ("/a/../b/", "it has an empty, '.' or '..' part"),
        ("/./", "it has an empty, '.' or '..' part"),
        ("/a//b/", "it has an empty, '.' or '..' part"),
        ("//", "it has an empty, '.' or '..' part"),
        ("/a", "it must end with '/' (or name an .html file)"),
        ("/a/b", "it must end with '/' (or name an .html file)"),
        ("/style.css", "it must end with '/' (or name an .html file)"),
        ("/-a/", "'-a' " + SEGMENT),
        ("/a/b!/", "'b!' " + SEGMENT),
        ("/a?b=1/", "'a?b=1' " + SEGMENT),
        ("/{location}/", "'{location}' " + SEGMENT),
    ],
)
def test_unsafe_urls_say_why(url, problem):
    assert url_problem(url) == problem


@pytest.mark.parametrize(
    ("url", "suggestion"),
    [
        ("/guide", "/guide/"),
        (" /Guide/Café", "/guide/cafe/"),
        ("/_redirects/x/", "/redirects/x/"),
        ("/a b//c/", "/a-b/c/"),
        ("/../etc/", "/etc/"),
        ("/Old Page.HTML", "/old-page.html"),
        ("/a--b/", "/a-b/"),
        ("/foo..bar/", "/foo-bar/"),
        ("/", "/"),
    ],
)
def test_an_unsafe_url_gets_a_safe_one_close_to_it(url, suggestion):
    assert url_suggestion(url) == suggestion
    assert url_problem(suggestion) is None


def test_the_hint_writes_the_suggestion_out_unless_it_is_taken():
    assert url_hint("/Guide") == "write it as /guide/"
    assert "e.g. /beverly-hills/" in url_hint("/%%%/")
    taken = {"/insurance/", "/robots.txt"}
    assert "e.g. /beverly-hills/" in url_hint("/Insurance", taken)  # another page's URL
    assert "e.g. /beverly-hills/" in url_hint("/robots.txt", taken)  # /robots.txt/: inside
    assert url_hint("/Insurance/Plans", taken) == "write it as /insurance/plans/"


# --- output_file -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/", "index.html"),
        ("/a/", "a/index.html"),
        ("/a/b/", "a/b/index.html"),
        ("/404.html", "404.html"),
        ("/a/page.html", "a/page.html"),
    ],
)
def test_output_file_of_a_url(url, file):
    assert output_file(url) == file


def test_folder_url_and_its_index_file_share_an_output_file():
    assert output_file("/a/") == output_file("/a/index.html")


# --- placeholders and expand -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "names"),
    [
        ("/{location}/{program}/", {"location", "program"}),
        ("/programs/{program}/", {"program"}),
        ("/{slug}/", {"slug"}),
        ("/static/", set()),
    ],
)
def test_placeholders_of_a_pattern(pattern, names):
    assert placeholders(pattern) == names


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("/{slug:>5}/", "':>5' (a format specification)"),
        ("/{slug!r}/", "'!r' (a conversion)"),
        ("/{slug[0]}/", "an index or attribute ([ ] or .)"),
        ("/{slug.x}/", "an index or attribute ([ ] or .)"),
        ("/{}/", "a name other than lowercase letters, digits and _"),
        ("/{a}/{a}/", "a name it already has"),
        ("/{{literal}}/", "double braces"),
    ],
)
def test_a_placeholder_only_names_a_field(pattern, problem):
    """`{slug:>100000000}` would make 100 MB URLs."""
    with pytest.raises(ValueError, match=re.escape(problem)):
        placeholders(pattern)


def test_expand_fills_the_placeholders():
    pattern = "/{location}/{program}/"
    assert expand(pattern, {"location": "springfield", "program": "iop"}) == "/springfield/iop/"


def test_expand_ignores_values_a_pattern_does_not_use():
    assert expand("/{slug}/", {"slug": "about", "program": "x"}) == "/about/"
