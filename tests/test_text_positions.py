"""Editors' mistakes that the build must report at the line where they are written, on the
minimal site through the command line: a variable in a YAML text folded over several lines
(`>`, `|`, a plain value), a level-1 heading inside a list or a quote, an alias that names
a file of the build."""

from __future__ import annotations

import pytest
from test_bad_input import assert_refused, built_once, edit, line_of

LOCATION = "content/locations/springfield.yaml"
PROGRAM = "content/programs/day-program.md"
LOCAL = "content/locations/springfield/day-program.md"

# --- a YAML text over several lines: the line of the mistake, not of the text's start ----


@pytest.mark.parametrize(
    ("style", "end"),
    [(">", ""), (">-", ""), ("|", ""), ("|", "\n\n  A second paragraph.")],
    ids=["folded", "folded, stripped", "literal", "literal, two paragraphs"],
)
def test_a_variable_in_a_location_block_text_is_reported_at_its_file_line(
    minimal_site, build_cli, style, end
):
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        LOCATION,
        "about: |\n  Local text for {{ city }}.\n",
        f"about: {style}\n  Local text for {{{{ city }}}}.\n  More words, folded\n"
        f"  into the {{{{ nope }}}} line above.{end}\n",
    )
    line = line_of(text, "{{ nope }}")
    assert line == 10
    assert_refused(
        minimal_site, build_cli, before, f"error: {LOCATION}:{line}: unknown variable 'nope'"
    )


def test_a_variable_in_a_front_matter_block_text_is_reported_at_its_file_line(
    minimal_site, build_cli
):
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        PROGRAM,
        "banner: Days in {{ city }}\n",
        "banner: >\n  Days in {{ city }}\n  and evenings\n  in {{ stat }} too\n",
    )
    edit(
        minimal_site,
        LOCAL,
        "description: The day program, as offered in Springfield.\n",
        "description: |\n  The day program,\n  as offered in {{ citty }}.\n",
    )
    local = (minimal_site / LOCAL).read_text()
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line_of(text, '{{ stat }}')}: unknown variable 'stat'",
        "hint: did you mean 'state'?",
        f"error: {LOCAL}:{line_of(local, '{{ citty }}')}: unknown variable 'citty'",
    )


def test_a_plain_value_over_several_lines_and_a_tag_needing_jinja_keep_their_lines(
    minimal_site, build_cli
):
    """YAML joins a plain value's lines with spaces too; a text with `{% if %}` is parsed by
    Jinja, which knows only the (joined) line: the name is looked for on it."""
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        PROGRAM,
        "description: The day program in {{ city }}, {{ state }}.\n",
        "description: The day program in {{ city }},\n"
        "  {% if state %}{{ state }}{% endif %}, for\n"
        "  {{ short_nam }} and more.\n",
    )
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line_of(text, '{{ short_nam }}')}: unknown variable 'short_nam'",
    )


def test_an_unclosed_tag_in_a_folded_text_is_at_the_line_it_opens(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        LOCATION,
        "about: |\n  Local text for {{ city }}.\n",
        "about: >\n  Local text for {{ city }}.\n  Call {{ phone\n  today.\n",
    )
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {LOCATION}:{line_of(text, '{{ phone')}: a {{{{ or {{% tag opened on this "
        "line is not closed",
    )


# --- a level-1 heading in a list item, a quote, a footnote, or underlined ---------------


@pytest.mark.parametrize(
    ("written", "needle"),
    [
        ("- One\n- # Second heading\n", "# Second"),
        ("1. One\n2. # Second heading\n", "# Second"),
        ("> Quoted.\n> # Second heading\n", "# Second"),
        ("===\n\nSecond heading\n==============\n", "Second heading"),
        ("> Second heading\n> ===\n", "Second heading"),
        ("Note.[^1]\n\n[^1]: # Second heading\n", "[^1]: #"),
    ],
    ids=["list item", "ordered list item", "quote", "setext", "setext in a quote", "footnote"],
)
def test_a_level_one_heading_anywhere_in_a_body_is_reported_at_its_line(
    minimal_site, build_cli, written, needle
):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, PROGRAM, "Text.\n", f"Text.\n\n{written}")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line_of(text, needle)}: a level-1 heading in this text makes a "
        "second <h1> on its pages",
    )


def test_a_level_one_heading_in_a_folded_location_text_is_at_its_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        LOCATION,
        "about: |\n  Local text for {{ city }}.\n",
        "about: >\n  Local text\n  for {{ city }}.\n\n  # About us\n",
    )
    assert_refused(
        minimal_site, build_cli, before, f"error: {LOCATION}:{line_of(text, '# About')}:"
    )


# --- an alias that names a file the build writes ---------------------------------------


@pytest.mark.parametrize(
    ("alias", "file"),
    [
        ("/sitemap.xml", "sitemap.xml"),
        ("/robots.txt", "robots.txt"),
        ("/_redirects", "_redirects"),
        ("/_headers", "_headers"),
        ("/assets/images/hero.svg", "assets/images/hero.svg"),
        ("/assets/css/site.eac0e79057.css", "assets/css/site.eac0e79057.css"),
        ("/springfield/index.html", "springfield/index.html"),  # a page's own file
        ("/index.html", "index.html"),
    ],
)
def test_an_alias_that_names_a_file_of_the_build_is_an_error_at_its_line(
    minimal_site, build_cli, alias, file
):
    """Netlify serves a file that exists before it applies a redirect rule that is not
    forced ("shadowing"): the redirect would never happen."""
    before = built_once(minimal_site, build_cli)
    assert (minimal_site / "public" / file).is_file()
    text = edit(
        minimal_site, PROGRAM, "short_name: DP", f"short_name: DP\naliases: [/old/, {alias}]"
    )
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line_of(text, 'aliases:')}:18: the alias '{alias}' is a file the "
        f"build writes ({file}); Netlify serves that file and never follows the redirect",
        "hint: remove the alias: an old address can only redirect when the site has no file there",
    )


def test_the_not_found_page_is_no_alias_either(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    (minimal_site / "content/pages/404.md").write_text(
        "---\ntitle: Not found\ndescription: This page does not exist.\n"
        "permalink: /404.html\n---\nSorry.\n"
    )
    before = built_once(minimal_site, build_cli)
    edit(
        minimal_site,
        LOCATION,
        "programs: [day-program]",
        "programs: [day-program]\naliases: [/404.html]",
    )
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {LOCATION}:7:11: the alias '/404.html' is a page's URL",
    )
