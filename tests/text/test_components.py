"""sitegen.text.components: placeholders where content calls a component, the rendered
components put in their place, and the end of a body's introduction."""

from __future__ import annotations

import pytest

from sitegen.errors import SourceRef
from sitegen.model.records import ContentText
from sitegen.text.components import ComponentCalls, fill_components, split_intro
from sitegen.text.renderer import ContentRenderer
from sitegen.text.template import ContentProblem

COMPONENTS = {"banner", "benefits"}


def text(body: str, line: int = 5) -> ContentText:
    return ContentText(body, SourceRef("content/programs/iop.md", line))


def filled(body: str) -> str:
    rendered = ContentRenderer(COMPONENTS).markdown(text(body), {})
    return fill_components(
        rendered.html, rendered.components, lambda name: f"<aside>{name}</aside>"
    )


def test_a_component_alone_on_its_line_replaces_the_whole_paragraph():
    assert filled("Intro.\n\n{{ component('banner') }}\n") == "<p>Intro.</p>\n<aside>banner</aside>"


def test_a_component_in_a_sentence_stays_in_its_paragraph():
    assert (
        filled("See {{ component('benefits') }} here.")
        == "<p>See <aside>benefits</aside> here.</p>"
    )


def test_each_call_gets_its_own_placeholder_in_order():
    component = ComponentCalls(COMPONENTS)
    tokens = [component("banner"), component("benefits"), component("banner")]
    assert len(set(tokens)) == 3
    assert [(c.token, c.name) for c in component.calls] == list(
        zip(tokens, ["banner", "benefits", "banner"], strict=True)
    )
    html = fill_components(f"<p>{tokens[0]}</p>\n{tokens[2]}", component.calls, str.upper)
    assert html == "BANNER\nBANNER"


def test_an_unknown_component_is_a_content_problem_with_a_suggestion():
    with pytest.raises(ContentProblem) as info:
        ComponentCalls(COMPONENTS)("banners")
    assert (str(info.value), info.value.hint) == (
        "unknown component 'banners'",
        "did you mean 'banner'?",
    )


@pytest.mark.parametrize(
    ("html", "intro", "rest"),
    [
        ("<p>A</p>\n<h2>B</h2>\n<p>C</p>", "<p>A</p>", "<h2>B</h2>\n<p>C</p>"),
        ('<p>A</p>\n<h2 id="b">B</h2>', "<p>A</p>", '<h2 id="b">B</h2>'),
        ("<p>A</p>\n<h3>B</h3>", "<p>A</p>\n<h3>B</h3>", ""),
        ("<h2>B</h2>", "", "<h2>B</h2>"),
    ],
)
def test_the_introduction_ends_at_the_first_h2(html: str, intro: str, rest: str):
    assert split_intro(html) == (intro, rest)
