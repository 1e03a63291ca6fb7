"""The build is the gate: the page rules about what editors wrote run on every page it
renders, and each mistake stops it (or warns) at the file, line and column of the text
that made it, with the output folder left as it was. Issue 11's examples, each on a copy
of the example site, and each kind once more in another field or file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import assert_refused, built_once, column_of, edit, line_of, snapshot
from sitegen.rules.tree import ids, parse

IOP = "content/programs/intensive-outpatient-program.md"
LOCAL = "content/locations/beverly-hills/intensive-outpatient-program.md"
FIRST_HEADING = "## What is {{ short_name }}?"


def add_to_body(site: Path, name: str, markdown: str, before: str = FIRST_HEADING) -> str:
    """Put `markdown` (one paragraph) before the line `before` of the file; its text."""
    return edit(site, name, before, f"{markdown}\n\n{before}")


def where(text: str, needle: str, name: str = IOP) -> str:
    """file:line:column of `needle` in `text`, as an error names it."""
    return f"{name}:{line_of(text, needle)}:{column_of(text, needle)}"


def yaml_line(text: str, needle: str, name: str = IOP) -> str:
    """file:line of `needle` in `text`: a YAML text's errors give no column."""
    return f"{name}:{line_of(text, needle)}:"


# --- 1, 2: images in a body ---------------------------------------------------------------


def test_a_missing_image_in_a_program_body_stops_the_build_at_its_line(example_site, build_cli):
    before = built_once(example_site, build_cli)
    address = "/assets/images/group-room.jpg"
    text = add_to_body(example_site, IOP, f"![Our group room]({address})")
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, address)}: broken-link: <img> points at {address}, "
        "which is not in the build",
    )


def test_a_missing_image_in_a_faq_answer_is_at_the_answer_s_line(example_site, build_cli):
    before = built_once(example_site, build_cli)
    address = "/assets/images/schedule.png"
    text = edit(
        example_site,
        IOP,
        "hours of treatment a day on several days of the week.",
        f"hours of treatment a day on several days of the week. ![A week]({address})",
    )
    assert_refused(
        example_site, build_cli, before, f"error: {yaml_line(text, address)} broken-link: <img>"
    )


def test_an_image_relative_to_assets_in_a_body_names_the_address_to_write(example_site, build_cli):
    """Front matter names images relative to assets/; in Markdown that address would be
    relative to each page's URL."""
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, "![A group](images/group-therapy.svg)")
    place = f"{IOP}:{line_of(text, '![A group]')}:{column_of(text, '(images/') + 1}"
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {place}: broken-link: <img> points at "
        "'images/group-therapy.svg', relative to each page it is on",
        "hint: write /assets/images/group-therapy.svg",
    )


def test_a_relative_link_in_a_location_s_local_text_is_an_error_there(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = edit(
        example_site,
        LOCAL,
        "## IOP in Beverly Hills\n",
        "## IOP in Beverly Hills\n\nSee [our programs](../programs/).\n",
    )
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, '../programs/', LOCAL)}: broken-link: <a> points at '../programs/'",
    )


# --- 3: links to pages ----------------------------------------------------------------------


@pytest.mark.parametrize("link", ["/los-angles/", "/Los-Angeles/", "/LOS-ANGELES"])
def test_a_link_to_a_page_that_does_not_exist_says_which_one_was_meant(
    example_site, build_cli, link
):
    """A misspelling, or capitals (URLs are case-sensitive): the page it was meant for."""
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, f"Visit [our clinic]({link}).")
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, link)}: broken-link: <a> points at {link}",
        "hint: did you mean /los-angeles/?",
    )


def test_a_link_without_the_page_s_trailing_slash_is_a_warning_at_its_line(example_site, build_cli):
    """Netlify answers /insurance with a redirect to /insurance/: a hop for every visitor."""
    built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, "See [insurance](/insurance).")
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert (
        f"warning: {where(text, '/insurance)')}: redirect-link: /insurance redirects to "
        "/insurance/" in run.err
    )
    assert "hint: write /insurance/" in run.err
    assert "1 warning" in run.out


def test_site_yaml_can_turn_a_page_rule_off_for_the_build_too(example_site, build_cli):
    built_once(example_site, build_cli)
    add_to_body(example_site, IOP, "See [insurance](/insurance).")
    edit(example_site, "site.yaml", "check:\n", "check:\n  rules:\n    redirect-link: off\n")
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert "redirect-link" not in run.err and "0 warnings" in run.out


