"""Editor text -> HTML. Markdown is converted once per text; variables are filled in per page.

A program's body is shown at every location, so converting its Markdown per page would cost
one conversion per page (~2 ms each). Instead the `{{ }}`/`{% %}` tags are set aside, the
Markdown is converted once, and the tags are put back into the HTML, which is compiled as a
sandboxed Jinja template and rendered per location with its variables (HTML-escaped).

Unknown variables and components are found before anything is rendered, from the template's
syntax tree, at the line of the content file where they are written.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import markdown
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import escape

from sitegen.errors import SiteError, SourceRef
from sitegen.model.records import ContentText
from sitegen.text.headings import name_marked_headings, static_heading_ids
from sitegen.text.images import SizeOf, sized_images
from sitegen.text.plain import plain_markdown

# No "smarty": it more than doubles the cost of a conversion; editors type curly quotes.
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]
COMPONENT = "component"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_PLACEHOLDER = "sgtag{}z"
_TOKEN = "sitegencomponent{}x"
_LINE_MARK = re.compile(r"\{# L(\d+) #\}")
_OPEN = re.compile(r"\{\{|\{%")
_OPEN_ANY = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")
_SIMPLE_TAG = re.compile(
    r"\{\{\s*(?:([a-z_][a-z0-9_]*)|component\(\s*[\"']([a-z0-9_-]+)[\"']\s*\))\s*\}\}"
)


class ContentProblem(Exception):
    """Raised by helpers callable from content (an unknown component name)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class ComponentCall:
    token: str
    name: str


@dataclass(frozen=True)
class Compiled:
    """A text ready to render per page. Texts whose tags are all plain `{{ name }}` variables
    or `{{ component("x") }}` calls (nearly all) are kept as `simple` and filled by lookup,
    which is far cheaper than compiling and running a Jinja template; anything else is a
    sandboxed `template`, with its source lines to map a runtime error to the content line."""

    template: Template | None
    lines: list[str]
    simple: SimpleText | None = None
    escape_values: bool = True
    static_ids: frozenset[str] | None = None  # ids given at compile time; None: no heading
    # with a variable is left, so there is nothing to do per page


@dataclass
class RenderedMarkdown:
    html: str
    components: list[ComponentCall] = field(default_factory=list)


class ContentRenderer:
    """Checks and renders editor text; each text is converted and compiled only once."""

    def __init__(self, component_names: set[str], image_size: SizeOf | None = None):
        self.component_names = component_names
        self.image_size = image_size  # of an image URL of the site, for <img> in Markdown
        self._html_env = _sandbox(autoescape=True)
        self._text_env = _sandbox(autoescape=False)
        self._markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        self._html: dict[ContentText, Compiled] = {}
        self._text: dict[ContentText, Compiled] = {}
        self._checked: dict[tuple[ContentText, frozenset[str]], list[SiteError]] = {}

    # -- before rendering ----------------------------------------------------------------

    def check(self, text: ContentText, allowed: Iterable[str]) -> list[SiteError]:
        """Syntax errors, unknown variables and unknown components in `text`, with lines
        (found once per text: the dev server checks every text on each rebuild)."""
        allowed = frozenset(allowed)  # the same object when it is one already
        key = (text, allowed)
        if key not in self._checked:
            self._checked[key] = self._check(text, set(allowed))
        return self._checked[key]

    def _check(self, text: ContentText, allowed: set[str]) -> list[SiteError]:
        if "{" not in text.text:
            return []
        simple = _check_simple(text, allowed, self.component_names)
        if simple is not None:
            return simple
        try:
            tree = self._text_env.parse(text.text)
            self._text_env.compile(tree)  # unknown filters and tests show up only here
        except TemplateSyntaxError as exc:
            return [_syntax_error(text, exc)]
        stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        errors = []
        for name in tree.find_all(nodes.Name):
            if name.ctx == "load" and name.name not in allowed | stored:
                known = sorted(allowed - {COMPONENT})
                errors.append(
                    SiteError(
                        f"unknown variable '{name.name}'",
                        _line(text, name.lineno),
                        _suggest(name.name, known, "variables"),
                    )
                )
        for call in tree.find_all(nodes.Call):
            is_component = isinstance(call.node, nodes.Name) and call.node.name == COMPONENT
            if is_component and call.args and isinstance(call.args[0], nodes.Const):
                wanted = call.args[0].value
                if wanted not in self.component_names:
                    errors.append(
                        SiteError(
                            f"unknown component '{wanted}'",
                            _line(text, call.lineno),
                            _suggest(str(wanted), self.component_names, "components"),
                        )
                    )
        return errors

    # -- per page ------------------------------------------------------------------------

    def text(self, text: ContentText, variables: dict[str, object]) -> str:
        """Plain text (titles, descriptions): variables filled in, no Markdown, not escaped."""
        compiled = self._text.get(text)
        if compiled is None:
            compiled = self._text[text] = _compile(self._text_env, text, text.text)
        return _run(compiled, text, variables).strip()

    def prepare(self, text: ContentText) -> Compiled:
        """Convert and compile a Markdown text now (before worker processes are forked, so
        that they share the result instead of each doing the work)."""
        compiled = self._html.get(text)
        if compiled is None:
            html = self._convert(text)
            if self.image_size is not None:
                html = sized_images(html, self.image_size)
            source, static_ids = static_heading_ids(html)
            compiled = _compile(self._html_env, text, source)
            compiled = self._html[text] = dataclasses.replace(compiled, static_ids=static_ids)
        return compiled

    def markdown(self, text: ContentText, variables: dict[str, object]) -> RenderedMarkdown:
        """HTML of a Markdown text for one page; components are left as placeholders."""
        compiled = self.prepare(text)
        calls: list[ComponentCall] = []

        def component(name: str) -> str:
            if name not in self.component_names:
                raise ContentProblem(
                    f"unknown component '{name}'",
                    _suggest(name, self.component_names, "components"),
                )
            call = ComponentCall(_TOKEN.format(len(calls)), name)
            calls.append(call)
            return call.token

        html = _run(compiled, text, {**variables, COMPONENT: component})
        if compiled.static_ids is not None:
            html = name_marked_headings(html, set(compiled.static_ids))
        return RenderedMarkdown(html, calls)

    def _convert(self, text: ContentText) -> str:
        """Markdown -> HTML once, with every tag kept as it was (and its line noted)."""
        tags: list[str] = []

        def set_aside(match: re.Match[str]) -> str:
            line = text.text.count("\n", 0, match.start()) + 1
            tags.append(f"{match.group()}{{# L{line} #}}")
            return _PLACEHOLDER.format(len(tags) - 1)

        source = _TAG.sub(set_aside, text.text)
        html = plain_markdown(source)
        if html is None:
            self._markdown.reset()
            html = self._markdown.convert(source)
        for index in reversed(range(len(tags))):
            placeholder = _PLACEHOLDER.format(index)
            html = html.replace(f"<p>{placeholder}</p>", tags[index])
            html = html.replace(placeholder, tags[index])
        return html


