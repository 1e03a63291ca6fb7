"""The build's page rules: the rules of sitegen.rules that concern what editors wrote, run
on every page the build renders, before anything is written. Each finding is reported at
the file, line and column of the text that produced it (a program's body, a location's
text, a FAQ answer, a page) or of the layout; errors stop the build, warnings print.

What it costs decides how: parsing a whole 25 KB page with lxml takes 0.6 ms, as long as
rendering it, so the build does not. An editor's text is parsed once, in its prepared
form (tags still in place: the same on every page it is on), and the rules of one page's
elements run on it there; only a text whose addresses hold a tag is parsed again per page.
What needs the whole page (one <h1>, unique ids, no JSON-LD block twice) is read from the
page's HTML by string search, some 80 microseconds a page. `check` runs the same rules on
the whole tree of each page afterwards.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from sitegen.errors import SiteError, SourceRef
from sitegen.model.check_rules import OFF, RULES, WARNING
from sitegen.model.project import LAYOUTS_DIR
from sitegen.model.records import ContentText
from sitegen.model.routes import Route
from sitegen.render.layouts import Layouts
from sitegen.rules import content_rules, data_rules
from sitegen.rules.attribution import SourceText, find, locate
from sitegen.rules.links import judge, resolve
from sitegen.rules.model import Finding, PageContext, PageFacts, Thresholds
from sitegen.rules.tree import parse
from sitegen.text.renderer import PreparedMarkdown, RenderedMarkdown
from sitegen.text.tags import LINE_MARK, TAG
from sitegen.text.template import content_at, content_line

_TAGGED_ADDRESS = re.compile(r'(?:href|src)="([^"]*(?:\{\{|\{%)[^"]*)"')
_JSON_LD = '<script type="application/ld+json">'  # how the layouts write a block's start
_ADDRESSES = ("a", "img", "iframe", "source", "link", "script")


Tagged = tuple[list[str], SourceRef]  # an address made with tags: its fixed parts, its place
Reported = tuple[str, SiteError]  # a finding's severity (error or warning) and the finding


@dataclass
class _Text:
    """What the rules found in one editor text: findings (at its file and line) and the
    #fragments it links to on its own page."""

    findings: list[Reported] = field(default_factory=list)
    fragments: list[tuple[str, Reported]] = field(default_factory=list)


@dataclass
class PageFindings:
    """What the page rules found on the pages of one render: SiteErrors by severity."""

    errors: list[SiteError] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)


