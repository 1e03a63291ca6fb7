"""Bad input: every mistake is reported at its file and line, and public/ is left untouched."""

from __future__ import annotations

import json
import re

import pytest

from conftest import (
    assert_refused,
    built_once,
    column_of,
    edit,
    line_of,
    snapshot,
    write_files,
)

LOCATION = "content/locations/springfield.yaml"
PROGRAM = "content/programs/day-program.md"
HOME = "content/pages/index.md"


# --- helpers ---------------------------------------------------------------------------------


# --- YAML and front matter -------------------------------------------------------------------


def test_yaml_syntax_error_in_location_names_file_line_and_column(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, LOCATION, "city: Springfield", "city: Spring: field")
    line, column = line_of(text, "Spring: field"), column_of(text, ": field")
    run = assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {LOCATION}:{line}:{column}: YAML syntax error: mapping values are not allowed",
        "hint: a value that contains ': ' must be put in quotes",
    )
    assert line == 2
    assert "Build failed with 1 error" in run.err


def test_yaml_syntax_error_in_program_front_matter_counts_lines_of_the_md_file(
    minimal_site, build_cli
):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, PROGRAM, "short_name: DP", "short_name: D: P")
    line, column = line_of(text, "short_name: D: P"), column_of(text, ": P")
    assert line == 3
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line}:{column}: YAML syntax error: mapping values are not allowed",
        "must be put in quotes",
    )


@pytest.mark.parametrize("where", ["location", "front matter"])
def test_a_value_cut_short_by_a_hash_is_refused_at_the_hash(minimal_site, build_cli, where):
    """`city: Springfield #1 clinic` is the city `Springfield` to YAML: refused at the '#',
    the public folder kept, in a location file and in a program's front matter."""
    before = built_once(minimal_site, build_cli)
    path, old = (
        (LOCATION, "city: Springfield") if where == "location" else (PROGRAM, "short_name: DP")
    )
    text = edit(minimal_site, path, old, f"{old} #1 clinic")
    line, column = line_of(text, "#1 clinic"), column_of(text, "#1 clinic")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {path}:{line}:{column}: the text stops at ' #'",
        "'#1 clinic' is left out",
        "put the whole value in quotes",
    )


def test_a_line_separator_pasted_into_a_front_matter_value_is_named_at_its_line(
    minimal_site, build_cli
):
    """A U+2028 pasted into a program's title: YAML ends the line there, the editor does
    not; the error is at the character, on the line the editor sees, and says what it is.
    Quoted, it is refused as an invisible character, and a mistake below it keeps its
    own line."""
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, PROGRAM, "short_name: DP", "short_name: D\u2028P")
    line, column = line_of(text, "short_name: D"), column_of(text, "\u2028")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line}:{column}: an invisible line separator (U+2028) ends the line",
        "hint: delete that character",
    )
    text = edit(minimal_site, PROGRAM, "short_name: D\u2028P", "short_name: 'D\u2028P'\nx: 1")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line}:13: 'short_name': holds the invisible character U+2028",
        f"error: {PROGRAM}:{line_of(text, 'x: 1')}:1: unknown field 'x'",
    )


def test_a_list_left_open_in_a_location_is_reported_at_its_bracket(minimal_site, build_cli):
    """A half-finished save: `programs: [day-program,` and more lines below."""
    before = built_once(minimal_site, build_cli)
    text = (minimal_site / LOCATION).read_text()
    old = next(line for line in text.split("\n") if line.startswith("programs:"))
    text = edit(minimal_site, LOCATION, old, "programs: [day-program,\nabout: |\n  Our town.")
    line, column = line_of(text, "programs: ["), column_of(text, "[day-program,")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {LOCATION}:{line}:{column}: YAML syntax error: a '[' opened here is not closed",
        f"YAML read on to line {line + 1} as part of it",
        "hint: close it with ']' at the end of the value",
    )


def test_a_location_that_fails_to_load_gives_no_false_unoffered_program_warning(
    minimal_site, build_cli
):
    """The only location has an error: its program is not warned about as offered nowhere
    (it is offered, by the file that failed); only the error is reported."""
    before = built_once(minimal_site, build_cli)
    edit(minimal_site, LOCATION, "state: IL", "state IL")
    run = assert_refused(minimal_site, build_cli, before, f"error: {LOCATION}:")
    assert "not offered" not in run.err and "warning" not in run.err


