"""sitegen.text.template: the content template language, run in Jinja's sandbox, with errors
at the content file's line."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jinja2 import TemplateSyntaxError

from sitegen.errors import SiteError, SourceRef
from sitegen.model.records import ContentText
from sitegen.text.renderer import ContentRenderer
from sitegen.text.template import SimpleText, compile_text, run, sandbox

COMPONENTS = {"banner", "benefits"}
FILE = "content/programs/iop.md"


def text(body: str, line: int = 5) -> ContentText:
    return ContentText(body, SourceRef(FILE, line))


def html_of(body: str, **variables: object) -> str:
    return ContentRenderer(COMPONENTS).markdown(text(body), variables).html


def markdown_error(body: str, **variables: object) -> SiteError:
    with pytest.raises(SiteError) as info:
        ContentRenderer(COMPONENTS).markdown(text(body), variables)
    return info.value


def test_expressions_beyond_plain_variables_run_in_jinja():
    assert (
        html_of(
            "{{ city | upper }} {% if state %}({{ state }}){% endif %}", city="Reno", state="NV"
        )
        == "<p>RENO (NV)</p>"
    )


def test_literal_braces_can_be_written():
    assert html_of("Use {{ '{{' }} city }}.") == "<p>Use {{ city }}.</p>"


def test_a_part_of_a_variable_is_refused_at_the_line_of_the_tag():
    error = markdown_error("Line one.\n\nLine three {{ city.nope }}.\n", city="Reno")
    assert error.source == SourceRef(FILE, 7, 12)  # the tag's column: a body's
    assert error.message == "a part of a value ('.name' or '[...]') is not allowed in content"
    assert error.hint == (
        "content variables are plain values: write {{ phone }}, not {{ phone.number }}"
    )


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Intro.\n\n{% if city %}\n\nShare: {{ nope | upper }}.\n\n{% endif %}\n\nEnd.\n", 9),
        ("Intro.\n\n{% if city %}\n- {{ nope | upper }}\n{% endif %}\n", 8),
        ("{% if city %}\n* {{ nope | upper }}\n{% endif %}", 6),
    ],
)
def test_a_runtime_error_in_a_condition_of_a_markdown_body_is_at_its_content_line(body, line):
    """Markdown moves the tags about; the line marks it leaves say where they were."""
    error = markdown_error(body, city="Reno")
    column = body.split("\n")[line - 5].index("{{") + 1  # the body starts at line 5
    assert error.source == SourceRef(FILE, line, column if line > 5 else None)
    assert error.message == "unknown variable: 'nope' is undefined"


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        ("Intro.\n\n{% for n in [1, 2] %}\n\nItem {{ n }}.\n\n{% endfor %}\n", 7, 1,
         "a loop ({% for %}) is not allowed in content"),
        ("A\n\nB {{ 'x' * 10**10 }}", 7, 3, "arithmetic ('*') is not allowed in content"),
    ],
)  # fmt: skip
def test_a_construct_outside_the_content_language_is_refused_when_compiled(
    body, line, column, message
):
    """The check before rendering reports these first (names.py); compiling refuses them
    too, so that no path runs them."""
    error = markdown_error(body, city="Reno")
    assert (error.source, error.message) == (SourceRef(FILE, line, column), message)


def test_a_runtime_error_in_a_plain_text_is_at_its_line():
    renderer = ContentRenderer(COMPONENTS)
    with pytest.raises(SiteError) as info:
        renderer.text(text("Care in\n{{ city.nope }}", line=3), {"city": "Reno"})
    assert info.value.source == SourceRef(FILE, 4, 1)


def test_content_runs_in_a_sandbox():
    error = markdown_error("{{ city.__class__.__mro__ }}", city="Reno")
    assert "not allowed" in error.message or "unknown variable" in error.message
    error = markdown_error("A\n\n{{ city.format.__globals__ }}", city="Reno")
    assert error.source == SourceRef(FILE, 7, 1)


def test_a_name_not_given_is_an_error_not_an_empty_string():
    """StrictUndefined; the check before rendering reports it first, with a suggestion."""
    error = markdown_error("A\n\n{{ state | upper }}", city="Reno")
    assert error.message == "unknown variable: 'state' is undefined"
    assert error.source == SourceRef(FILE, 7, 1)
    error = markdown_error("A\n\n{{ state }}", city="Reno")  # a simple text: no line known
    assert error.message == "unknown variable 'state'"
    assert error.source == SourceRef(FILE, 5)


def test_an_unknown_component_at_render_time_is_an_error_with_a_suggestion():
    error = markdown_error("A\n\n{{ component('banners') | trim }}")
    assert (error.message, error.hint) == ("unknown component 'banners'", "did you mean 'banner'?")
    assert error.source == SourceRef(FILE, 7, 1)


def test_a_tag_left_open_is_reported_where_it_opens():
    renderer = ContentRenderer(COMPONENTS)
    with pytest.raises(SiteError) as info:
        renderer.text(text("Care in {{ city\n\nnear you {{ state }}"), {})
    assert info.value.message == "a {{ or {% tag opened on this line is not closed"
    assert info.value.source == SourceRef(FILE, 5)


@pytest.mark.parametrize(
    "source",
    [
        "In {{ city }} & {{city}}, call {{ phone }}.",
        "Braces { and } and {{ '{{' }} stay.",
        "{{ component('banner') }}\n<p>{{ city }}</p>{# L3 #}{{ component(\"benefits\") }}",
        "{# L2 #}No tags at all {}.",
    ],
)
@pytest.mark.parametrize("autoescape", [True, False])
def test_a_simple_text_fills_in_exactly_what_jinja_would(source: str, autoescape: bool):
    variables: dict[str, object] = {
        "city": "<A & 'B'> {x}",
        "phone": 5551234,
        "component": lambda name: f"[{name}]",
    }
    env = sandbox(autoescape=autoescape)
    compiled = compile_text(env, text(source), source)
    jinja = env.from_string(source).render(variables)
    if "'{{'" in source:
        assert compiled.simple is None  # an expression: run by Jinja
    else:
        assert compiled.simple is not None
    assert run(compiled, text(source), variables) == jinja


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["{{ city }}", "{{phone}}", "{{ component('banner') }}", "{# L4 #}"]),
            st.sampled_from(["{", "}", "{x}", "%", "#", "<p>", "&", "\n", " ", "é"]),
            # no "\r": a source file's line ends reach texts as "\n" (load.textfiles)
            st.text(st.characters(blacklist_characters="{}\r", blacklist_categories=("Cs",))),
        ),
        max_size=12,
    ),
    st.booleans(),
)
def test_any_text_of_names_and_components_fills_in_what_jinja_would(pieces, autoescape):
    """The split text joined with its values (SimpleText.fill), against Jinja's render."""
    source = "".join(pieces)
    assume(not source.endswith("{#"))  # Jinja drops a "{#" that ends the text; we keep it
    variables: dict[str, object] = {
        "city": "<A & 'B'> {x}",
        "phone": 5551234,
        "component": lambda name: f"[{name}]",
    }
    env = sandbox(autoescape=autoescape)
    try:
        jinja = env.from_string(source).render(variables)
    except TemplateSyntaxError:
        return  # "{" and "#" side by side open a comment: not a text an editor's would be
    compiled = compile_text(env, text(source), source)
    if compiled.simple is not None:
        assert run(compiled, text(source), variables) == jinja


