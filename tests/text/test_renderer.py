"""sitegen.text.renderer: Markdown once per text, variables per page, checks with lines."""

from __future__ import annotations

import markdown

from sitegen.errors import SourceRef
from sitegen.model.records import ContentText
from sitegen.text.renderer import ContentRenderer

NAMES = {"city", "state", "phone", "component"}
COMPONENTS = {"banner", "benefits"}
PROGRAM = "content/programs/day-program.md"


def text(body: str, line: int = 5) -> ContentText:
    return ContentText(body, SourceRef("content/programs/iop.md", line))


def html_of(body: str, **variables: object) -> str:
    return ContentRenderer(COMPONENTS).markdown(text(body), variables).html


def test_variables_are_filled_after_markdown_and_escaped():
    html = html_of("In {{ city }}, *today*.", city="<b>Springfield</b>")
    assert html == "<p>In &lt;b&gt;Springfield&lt;/b&gt;, <em>today</em>.</p>"


def test_a_value_is_never_read_as_markdown():
    assert html_of("Hello {{ city }}", city="*Star*") == "<p>Hello *Star*</p>"


def test_each_text_is_converted_once_for_many_pages(monkeypatch):
    calls = []
    real = markdown.Markdown.convert
    monkeypatch.setattr(
        markdown.Markdown, "convert", lambda self, source: calls.append(1) or real(self, source)
    )
    renderer = ContentRenderer(COMPONENTS)
    body = text("## About {{ city }}\n\nWelcome to **{{ city }}**.")
    renderer.prepare(body)  # as before worker processes are forked
    pages = [renderer.markdown(body, {"city": city}).html for city in ("A", "B", "C")]
    assert len(calls) == 1
    assert pages[1] == '<h2 id="about-b">About B</h2>\n<p>Welcome to <strong>B</strong>.</p>'
    plain = text("## About {{ city }}\n\nWelcome to {{ city }}.")  # no Markdown syntax:
    pages = [renderer.markdown(plain, {"city": city}).html for city in ("A", "B")]
    assert len(calls) == 1  # the fast path, which gives the same HTML
    assert pages[1] == '<h2 id="about-b">About B</h2>\n<p>Welcome to B.</p>'


def test_a_renderer_kept_across_builds_forgets_the_texts_the_site_no_longer_has(monkeypatch):
    """The dev server and the resident build process keep one renderer: what it converted
    of a text deleted or changed since is let go (keep_only), what it has of the others is
    kept (not converted again)."""
    calls = []
    real = markdown.Markdown.convert
    monkeypatch.setattr(
        markdown.Markdown,
        "convert",
        lambda self, source: calls.append(source) or real(self, source),
    )
    renderer = ContentRenderer(COMPONENTS)
    kept, gone = text("Kept *text*."), text("Old *text*, since edited.")
    for body in (kept, gone):
        renderer.prepare(body)
        assert renderer.check(body, NAMES) == [] and renderer.outline(body) == []
    assert len(calls) == 2
    renderer.keep_only({kept})
    renderer.prepare(kept)
    assert renderer.outline(kept) == [] and len(calls) == 2  # kept: not converted again
    renderer.prepare(gone)
    assert len(calls) == 3  # forgotten: converted again when it comes back
    for index in range(50):  # a long session of edits holds one version, not fifty
        edited = text(f"Version {index} of the *text*.")
        renderer.outline(edited)
        renderer.keep_only({kept, edited})
    renderer.keep_only({kept})
    assert renderer.markdown(kept, {}).html == "<p>Kept <em>text</em>.</p>"
    renderer.prepare(text("Version 49 of the *text*."))
    assert calls[-1] == "Version 49 of the *text*."  # converted again: it had been let go


def test_heading_ids_are_unique_and_follow_the_filled_text():
    html = html_of("## Fees\n\n## Fees\n\n## Fees in {{ city }}", city="Los Angeles")
    assert '<h2 id="fees">' in html and '<h2 id="fees-2">' in html
    assert '<h2 id="fees-in-los-angeles">Fees in Los Angeles</h2>' in html


def test_the_renderers_image_rewriter_gets_each_converted_text_once():
    seen: list[str] = []

    def images(html: str) -> str:
        seen.append(html)
        return html.replace("<img ", '<img loading="lazy" ')

    renderer = ContentRenderer(COMPONENTS, images)
    body = text("![A]({{ city }}.svg) ![B](/assets/a.svg)")
    assert renderer.markdown(body, {"city": "x"}).html == (
        '<p><img loading="lazy" alt="A" src="x.svg">'
        ' <img loading="lazy" alt="B" src="/assets/a.svg"></p>'
    )
    renderer.markdown(body, {"city": "y"})
    assert len(seen) == 1  # converted once, filled in per page


def test_plain_text_fields_are_not_escaped_or_converted():
    renderer = ContentRenderer(COMPONENTS)
    description = text("Care in {{ city }} & *near* you")
    assert renderer.text(description, {"city": "A&B"}) == "Care in A&B & *near* you"


def test_a_check_is_done_once_per_text_and_names():
    renderer = ContentRenderer(COMPONENTS)
    body = text("Welcome to {{ citty }}.")
    first = renderer.check(body, frozenset(NAMES))
    assert [e.message for e in first] == ["unknown variable 'citty'"]
    assert renderer.check(body, set(NAMES)) is first
    assert renderer.check(body, {"citty"}) == []


def test_every_text_of_a_site_is_checked_with_the_names_its_kind_may_use(minimal_site, build_cli):
    """content_text_errors: a FAQ answer shows on the program's hub page too, so it may not
    use location variables; the program's body may."""
    path = minimal_site / PROGRAM
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace('answer: "Call {{ phone }}."', 'answer: "In {{ city }}."'))
    run = build_cli(minimal_site)
    assert run.code != 0
    assert f"{PROGRAM}:9: 'city' cannot be used in this text: it is a location's" in run.err
    assert run.err.count("cannot be used in this text") == 1