def test_a_program_offered_only_at_a_draft_location_says_so(minimal_site, build_cli):
    """The only location is a draft: the program's warning names the draft location and
    the fix, instead of 'not offered at any location'; with --drafts there is none."""
    edit(minimal_site, LOCATION, "state: IL", "state: IL\ndraft: true")
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    assert (
        f"program 'day-program' is offered only at draft locations ({LOCATION}, draft: true)"
        in run.err
    )
    assert "publish the location" in run.err and "not offered at any" not in run.err
    drafts = build_cli(minimal_site, "--drafts", "--out", str(minimal_site / "preview"))
    assert drafts.code == 0 and "day-program" not in drafts.err


def test_unclosed_front_matter_names_file_and_line_1(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    edit(minimal_site, HOME, "description: The home page.\n---\n", "description: The home page.\n")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {HOME}:1: the front matter is not closed",
        "hint: add a line '---' after the last front matter field",
    )


def test_missing_required_field_points_at_line_1_of_the_location(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    edit(minimal_site, LOCATION, "city: Springfield\n", "")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {LOCATION}:1: missing required field 'city'",
        "hint: add a line 'city: ...'",
    )


def test_mistyped_field_is_unknown_with_did_you_mean_at_its_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, LOCATION, "description: Care", "descripton: Care")
    line = line_of(text, "descripton:")
    assert line == 4
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {LOCATION}:{line}:1: unknown field 'descripton'",
        "hint: did you mean 'description'?",
    )


def test_wrong_type_of_order_in_program_points_at_the_order_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        PROGRAM,
        "summary: A day program.\n",
        "summary: A day program.\norder: first\n",
    )
    line, column = line_of(text, "order: first"), column_of(text, "first")
    assert (line, column) == (6, 8)  # at the value: the key is right
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line}:{column}: 'order' must be a whole number",
        "it is 'first'",
    )


def test_location_offering_a_missing_program_names_line_and_suggests_the_slug(
    minimal_site, build_cli
):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, LOCATION, "programs: [day-program]", "programs: [day-programme]")
    line, column = line_of(text, "day-programme"), column_of(text, "day-programme")
    assert line == 6
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {LOCATION}:{line}:{column}: location offers program 'day-programme', "
        "but there is no content/programs/day-programme.md",
        "hint: did you mean 'day-program'?",
    )


# --- slugs, URLs and layouts -----------------------------------------------------------------


def test_two_program_files_with_the_same_slug_are_an_error(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    source = (minimal_site / PROGRAM).read_text(encoding="utf-8")
    write_files(minimal_site, {"content/programs/day-program.markdown": source})
    run = assert_refused(
        minimal_site,
        build_cli,
        before,
        "two files have the slug 'day-program'",
        "hint: rename or remove one of them",
    )
    # One of the two files is named with line 1, the other in the message.
    assert (
        f"{PROGRAM}:1: two files have the slug 'day-program': this one and "
        "content/programs/day-program.markdown"
        in run.err
        or "content/programs/day-program.markdown:1: two files have the slug 'day-program': "
        f"this one and {PROGRAM}"
        in run.err
    )


def test_page_named_like_a_location_collides_with_the_location_hub(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    write_files(
        minimal_site,
        {"content/pages/springfield.md": "---\ntitle: Spring\ndescription: A page.\n---\nHi.\n"},
    )
    assert_refused(
        minimal_site,
        build_cli,
        before,
        "error: content/pages/springfield.md:1: two pages would be written to /springfield/",
        f"the one from {LOCATION}",
        "hint: both URLs come from site.yaml's permalinks (location: /{location}/; page: "
        "/{slug}/): rename a file, give the page a permalink, or change a pattern",
    )


def test_page_permalink_colliding_with_a_location_hub_points_at_the_permalink_line(
    minimal_site, build_cli
):
    before = built_once(minimal_site, build_cli)
    text = "---\ntitle: About\ndescription: About us.\npermalink: /springfield/\n---\nHi.\n"
    write_files(minimal_site, {"content/pages/about.md": text})
    line = line_of(text, "permalink:")
    assert line == 4
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: content/pages/about.md:{line}:12: two pages would be written to /springfield/",
        f"the one from {LOCATION}",
    )


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/robots.txt/x/", "/robots.txt"),
        ("/sitemap.xml/", "/sitemap.xml"),
        ("/robots.txt/a/b/", "/robots.txt"),
        ("/springfield/index.html/y/", "/springfield/index.html"),  # another page's file
    ],
)
def test_a_page_inside_a_file_of_the_site_is_refused_before_anything_moves(
    minimal_site, build_cli, url, file
):
    """A permalink below a file the build writes (robots.txt, another page's file): the
    move into the output failed half-way through the commit, which the build then called
    "unchanged". Now it is a clash at the permalink, and the output is as it was."""
    before = built_once(minimal_site, build_cli)
    text = f"---\ntitle: In\ndescription: A page in a file.\npermalink: {url}\n---\nHi.\n"
    write_files(minimal_site, {"content/pages/inside.md": text})
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: content/pages/inside.md:4:12: the page's URL {url} is inside {file}, a file",
        f"hint: choose a URL that does not start with {file}/",
    )
    assert not (minimal_site / ".public.commit").exists()