def test_a_link_to_an_alias_is_a_redirect_link(example_site, build_cli):
    built_once(example_site, build_cli)
    edit(
        example_site,
        "content/pages/insurance.md",
        "---\ntitle:",
        "---\naliases: [/coverage/]\ntitle:",
    )
    text = add_to_body(example_site, IOP, "See [coverage](/coverage/).")
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert f"warning: {where(text, '/coverage/')}: redirect-link: /coverage/ redirects" in run.err


# --- 5: ids unique on every page ------------------------------------------------------------


def test_an_id_in_a_body_that_the_layout_gives_too_is_an_error_naming_both(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, '<div id="contact">Reach us</div>')
    layout = "layouts/partials/contact.html"
    layout_text = (example_site / layout).read_text()
    given = 'id="contact"'
    layout_place = f"{layout}:{line_of(layout_text, given)}:{column_of(layout_text, given)}"
    assert_refused(
        example_site,
        build_cli,
        before,
        f'error: {where(text, "id=")}: duplicate-id: id="contact" is on more than one element',
        f"the layouts write it at {layout_place})",
    )


def test_a_partial_included_twice_repeats_its_ids_in_the_layouts(example_site, build_cli):
    """Another layout file: the home page places its closing partial twice."""
    before = built_once(example_site, build_cli)
    include = '{% include "partials/closing.html" %}'
    edit(example_site, "layouts/home.html", include, include + "\n" + include)
    run = assert_refused(example_site, build_cli, before, "duplicate-id: id=")
    assert "error: layouts/partials/" in run.err
    assert "first found on /)" in run.err


def test_a_layout_with_its_structured_data_twice_is_refused(example_site, build_cli):
    before = built_once(example_site, build_cli)
    tag = '<script type="application/ld+json">{{ data }}</script>'
    text = edit(example_site, "layouts/base.html", tag, tag + tag)
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: layouts/base.html:{line_of(text, tag)}:",
        "jsonld-repeated: the same",
        "JSON-LD block is on the page twice",
    )


def test_a_second_h1_in_a_partial_is_reported_in_that_partial(example_site, build_cli):
    before = built_once(example_site, build_cli)
    footer = example_site / "layouts/partials/footer.html"
    footer.write_text("<h1>Also here</h1>\n" + footer.read_text())
    assert_refused(
        example_site,
        build_cli,
        before,
        "error: layouts/partials/footer.html:1:1: h1-count: the page has 2 <h1> elements",
    )


def test_a_page_whose_only_h1_is_in_a_comment_has_none(example_site, build_cli):
    """An <h1> commented out in a layout is no heading: the build's page scan counted it
    as the page's one <h1> (it looked into comments only when it found another number)."""
    before = built_once(example_site, build_cli)
    layout = example_site / "layouts/location.html"
    tag = "<h1>{{ page.heading }}</h1>"
    shown = "<p>{{ page.heading }}</p>"
    layout.write_text(layout.read_text().replace(tag, f"<!-- {tag} -->{shown}"))
    assert_refused(
        example_site,
        build_cli,
        before,
        "h1-count: the page has 0 <h1> elements (one is right)",
    )


def test_what_follows_an_empty_comment_is_read_as_a_browser_reads_it(example_site, build_cli):
    """ "<!-->" is a whole comment to a browser (WHATWG HTML): a second fresh tester hid a
    second <h1> and a duplicate id after it, as the page scan read on to the next "-->"."""
    before = built_once(example_site, build_cli)
    layout = example_site / "layouts/program-location.html"
    tag = "<h1>{{ page.heading }}</h1>"
    hidden = '<!--><h1 id="main">again</h1><!-- -->'
    layout.write_text(layout.read_text().replace(tag, tag + hidden))
    assert_refused(
        example_site,
        build_cli,
        before,
        "h1-count: the page has 2 <h1> elements",
        'duplicate-id: id="main" is on more than one element',
    )


def test_the_example_site_has_one_h1_and_unique_ids_on_every_page(example_site, build_cli):
    run = build_cli(example_site)
    assert run.code == 0, run.err
    pages = sorted((example_site / "public").rglob("*.html"))
    assert len(pages) == 17
    for page in pages:
        root = parse(page.read_bytes())
        assert len(root.findall(".//h1")) == 1, page
        found = ids(root)
        assert len(found) == len(set(found)), (page, found)


# --- attribution in check ---------------------------------------------------------------------


def test_an_image_without_alt_text_in_a_body_stops_the_build(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, "![](/assets/images/privacy.svg)")
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, '/assets/images/privacy.svg')}: img-alt: the image has an empty "
        "alt but is not marked decorative",
    )


