"""The content template language: editors' `{{ }}`/`{% %}` tags, compiled once per text and
run per page, with any error reported at the content file's line.

Nearly all texts use only `{{ name }}` and `{{ component("x") }}`; those become a
SimpleText, the text split at its tags and joined with the values, far cheaper than
compiling and running a Jinja template. Anything else (filters, conditions, loops,
expressions) is a Jinja template of a sandboxed environment (jinja2.sandbox: no attribute
starting with an underscore, no callable marked unsafe) with StrictUndefined, so a name
that is not given is an error rather than an empty string.

Jinja reports a runtime error at a line of the template it ran. For a plain text that is
the line of the text; for a Markdown text (convert.py) it is a line of the converted HTML,
where the line mark after the tag gives the line of the text. Either way the error is a
SiteError at the line of the content file.
"""

from __future__ import annotations

import bisect
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from sitegen.errors import SiteError, SourceRef
from sitegen.model.limits import MAX_TEMPLATE_DEPTH, MAX_TEMPLATE_TAGS, output_limit
from sitegen.model.records import ContentText
from sitegen.text.language import refusals
from sitegen.text.tags import COMPONENT, LINE_MARK, SIMPLE_TAG, TAG, line_at, line_offset

_OPEN = re.compile(r"\{\{|\{%")
_MOST_PER_CHARACTER = 6  # what escaping makes of one character at most: ' -> &#39;
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")