def test_a_page_inside_a_file_is_reported_with_the_other_errors(minimal_site, build_cli):
    """The clash was only looked for when there were no other errors, so fixing them
    took two rounds; a page whose URL is unsafe is left out of it."""
    before = built_once(minimal_site, build_cli)
    write_files(
        minimal_site,
        {
            "content/pages/inside.md": "---\ntitle: In\ndescription: A page.\n"
            "permalink: /robots.txt/x/\n---\nHi.\n",
            "content/pages/odd.md": "---\ntitle: Odd\ndescription: A page.\n"
            "permalink: /../robots.txt/y/\n---\nHi.\n",
        },
    )
    edit(minimal_site, LOCATION, "city: Springfield", "city: [Springfield")
    run = assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {LOCATION}:",
        "error: content/pages/inside.md:4:12: the page's URL /robots.txt/x/ is inside",
        "error: content/pages/odd.md:4:12: the URL '/../robots.txt/y/' is not safe",
    )
    assert "Build failed with 3 errors" in run.err


def test_a_page_where_a_folder_of_assets_must_be_is_refused(minimal_site, build_cli):
    """A page /assets/old.html beside assets/old.html/pic.svg: the page's file would be
    the folder the picture goes in (staging failed with "File exists")."""
    before = built_once(minimal_site, build_cli)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'
    text = "---\ntitle: Old\ndescription: An old page.\npermalink: /assets/old.html\n---\nHi.\n"
    write_files(minimal_site, {"assets/old.html/pic.svg": svg, "content/pages/old.md": text})
    assert_refused(
        minimal_site,
        build_cli,
        before,
        "error: content/pages/old.md:4:12: the page's URL /assets/old.html is a folder of "
        "other files of the site (/assets/old.html/pic",
        "hint: give this page another URL, or move the files in /assets/old.html/",
    )


UNSAFE_PERMALINKS = {
    "dot-dot": ("/../etc/", "it has an empty, '.' or '..' part"),
    "non-ascii": ("/café/", "it has characters outside a-z"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE_PERMALINKS))
def test_unsafe_page_permalink_is_refused_at_the_permalink_line(minimal_site, build_cli, case):
    permalink, problem = UNSAFE_PERMALINKS[case]
    before = built_once(minimal_site, build_cli)
    text = f"---\ntitle: About\ndescription: About us.\npermalink: {permalink}\n---\nHi.\n"
    write_files(minimal_site, {"content/pages/about.md": text})
    line = line_of(text, "permalink:")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: content/pages/about.md:{line}:12: the URL '{permalink}' is not safe: {problem}",
        "hint: write it as /",
    )
    assert not (minimal_site / "etc").exists()


