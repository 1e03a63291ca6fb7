"""Front-matter blocks that no page shows (faq, benefits, quote, banner set, but neither the
program's body places their component nor the layout shows them) are a warning at the
field's line."""

from __future__ import annotations

from pathlib import Path

PROGRAM = "content/programs/day-program.md"
LOCAL = "content/locations/springfield/day-program.md"


def _edit(site: Path, name: str, old: str, new: str) -> None:
    path = site / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_banner_the_body_does_not_place_is_a_warning_at_its_line(minimal_site, build_cli):
    _edit(minimal_site, PROGRAM, '{{ component("banner") }}', "")
    run = build_cli(minimal_site)
    assert run.code == 0
    assert (
        f"warning: {PROGRAM}:7:1: 'banner' is set, but the body of {PROGRAM} never places it"
        in run.err
    )
    assert 'hint: add {{ component("banner") }} to that body' in run.err
    assert "1 warning" in run.out


def test_a_block_the_layout_shows_itself_is_no_warning(minimal_site, build_cli):
    """The fixture's program-location layout loops over program.faq; its body never places
    the faq component, and that is fine."""
    run = build_cli(minimal_site)
    assert run.code == 0 and "0 warnings" in run.out


def test_a_block_shown_through_an_included_partial_is_no_warning(minimal_site, build_cli):
    _edit(minimal_site, PROGRAM, '{{ component("banner") }}', "")
    (minimal_site / "layouts/partials").mkdir(exist_ok=True)
    (minimal_site / "layouts/partials/banner.html").write_text("<p>{{ program.banner }}</p>\n")
    _edit(
        minimal_site,
        "layouts/program-location.html",
        "{% endblock %}",
        '{% include "partials/banner.html" %}\n{% endblock %}',
    )
    run = build_cli(minimal_site)
    assert run.code == 0 and "0 warnings" in run.out, run.err


def test_a_local_texts_banner_the_program_does_not_place_is_a_warning(minimal_site, build_cli):
    _edit(minimal_site, PROGRAM, '{{ component("banner") }}', "")
    _edit(minimal_site, PROGRAM, "banner: Days in {{ city }}\n", "")
    _edit(minimal_site, LOCAL, "---\ndescription", "---\nbanner: Only here\ndescription")
    run = build_cli(minimal_site)
    assert run.code == 0
    assert f"warning: {LOCAL}:2:1: 'banner' is set, but the body of {PROGRAM}" in run.err