class ContentProblem(Exception):
    """Raised by a function content calls (an unknown component name); `run` reports it as a
    SiteError at the line of the call, with `hint`."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def sandbox(*, autoescape: bool) -> SandboxedEnvironment:
    """The Jinja environment content runs in: sandboxed, StrictUndefined, and keeping a
    trailing newline (so the template's lines are the text's). `autoescape` for HTML
    (Markdown texts: values are HTML-escaped), not for plain text fields (titles,
    descriptions), which are escaped where they are placed."""
    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=True
    )


@dataclass(frozen=True)
class SimpleText:
    """A text whose tags are all `{{ name }}` or `{{ component("x") }}` (line marks
    aside), split at its tags: filling it per page puts each value in its place and joins
    the pieces (one C-level call) instead of a Jinja render, with the same result. (Not
    str.format_map: it parses the whole text again on every page, 10 us for a 5 KB body.)"""

    pieces: tuple[str, ...]  # the text between tags (even places), and each tag's slot
    fields: tuple[tuple[str, str], ...]  # (slot, variable name), each variable once
    components: tuple[str, ...]  # component names, in the order they appear
    references: int = 0  # variable tags, each time one is written

    @classmethod
    def parse(cls, source: str) -> SimpleText | None:
        """The SimpleText of a template `source`; None if a tag needs Jinja (filters,
        conditions, expressions)."""
        pieces: list[str] = []
        fields: dict[str, str] = {}
        components: list[str] = []
        position = references = 0
        literal = ""  # what comes before the next tag (line marks write nothing)
        for match in TAG.finditer(source):
            literal += source[position : match.start()]
            position = match.end()
            if LINE_MARK.fullmatch(match.group()):
                continue
            simple = SIMPLE_TAG.fullmatch(match.group())
            if simple is None:
                return None
            variable, component = simple.groups()
            pieces.append(literal)
            literal = ""
            if variable:
                references += 1
                fields[f"v_{variable}"] = variable
                pieces.append(f"v_{variable}")
            else:
                pieces.append(f"c_{len(components)}")
                components.append(component)
        pieces.append(literal + source[position:])
        return cls(tuple(pieces), tuple(fields.items()), tuple(components), references)

    def fill(self, variables: dict[str, object], escape_values: bool) -> str:
        """The text with `variables` filled in (HTML-escaped if `escape_values`), each
        component replaced by what `variables["component"]` returns for its name. Raises
        KeyError for a variable that is not given, and whatever the component function
        raises."""
        if len(self.pieces) == 1:
            return self.pieces[0]
        values: dict[str, str] = {}
        for key, name in self.fields:
            value = str(variables[name])
            values[key] = str(escape(value)) if escape_values else value
        if self.components:
            component = cast(Callable[[str], str], variables[COMPONENT])
            for index, name in enumerate(self.components):
                values[f"c_{index}"] = component(name)
        out = list(self.pieces)
        for place in range(1, len(out), 2):
            out[place] = values[out[place]]
        return "".join(out)


@dataclass(frozen=True)
class Compiled:
    """A text ready to run per page: a `simple` text, or a sandboxed `template` with its
    source lines (to find the line mark of the line a runtime error is on)."""

    template: Template | None
    lines: list[str]
    simple: SimpleText | None = None
    escape_values: bool = True  # of a simple text: the environment's autoescape
    references: int = 0  # variables named in the text, each time (see `run`)
    names: tuple[str, ...] = ()  # the variables it names


def compile_text(env: SandboxedEnvironment, text: ContentText, source: str) -> Compiled:
    """`source` (the text itself, or its converted HTML) compiled in `env`. Raises SiteError
    at the content file's line for a syntax error, an unknown filter or test, or a construct
    outside the content language (language.refusals; the check before rendering reports
    those first, with their column)."""
    simple = SimpleText.parse(source)
    if simple is not None:
        names = tuple(name for _, name in simple.fields)
        escape_values = bool(env.autoescape)
        return Compiled(None, [], simple, escape_values, simple.references, names)
    name = _template_name(text)
    tree = parse_content(env, text, source)
    lines = source.split("\n")
    for refused in refusals(tree)[:1]:
        raise SiteError(refused.message, _template_place(text, lines, refused.line), refused.hint)
    try:
        code = env.compile(tree, name=name, filename=name)
    except TemplateSyntaxError as exc:
        raise syntax_error(text, exc) from None
    template = env.template_class.from_code(env, code, env.make_globals(None))
    named = [n.name for n in tree.find_all(nodes.Name) if n.name != COMPONENT]
    return Compiled(template, lines, references=len(named), names=tuple(set(named)))


def parse_content(env: SandboxedEnvironment, text: ContentText, source: str) -> nodes.Template:
    """Jinja's syntax tree of `source` (`text` itself or its converted HTML). Raises
    SiteError for a syntax error, for tags nested so deeply that the parser gives up, or
    for more than MAX_TEMPLATE_TAGS tags (line marks aside)."""
    tags = sum(1 for _ in TAG.finditer(source)) - sum(1 for _ in LINE_MARK.finditer(source))
    if tags > MAX_TEMPLATE_TAGS:
        raise SiteError(
            f"this text has {tags:,} tags and a condition or filter among them; such a text "
            f"may have at most {MAX_TEMPLATE_TAGS:,}",
            content_line(text, None),
            'split the text, or keep to plain {{ variables }} and {{ component("name") }}, '
            "which have no such limit",
        )
    try:
        return env.parse(source)
    except TemplateSyntaxError as exc:
        raise syntax_error(text, exc) from None
    except RecursionError:
        raise SiteError(
            f"tags nest more than {MAX_TEMPLATE_DEPTH} levels deep",
            content_line(text, None),
            "nest conditions and expressions less deeply",
        ) from None


def _template_place(text: ContentText, lines: list[str], line: int) -> SourceRef:
    """The content file's place of line `line` of a template made from `text`: by the line
    mark on it (a converted Markdown text), else that line of the text; with the column of
    the line's first tag where the text's lines are the file's (see _tag_on)."""
    marks = LINE_MARK.findall(lines[line - 1]) if 0 < line <= len(lines) else []
    text_line = int(marks[0]) if marks else line
    where = content_line(text, text_line)
    found = _tag_on(text, text_line)
    if found is not None and not text.line_starts and text_line > 1:
        # a body's lines, or the later lines of a text with no YAML indentation to undo
        where = where.at(where.line, found[0])
    return where


def run(compiled: Compiled, text: ContentText, variables: dict[str, object]) -> str:
    """The output of `compiled` (of `text`) with `variables`. Raises SiteError at the content
    file's line when it would be longer than limits.output_limit allows, for an unknown
    variable, an attribute of a variable (content variables are
    plain values), something the sandbox forbids (jinja2.sandbox.SecurityError), a
    ContentProblem, or a Python error in an expression (`{{ 1 / 0 }}`)."""
    limit = output_limit(len(text.text))
    longest = max(compiled.names, key=lambda n: len(str(variables.get(n, ""))), default="")
    length = len(str(variables.get(longest, "")))
    if compiled.references * length * _MOST_PER_CHARACTER > limit:
        raise SiteError(
            f"this text names variables {compiled.references:,} "
            f"{'time' if compiled.references == 1 else 'times'}, and '{longest}' has "
            f"{length:,} {'character' if length == 1 else 'characters'}: its pages could have "
            f"more than the {limit:,} "
            "characters a text of its length may make",
            content_line(text, None),
            "a variable holds a short fact (a city, a phone number); shorten its value in "
            "site.yaml or the location file, or name it less often",
        )
    output = _output(compiled, text, variables)
    if len(output) > limit:
        raise SiteError(
            f"the text makes {len(output):,} characters on a page, more than the "
            f"{limit:,} a text of its length may",
            content_line(text, None),
            "a text's variables and components cannot make it much longer than it is "
            "written; shorten the text",
        )
    return output