def _compile(env: SandboxedEnvironment, text: ContentText, source: str) -> Compiled:
    simple = SimpleText.parse(source)
    if simple is not None:
        return Compiled(None, [], simple, escape_values=bool(env.autoescape))
    try:
        code = env.compile(source, name=_name(text), filename=_name(text))
    except TemplateSyntaxError as exc:
        raise _syntax_error(text, exc) from None
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return Compiled(template, source.split("\n"))


def _check_simple(
    text: ContentText, allowed: set[str], components: set[str]
) -> list[SiteError] | None:
    """The check of a text whose tags are all simple, without Jinja's parser (which costs a
    millisecond a text); None when a tag needs the parser."""
    if _OPEN_ANY.search(_TAG.sub("", text.text)):
        return None  # an unclosed tag: the parser says where
    errors: list[SiteError] = []
    for match in _TAG.finditer(text.text):
        simple = _SIMPLE_TAG.fullmatch(match.group())
        if simple is None:
            return None
        variable, component = simple.groups()
        line = _line(text, text.text.count("\n", 0, match.start()) + 1)
        if variable and variable not in allowed:
            hint = _suggest(variable, sorted(allowed - {COMPONENT}), "variables")
            errors.append(SiteError(f"unknown variable '{variable}'", line, hint))
        elif component and (COMPONENT not in allowed or component not in components):
            if COMPONENT not in allowed:
                return None  # let the full check report it like any other unknown name
            hint = _suggest(component, components, "components")
            errors.append(SiteError(f"unknown component '{component}'", line, hint))
    return errors


