"""The one object the build uses for editors' text: ContentRenderer checks texts and renders
them per page, converting and compiling each text only once; and `content_text_errors`, the
check of every text of a site before anything is rendered.

Its caches are what make a page cheap: the preview server keeps the renderer between
rebuilds, and Markdown bodies are prepared before the worker processes are forked, so that
they share the work.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from html import unescape

from sitegen.errors import SiteError
from sitegen.model.limits import (
    MAX_BUILD_MARKDOWN_SECONDS,
    MAX_ERRORS_PER_TEXT,
    MAX_MARKDOWN_DEPTH,
    MAX_TEXT_SECONDS,
)
from sitegen.model.records import ContentText, SiteContent
from sitegen.model.schemes import scheme_problem
from sitegen.text.components import ComponentCall, ComponentCalls
from sitegen.text.convert import MarkdownConverter
from sitegen.text.deadline import TooSlow, deadline
from sitegen.text.footnotes import footnotes_apart
from sitegen.text.headings import name_marked_headings, static_heading_ids
from sitegen.text.names import single_brace_names, unknown_names
from sitegen.text.namespaces import namespaced
from sitegen.text.nesting import too_deep
from sitegen.text.outline import top_heading_error
from sitegen.text.policy import HtmlPolicy
from sitegen.text.removals import Placer, removals
from sitegen.text.tags import COMPONENT, LINE_MARK, ids_in
from sitegen.text.template import Compiled, compile_text, content_line, run, sandbox
from sitegen.text.variables import content_texts, markdown_texts


@dataclass(frozen=True)
class PreparedMarkdown:
    """A Markdown text converted and compiled, ready to render per page."""

    compiled: Compiled
    static_ids: frozenset[str] | None  # heading ids given at compile time; None: no heading
    # with a variable is left, so there is nothing to do per page
    ids: frozenset[str] = frozenset()  # every id the text gives at compile time
    source: str = ""  # the HTML it compiles from: tags ({{ }}, {% %}) still in place
    tagged_addresses: bool = False  # an href or src of `source` holds a tag: the text's
    # addresses are known only per page


@dataclass
class RenderedMarkdown:
    """A Markdown text's HTML for one page, its components still placeholders (`components`,
    in order; see components.fill_components)."""

    html: str
    components: list[ComponentCall] = field(default_factory=list)
    ids: frozenset[str] = frozenset()  # every id of `html` (headings, footnotes)
    namespace: str = ""  # the namespace its ids were put in (namespaces.namespaced), if any


_BUDGET_SPENT = "the build's Markdown texts took"
_TAG_IN_ADDRESS = re.compile(r'(?:href|src)="[^"]*(?:\{\{|\{%)')
_MARKED_ADDRESS = re.compile(r'(?:href|src)="[^"]*?\{# L(\d+) #\}')
_ADDRESS = re.compile(r'\b(?:href|src|srcset|cite)="([^"]*)"')

Watch = Callable[[ContentText, PreparedMarkdown, RenderedMarkdown], None]
"""What ContentRenderer.watch is: told of each Markdown text as it renders it for a page."""


class ContentRenderer:
    """Checks and renders editors' texts; each text is converted and compiled only once.
    `component_names` are the layouts' components; `images` rewrites the <img> elements of a
    converted text (render.pictures.content_pictures: pictures in several sizes and
    formats, sizes of the others); `policy` cleans the
    HTML of every Markdown text (policy.py; by default, with no iframe host)."""

    def __init__(
        self,
        component_names: Collection[str],
        images: Callable[[str], str] | None = None,
        policy: HtmlPolicy | None = None,
    ):
        self.component_names = component_names
        self.images = images
        self.policy = policy or HtmlPolicy()
        self._html_env = sandbox(autoescape=True)
        self._text_env = sandbox(autoescape=False)
        self._converter = MarkdownConverter()
        self._html: dict[tuple[ContentText, frozenset[str]], PreparedMarkdown] = {}
        self._text: dict[ContentText, Compiled] = {}
        self._checked: dict[tuple[ContentText, frozenset[str]], list[SiteError]] = {}
        self._conversions: dict[ContentText, _Conversion] = {}
        self.watch: Watch | None = None  # told of every Markdown text rendered for a page
        self._spent = 0.0  # CPU seconds of conversions in this build (start_build)
        self._charged: set[ContentText] = set()  # the texts this build spent them on

    def start_build(self) -> None:
        """A new build begins (the preview and the resident build process keep the
        renderer between builds): its conversions have MAX_BUILD_MARKDOWN_SECONDS of CPU
        time again, and a conversion kept from an earlier build counts the seconds it
        took then, as it would in a new process (where it runs again)."""
        self._spent = 0.0
        self._charged = set()

    # -- before rendering ----------------------------------------------------------------

    def keep_only(self, texts: Collection[ContentText]) -> None:
        """Forget what was converted, compiled and checked of any other text than `texts`
        (the site's texts now): a long preview session would otherwise keep every version
        of every text it was shown. A text forgotten and seen again is converted again."""
        self._html = {key: kept for key, kept in self._html.items() if key[0] in texts}
        self._text = {text: kept for text, kept in self._text.items() if text in texts}
        self._checked = {key: kept for key, kept in self._checked.items() if key[0] in texts}
        self._conversions = {t: kept for t, kept in self._conversions.items() if t in texts}

    def check(self, text: ContentText, allowed: Iterable[str]) -> list[SiteError]:
        """Syntax errors, unknown variables (not in `allowed`) and unknown components in
        `text`, as SiteErrors at the content file's lines (names.unknown_names). Found once
        per text and names: the preview server checks every text on each rebuild."""
        allowed = frozenset(allowed)  # the same object when it is one already
        key = (text, allowed)
        if key not in self._checked:
            self._checked[key] = [
                *unknown_names(self._text_env, text, allowed, self.component_names),
                *single_brace_names(text),
            ]
        return self._checked[key]

    def outline(self, text: ContentText) -> list[SiteError]:
        """A level-1 heading in the Markdown `text` (outline.top_heading_error) and the
        active content the HTML policy removes from it (removals.py): found with the checks
        before rendering, so that they are reported with them. The conversion is kept for
        `prepare`."""
        return self._converted(text).errors

    def policy_warnings(self, text: ContentText) -> list[SiteError]:
        """What the HTML policy removes from the Markdown `text` that is not active content
        (a style attribute, a <font>): warnings at its lines; the page is built without."""
        return self._converted(text).warnings

    def _converted(self, text: ContentText) -> _Conversion:
        """The Markdown `text` as HTML (cleaned by the policy), converted once, with its
        errors (a level-1 heading, active content) and the policy's warnings; or, with no
        HTML, the error that stopped it: blocks nested too deeply (nesting.too_deep, found
        before converting) or a conversion longer than limits.MAX_TEXT_SECONDS."""
        found = self._conversions.get(text)
        if found is not None and text not in self._charged:  # converted by an earlier build
            if found.seconds > MAX_BUILD_MARKDOWN_SECONDS - self._spent:
                self._spent = MAX_BUILD_MARKDOWN_SECONDS  # as its conversion would have
                return _stopped(_over_budget(text))  # spent the rest, and been stopped
            self._spent += found.seconds
            self._charged.add(text)
        if found is None:
            before = self._spent
            found = self._convert(text)
            self._charged.add(text)
            if not any(error.message.startswith(_BUDGET_SPENT) for error in found.errors):
                # the budget is the build's, not the text's
                self._conversions[text] = replace(found, seconds=self._spent - before)
        return found

    def _convert(self, text: ContentText) -> _Conversion:
        deep = too_deep(text.text)
        if deep is not None:
            line, depth, what = deep
            return _stopped(
                SiteError(
                    f"{what} nest {depth} levels deep here, more than the {MAX_MARKDOWN_DEPTH} "
                    "a text may",
                    content_line(text, line),
                    "nest lists, quotes and HTML elements less deeply (an indentation of four "
                    "spaces is one level)",
                )
            )
        left = MAX_BUILD_MARKDOWN_SECONDS - self._spent
        seconds = min(MAX_TEXT_SECONDS, left)
        started = time.process_time()
        try:
            if seconds <= 0:
                raise TooSlow
            with deadline(seconds):
                return self._clean_conversion(text)
        except TooSlow:
            if seconds < MAX_TEXT_SECONDS:
                return _stopped(_over_budget(text))
            return _stopped(
                SiteError(
                    f"converting this Markdown text took more than {MAX_TEXT_SECONDS:g} s of "
                    "CPU time, the most a text may take",
                    content_line(text, None),
                    "long runs of Markdown signs ([, *, <, \\, `) or very long texts make "
                    "Markdown slow; split the text, or write the signs as HTML entities (&#91;)",
                )
            )
        finally:
            self._spent += time.process_time() - started

    def _clean_conversion(self, text: ContentText) -> _Conversion:
        """Convert `text`, cleaning its HTML by the policy while its tags are set aside, and
        place each removal at the content file's line."""
        removed: list[SiteError] = []
        active: list[SiteError] = []

        def clean(html: str, tags: Sequence[str]) -> str:
            cleaned = self.policy.clean(html)
            if cleaned != html:  # else nothing was removed (nh3 keeps what it allows)
                placer = Placer(text)
                more = {True: 0, False: 0}
                for removal in removals(html, self.policy.iframe_hosts):
                    found = active if removal.active else removed
                    if len(found) >= MAX_ERRORS_PER_TEXT:
                        more[removal.active] += 1
                        continue
                    where = placer.place(removal)
                    if removal.placeholder is not None:
                        mark = LINE_MARK.search(tags[removal.placeholder])
                        where = content_line(text, int(mark.group(1)) if mark else None)
                    found.append(SiteError(removal.message, where, removal.hint))
                for kind, found in ((True, active), (False, removed)):
                    if more[kind]:
                        found.append(_more_removals(text, more[kind], kind))
            return cleaned

        html = self._converter.convert(text.text, clean)
        heading = top_heading_error(text, html, self._converter.convert)
        errors = ([heading] if heading is not None else []) + active
        return _Conversion(html, errors, removed)

    # -- per page ------------------------------------------------------------------------

    def text(self, text: ContentText, variables: dict[str, object]) -> str:
        """A plain text (a title, a description) with `variables` filled in and stripped: no
        Markdown, not escaped. Raises SiteError at the content file's line (template.run,
        template.compile_text)."""
        compiled = self._text.get(text)
        if compiled is None:
            compiled = self._text[text] = compile_text(self._text_env, text, text.text)
        return run(compiled, text, variables).strip()

    def prepare(
        self, text: ContentText, reserved: frozenset[str] = frozenset()
    ) -> PreparedMarkdown:
        """Convert and compile a Markdown text now (before worker processes are forked, so
        that they share the result instead of each doing the work). Its headings take no id
        the layouts give nor one in `reserved` (ids of the other texts of its page). Raises
        SiteError for a syntax error or a level-1 heading, at the content file's line."""
        key = (text, reserved)
        prepared = self._html.get(key)
        if prepared is None:
            conversion = self._converted(text)
            if conversion.errors:
                raise conversion.errors[0]
            html = conversion.html
            if self.images is not None:
                html = self.images(html)
            html = footnotes_apart(html, reserved)
            source, static_ids = static_heading_ids(html, reserved)
            compiled = compile_text(self._html_env, text, source)
            ids = ids_in(source)
            tagged = _TAG_IN_ADDRESS.search(source) is not None
            prepared = PreparedMarkdown(compiled, static_ids, ids, source, tagged)
            self._html[key] = prepared
        return prepared

    def markdown(
        self,
        text: ContentText,
        variables: dict[str, object],
        reserved: frozenset[str] = frozenset(),
        namespace: str = "",
    ) -> RenderedMarkdown:
        """The HTML of a Markdown text for one page: `variables` filled in (HTML-escaped),
        heading ids given, components left as placeholders; with a `namespace`, its ids put
        in it (namespaces.namespaced). Raises SiteError at the content file's line
        (template.run), also for an unknown component."""
        prepared = self.prepare(text, reserved)
        calls = ComponentCalls(self.component_names)
        html = run(prepared.compiled, text, {**variables, COMPONENT: calls})
        if prepared.tagged_addresses:
            _check_filled_addresses(text, html, prepared.source)
        ids = prepared.ids
        if prepared.static_ids is not None:
            used = set(prepared.static_ids)
            html = name_marked_headings(html, used)
            ids = ids | (used - reserved)
        if namespace:
            html, ids = namespaced(html, namespace, ids)
        rendered = RenderedMarkdown(html, calls.calls, ids, namespace)
        if self.watch is not None:
            self.watch(text, prepared, rendered)
        return rendered


@dataclass(frozen=True)
class _Conversion:
    html: str
    errors: list[SiteError]  # a level-1 heading, active content the policy removes
    warnings: list[SiteError]  # the rest the policy removes
    seconds: float = 0.0  # of CPU time it took (of the build's budget)


def _over_budget(text: ContentText) -> SiteError:
    """The error of a text left unconverted: the build's texts spent its budget."""
    return SiteError(
        f"{_BUDGET_SPENT} more than {MAX_BUILD_MARKDOWN_SECONDS:g} s of CPU "
        "time together, the most a build may spend on them; this text was not "
        "converted",
        content_line(text, None),
        "look for texts with long runs of Markdown signs ([, *, <, \\, `)",
    )


def _more_removals(text: ContentText, count: int, active: bool) -> SiteError:
    """The line that stands for the removals past MAX_ERRORS_PER_TEXT of one kind."""
    kind = "active content" if active else "markup the HTML policy leaves out"
    return SiteError(
        f"and {count} more of the same kind ({kind}) in this text",
        content_line(text, None),
        f"only the first {MAX_ERRORS_PER_TEXT} are listed; fix those and build again",
    )


def _stopped(error: SiteError) -> _Conversion:
    """A conversion that did not happen (a limit stopped it), with the limit's error."""
    return _Conversion("", [error], [])


def _check_filled_addresses(text: ContentText, html: str, source: str) -> None:
    """Raise SiteError when a variable filled into an address of `text` made it one with a
    scheme the policy refuses (a location's name `javascript:...` in `[x]({{ location_name
    }})`): the text was cleaned with its tags in place, so its addresses are checked again
    with their values, on each page. The error is at the line of the text's first address
    made with a tag (its line mark in the prepared `source`)."""
    for match in _ADDRESS.finditer(html):
        for url in unescape(match.group(1)).split(","):
            problem = scheme_problem(url.split()[0] if url.split() else url)
            if problem is not None:
                mark = _MARKED_ADDRESS.search(source)
                raise SiteError(
                    f"an address made with a variable is {url.strip()!r} on this page: {problem}",
                    content_line(text, int(mark.group(1)) if mark else None),
                    "a variable in an address must give a path of the site or an "
                    "https://, mailto:, tel: or sms: address; check the value it is given",
                )


def content_text_errors(content: SiteContent, renderer: ContentRenderer) -> list[SiteError]:
    """Syntax errors, unknown variables and components in every editor text of `content`,
    each checked with the variables its kind of text may use (variables.content_texts), and
    level-1 headings in its Markdown texts (variables.markdown_texts)."""
    return _text_errors(content_texts(content), markdown_texts(content), renderer)


def content_text_warnings(content: SiteContent, renderer: ContentRenderer) -> list[SiteError]:
    """What the HTML policy removes from the Markdown texts of `content` that is not active
    content, as warnings at their lines (ContentRenderer.policy_warnings)."""
    return _text_warnings(markdown_texts(content), renderer)


def check_content_texts(
    content: SiteContent, renderer: ContentRenderer
) -> tuple[list[SiteError], list[SiteError]]:
    """content_text_errors and content_text_warnings of `content`, each text listed once;
    the renderer then holds nothing of any other text (ContentRenderer.keep_only: the dev
    server and the resident build process keep one renderer across builds)."""
    checked, markdown = content_texts(content), markdown_texts(content)
    renderer.keep_only({text for text, _names in checked}.union(markdown))
    return _text_errors(checked, markdown, renderer), _text_warnings(markdown, renderer)


def _text_errors(
    checked: list[tuple[ContentText, frozenset[str]]],
    markdown: list[ContentText],
    renderer: ContentRenderer,
) -> list[SiteError]:
    errors = [error for text, names in checked for error in renderer.check(text, names)]
    return errors + [error for text in markdown for error in renderer.outline(text)]


def _text_warnings(markdown: list[ContentText], renderer: ContentRenderer) -> list[SiteError]:
    return [warning for text in markdown for warning in renderer.policy_warnings(text)]