def test_file_name_with_spaces_and_uppercase_is_not_a_slug(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    write_files(
        minimal_site,
        {"content/pages/About Us.md": "---\ntitle: About\ndescription: About us.\n---\nHi.\n"},
    )
    assert_refused(
        minimal_site,
        build_cli,
        before,
        "error: content/pages/About Us.md:1: the file name 'About Us.md' cannot be used as a "
        "URL slug",
        "hint: rename the file to 'about-us.md'",
    )


def test_permalink_pattern_without_location_placeholder_is_refused(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    path = minimal_site / "site.yaml"
    text = path.read_text(encoding="utf-8") + "permalinks:\n  location: /places/\n"
    path.write_text(text, encoding="utf-8")
    line, column = line_of(text, "location: /places/"), column_of(text, "/places/")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: site.yaml:{line}:{column}: permalink '/places/' for location pages must use "
        "exactly {location}",
        "hint: for example /{location}/",
    )


@pytest.mark.parametrize(("layout", "reads"), [("location", "location"), ("program", "program")])
def test_a_page_given_a_layout_of_another_kind_is_told_so_at_its_layout_line(
    minimal_site, build_cli, layout, reads
):
    """`layout: location` on an ordinary page was reported inside layouts/location.html
    ("'location' is undefined"), naming neither the page nor its `layout:` line, where the
    mistake is (found by a fresh tester)."""
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        HOME,
        "description: The home page.\n",
        f"description: The home page.\nlayout: {layout}\n",
    )
    line, column = line_of(text, f"layout: {layout}"), column_of(text, f" {layout}") + 1
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {HOME}:{line}:{column}: layout '{layout}' is made for another kind of page: "
        f"it reads '{reads}', which an ordinary page does not have (layouts/{layout}.html:",
        "hint: choose a layout made for pages, such as 'page', or leave out 'layout:'",
    )


def test_unknown_layout_in_page_points_at_the_layout_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        HOME,
        "description: The home page.\n",
        "description: The home page.\nlayout: fancy\n",
    )
    line = line_of(text, "layout: fancy")
    assert line == 4
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {HOME}:{line}:9: unknown layout 'fancy' (there is no layouts/fancy.html)",
        "hint: available layouts: base, location, page, program, program-location",
    )


def test_jinja_syntax_error_in_a_layout_names_the_layout_and_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = (
        '{% extends "base.html" %}\n'
        "{% block content %}\n"
        "<div>\n"
        "{% if %}broken{% endif %}\n"
        "</div>\n"
        "{{ page.content }}{% endblock %}\n"
    )
    write_files(minimal_site, {"layouts/page.html": text})
    line = line_of(text, "{% if %}")
    assert line == 4
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: layouts/page.html:{line}: layout syntax error:",
        "hint: check that every {% ... %} block is closed",
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param(
            '{% extends "base.html" %}\n{% block content %}\n{% if page.url %}\n<div>\n'
            "{{ page.content }}</div>\n{% endblock %}\n",
            3,
            id="closed-by-endblock",  # Jinja: unknown tag 'endblock', at line 6
        ),
        pytest.param(
            '{% extends "base.html" %}\n{% block content %}{{ page.content }}{% endblock %}\n'
            "{% for x in [1] %}\n{% if x %}{% endif %}\n\n",
            3,
            id="file-ends",  # Jinja: unexpected end of template, at the last line
        ),
    ],
)
def test_a_block_left_open_in_a_layout_is_reported_where_it_opens(
    minimal_site, build_cli, text, line
):
    before = built_once(minimal_site, build_cli)
    write_files(minimal_site, {"layouts/page.html": text})
    name = "for" if "for" in text else "if"
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: layouts/page.html:{line}: layout syntax error: the {{% {name} %}} opened on "
        "this line is not closed",
        f"hint: end what it shows with {{% end{name} %}}",
    )


def test_an_if_left_open_in_a_text_is_reported_where_it_opens(minimal_site, build_cli):
    """Jinja says "Unexpected end of template" at the text's last line."""
    before = built_once(minimal_site, build_cli)
    body = 'Call {{ phone }}.\n\nIn {% if city == "x" %} the city.\n\nMore.\n\nThe end.\n'
    text = edit(minimal_site, HOME, "Call {{ phone }}.\n", body)
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {HOME}:{line_of(text, '{% if')}: the {{% if %}} opened on this line is not closed",
        "hint: end what it shows with {% endif %}",
    )