def test_check_names_the_program_file_and_line_for_an_image_in_its_body(example_site, build_cli):
    """An image in the program body, on a page that has a local text, is the program's; a
    clinic's missing data is the location's YAML. GitHub annotations carry those lines."""
    text = add_to_body(
        example_site, IOP, '<img src="/assets/images/privacy.svg" alt="A door" width="80">'
    )
    run = build_cli(example_site, "--check", "--format", "github")
    assert run.code == 0, run.err
    annotation = next(
        line
        for line in run.out.splitlines()
        if "img-dimensions" in line and "beverly-hills/intensive-outpatient" in line
    )
    assert f"file={IOP},line={line_of(text, '<img src=')}," in annotation
    clinic = next(line for line in run.out.splitlines() if "clinic-recommended" in line)
    assert "file=content/locations/" in clinic and ".yaml," in clinic


def test_a_refused_build_then_fixed_writes_the_same_site_as_before(example_site, build_cli):
    before = built_once(example_site, build_cli)
    original = (example_site / IOP).read_text()
    stamp = os.stat(example_site / IOP).st_mtime  # the sitemap's lastmod: the file's date
    add_to_body(example_site, IOP, "Visit [our clinic](/los-angles/).")
    assert build_cli(example_site).code == 1
    (example_site / IOP).write_text(original)
    os.utime(example_site / IOP, (stamp, stamp))
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert snapshot(example_site / "public") == before


def test_an_address_made_with_a_variable_is_checked_on_each_page(example_site, build_cli):
    """The address is known only per page: each location's page is checked with its own."""
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, "See [{{ city }}](/{{ city | lower }}-team/).")
    run = assert_refused(example_site, build_cli, before, "/beverly hills-team/")
    assert "/los angeles-team/" in run.err
    assert f"error: {IOP}:{line_of(text, '-team/')}:" in run.err


def test_footnotes_of_a_faq_answer_and_of_the_body_get_ids_of_their_own(example_site, build_cli):
    """Texts converted apart: the answer's notes live in its namespace (faq1:fn:1), so both
    notes' links lead to their own note, on the location pages and on the hub."""
    edit(
        example_site,
        IOP,
        "hours of treatment a day on several days of the week.",
        "hours of treatment a day on several days of the week.[^1]\n\n      [^1]: As a rule.",
    )
    add_to_body(example_site, IOP, "A note.[^1]\n\n[^1]: The body's note.")
    run = build_cli(example_site)
    assert run.code == 0, run.err
    for page in (
        "beverly-hills/intensive-outpatient-program",
        "programs/intensive-outpatient-program",
    ):
        root = parse((example_site / "public" / page / "index.html").read_bytes())
        found = ids(root)
        assert len(found) == len(set(found)), page
        assert "faq1:fn:1" in found
        links = {a.get("href") for a in root.iter("a")}
        assert "#faq1:fn:1" in links
    body_page = example_site / "public/beverly-hills/intensive-outpatient-program/index.html"
    assert 'id="fn:1"' in body_page.read_text()


def test_a_failed_build_prints_its_warnings_too(example_site, build_cli):
    """Fixing the errors should not reveal warnings only then: both are in one report."""
    before = built_once(example_site, build_cli)
    add_to_body(example_site, IOP, "See [insurance](/insurance) and [us](/los-angles/).")
    run = assert_refused(example_site, build_cli, before, "error: ", "broken-link")
    assert "warning: " in run.err and "redirect-link: /insurance redirects" in run.err
    json_run = build_cli(example_site, "--json")
    report = json.loads(json_run.out)
    assert report["ok"] is False
    assert [w["message"].split(":")[0] for w in report["warnings"]] == ["redirect-link"]
    assert not any("img-dimensions" in e["message"] for e in report["errors"])


def test_a_body_link_to_a_draft_says_the_page_is_a_draft(example_site, build_cli):
    before = built_once(example_site, build_cli)
    edit(example_site, "content/pages/locations.md", "---\ntitle:", "---\ndraft: true\ntitle:")
    nav = (example_site / "site.yaml").read_text()
    if "/locations/" in nav:  # the navigation's own error is not what this test is about
        edit(example_site, "site.yaml", "/locations/", "/programs/#all")
    text = add_to_body(example_site, IOP, "See [where we are](/locations/).")
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, '/locations/)')}: broken-link: <a> points at /locations/",
        "hint: that page is a draft (content/pages/locations.md has draft: true): publish it",
    )


# --- from the review: what an editor (or a hostile pull request) can write ------------------