class PageGate:
    """Runs the page rules on each page as it is rendered. `files` are the URL paths of
    every file of the build (/x/index.html, /assets/...); `redirected` the sources of its
    redirect rules (aliases); `origin` the production address, `severities` site.yaml's
    check.rules (rule id -> error|warning|off; the rules' defaults otherwise); `drafts`
    gives the pages the build leaves out as drafts (URL -> the file), for a hint."""

    def __init__(
        self,
        layouts: Layouts,
        files: Collection[str],
        redirected: Iterable[str],
        origin: str,
        severities: dict[str, str] | None = None,
        thresholds: Thresholds | None = None,
        drafts: Callable[[], dict[str, str]] | None = None,
    ):
        self.layouts = layouts
        self.drafts = drafts  # the URLs of the pages left out as drafts -> the draft's file
        self.files = files
        self.redirected = {r for path in redirected for r in (path, path.rstrip("/") or "/")}
        self.severities = severities or {}
        self.ctx = PageContext(origin, True, thresholds or Thresholds())
        self._texts: dict[object, _Text] = {}  # by text and HTML
        self._prepared: dict[int, tuple[PreparedMarkdown, _Text]] = {}
        self._ids: dict[str, ContentText] = {}  # an id an editor's text gave, and the text
        self._on_page: list[tuple[ContentText, _Text, RenderedMarkdown]] = []

    # -- while a page renders --------------------------------------------------------

    def watch(
        self, text: ContentText, prepared: PreparedMarkdown, rendered: RenderedMarkdown
    ) -> None:
        """ContentRenderer.watch: check a text the page renders (once per prepared form,
        or per page for a text with a tag in an address)."""
        if prepared.tagged_addresses:
            key: object = (text, rendered.html)
            checked = self._texts.get(key)
            if checked is None:
                tagged = _tagged_addresses(text, prepared.source)
                checked = self._texts[key] = self._check_text(text, rendered.html, tagged)
        else:  # by identity: the renderer keeps each prepared text for the whole build
            kept = self._prepared.get(id(prepared))
            if kept is None:
                kept = self._prepared[id(prepared)] = (
                    prepared,
                    self._check_text(text, prepared.source),
                )
            checked = kept[1]
        for value in rendered.ids:
            self._ids.setdefault(value, text)
        self._on_page.append((text, checked, rendered))

    def page(self, route: Route, html: str) -> PageFindings:
        """The findings of the page `route` whose HTML is `html` (its texts were watched as
        it rendered), by severity."""
        found = PageFindings()
        texts, self._on_page = self._on_page, []
        for _text, checked, _rendered in texts:
            self._add(found, checked.findings)
        ids = _ids(html)
        problems = list(self._page_rules(route, html, ids))
        present = set(ids)
        for _text, checked, _rendered in texts:
            problems += [found for fragment, found in checked.fragments if fragment not in present]
        self._add(found, problems)
        return found

    def forget(self) -> None:
        """Drop what was watched of a page that failed to render."""
        self._on_page = []

    # -- the rules -------------------------------------------------------------------

    def _check_text(
        self,
        text: ContentText,
        html: str,
        tagged: Sequence[Tagged] = (),
    ) -> _Text:
        """The rules of one page's elements on one text's HTML; `tagged` are the addresses
        of the text made with tags (_tagged_addresses), to place a finding about one."""
        checked = _Text()
        root = parse(f"<body>{html}</body>".encode())
        facts = PageFacts(url="")
        rules = [
            *content_rules.images(root, facts, self.ctx),
            *content_rules.links(root, facts, self.ctx),
        ]
        for element in root.iter(*_ADDRESSES):
            value = (element.get("href") or element.get("src") or "").strip()
            if not value or "{" in value:
                continue
            if value.startswith("#"):
                if len(value) > 1:
                    missing = Finding(
                        "broken-fragment", f"{value} is not an id on the page", "", None, value
                    )
                    error = self._error(missing, text)
                    if error is not None:
                        checked.fragments.append((value[1:], error))
                continue
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                if not self.ctx.origin or not value.startswith(self.ctx.origin + "/"):
                    continue
                value = value[len(self.ctx.origin) :]
            if not value.startswith("/"):
                rules.append(self._relative(value, element.tag))
                continue
            path = value.split("#", 1)[0].split("?", 1)[0] or "/"
            finding = judge(path, element.tag, "", resolve(path, self.files), self.redirected)
            if finding is not None:
                rules.append(Finding(finding.rule, finding.message, "", finding.element, value))
        broken = {f.subject for f in rules if f.rule == "broken-link"}
        for finding in rules:
            if finding.rule == "img-dimensions" and finding.subject in broken:
                continue  # an image that is not there: its size is the least of it
            error = self._error(finding, text, tagged=tagged)
            if error is not None:
                checked.findings.append(error)
        return checked

    def _relative(self, value: str, tag: str) -> Finding:
        """broken-link for an address relative to the page: an editor's text is on pages
        at several URLs, and the address leads somewhere else from each."""
        return Finding(
            "broken-link",
            f"<{tag}> points at '{value}', relative to each page it is on "
            "(a text is on pages at several URLs)",
            "",
            tag,
            value,
        )

    def _page_rules(self, route: Route, html: str, ids: list[str]) -> Iterator[Reported]:
        """h1-count, duplicate-id and jsonld-repeated on the whole page, read by string
        search; each at the text that gave the id, else in the layout."""
        url = route.url
        layout = f"{route.layout}.html"
        for finding in content_rules.h1_count(html.count("<h1"), url):
            places = self._layout_places(layout, "<h1")
            hint = "a page has one <h1>, its main heading: make the others <h2>"
            found = self._error(finding, None, layout, "<h1", last=True, hint=_at(hint, places))
            if found is not None:
                yield found
        for finding in content_rules.duplicate_ids(ids, url):
            text = self._ids.get(finding.subject or "")
            written = f'id="{finding.subject}"'
            places = self._layout_places(layout, written)
            if text is None and len(places) == 1:
                hint = "the page has it twice: is that template placed twice on the page?"
            else:
                hint = "give one of them another id (or its heading other words)"
            found = self._error(
                replace(finding, subject=written), text, layout, hint=_at(hint, places)
            )
            if found is not None:
                yield found
        blocks = html.split(_JSON_LD)
        if len(blocks) > 2:  # two blocks or more
            texts = [block.partition("</script>")[0] for block in blocks[1:]]
            places = self._layout_places(layout, _JSON_LD)
            hint = "write each block once: is the loop over page.structured_data there twice?"
            for finding in data_rules.repeated(texts, url):
                found = self._error(finding, None, layout, _JSON_LD, hint=_at(hint, places))
                if found is not None:
                    yield found

    # -- reporting -------------------------------------------------------------------

    def _layout_places(self, layout: str, subject: str) -> list[str]:
        """file:line:column of every place in the layout `layout`'s chain that holds
        `subject` as written."""
        places = []
        for name, source in self.layouts.chain(layout):
            offset = source.find(subject)
            while offset >= 0:
                line = source.count("\n", 0, offset) + 1
                column = offset - source.rfind("\n", 0, offset)
                places.append(f"{LAYOUTS_DIR}/{name}:{line}:{column}")
                offset = source.find(subject, offset + 1)
        return places

    def _error(
        self,
        finding: Finding,
        text: ContentText | None,
        layout: str | None = None,
        layout_subject: str | None = None,
        last: bool = False,
        hint: str | None = None,
        tagged: Sequence[Tagged] = (),
    ) -> Reported | None:
        """The finding's severity and the finding as a SiteError at its place: in `text`,
        else in the layout `layout`'s chain where `layout_subject` is; None when site.yaml
        turns the rule off."""
        severity = self.severities.get(finding.rule, RULES[finding.rule].severity)
        if severity == OFF:
            return None
        where: SourceRef | None = None
        if text is not None:
            where = _place_in(text, finding.subject)
            if where == text.source and finding.subject:
                # an address made with tags: the line mark of the one whose fixed parts it has
                for parts, mark in tagged:
                    if _has_in_order(finding.subject, parts):
                        where = mark
                        break
        elif layout is not None:
            chain = [
                SourceText(f"{LAYOUTS_DIR}/{name}", source)
                for name, source in self.layouts.chain(layout)
            ]
            place = locate(layout_subject or finding.subject, chain[::-1] if last else chain)
            where = SourceRef(*place) if place else SourceRef(f"{LAYOUTS_DIR}/{layout}")
        hint = hint or self._hint(finding)
        if finding.url:  # kept once per place and message: the first page it was on
            hint = f"{hint} (first found on {finding.url})"
        return severity, SiteError(f"{finding.rule}: {finding.message}", where, hint)

    def _hint(self, finding: Finding) -> str | None:
        """What to do about a finding, where the rule and its subject say."""
        subject = finding.subject or ""
        if finding.rule == "broken-link":
            page = subject.split("#", 1)[0].split("?", 1)[0]
            drafts = self.drafts() if self.drafts else {}
            draft = drafts.get(page) or drafts.get(page + "/")
            if draft is not None:
                return f"that page is a draft ({draft} has draft: true): publish it first"
            guess = "/assets/" + subject if not subject.startswith("/") else subject
            if resolve(guess, self.files):
                return f"write {guess}"
            close = difflib.get_close_matches(guess, _pages(self.files), n=1, cutoff=0.8)
            if close:
                return f"did you mean {close[0]}?"
            if guess.startswith("/assets/"):
                return f"add the file as assets/{guess.removeprefix('/assets/')}, or fix the name"
            return "link a page or file this build makes"
        if finding.rule == "redirect-link" and not subject.endswith("/"):
            return f"write {subject}/"
        if finding.rule == "broken-fragment":
            return "link an id the page has, or give the heading or element that id"
        if finding.rule == "img-alt":
            return "say what the image shows: ![what it shows](/assets/images/x.svg)"
        return None

    def _add(self, found: PageFindings, reported: Iterable[Reported]) -> None:
        for severity, error in reported:
            (found.warnings if severity == WARNING else found.errors).append(error)