def test_undefined_variable_in_a_layout_names_the_layout_and_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, "layouts/base.html", "<main>\n", "<main>\n<p>{{ page.nope }}</p>\n")
    line = line_of(text, "page.nope")
    assert line == 17
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: layouts/base.html:{line}:12: undefined in layout:",  # <p>{{ page.nope: n
        "'nope'",
        "hint: that field does not exist",
    )


@pytest.mark.parametrize(
    ("written", "guess"), [("page.headng", "heading"), ("page.canonicl", "canonical")]
)
def test_a_misspelt_field_in_a_layout_gets_a_guess(minimal_site, build_cli, written, guess):
    """`page.headng` named the class (PageView) and no fix: now the field it is close to."""
    before = built_once(minimal_site, build_cli)
    edit(minimal_site, "layouts/base.html", "<main>\n", f"<main>\n<p>{{{{ {written} }}}}</p>\n")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        "undefined in layout:",
        f"hint: did you mean '{guess}'? that field does not exist",
    )


# --- variables in content --------------------------------------------------------------------


def test_unknown_variable_in_program_body_names_md_line_and_suggests(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, PROGRAM, "Text.\n", "Text for {{ citty }}.\n")
    line = line_of(text, "{{ citty }}")
    assert line == 15
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line}: unknown variable 'citty'",
        "hint: did you mean 'city'?",
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Call {{ phone }}.\n\nIn {{ city\n", id="last-line"),
        pytest.param("Call {{ phone }}.\n\nIn {{ city\n\nMore text.\n\nThe end.\n", id="mid-body"),
    ],
)
def test_unclosed_variable_in_page_body_is_a_syntax_error_at_its_line(
    minimal_site, build_cli, body
):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, HOME, "Call {{ phone }}.\n", body)
    line = line_of(text, "{{ city")
    assert line == 7
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {HOME}:{line}: a {{{{ or {{% tag opened on this line is not closed",
        "hint: close it with }} or %}",
    )


def test_file_that_is_not_utf8_names_the_file_and_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    data = b"---\ntitle: About\ndescription: caf\xff\n---\nHi.\n"
    write_files(minimal_site, {"content/pages/about.md": data})
    assert_refused(
        minimal_site,
        build_cli,
        before,
        "error: content/pages/about.md:3:17: file is not UTF-8 text (byte 0xff cannot be decoded)",
        "hint: save the file as UTF-8",
    )


def test_missing_hero_image_points_at_the_hero_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, PROGRAM, "images/hero.svg", "images/nope.svg")
    line, column = line_of(text, "hero:"), column_of(text, "images/nope.svg")
    assert line == 6
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line}:{column}:",
        "image 'images/nope.svg' not found",
        "hint: image paths are relative to the assets/ folder",
    )


@pytest.mark.parametrize("path", ["../site.yaml", "images/../../content/pages/index.md"])
def test_a_hero_image_path_leading_out_of_assets_says_so(minimal_site, build_cli, path):
    """`../site.yaml` was "not found: there is no file assets/../site.yaml", when the
    reason is that it leads out of assets/ (found by a fresh tester)."""
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, PROGRAM, "images/hero.svg", path)
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line_of(text, 'hero:')}:",
        f"image '{path}' leads out of the assets/ folder: pictures are published from there",
        "hint: write its path inside assets/",
    )


def test_a_picture_path_through_dot_dot_that_stays_inside_assets_is_not_said_to_lead_out(
    minimal_site, build_cli
):
    before = built_once(minimal_site, build_cli)
    edit(minimal_site, PROGRAM, "images/hero.svg", "images/../images/nope.svg")
    run = assert_refused(
        minimal_site, build_cli, before, "image 'images/../images/nope.svg' not found"
    )
    assert "leads out" not in run.err


SITE_YAML_ERRORS = {
    "base_url": (
        "base_url: https://care.example.org",
        "base_url: www.example",
        "'base_url': 'www.example' is not a site address",
    ),
    "phone": (
        'phone: "(323) 555-0100"',
        'phone: "12"',
        "'organization.phone': '12' is not a valid phone number",
    ),
}


