"""sitegen.text.names: unknown variables and components found before rendering, at the
content file's line, with a suggestion."""

from __future__ import annotations

import pytest

from sitegen.errors import SourceRef
from sitegen.model.records import ContentText
from sitegen.text.names import single_brace_names, suggest, unknown_names
from sitegen.text.renderer import ContentRenderer
from sitegen.text.template import sandbox

NAMES = {"city", "state", "phone", "component"}
COMPONENTS = {"banner", "benefits"}
FILE = "content/programs/iop.md"


def text(body: str, line: int = 5) -> ContentText:
    return ContentText(body, SourceRef(FILE, line))


def problems(body: str, names: set[str] = NAMES) -> list[tuple[int | None, str, str | None]]:
    errors = unknown_names(sandbox(autoescape=False), text(body), frozenset(names), COMPONENTS)
    return [(e.source.line if e.source else None, e.message, e.hint) for e in errors]


@pytest.mark.parametrize(
    ("body", "line", "message", "hint"),
    [
        ("Hi.\n\nWelcome to {{ citty }}.", 7, "unknown variable 'citty'", "did you mean 'city'?"),
        ("{{ component('banners') }}", 5, "unknown component 'banners'", "did you mean 'banner'?"),
        ("A\n{{ city | nope }}", 6, "content has no filter 'nope'", None),
        ("A\nB\n{% if city %}", 7, "", None),
    ],
)
def test_problems_are_found_before_rendering_at_the_content_line(body, line, message, hint):
    errors = ContentRenderer(COMPONENTS).check(text(body), NAMES)
    assert len(errors) == 1
    assert errors[0].source is not None
    assert (errors[0].source.path, errors[0].source.line) == (FILE, line)
    assert message in errors[0].message
    if hint:
        assert errors[0].hint == hint


def test_simple_tags_and_jinja_s_syntax_tree_give_the_same_problems():
    """A text of simple tags is checked without Jinja's parser; one more tag that needs the
    parser must not change what is found."""
    body = "Hi {{ citty }}.\n\n{{ component('banners') }}\n"
    assert (
        problems(body)
        == problems(body + "{{ city | upper }}\n")
        == [
            (5, "unknown variable 'citty'", "did you mean 'city'?"),
            (7, "unknown component 'banners'", "did you mean 'banner'?"),
        ]
    )


def test_set_and_loops_are_refused_before_their_names_are_looked_at():
    """The content language has no `{% set %}` nor loops (language.py), so a name they would
    set is never asked about."""
    body = "{% set n = 3 %}{{ n }}\n{% for item in [city, state] %}{{ item }}{% endfor %}"
    found = unknown_names(sandbox(autoescape=False), text(body), frozenset(NAMES), COMPONENTS)
    assert [(e.source, e.message) for e in found] == [
        (SourceRef(FILE, 5), "{% set %} is not allowed in content"),
        (SourceRef(FILE, 6), "a loop ({% for %}) is not allowed in content"),
    ]


def test_a_component_where_components_may_not_be_placed_says_where_they_may_be():
    found = problems("A\n\n{{ component('banner') }}", {"city", "phone"})
    assert found == [
        (
            7,
            "'component' cannot be used in this text: components are placed in bodies of "
            "programs, local texts and pages only",
            "write the words themselves, or use one of: city, phone",
        )
    ]


@pytest.mark.parametrize(
    ("name", "kind"), [("city", "a location's"), ("short_name", "a program's")]
)
@pytest.mark.parametrize("written", ["In {{ %s }}.", "In {{ %s | upper }}."])  # both checks
def test_a_variable_of_another_kind_of_text_is_said_to_be_one(name, kind, written):
    """`{{ city }}` in a FAQ answer, `{{ short_name }}` in a location's about: real
    variables, not available in that text; said so, instead of 'unknown variable'."""
    found = problems(written % name, {"phone", "site_name"})
    assert len(found) == 1
    assert found[0][1].startswith(f"'{name}' cannot be used in this text: it is {kind}")
    assert found[0][2] == "write the words themselves, or use one of: phone, site_name"


def test_a_tag_left_open_is_reported_at_the_line_it_opens():
    found = problems("Call {{ phone }}.\n\nIn {{ city\n\nMore text.\n")
    assert found == [
        (
            7,
            "a {{ or {% tag opened on this line is not closed",
            "close it with }} or %}, e.g. {{ city }}",
        )
    ]


def test_words_outside_tags_are_not_names():
    assert problems("No tags: city and component are words here.", set()) == []


@pytest.mark.parametrize(
    ("word", "hint"),
    [
        ("citty", "did you mean 'city'?"),
        ("zip", "available variables: city, phone, state"),
    ],
)
def test_a_suggestion_is_a_close_name_or_the_list(word: str, hint: str):
    assert suggest(word, {"state", "city", "phone"}, "variables") == hint


@pytest.mark.parametrize("name", ["city", "short_name", "phone", "location_name"])
def test_a_variable_in_single_braces_is_an_error_at_its_line(name: str):
    text = ContentText(f"Intro.\n\n## Our team in {{{name}}}\n", SourceRef("p.md", 5))
    [error] = single_brace_names(text)
    assert error.source == SourceRef("p.md", 7)
    assert error.message.startswith(f"'{{{name}}}' would be shown as written")
    assert error.hint == f"write {{{{ {name} }}}}"


def test_other_braces_and_real_tags_are_not_single_brace_variables():
    text = ContentText("{notes} {{ city }} {% if city %}x{% endif %} {#id}", SourceRef("p.md"))
    assert single_brace_names(text) == []


def test_single_braces_in_code_are_not_variables():
    text = ContentText("Use `{city}` here.\n\n```\n{city}\n```\n<!-- {city} -->\n", SourceRef("p"))
    assert single_brace_names(text) == []


@pytest.mark.parametrize(
    "body",
    [
        "{{ citty }} " * 5000,
        "{{ citty | upper }} " * 1000,
        "{city} " * 5000,
        "{% for x in y %}{% endfor %}" * 1000,
    ],
)
def test_a_text_full_of_mistakes_reports_twenty_of_them(body):
    """Placing and suggesting for each costs a pass over the text: a text made of ten
    thousand mistakes must not take minutes to report."""
    errors = ContentRenderer(COMPONENTS).check(text(body), NAMES)
    assert len(errors) == 20


def test_a_text_that_needs_jinja_has_at_most_two_thousand_tags():
    """Jinja spends about a millisecond a tag compiling; plain variables have no limit."""
    assert ContentRenderer(COMPONENTS).check(text("{{ city }} " * 20_000), NAMES) == []
    errors = ContentRenderer(COMPONENTS).check(text("{{ city | upper }} " * 2001), NAMES)
    assert [(e.source, e.message) for e in errors] == [
        (
            SourceRef(FILE, 5),
            "this text has 2,001 tags and a condition or filter among them; such a text may "
            "have at most 2,000",
        )
    ]


def test_with_no_choices_the_hint_says_there_are_none():
    """With layouts/ moved away the hint was "available components: " and nothing."""
    assert (
        suggest("faq", [], "components") == "there are no components (layouts/components/ has none)"
    )
    assert suggest("x", [], "variables") == "there are no variables"
    assert suggest("faqs", ["faq", "quote"], "components") == "did you mean 'faq'?"
    assert suggest("zzz", ["faq", "quote"], "components") == "available components: faq, quote"