@dataclass(frozen=True)
class SimpleText:
    """A text whose tags are all `{{ name }}` or `{{ component("x") }}`, as a str.format
    string: filling it per page is one C-level call instead of a Jinja render."""

    format: str
    fields: tuple[tuple[str, str], ...]  # (format field, variable name)
    components: tuple[str, ...]  # component names, in the order they appear

    @classmethod
    def parse(cls, source: str) -> SimpleText | None:
        """None if `source` has a tag that needs Jinja (filters, conditions, expressions)."""
        pieces: list[str] = []
        fields: dict[str, str] = {}
        components: list[str] = []
        position = 0
        for match in _TAG.finditer(source):
            pieces.append(_literal(source[position : match.start()]))
            position = match.end()
            if _LINE_MARK.fullmatch(match.group()):
                continue
            simple = _SIMPLE_TAG.fullmatch(match.group())
            if simple is None:
                return None
            variable, component = simple.groups()
            if variable:
                fields[f"v_{variable}"] = variable
                pieces.append(f"{{v_{variable}}}")
            else:
                pieces.append(f"{{c_{len(components)}}}")
                components.append(component)
        pieces.append(_literal(source[position:]))
        return cls("".join(pieces), tuple(fields.items()), tuple(components))

    def fill(self, variables: dict[str, object], escape_values: bool) -> str:
        values: dict[str, object] = {}
        for key, name in self.fields:
            value = str(variables[name])
            values[key] = str(escape(value)) if escape_values else value
        if self.components:
            component = variables[COMPONENT]
            for index, name in enumerate(self.components):
                values[f"c_{index}"] = component(name)  # type: ignore[operator]
        return self.format.format_map(values)


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _run(compiled: Compiled, text: ContentText, variables: dict[str, object]) -> str:
    if compiled.simple is not None:
        try:
            return compiled.simple.fill(variables, compiled.escape_values)
        except KeyError as exc:
            raise SiteError(f"unknown variable '{exc.args[0]}'", _line(text, None)) from None
        except ContentProblem as exc:
            raise SiteError(str(exc), _line(text, None), exc.hint) from None
    assert compiled.template is not None
    try:
        return compiled.template.render(variables)
    except UndefinedError as exc:
        where = _error_line(exc, text, compiled)
        match = re.search(r"has no attribute '([^']+)'", exc.message or "")
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
            f"not allowed in content: {exc}", _error_line(exc, text, compiled)
        ) from None
    except ContentProblem as exc:
        raise SiteError(str(exc), _error_line(exc, text, compiled), exc.hint) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        where = _error_line(exc, text, compiled)
        raise SiteError(f"error in a {{{{ }}}} tag: {exc}", where) from None


def fill_components(html: str, calls: list[ComponentCall], render: Callable[[str], str]) -> str:
    """Replace the placeholders of `calls` (and the <p> Markdown put around a placeholder
    alone on its line) with the rendered components."""
    for call in calls:
        start = html.find(call.token)
        if start < 0:
            continue
        end = start + len(call.token)
        if html.startswith("<p>", start - 3) and html.startswith("</p>", end):
            start, end = start - 3, end + 4
        html = html[:start] + str(render(call.name)) + html[end:]  # str: Markup would escape
    return html


def split_intro(html: str) -> tuple[str, str]:
    """(introduction, rest): the HTML before the first <h2> and from it on."""
    match = re.search(r"<h2[\s>]", html)
    if not match:
        return html, ""
    return html[: match.start()].rstrip(), html[match.start() :]


def _sandbox(autoescape: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=True
    )


def _name(text: ContentText) -> str:
    return f"{text.source.path}#L{text.source.line}"


def _line(text: ContentText, text_line: int | None) -> SourceRef:
    start = text.source.line or 1
    return text.source.at(start + (text_line or 1) - 1)


def _syntax_error(text: ContentText, exc: TemplateSyntaxError) -> SiteError:
    opened = _unclosed_tag_line(text.text)
    if opened is not None and opened <= (exc.lineno or 0):
        return SiteError(
            "a {{ or {% tag opened on this line is not closed",
            _line(text, opened),
            "close it with }} or %}, e.g. {{ city }}",
        )
    return SiteError(
        f"error in a {{{{ }}}} or {{% %}} tag: {exc.message}",
        _line(text, exc.lineno),
        "variables are written like {{ city }}; to show braces write {{ '{{' }}",
    )


def _unclosed_tag_line(source: str) -> int | None:
    """The line of the first {{ or {% whose closing }} or %} is missing (Jinja reads past it
    and reports a later line)."""
    for match in _OPEN.finditer(source):
        close = source.find("}}" if match.group() == "{{" else "%}", match.end())
        following = _OPEN.search(source, match.end())
        if close == -1 or (following and following.start() < close):
            return source.count("\n", 0, match.start()) + 1
    return None


def _error_line(exc: BaseException, text: ContentText, compiled: Compiled) -> SourceRef:
    """The content file line of a runtime error: from the `{# Ln #}` mark on the template line
    (Markdown texts) or the template line itself (plain texts)."""
    name = _name(text)
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == name]
    if not lines or lines[-1] > len(compiled.lines):
        return _line(text, None)
    marks = _LINE_MARK.findall(compiled.lines[lines[-1] - 1])
    return _line(text, int(marks[0]) if marks else lines[-1])


def _suggest(word: str, choices: Iterable[str], what: str) -> str:
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"available {what}: " + ", ".join(choices)