@pytest.mark.parametrize("field", sorted(SITE_YAML_ERRORS))
def test_invalid_site_yaml_value_points_at_its_line(minimal_site, build_cli, field):
    old, new, message = SITE_YAML_ERRORS[field]
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, "site.yaml", old, new)
    value = new.partition(": ")[2]
    line, column = line_of(text, new), column_of(text, new) + new.index(value)
    assert_refused(minimal_site, build_cli, before, f"error: site.yaml:{line}:{column}: {message}")


def test_several_errors_are_all_reported_in_one_run_sorted_by_file(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    program = edit(
        minimal_site,
        PROGRAM,
        "summary: A day program.\n",
        "summary: A day program.\norder: first\n",
    )
    edit(minimal_site, LOCATION, "city: Springfield\n", "")
    site = edit(minimal_site, "site.yaml", 'phone: "(323) 555-0100"', 'phone: "12"')
    expected = [
        f"error: {LOCATION}:1: missing required field 'city'",
        f"error: {PROGRAM}:{line_of(program, 'order:')}:8: 'order' must be a whole number",
        f"error: site.yaml:{line_of(site, 'phone:')}:10: 'organization.phone'",
    ]
    run = assert_refused(minimal_site, build_cli, before, *expected)
    positions = [run.err.index(fragment) for fragment in expected]
    assert positions == sorted(positions)
    assert "Build failed with 3 errors" in run.err


def test_load_and_routing_errors_are_reported_in_the_same_run(minimal_site, build_cli):
    """A broken program file and a page that collides with a location hub: both at once,
    and no cascade ("navigation links to a missing page") from the broken file."""
    before = built_once(minimal_site, build_cli)
    edit(minimal_site, PROGRAM, "summary: A day program.\n", "summary: [unclosed\n")
    write_files(
        minimal_site,
        {
            "content/pages/about.md": (
                "---\ntitle: About\ndescription: d\npermalink: /springfield/\n---\nHi\n"
            )
        },
    )
    run = assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:5:",
        "error: content/pages/about.md:4:12: two pages would be written to /springfield/",
    )
    assert "Build failed with 2 errors" in run.err