@pytest.mark.parametrize(
    "source", ["{{ city | upper }}", "{% if city %}x{% endif %}", "{{ city.name }}", "{{ a + b }}"]
)
def test_anything_beyond_names_and_component_calls_needs_jinja(source: str):
    assert SimpleText.parse(source) is None


@pytest.mark.parametrize("source", ["Hello {{ city }}.", "Hello {{ city | upper }}."])
def test_a_text_whose_values_could_make_it_far_longer_than_written_is_an_error(source: str):
    """Checked before filling in: the number of variables named times the longest value
    (escaped: at most 6 characters each) must stay within 10 times the source plus 1 MB."""
    renderer = ContentRenderer(COMPONENTS)
    with pytest.raises(SiteError) as info:
        renderer.text(text(source), {"city": "x" * 200_000})
    assert info.value.source == SourceRef(FILE, 5)
    assert info.value.message.startswith(
        "this text names variables 1 time, and 'city' has 200,000 characters"
    )
    assert renderer.text(text(source), {"city": "x" * 100_000}).lower().startswith("hello x")


def test_a_text_that_renders_far_longer_than_written_is_an_error():
    """The second line of defence, after the fact."""
    env = sandbox(autoescape=False)
    compiled = compile_text(env, text("{{ city }}"), "{{ city }}")
    unchecked = dataclasses.replace(compiled, references=0)
    with pytest.raises(SiteError) as info:
        run(unchecked, text("{{ city }}"), {"city": "x" * 1_100_000})
    assert info.value.message == (
        "the text makes 1,100,000 characters on a page, more than the 1,048,676 a text of its "
        "length may"
    )


@pytest.mark.parametrize(
    ("source", "name", "line"),
    [
        ("{% if a %}\n{% for x in b %}{{ x }}{% endif %}\n", "for", 2),  # the for is open
        ("{% for x in b %}\n{% if x %}{{ x }}{% endfor %}\n", "if", 2),
        ("{% if a %}\nb\n{# {% if c %} #}\n", "if", 1),  # a comment is read past
        ("{%+ if a %}\nb\n", "if", 1),
        ("{% raw %}{% if a %}{% endraw %}\n{% if b %}\n", "if", 2),
        ("{% block b %}{% if a %}x{% endblock %}\n", "if", 1),  # Jinja names the 'if'
        ("{% set x %}a\n", "set", 1),
    ],
)
def test_a_block_left_open_is_found_where_it_opens(source, name, line):
    from jinja2 import Environment, TemplateSyntaxError

    from sitegen.text.template import unclosed_block

    with pytest.raises(TemplateSyntaxError) as info:
        Environment().parse(source)
    found = unclosed_block(info.value, source)
    assert found is not None and found[0] == name
    assert source.count("\n", 0, found[1]) + 1 == line


def test_an_error_about_no_block_names_none():
    from jinja2 import Environment, TemplateSyntaxError

    from sitegen.text.template import unclosed_block

    with pytest.raises(TemplateSyntaxError) as info:
        Environment().parse("{% if a %}{{ 1 + }}{% endif %}")
    assert unclosed_block(info.value, "{% if a %}{{ 1 + }}{% endif %}") is None
