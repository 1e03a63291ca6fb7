"""Unknown names in a text, found before anything is rendered: variables a text may not use
and components the layouts do not have, each at the content file's line with a suggestion
(and the syntax error that stops the search, if any).

Most texts hold only simple tags (tags.SIMPLE_TAG) and are checked with a regular
expression; the others are parsed by Jinja and their syntax tree is searched.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from sitegen.errors import SiteError, SourceRef
from sitegen.model.limits import MAX_COMPONENTS_PER_TEXT, MAX_ERRORS_PER_TEXT
from sitegen.model.records import ContentText
from sitegen.text.language import refusals
from sitegen.text.tags import COMPONENT, SIMPLE_TAG, TAG, blank_code
from sitegen.text.template import content_at, content_line, parse_content, syntax_error
from sitegen.text.variables import LOCATION, PROGRAM, SITE

_COMPONENT_CALL = re.compile(r"\bcomponent\s*\(")
_OPEN_ANY = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")
_SINGLE = re.compile(r"(?<!\{)\{\s*([a-z_]+)\s*\}(?!\})")
VARIABLES = SITE | LOCATION | PROGRAM


def unknown_variable(name: str, where: SourceRef, allowed: frozenset[str]) -> SiteError:
    """The error for `name`, which a text that may use `allowed` uses: a variable of
    another kind of text (`city` in a program's FAQ answer, `component` in a location's
    about) is said to be one, with why; else unknown, with a guess."""
    known = sorted(allowed - {COMPONENT})
    if name == COMPONENT or name in VARIABLES:
        if name in LOCATION:
            why = "it is a location's, and this text is also shown where there is no location"
        elif name in PROGRAM:
            why = "it is a program's, and this text is also shown where there is no program"
        else:
            why = "components are placed in bodies of programs, local texts and pages only"
        return SiteError(
            f"'{name}' cannot be used in this text: {why}",
            where,
            f"write the words themselves, or use one of: {', '.join(known)}",
        )
    return SiteError(f"unknown variable '{name}'", where, suggest(name, known, "variables"))


def single_brace_names(text: ContentText) -> list[SiteError]:
    """A variable written with one pair of braces (`{city}`, as site.yaml's title patterns
    write them): shown as written on the page, never filled in, so an error at its line."""
    if "{" not in text.text or not _SINGLE.search(text.text):
        return []
    errors: list[SiteError] = []
    outside_tags = blank_code(TAG.sub(lambda m: " " * len(m.group()), text.text))
    for match in _SINGLE.finditer(outside_tags):
        name = match.group(1)
        if name in VARIABLES and len(errors) < MAX_ERRORS_PER_TEXT:
            errors.append(
                SiteError(
                    f"'{match.group()}' would be shown as written: in content, a variable "
                    "takes two pairs of braces",
                    content_at(text, match.start()),
                    f"write {{{{ {name} }}}}",
                )
            )
    return errors


def unknown_names(
    env: SandboxedEnvironment,
    text: ContentText,
    allowed: frozenset[str],
    components: Collection[str],
) -> list[SiteError]:
    """Every unknown variable (not in `allowed`, nor set in the text by `{% set %}` or a
    loop) and unknown component (not in `components`) of `text`; or instead its syntax
    error, unknown filter or test (as Jinja's compiler finds them in `env`), or the
    constructs outside the content language (language.refusals).
    A call of `component` where `allowed` has no "component" is an unknown variable."""
    if "{" not in text.text:
        return []
    calls = list(_COMPONENT_CALL.finditer(text.text))
    if len(calls) > MAX_COMPONENTS_PER_TEXT:
        return [
            SiteError(
                f"this text places components {len(calls)} times, more than the "
                f"{MAX_COMPONENTS_PER_TEXT} a text may",
                content_at(text, calls[MAX_COMPONENTS_PER_TEXT].start()),
                "place each component once or twice: a component repeats a whole part of the page",
            )
        ]
    simple = _simple_text_names(text, allowed, components)
    if simple is not None:
        return simple
    try:
        tree = parse_content(env, text, text.text)
    except SiteError as exc:
        return [exc]
    refused = [
        SiteError(r.message, _name_place(text, r.line, r.token), r.hint)
        for r in refusals(tree)[:MAX_ERRORS_PER_TEXT]
    ]
    if refused:
        return refused
    try:
        env.compile(tree)  # unknown filters and tests show up only here
    except TemplateSyntaxError as exc:
        return [syntax_error(text, exc)]
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    errors: list[SiteError] = []
    for name in tree.find_all(nodes.Name):
        if len(errors) >= MAX_ERRORS_PER_TEXT:
            break
        if name.ctx == "load" and name.name not in allowed | stored:
            place = _name_place(text, name.lineno, name.name)
            errors.append(unknown_variable(name.name, place, allowed))
    for call in tree.find_all(nodes.Call):
        is_component = isinstance(call.node, nodes.Name) and call.node.name == COMPONENT
        if is_component and call.args and isinstance(call.args[0], nodes.Const):
            wanted = call.args[0].value
            if wanted not in components and len(errors) < MAX_ERRORS_PER_TEXT:
                errors.append(
                    SiteError(
                        f"unknown component '{wanted}'",
                        _name_place(text, call.lineno, str(wanted)),
                        suggest(str(wanted), components, "components"),
                    )
                )
    return errors


def _simple_text_names(
    text: ContentText, allowed: frozenset[str], components: Collection[str]
) -> list[SiteError] | None:
    """The check of a text whose tags are all simple, without Jinja's parser (which costs a
    millisecond a text); None when a tag needs the parser."""
    if _OPEN_ANY.search(TAG.sub("", text.text)):
        return None  # an unclosed tag: the parser says where
    errors: list[SiteError] = []
    for match in TAG.finditer(text.text):
        simple = SIMPLE_TAG.fullmatch(match.group())
        if simple is None:
            return None
        variable, component = simple.groups()
        if len(errors) >= MAX_ERRORS_PER_TEXT:
            continue  # enough to fix; the others only checked for needing the parser
        line = content_at(text, match.start())
        if variable and variable not in allowed:
            errors.append(unknown_variable(variable, line, allowed))
        elif component and (COMPONENT not in allowed or component not in components):
            if COMPONENT not in allowed:
                return None  # let the full check report it like any other unknown name
            hint = suggest(component, components, "components")
            errors.append(SiteError(f"unknown component '{component}'", line, hint))
    return errors


def _name_place(text: ContentText, line: int, name: str) -> SourceRef:
    """The place of `name` as Jinja's parser found it on line `line` of `text`: where the
    name is written in a tag of that line (a line of a folded YAML text spans several lines
    of its file), else the line's start."""
    start = 0
    for _ in range(line - 1):
        start = text.text.find("\n", start) + 1
    end = text.text.find("\n", start)
    end = len(text.text) if end == -1 else end
    if not name:
        return content_line(text, line)
    before = r"(?<![\w.])" if name[0].isalnum() or name[0] == "_" else ""
    after = r"(?!\w)" if name[-1].isalnum() or name[-1] == "_" else ""
    word = re.compile(before + re.escape(name) + after)
    for tag in TAG.finditer(text.text):
        if tag.end() < start:
            continue
        if tag.start() > end:
            break
        found = word.search(tag.group())
        if found:
            return content_at(text, tag.start() + found.start())
    return content_line(text, line)


def suggest(word: str, choices: Iterable[str], what: str) -> str:
    """A hint for an unknown `word`: "did you mean 'x'?" for a close match among `choices`
    (difflib's ratio of at least 0.6), else the list of available `what`, or that there
    are none (a components folder that is missing, or empty)."""
    ordered = sorted(choices)
    close = difflib.get_close_matches(word, ordered, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not ordered:
        where = " (layouts/components/ has none)" if what == "components" else ""
        return f"there are no {what}{where}"
    return f"available {what}: " + ", ".join(ordered)
