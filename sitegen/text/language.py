"""The content template language: which Jinja constructs editors' text may use, checked on
the syntax tree before a text is compiled, so that running a text costs time and memory in
proportion to its length by construction.

Editors get variables (`{{ city }}`), components (`{{ component("banner") }}`), conditions
(`{% if state == "CA" %}...{% elif %}...{% else %}...{% endif %}`, `x if c else y`, `and`,
`or`, `not`, comparisons, `in` a list of literals, tests such as `is defined`), joining
with `~`, literals (`{{ '{{' }}` writes braces) and a few filters that cannot multiply text
(SAFE_FILTERS). Refused, each with what to use instead: loops, macros, `{% set %}`,
`include`/`import`/`extends`, arithmetic (`'x' * 10**10`), parts of values (`city.x`,
`city[0]`), calls of anything but `component`, other filters and tests, and nesting deeper
than limits.MAX_TEMPLATE_DEPTH.

`refusals(tree)` is a pure function of the tree Jinja's parser gives; the callers place
each refusal in the content file (names.py before rendering, template.py when compiling).
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import nodes

from sitegen.model.limits import MAX_TEMPLATE_DEPTH
from sitegen.text.tags import COMPONENT

SAFE_FILTERS = frozenset(
    {
        "capitalize",
        "d",
        "default",
        "e",
        "escape",
        "length",
        "lower",
        "string",
        "striptags",
        "title",
        "trim",
        "truncate",
        "upper",
        "wordcount",
    }
)
"""Filters content may use: each gives at most a small multiple of its input however often
it is applied (no padding, repeating, replacing or re-encoding)."""

SAFE_TESTS = frozenset(
    {"defined", "undefined", "none", "string", "number", "lower", "upper", "eq", "ne", "in"}
)
"""Tests content may use after `is` (`{% if phone is defined %}`)."""

_COMPARISONS = frozenset({"eq", "ne", "lt", "gt", "lteq", "gteq", "in", "notin"})

_STATEMENTS: dict[type[nodes.Node], tuple[str, str]] = {
    nodes.For: ("for", "a loop ({% for %})"),
    nodes.Macro: ("macro", "a macro ({% macro %})"),
    nodes.CallBlock: ("call", "a call block ({% call %})"),
    nodes.Assign: ("set", "{% set %}"),
    nodes.AssignBlock: ("set", "{% set %}"),
    nodes.Include: ("include", "{% include %}"),
    nodes.Import: ("import", "{% import %}"),
    nodes.FromImport: ("from", "{% from ... import %}"),
    nodes.Extends: ("extends", "{% extends %}"),
    nodes.Block: ("block", "{% block %}"),
    nodes.FilterBlock: ("filter", "{% filter %}"),
    nodes.With: ("with", "{% with %}"),
}
_STATEMENT_HINT = (
    'content may use variables, {{ component("name") }} and {% if %} conditions; write the '
    "text out, or put what repeats in a component (layouts/components/)"
)
_ARITHMETIC: dict[type[nodes.Node], str] = {
    nodes.Mul: "*",
    nodes.Pow: "**",
    nodes.Add: "+",
    nodes.Sub: "-",
    nodes.Div: "/",
    nodes.FloorDiv: "//",
    nodes.Mod: "%",
    nodes.Neg: "-",
    nodes.Pos: "+",
}


@dataclass(frozen=True)
class Refusal:
    """A construct content may not use: the template line it is on (`line`, 1-based),
    the text to look for in the tags of that line to place it (`token`), what it is and
    what to write instead."""

    line: int
    token: str
    message: str
    hint: str


def refusals(tree: nodes.Template) -> list[Refusal]:
    """Every construct of `tree` outside the content language, in the order written (at
    most one per node; the insides of a refused node are not searched), and last, nesting
    deeper than MAX_TEMPLATE_DEPTH (once: the search stops there)."""
    found: list[Refusal] = []
    try:
        _walk(tree, 0, found)
    except _TooDeep as deep:
        found.append(
            Refusal(
                deep.line,
                "",
                f"tags nest more than {MAX_TEMPLATE_DEPTH} levels deep",
                "nest conditions and expressions less deeply",
            )
        )
    return found


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _walk(node: nodes.Node, depth: int, found: list[Refusal]) -> None:
    line = node.lineno or 1
    if depth > MAX_TEMPLATE_DEPTH:
        raise _TooDeep(line)
    refused = _refused(node, line)
    if refused is not None:
        found.append(refused)
        return
    for child in node.iter_child_nodes():
        _walk(child, depth + 1, found)


def _refused(node: nodes.Node, line: int) -> Refusal | None:
    """Why `node` itself is refused, or None (its children are checked on their own)."""
    for kind, (keyword, what) in _STATEMENTS.items():
        if isinstance(node, kind):
            return Refusal(line, keyword, f"{what} is not allowed in content", _STATEMENT_HINT)
    for kind, operator in _ARITHMETIC.items():
        if isinstance(node, kind):
            return Refusal(
                line,
                operator,
                f"arithmetic ('{operator}') is not allowed in content",
                "write the value itself, e.g. 24/7 or 30 days",
            )
    if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Slice):
        token = node.attr if isinstance(node, nodes.Getattr) else "["
        return Refusal(
            line,
            token,
            "a part of a value ('.name' or '[...]') is not allowed in content",
            "content variables are plain values: write {{ phone }}, not {{ phone.number }}",
        )
    if isinstance(node, (nodes.Filter, nodes.Test)):
        return _named(node, line)
    if isinstance(node, nodes.Call):
        return _call(node, line)
    if isinstance(node, nodes.Compare):
        for operand in node.ops:
            if operand.op not in _COMPARISONS:
                return Refusal(line, operand.op, "this comparison is not allowed", "use == or !=")
        return None
    if isinstance(node, nodes.List | nodes.Tuple):
        if all(isinstance(item, nodes.Const) for item in node.items):
            return None
        return Refusal(
            line,
            "[",
            "a list of anything but plain values is not allowed in content",
            'write the values themselves: {% if state in ["CA", "NV"] %}',
        )
    if isinstance(node, _ALLOWED):
        return None
    return Refusal(
        line,
        "",
        f"'{type(node).__name__}' is not allowed in content",
        _STATEMENT_HINT,
    )


_ALLOWED = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Concat,
    nodes.Operand,
)


def _arguments(node: nodes.Filter | nodes.Test, line: int, name: str) -> Refusal | None:
    """A filter's or test's arguments must be plain values or variables."""
    plain = all(isinstance(a, nodes.Const | nodes.Name) for a in node.args)
    plain = plain and all(isinstance(k.value, nodes.Const | nodes.Name) for k in node.kwargs)
    if plain and node.dyn_args is None and node.dyn_kwargs is None:
        return None
    return Refusal(
        line,
        name,
        f"'{name}' is given something other than plain values or variables",
        f'write {name}("text") or {name}(10)',
    )


def _named(node: nodes.Filter | nodes.Test, line: int) -> Refusal | None:
    """A filter (`city|upper`) or a test (`city is defined`) content may not use, or one of
    its arguments; None when both are allowed."""
    if isinstance(node, nodes.Filter):
        allowed, kind, shown = SAFE_FILTERS, "filter", node.name
    else:
        allowed, kind, shown = SAFE_TESTS, "test", f"is {node.name}"
    if node.name not in allowed:
        return Refusal(
            line,
            node.name,
            f"content has no {kind} '{shown}'",
            f"{kind}s content may use: " + ", ".join(sorted(allowed)),
        )
    return _arguments(node, line, node.name)


def _call(node: nodes.Call, line: int) -> Refusal | None:
    """Only `component("name")` is called in content."""
    callee = node.node
    if not (isinstance(callee, nodes.Name) and callee.name == COMPONENT):
        token = callee.name if isinstance(callee, nodes.Name) else "("
        return Refusal(
            line,
            token,
            'a call is not allowed in content (only component("name"))',
            'place a component with {{ component("banner") }}',
        )
    one_name = len(node.args) == 1 and isinstance(node.args[0], nodes.Const)
    if one_name and not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None:
        return None
    return Refusal(
        line,
        COMPONENT,
        "component(...) takes one name in quotes",
        'write {{ component("banner") }}',
    )
