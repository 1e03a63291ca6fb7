"""The rules the build and `check` share, on their own: where an address leads, ids given
twice, JSON-LD blocks repeated, and where in a text a finding's subject is."""

from __future__ import annotations

from sitegen.rules.attribution import SourceText, find, locate
from sitegen.rules.content_rules import duplicate_ids, h1_count
from sitegen.rules.data_rules import repeated
from sitegen.rules.links import judge, resolve

FILES = {"/index.html", "/insurance/index.html", "/assets/site.css", "/robots.txt"}


def test_resolve_serves_a_folder_from_its_index_and_a_file_as_itself():
    assert resolve("/insurance/", FILES) == "/insurance/index.html"
    assert resolve("/insurance", FILES) == "/insurance/index.html"
    assert resolve("/robots.txt", FILES) == "/robots.txt"
    assert resolve("/robots.txt/", FILES) is None
    assert resolve("/nowhere/", FILES) is None
    # Netlify answers /about from about.html (its pretty URLs), and a file before a folder
    pages = {"/about.html", "/team.html", "/team/index.html", "/team"}
    assert resolve("/about", pages) == "/about.html"
    assert resolve("/about/", pages) is None
    assert resolve("/team", pages) == "/team"
    assert resolve("/team/", pages) == "/team/index.html"


def test_judge_finds_a_missing_file_a_missing_slash_and_an_alias():
    assert judge("/insurance/", "a", "/", resolve("/insurance/", FILES), set()) is None
    assert judge("/assets/site.css", "link", "/", "/assets/site.css", set()) is None
    slash = judge("/insurance", "a", "/", resolve("/insurance", FILES), set())
    assert slash is not None and slash.rule == "redirect-link"
    assert "link /insurance/" in slash.message and slash.subject == "/insurance"
    missing = judge("/nowhere/", "img", "/", None, set())
    assert missing is not None and missing.rule == "broken-link" and "<img>" in missing.message
    alias = judge("/old", "a", "/", None, {"/old/", "/old"})
    assert alias is not None and alias.rule == "redirect-link"


def test_each_id_given_twice_is_one_finding():
    found = list(duplicate_ids(["a", "b", "a", "c", "a", "b"], "/x/"))
    assert [f.subject for f in found] == ["a", "b"]
    assert all(f.rule == "duplicate-id" and f.url == "/x/" for f in found)
    assert list(duplicate_ids(["a", "b", "c"], "/x/")) == []


def test_one_h1_is_right_and_none_or_two_are_not():
    assert list(h1_count(1, "/")) == []
    assert [f.message for f in h1_count(0, "/")] == ["the page has 0 <h1> elements (one is right)"]
    assert next(h1_count(2, "/", ["Extra"])).subject == "Extra"


def test_a_repeated_json_ld_block_is_found_once_whatever_its_surrounding_space():
    block = '{"@context": "https://schema.org", "@type": "WebSite"}'
    found = list(repeated([block, "\n" + block + "\n", block, '{"@type": "Other"}'], "/"))
    assert [f.message for f in found] == ["the same WebSite JSON-LD block is on the page twice"]
    assert list(repeated([block], "/")) == []


def test_locate_finds_a_subject_as_written_escaped_loosened_or_as_a_yaml_key():
    text = "title: Day\nhours:\n  - Mo-Fr 09:00-17:00\nbody with an\n  image  here & more"
    files = [SourceText("a.md", "nothing here\n"), SourceText("b.yaml", text, first_line=3)]
    assert locate("hours:", files) == ("b.yaml", 4, 1)
    assert locate("image here", files) == ("b.yaml", 7, 3)
    assert locate("here &amp; more", files) == ("b.yaml", 7, 10)  # escaped in HTML
    assert locate("absent", files) is None
    assert locate(None, files) is None
    assert find("ours:", text) is None  # a key is found at the start of a line only


def test_dot_segments_go_as_a_browser_resolves_them():
    from sitegen.rules.content_rules import normal_path

    assert normal_path("/programs/../insurance/") == "/insurance/"
    assert normal_path("/./a/./b") == "/a/b"
    assert normal_path("/a/..") == "/"
    assert normal_path("/x/.") == "/x/"
    assert normal_path("/plain/") == "/plain/"