def _tagged_addresses(text: ContentText, source: str) -> list[Tagged]:
    """The addresses (href, src) of a prepared text that are made with tags: the fixed parts
    of each, and the place in the content file its line mark gives."""
    found = []
    for address in _TAGGED_ADDRESS.findall(source):
        mark = LINE_MARK.search(address)
        if mark is None:
            continue
        parts = [part for part in TAG.split(address) if part]
        found.append((parts, content_line(text, int(mark.group(1)))))
    return found


def _has_in_order(value: str, parts: list[str]) -> bool:
    """Whether `value` holds each of `parts`, in their order."""
    position = 0
    for part in parts:
        position = value.find(part, position)
        if position < 0:
            return False
        position += len(part)
    return True


def _at(hint: str, places: list[str]) -> str:
    """`hint`, and the places of the layouts it concerns (when there are any)."""
    return f"{hint} (the layouts write it at {', '.join(places)})" if places else hint


def _place_in(text: ContentText, subject: str | None) -> SourceRef:
    """Where `subject` is in the editor's `text`: its file, line and column (a YAML text's
    line only: its lines were folded or indented); the text's first line if not there."""
    offset = find(subject, text.text) if subject else None
    if offset is None:
        return text.source
    if text.line_starts:
        return content_at(text, offset)
    own = SourceText(text.source.path, text.text, text.source.line or 1)
    place = locate(subject, [own])
    return SourceRef(*place) if place else text.source


def _ids(html: str) -> list[str]:
    """The value of every id attribute written ` id="..."` (after any whitespace) in `html`,
    in order: a split in C, six times faster than a regular expression led by \\s."""
    parts = html.split('id="')
    return [parts[i].partition('"')[0] for i in range(1, len(parts)) if parts[i - 1][-1:].isspace()]


def _pages(files: Collection[str]) -> list[str]:
    """The URLs of a build's pages and the paths of its other files."""
    return [f.removesuffix("index.html") for f in files]