def test_script_tags_in_yaml_values_cannot_break_out_of_the_html(minimal_site, build_cli):
    edit(minimal_site, LOCATION, "city: Springfield", 'city: "</script><b>x</b>"')
    # A layout that embeds a value in a script block, as JSON-LD would.
    edit(
        minimal_site,
        "layouts/location.html",
        "{% endblock %}",
        "<script>var city = {{ location.city|tojson }};</script>\n{% endblock %}",
    )
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    pages = sorted((minimal_site / "public").rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "</script><b>" not in html, page
        assert "<b>x</b>" not in html, page
    hub = (minimal_site / "public/springfield/index.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in hub
    # the test's script, the clinic and the breadcrumb JSON-LD: no script was cut short
    assert hub.count("</script>") == 3
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', hub, re.S)
    clinic = next(json.loads(b) for b in blocks if '"MedicalClinic"' in b)
    assert clinic["address"]["addressLocality"] == "</script><b>x</b>"  # data, intact


# --- the output folder and the report --------------------------------------------------------


OUT_FOLDERS = {
    "project-root": (".", "is the project folder"),
    "parent-of-root": ("..", "contains the project folder"),
    "source-folder": ("content", "is the source 'content'"),
    "inside-source-folder": ("content/public", "is inside the source 'content'"),
    "not-ours": ("other", "was not made by sitegen (no .sitegen-output file in it)"),
}


@pytest.mark.parametrize("case", sorted(OUT_FOLDERS))
def test_unsafe_output_folder_is_refused_and_nothing_is_deleted(
    minimal_site, build_cli, monkeypatch, case
):
    out, message = OUT_FOLDERS[case]
    built_once(minimal_site, build_cli)
    write_files(minimal_site, {"other/keep.txt": "keep me\n"})
    monkeypatch.chdir(minimal_site)  # --out is relative to where the command runs
    everything = snapshot(minimal_site.parent)
    run = build_cli(minimal_site, "--out", out)
    assert run.code == 2, run.out + run.err
    assert "build.py: error: the output folder" in run.err or "build.py: error: other" in run.err
    assert message in run.err
    assert snapshot(minimal_site.parent) == everything
    assert (minimal_site / "other/keep.txt").read_text(encoding="utf-8") == "keep me\n"
    assert not (minimal_site / "content/public").exists()
    assert not list(minimal_site.parent.rglob(".*.staging-*"))


def test_json_report_on_failure_lists_errors_with_file_and_line(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site,
        PROGRAM,
        "summary: A day program.\n",
        "summary: A day program.\norder: first\n",
    )
    run = build_cli(minimal_site, "--json")
    assert run.code == 1
    report = json.loads(run.out)
    assert report["ok"] is False
    assert report["errors"] == [
        {
            "file": PROGRAM,
            "line": line_of(text, "order: first"),
            "column": column_of(text, "first"),
            "message": "'order' must be a whole number",
            "hint": "it is 'first'; write a number, e.g. 1",
        }
    ]
    assert snapshot(minimal_site / "public") == before


def test_a_misspelled_program_is_one_error_even_with_local_text(minimal_site, build_cli):
    before = built_once(minimal_site, build_cli)
    edit(minimal_site, LOCATION, "programs: [day-program]", "programs: [day-programme]")
    run = assert_refused(
        minimal_site, build_cli, before, f"error: {LOCATION}:6:12:", "did you mean 'day-program'?"
    )
    assert "Build failed with 1 error" in run.err


def test_an_output_folder_that_cannot_be_made_is_an_error_not_a_traceback(minimal_site, build_cli):
    (minimal_site / "afile").write_text("not a folder")
    run = build_cli(minimal_site, "--out", str(minimal_site / "afile" / "public"))
    assert run.code == 1
    assert "error: cannot write the output:" in run.err and "Traceback" not in run.err
    assert (minimal_site / "afile").read_text() == "not a folder"


# --- issue 11: mistakes that once reached the site -------------------------------------------


@pytest.mark.parametrize("field", ["body", "description"])
def test_a_variable_in_single_braces_stops_the_build_at_its_line(minimal_site, build_cli, field):
    """`{city}` as the title patterns write it: Python-Markdown's attribute lists ate it
    (`<h2 city>`); now the build says to write `{{ city }}`."""
    before = built_once(minimal_site, build_cli)
    if field == "body":
        path = minimal_site / PROGRAM
        path.write_text(path.read_text() + "\n## Our team in {city}\n", encoding="utf-8")
    else:
        edit(minimal_site, PROGRAM, "description: ", "description: Care in {city}. ")
    text = (minimal_site / PROGRAM).read_text(encoding="utf-8")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line_of(text, '{city}')}: '{{city}}' would be shown as written",
        "hint: write {{ city }}",
    )


def test_braces_that_are_no_variable_reach_the_page(minimal_site, build_cli):
    path = minimal_site / PROGRAM
    path.write_text(path.read_text() + "\n## Hours {weekdays only}\n", encoding="utf-8")
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    page = (minimal_site / "public/springfield/day-program/index.html").read_text()
    assert ">Hours {weekdays only}</h2>" in page


def test_a_level_one_heading_in_a_body_stops_the_build_at_its_line(minimal_site, build_cli):
    """`# What is {{ short_name }}?` made two <h1> on every page of the program."""
    before = built_once(minimal_site, build_cli)
    path = minimal_site / PROGRAM
    path.write_text(path.read_text() + "\n# What is {{ short_name }}?\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line_of(text, '# What is')}: a level-1 heading in this text",
        "hint: start this text's headings at level 2",
    )


def test_an_attribute_list_written_without_spaces_is_an_unclosed_comment_with_the_fix(
    minimal_site, build_cli
):
    """`## Intro {#intro}` is Markdown's attribute list, but `{#` starts a comment in an
    editor's text (the second tester): the error says so, and the hint gives the form
    that works, which builds."""
    before = built_once(minimal_site, build_cli)
    text = edit(
        minimal_site, HOME, "Call {{ phone }}.\n", "Call {{ phone }}.\n\n## Intro {#intro}\n"
    )
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {HOME}:{line_of(text, '{#intro}')}: '{{#' starts a comment here",
        "that is not closed",
        "hint: to give a heading its own id write { #intro } with spaces",
    )
    edit(minimal_site, HOME, "{#intro}", "{ #intro }")
    assert build_cli(minimal_site).code == 0
    assert 'id="intro"' in (minimal_site / "public/index.html").read_text()