def test_an_address_that_is_no_address_is_an_error_not_a_traceback(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, "A [bad](http://[oops/) link.")
    run = assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, 'http://[oops/')}: <a> points at 'http://[oops/', "
        "which is no address",
    )
    assert "Traceback" not in run.err


def test_check_reads_a_folder_with_such_an_address(tmp_path, capsys):
    from sitegen.cli import main

    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><h1>x</h1><a href="http://[oops/">bad</a></body></html>'
    )
    assert main(["check", str(tmp_path), "--site-url", "https://www.example.com"]) == 1
    assert "which is no address" in capsys.readouterr().out


def test_an_address_with_letters_beyond_ascii_or_percent_escapes_leads_to_its_file(
    example_site, build_cli
):
    images = example_site / "assets/images"
    (images / "café.svg").write_bytes((images / "privacy.svg").read_bytes())
    add_to_body(
        example_site,
        IOP,
        "![A café](/assets/images/café.svg) ![Again](/assets/images/caf%C3%A9.svg) "
        "[Plans](/insur%61nce/)",
    )
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert "warning" not in run.err
    text = add_to_body(example_site, IOP, "![Missing](/assets/images/thé.svg)")
    run = build_cli(example_site)
    assert run.code == 1
    assert f"{where(text, '/assets/images/thé.svg')}: broken-link: <img> points at " in run.err
    assert "/assets/images/thé.svg, which is not in the build" in run.err


def test_a_faq_answer_s_link_to_an_id_is_checked_on_every_page_that_shows_it(
    example_site, build_cli
):
    """The answer is rendered once for the hub and each location's page; the body's heading
    it links to is on the location pages only."""
    before = built_once(example_site, build_cli)
    text = edit(
        example_site,
        IOP,
        "hours of treatment a day on several days of the week.",
        "hours of treatment a day on several days of the week. See [above](#what-is-iop).",
    )
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {IOP}:{line_of(text, '(#what-is-iop)')}: broken-fragment: #what-is-iop is not "
        "an id on the page",
    )


def test_ids_written_by_hand_in_any_form_count_and_code_does_not(example_site, build_cli):
    built_once(example_site, build_cli)
    add_to_body(
        example_site,
        IOP,
        "<span id='anchor1'>A</span> <p ID=\"anchor2\">B</p> [one](#anchor1) [two](#anchor2)\n\n"
        'Code: `<p id="contact">` and <!-- <h1>old heading</h1> -->',
    )
    run = build_cli(example_site)
    assert run.code == 0, run.err
    before = snapshot(example_site / "public")
    text = add_to_body(example_site, IOP, "<p id='contact'>Twice</p>")
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {IOP}:{line_of(text, 'Twice')}:",
        'duplicate-id: id="contact" is on more than one element',
    )


def test_each_of_several_findings_is_at_its_own_place(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(
        example_site,
        IOP,
        "See [insurance](/insurance/) for plans.\n\n"
        "Also [insurance again](/insurance) and [one](/nope/) and [two](/nope/).\n\n"
        'Made with a tag: [v](/{{ "los-angles" }}/).',
    )
    run = assert_refused(example_site, build_cli, before, "broken-link")
    line = line_of(text, "insurance again")
    row = text.split("\n")[line - 1]
    assert f"{IOP}:{line}:{row.index('(/insurance)') + 2}: redirect-link" in run.err
    first, second = (i + 2 for i, c in enumerate(row) if row.startswith("(/nope/)", i))
    assert f"{IOP}:{line}:{first}: broken-link: <a> points at /nope/" in run.err
    assert f"{IOP}:{line}:{second}: broken-link: <a> points at /nope/" in run.err
    assert (
        f"{IOP}:{line_of(text, 'Made with a tag')}: broken-link: <a> points at /los-angles/"
        in run.err
    )


def test_structured_data_an_editor_writes_must_parse(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(
        example_site,
        IOP,
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": oops'
        "</script>",
    )
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {IOP}:{line_of(text, 'ld+json')}:",
        "jsonld-invalid: JSON-LD does not parse",
    )


def test_srcset_and_posters_are_addresses_too(example_site, build_cli):
    before = built_once(example_site, build_cli)
    add_to_body(
        example_site,
        IOP,
        '<img src="/assets/images/privacy.svg" alt="A door" width="80" height="80" '
        'srcset="/assets/images/missing-2x.svg 2x">',
    )
    assert_refused(
        example_site,
        build_cli,
        before,
        "broken-link: <img> points at /assets/images/missing-2x.svg",
    )


def test_a_relative_link_is_answered_with_the_address_to_write(example_site, build_cli):
    before = built_once(example_site, build_cli)
    add_to_body(example_site, IOP, "[Plans](../insurance/) and [call](tel:+13234578208;ext=2).")
    run = assert_refused(example_site, build_cli, before, "hint: write /insurance/")
    assert "tel-invalid" not in run.err  # an extension is part of a tel: address (RFC 3966)


@pytest.mark.parametrize(
    ("link", "hint"),
    [
        (
            "www.example.com",
            "hint: write the whole address of another site: https://www.example.com",
        ),
        (
            "example.org/about",
            "hint: write the whole address of another site: https://example.org/about",
        ),
        ("brochure.pdf", "hint: write the address from the site's root"),  # a file, not a site
    ],
)
def test_a_link_to_another_site_without_https_is_told_to_add_it(
    example_site, build_cli, link, hint
):
    """[web](www.example.com) is a relative link to a page of ours; its hint named our
    site's root, when the fix is https://."""
    before = built_once(example_site, build_cli)
    add_to_body(example_site, IOP, f"See [the site]({link}).")
    assert_refused(example_site, build_cli, before, hint)


def test_build_check_in_github_format_annotates_the_build_s_own_errors(example_site, build_cli):
    built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, "See [our plans](/insuranse/) today.")
    run = build_cli(example_site, "--check", "--format", "github")
    assert run.code == 1
    line, column = line_of(text, "/insuranse/"), column_of(text, "/insuranse/")
    assert (
        f"::error file={IOP},line={line},col={column},title=broken-link::"
        "broken-link: <a> points at /insuranse/" in run.out
    )


