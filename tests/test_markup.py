"""sitegen.markup: Markdown once per text, variables per page, checks with lines."""

from __future__ import annotations

import markdown
import pytest

from sitegen.errors import SiteError, SourceRef
from sitegen.model.records import ContentText
from sitegen.text.markup import ContentRenderer, fill_components

NAMES = {"city", "state", "phone", "component"}
COMPONENTS = {"banner", "benefits"}


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
    pages = [renderer.markdown(body, {"city": city}).html for city in ("A", "B", "C")]
    assert len(calls) == 1
    assert pages[1] == '<h2 id="about-b">About B</h2>\n<p>Welcome to <strong>B</strong>.</p>'
    plain = text("## About {{ city }}\n\nWelcome to {{ city }}.")  # no Markdown syntax:
    pages = [renderer.markdown(plain, {"city": city}).html for city in ("A", "B")]
    assert len(calls) == 1  # the fast path, which gives the same HTML
    assert pages[1] == '<h2 id="about-b">About B</h2>\n<p>Welcome to B.</p>'


def test_expressions_beyond_plain_variables_run_in_jinja():
    assert (
        html_of(
            "{{ city | upper }} {% if state %}({{ state }}){% endif %}", city="Reno", state="NV"
        )
        == "<p>RENO (NV)</p>"
    )


def test_literal_braces_can_be_written():
    assert html_of("Use {{ '{{' }} city }}.") == "<p>Use {{ city }}.</p>"


def test_heading_ids_are_unique_and_follow_the_filled_text():
    html = html_of("## Fees\n\n## Fees\n\n## Fees in {{ city }}", city="Los Angeles")
    assert '<h2 id="fees">' in html and '<h2 id="fees-2">' in html
    assert '<h2 id="fees-in-los-angeles">Fees in Los Angeles</h2>' in html


def test_a_component_alone_on_its_line_replaces_the_whole_paragraph():
    rendered = ContentRenderer(COMPONENTS).markdown(
        text("Intro.\n\n{{ component('banner') }}\n"), {}
    )
    html = fill_components(
        rendered.html, rendered.components, lambda name: f"<aside>{name}</aside>"
    )
    assert html == "<p>Intro.</p>\n<aside>banner</aside>"


@pytest.mark.parametrize(
    ("body", "line", "message", "hint"),
    [
        ("Hi.\n\nWelcome to {{ citty }}.", 7, "unknown variable 'citty'", "did you mean 'city'?"),
        ("{{ component('banners') }}", 5, "unknown component 'banners'", "did you mean 'banner'?"),
        ("A\n{{ city | nope }}", 6, "No filter named 'nope'", None),
        ("A\nB\n{% if city %}", 7, "", None),
    ],
)
def test_problems_are_found_before_rendering_at_the_content_line(body, line, message, hint):
    errors = ContentRenderer(COMPONENTS).check(text(body), NAMES)
    assert len(errors) == 1
    assert errors[0].source == SourceRef("content/programs/iop.md", line)
    assert message in errors[0].message
    if hint:
        assert errors[0].hint == hint


def test_a_runtime_error_points_at_the_line_of_the_tag():
    body = text("Line one.\n\nLine three {{ city.nope }}.\n")
    with pytest.raises(SiteError) as info:
        ContentRenderer(COMPONENTS).markdown(body, {"city": "Reno"})
    assert info.value.source == SourceRef("content/programs/iop.md", 7)


def test_content_runs_in_a_sandbox():
    body = text("{{ city.__class__.__mro__ }}")
    with pytest.raises(SiteError) as info:
        ContentRenderer(COMPONENTS).markdown(body, {"city": "Reno"})
    assert "not allowed" in info.value.message or "unknown variable" in info.value.message


def test_plain_text_fields_are_not_escaped_or_converted():
    renderer = ContentRenderer(COMPONENTS)
    description = text("Care in {{ city }} & *near* you")
    assert renderer.text(description, {"city": "A&B"}) == "Care in A&B & *near* you"
