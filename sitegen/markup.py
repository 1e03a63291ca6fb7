"""Editor text -> HTML: content variables run in a Jinja sandbox, then Markdown.

Errors point at the line of the content file, not at a line of generated code.
Components (`{{ component("benefits") }}`) leave a placeholder that the renderer
replaces with the component's HTML after Markdown has run, so Markdown never
touches the component's markup.
"""

from __future__ import annotations

import difflib
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import SiteError
from .model import ContentText

MARKDOWN_EXTENSIONS = ["extra", "toc", "smarty", "sane_lists"]
_TOKEN = "sitegencomponent{}x"


class ContentProblem(Exception):
    """Raised by helpers callable from content (an unknown component name)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class ComponentCall:
    token: str
    name: str


@dataclass
class RenderedMarkdown:
    html: str
    components: list[ComponentCall] = field(default_factory=list)


class ContentRenderer:
    """Renders editor text with content variables; templates are compiled once per text."""

    def __init__(self, component_names: set[str]):
        self.component_names = component_names
        self._html_env = _sandbox(autoescape=True)
        self._text_env = _sandbox(autoescape=False)
        self._markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        self._cache: dict[tuple[bool, ContentText], Template] = {}

    def check(self, text: ContentText) -> SiteError | None:
        """A syntax error in the text's variables, found before anything is rendered."""
        try:
            self._template(text, html=True)
        except SiteError as error:
            return error
        return None

    def text(self, text: ContentText, variables: dict[str, object]) -> str:
        """Plain text (titles, descriptions): variables filled in, no Markdown, not escaped."""
        return self._render(text, variables, html=False).strip()

    def markdown(self, text: ContentText, variables: dict[str, object]) -> RenderedMarkdown:
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

        source = self._render(text, {**variables, "component": component}, html=True)
        self._markdown.reset()
        return RenderedMarkdown(self._markdown.convert(source), calls)

    def _template(self, text: ContentText, html: bool) -> Template:
        key = (html, text)
        if key not in self._cache:
            env = self._html_env if html else self._text_env
            try:
                code = env.compile(text.text, name=_name(text), filename=_name(text))
            except TemplateSyntaxError as exc:
                opened = _unclosed_tag_line(text.text)
                if opened is not None and opened <= exc.lineno:
                    raise SiteError(
                        "a {{ or {% tag opened on this line is not closed",
                        _line(text, opened),
                        "close it with }} or %}, e.g. {{ city }}",
                    ) from None
                raise SiteError(
                    f"error in a {{{{ }}}} or {{% %}} tag: {exc.message}",
                    _line(text, exc.lineno),
                    "variables are written like {{ city }}; to show braces write {{ '{{' }}",
                ) from None
            self._cache[key] = env.template_class.from_code(env, code, env.make_globals(None))
        return self._cache[key]

    def _render(self, text: ContentText, variables: dict[str, object], html: bool) -> str:
        template = self._template(text, html)
        try:
            return template.render(variables)
        except UndefinedError as exc:
            known = sorted(k for k in variables if not k.startswith("_"))
            name = _undefined_name(str(exc))
            hint = _suggest(name, known, "variables") if name else None
            raise SiteError(
                f"unknown variable: {exc.message}",
                _line(text, _template_line(exc, text)),
                hint or "variables here: " + ", ".join(known),
            ) from None
        except SecurityError as exc:
            raise SiteError(
                f"not allowed in content: {exc}", _line(text, _template_line(exc, text))
            ) from None
        except ContentProblem as exc:
            raise SiteError(str(exc), _line(text, _template_line(exc, text)), exc.hint) from None
        except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
            raise SiteError(
                f"error in a {{{{ }}}} tag: {exc}", _line(text, _template_line(exc, text))
            ) from None


def fill_components(html: str, calls: list[ComponentCall], render: Callable[[str], str]) -> str:
    """Replace the placeholders of `calls` with the rendered components."""
    for call in calls:
        rendered = render(call.name)
        html = html.replace(f"<p>{call.token}</p>", rendered).replace(call.token, rendered)
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


def _line(text: ContentText, template_line: int | None):
    start = text.source.line or 1
    return text.source.at(start + (template_line or 1) - 1)


def _template_line(exc: BaseException, text: ContentText) -> int | None:
    name = _name(text)
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == name]
    return lines[-1] if lines else None


_OPEN = re.compile(r"\{\{|\{%")


def _unclosed_tag_line(source: str) -> int | None:
    """The line of the first {{ or {% whose closing }} or %} is missing (Jinja reads past it
    and reports a later line)."""
    for match in _OPEN.finditer(source):
        close = source.find("}}" if match.group() == "{{" else "%}", match.end())
        following = _OPEN.search(source, match.end())
        if close == -1 or (following and following.start() < close):
            return source.count("\n", 0, match.start()) + 1
    return None


def _undefined_name(message: str) -> str | None:
    match = re.match(r"'([^']+)' is undefined", message)
    return match.group(1) if match else None


def _suggest(word: str, choices, what: str) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"available {what}: " + ", ".join(sorted(choices))