def _output(compiled: Compiled, text: ContentText, variables: dict[str, object]) -> str:
    """What `run` returns, before its size is checked."""
    if compiled.simple is not None:
        try:
            return compiled.simple.fill(variables, compiled.escape_values)
        except KeyError as exc:
            where = content_line(text, None)
            raise SiteError(f"unknown variable '{exc.args[0]}'", where) from None
        except ContentProblem as exc:
            raise SiteError(str(exc), content_line(text, None), exc.hint) from None
    assert compiled.template is not None
    try:
        return compiled.template.render(variables)
    except UndefinedError as exc:
        where = _error_line(exc, text, compiled)
        match = _NO_ATTRIBUTE.search(exc.message or "")
        if match:
            raise SiteError(
                f"a variable has no part '.{match.group(1)}'",
                where,
                "content variables are plain values: write {{ phone }}, not {{ phone."
                + match.group(1)
                + " }}",
            ) from None
        raise SiteError(f"unknown variable: {exc.message}", where) from None
    except SecurityError as exc:
        raise SiteError(
            f"not allowed in content{failing_tag(exc, text, compiled)}: {exc}",
            _error_line(exc, text, compiled),
            "content may use variables, filters and simple expressions, not the insides "
            "of Python objects (names starting with _, methods that change things)",
        ) from None
    except ContentProblem as exc:
        raise SiteError(str(exc), _error_line(exc, text, compiled), exc.hint) from None
    except (
        TypeError,
        ValueError,
        ArithmeticError,
        LookupError,
        AssertionError,  # a filter's own check of its arguments: truncate(1)
        TemplateError,
    ) as exc:
        where = _error_line(exc, text, compiled)
        raise SiteError(
            f"error{failing_tag(exc, text, compiled) or ' in a {{ }} tag'}: {exc}",
            where,
            "the expression cannot be worked out with these values; write the value "
            "itself, or a variable (docs/content-format.md, 'Variables in content')",
        ) from None


def content_line(text: ContentText, text_line: int | None) -> SourceRef:
    """The place in the content file of line `text_line` (1-based) of `text`; its first
    line when `text_line` is None (not known)."""
    if text.line_starts and text_line:
        return content_at(text, line_offset(text.text, text_line))
    start = text.source.line or 1
    return text.source.at(start + (text_line or 1) - 1)


def content_at(text: ContentText, offset: int) -> SourceRef:
    """The place in the content file of the character at `offset` in `text`: by the file
    lines its written lines start on (a YAML text folded over several lines), else by
    its line."""
    if not text.line_starts:
        return content_line(text, line_at(text.text, offset))
    index = bisect.bisect_right(text.line_starts, (offset, sys.maxsize)) - 1
    return text.source.at(text.line_starts[max(index, 0)][1])


def syntax_error(text: ContentText, exc: TemplateSyntaxError) -> SiteError:
    """Jinja's syntax error in `text` as a SiteError at the content file's line. A tag left
    open is reported at the line where it opens (Jinja reads on and names a later line)."""
    opened = _unclosed_tag(text.text)
    if opened is not None and line_at(text.text, opened) <= (exc.lineno or 0):
        return SiteError(
            "a {{ or {% tag opened on this line is not closed",
            content_at(text, opened),
            "close it with }} or %}, e.g. {{ city }}",
        )
    block = unclosed_block(exc, text.text)
    if block is not None:
        name, offset = block
        return SiteError(
            f"the {{% {name} %}} opened on this line is not closed",
            content_at(text, offset),
            f"end what it shows with {{% end{name} %}}",
        )
    if exc.message == "Missing end of comment tag":  # Jinja's words: the line it opens on
        return SiteError(
            "'{#' starts a comment here that is not closed (the rest of the text would be "
            "left out)",
            content_line(text, exc.lineno),
            "to give a heading its own id write { #intro } with spaces (a Markdown attribute "
            "list); to end a comment write #}",
        )
    return SiteError(
        f"error in a {{{{ }}}} or {{% %}} tag: {exc.message}",
        content_line(text, exc.lineno),
        "variables are written like {{ city }}; to show braces write {{ '{{' }}",
    )


