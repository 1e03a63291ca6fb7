"""sitegen.text.language: the constructs content templates may use, checked on Jinja's
syntax tree before anything runs."""

from __future__ import annotations

import pytest

from sitegen.text.language import SAFE_FILTERS, refusals
from sitegen.text.template import sandbox


def refused(source: str) -> list[tuple[int, str, str]]:
    tree = sandbox(autoescape=True).parse(source)
    return [(r.line, r.token, r.message) for r in refusals(tree)]


@pytest.mark.parametrize(
    "source",
    [
        "Plain text.",
        "{{ city }} {{ component('banner') }}",
        "{% if state == 'CA' and city != 'X' or not phone %}a"
        "{% elif city %}b{% else %}c{% endif %}",
        "{% if state in ['CA', 'NV'] %}west{% endif %}{% if phone is defined %}p{% endif %}",
        "{{ city | upper | trim }} {{ city | default('here') }} {{ city | truncate(20) }}",
        "{{ city ~ ', ' ~ state }} {{ 'yes' if phone else 'no' }} {{ '{{' }}",
        "{% raw %}{% for %}{% endraw %}",
        "{# a comment {% for x in y %} #}",
        "{{ component('banner') | trim }}",
    ],
)
def test_variables_components_and_conditions_are_the_language(source):
    assert refused(source) == []


PART = "a part of a value ('.name' or '[...]') is not allowed in content"


@pytest.mark.parametrize(
    ("source", "token", "message"),
    [
        ("{% for x in [1] %}{% endfor %}", "for", "a loop ({% for %}) is not allowed in content"),
        ("{% set n = 3 %}", "set", "{% set %} is not allowed in content"),
        ("{% set n %}x{% endset %}", "set", "{% set %} is not allowed in content"),
        ("{% macro m() %}{% endmacro %}", "macro",
         "a macro ({% macro %}) is not allowed in content"),
        ("{% call x() %}{% endcall %}", "call",
         "a call block ({% call %}) is not allowed in content"),
        ("{% include 'a.html' %}", "include", "{% include %} is not allowed in content"),
        ("{% import 'a.html' as a %}", "import", "{% import %} is not allowed in content"),
        ("{% from 'a.html' import b %}", "from", "{% from ... import %} is not allowed in content"),
        ("{% extends 'a.html' %}", "extends", "{% extends %} is not allowed in content"),
        ("{% filter upper %}x{% endfilter %}", "filter", "{% filter %} is not allowed in content"),
        ("{% with a = 1 %}{% endwith %}", "with", "{% with %} is not allowed in content"),
        ("{{ 'x' * 10 }}", "*", "arithmetic ('*') is not allowed in content"),
        ("{{ 10 ** 10 }}", "**", "arithmetic ('**') is not allowed in content"),
        ("{{ city + state }}", "+", "arithmetic ('+') is not allowed in content"),
        ("{{ -city }}", "-", "arithmetic ('-') is not allowed in content"),
        ("{{ city.upper }}", "upper", PART),
        ("{{ city[0] }}", "[", PART),
        ("{{ city[0:3] }}", "[", PART),
        ("{{ range(10) }}", "range", 'a call is not allowed in content (only component("name"))'),
        ("{{ component(city) }}", "component", "component(...) takes one name in quotes"),
        ("{{ city | center(99) }}", "center", "content has no filter 'center'"),
        ("{{ city | replace('a', 'bb') }}", "replace", "content has no filter 'replace'"),
        ("{{ city | urlencode }}", "urlencode", "content has no filter 'urlencode'"),
        ("{{ city | truncate(city | length) }}", "truncate",
         "'truncate' is given something other than plain values or variables"),
        ("{% if city is divisibleby 3 %}{% endif %}", "divisibleby",
         "content has no test 'is divisibleby'"),
        ("{{ {'a': 1} }}", "", "'Dict' is not allowed in content"),
        ("{% if city in [state] %}{% endif %}", "[",
         "a list of anything but plain values is not allowed in content"),
    ],
)  # fmt: skip
def test_everything_else_is_refused_with_what_it_is(source, token, message):
    assert refused(source) == [(1, token, message)]


def test_each_refusal_is_at_its_line_and_their_insides_are_not_searched():
    source = "A\n{% for x in y %}{{ x * 2 }}{% endfor %}\nB {{ a * 2 }}"
    assert [(line, token) for line, token, _ in refused(source)] == [(2, "for"), (3, "*")]


def test_nesting_deeper_than_the_limit_is_refused():
    shallow = "{% if a %}" * 10 + "x" + "{% endif %}" * 10
    deep = "{% if a %}" * 40 + "x" + "{% endif %}" * 40
    assert refused(shallow) == []
    assert [m for _, _, m in refused(deep)] == ["tags nest more than 32 levels deep"]


def test_no_safe_filter_can_multiply_text():
    """Each allowed filter, applied ten times to a text of a thousand characters that is
    the worst case for escaping, gives at most a small multiple of it."""
    env = sandbox(autoescape=True)
    worst = "<&'\"ß" * 200
    for name in SAFE_FILTERS - {"length", "wordcount"}:  # those give a number
        output = env.from_string("{{ x" + f" | {name}" * 10 + " }}").render(x=worst)
        assert len(output) <= 6 * len(worst), name