# --- from the second review ---------------------------------------------------------------


def test_links_to_the_top_of_the_page_need_no_id(example_site, build_cli):
    add_to_body(example_site, IOP, "[Back to top](#) or [to the top](#top).")
    run = build_cli(example_site)
    assert run.code == 0, run.err


def test_the_trailing_slash_goes_before_a_query_or_fragment_in_the_hint(example_site, build_cli):
    add_to_body(
        example_site, IOP, "See [plans](/insurance#plans-we-work-with) and [x](/contact?from=iop)."
    )
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert "hint: write /insurance/#plans-we-work-with" in run.err
    assert "hint: write /contact/?from=iop" in run.err


def test_an_address_written_with_an_escaped_ampersand_is_found_at_its_line(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, 'Compare <a href="/nope?plan=1&amp;tab=2">plans</a>.')
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, '/nope?plan=1&amp;tab=2')}: broken-link: <a> points at /nope",
    )


def test_a_heading_s_id_avoids_an_id_written_by_hand_in_the_same_text(example_site, build_cli):
    page = example_site / "content/pages/contact.md"
    page.write_text(page.read_text() + "\n## Talk to us {: #contact-2 }\n\n## Contact\n\nText.\n")
    run = build_cli(example_site)
    assert run.code == 0, run.err
    found = ids(parse((example_site / "public/contact/index.html").read_bytes()))
    assert len(found) == len(set(found)) and "contact-2" in found


def test_every_one_of_many_findings_in_a_text_is_reported(example_site, build_cli):
    """More than the thousand a search once stopped at, each at its own line."""
    page = example_site / "content/pages/insurance.md"
    page.write_text(page.read_text() + "".join(f"\n[Item {i}](/gone/)\n" for i in range(1200)))
    run = build_cli(example_site)
    assert run.code == 1
    assert run.err.count("broken-link: <a> points at /gone/") == 1200


def test_structured_data_an_editor_writes_twice_is_the_editor_s_to_fix(example_site, build_cli):
    before = built_once(example_site, build_cli)
    block = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "Thing", "name": "x"}</script>'
    )
    text = add_to_body(example_site, IOP, f"{block}\n\n{block}")
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {IOP}:{line_of(text, 'ld+json')}:",
        "jsonld-repeated: the same Thing JSON-LD block is on the page twice",
        "hint: write the block once on the page",
    )


def test_dot_segments_and_scheme_relative_addresses_are_resolved_as_a_browser_does(
    example_site, build_cli
):
    add_to_body(example_site, IOP, "[a](/./insurance/) [b](/programs/../insurance/)")
    run = build_cli(example_site)
    assert run.code == 0, run.err
    before = snapshot(example_site / "public")
    text = add_to_body(example_site, IOP, "[c](//www.example.com/nope/)")
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, '//www.example.com/nope/')}: broken-link: <a> points at /nope/",
    )


def test_an_image_without_an_address_is_an_error(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, IOP, '<img src="" alt="Nothing" width="1" height="1">')
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {where(text, '<img')}: broken-link: the image has no src",
    )