_BLOCK_TAG = re.compile(r"\{%[-+]?\s*(\w+)(?:\s+(\w+)\s*(=)?)?")
_BLOCKS = {"if", "for", "macro", "call", "filter", "with", "block", "autoescape", "trans"}
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_RAW = re.compile(r"\{%[-+]?\s*raw\s*[-+]?%\}.*?\{%[-+]?\s*endraw\s*[-+]?%\}", re.DOTALL)
_INNERMOST = re.compile(r"innermost block that needs to be closed is '(\w+)'")


def unclosed_block(exc: TemplateSyntaxError, source: str) -> tuple[str, int] | None:
    """The block tag ({% if %}, ...) left open that Jinja's error `exc` in `source` is
    about, with its offset: Jinja names the line where it noticed ("Unexpected end of
    template" at the last line, "Encountered unknown tag 'endblock'" at that tag's) and
    the innermost block's name, not the line of the tag left open. Comments and raw
    blocks are read past. None when the error is not about a block left open."""
    message = exc.message or ""
    named = _INNERMOST.search(message)
    if "Unexpected end" in message:
        end = len(source)
    elif named and exc.lineno:
        end = line_offset(source, exc.lineno + 1)  # the whole line where Jinja noticed
    else:
        return None

    def blank(match: re.Match[str]) -> str:  # keeps the offsets
        return re.sub(r"[^\n]", " ", match.group())

    read = _COMMENT.sub(blank, _RAW.sub(blank, source[:end]))
    open_: list[tuple[str, int]] = []
    for match in _BLOCK_TAG.finditer(read):
        name = match.group(1)
        if name == "set" and match.group(2) and not match.group(3):
            open_.append((name, match.start()))  # {% set x %}...{% endset %}
        elif name in _BLOCKS:
            open_.append((name, match.start()))
        elif name.startswith("end") and open_ and open_[-1][0] == name[3:]:
            open_.pop()
    candidates = [o for o in open_ if named is None or o[0] == named.group(1)]
    return candidates[-1] if candidates else (open_[-1] if open_ else None)


def _unclosed_tag(source: str) -> int | None:
    """The offset of the first {{ or {% whose closing }} or %} is missing."""
    for match in _OPEN.finditer(source):
        close = source.find("}}" if match.group() == "{{" else "%}", match.end())
        following = _OPEN.search(source, match.end())
        if close == -1 or (following and following.start() < close):
            return match.start()
    return None


def _template_name(text: ContentText) -> str:
    """The file name Jinja gives a text's template in tracebacks (how `_error_line` finds
    its frames)."""
    return f"{text.source.path}#L{text.source.line}"


def _error_line(exc: BaseException, text: ContentText, compiled: Compiled) -> SourceRef:
    """The content file line of a runtime error: from the line mark on the template line it
    happened on (Markdown texts) or that template line itself (plain texts); with the
    column of the line's first tag where the text's lines are the file's (see _tag_on)."""
    name = _template_name(text)
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f.lineno for f in frames if f.filename == name and f.lineno is not None]
    if not lines or lines[-1] > len(compiled.lines):
        return content_line(text, None)
    return _template_place(text, compiled.lines, lines[-1])


def _tag_on(text: ContentText, text_line: int) -> tuple[int, str] | None:
    """(1-based column, tag) of the first tag on line `text_line` of `text`, if any."""
    lines = text.text.split("\n")
    if not 0 < text_line <= len(lines):
        return None
    match = TAG.search(lines[text_line - 1])
    return (match.start() + 1, match.group()) if match else None


def failing_tag(exc: BaseException, text: ContentText, compiled: Compiled) -> str:
    """' in {{ 1 / 0 }}': the tag a runtime error happened in, for its message ('' if not
    known)."""
    name = _template_name(text)
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f.lineno for f in frames if f.filename == name and f.lineno is not None]
    if not lines or lines[-1] > len(compiled.lines):
        return ""
    marks = LINE_MARK.findall(compiled.lines[lines[-1] - 1])
    found = _tag_on(text, int(marks[0]) if marks else lines[-1])
    return f" in {LINE_MARK.sub('', found[1])}" if found else ""
