"""The build's page rules: the rules of sitegen.rules that concern what editors wrote, run
on every page the build renders, before anything is written. Each finding is reported at
the file, line and column of the text that produced it (a program's body, a location's
text, a FAQ answer, a page) or of the layout; errors stop the build, warnings print.

What it costs decides how: parsing a whole 25 KB page with lxml takes 0.6 ms, as long as
rendering it, so the build does not. An editor's text is parsed once, in its prepared
form (tags still in place: the same on every page it is on), and the rules of one page's
elements run on it there (rules.fragment); only a text whose addresses hold a tag is
parsed again per page. What needs the whole page (one <h1>, unique ids, no JSON-LD block
twice) is read from the page's HTML by string search (rules.page_scan), some 0.1 ms a
page. `check` runs the same rules on the whole tree of each page afterwards.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace

from sitegen.errors import SiteError, SourceRef
from sitegen.model.check_rules import OFF, RULES, WARNING
from sitegen.model.limits import MAX_ERRORS_PER_TEXT
from sitegen.model.project import LAYOUTS_DIR
from sitegen.model.records import ContentText
from sitegen.model.routes import Route
from sitegen.render.layouts import Layouts
from sitegen.render.text_places import Tagged, place_in, place_of_id, tagged_addresses
from sitegen.rules import content_rules, data_rules, page_scan
from sitegen.rules.attribution import SourceText, locate
from sitegen.rules.fragment import text_findings
from sitegen.rules.links import resolve
from sitegen.rules.model import Finding, PageContext, Thresholds
from sitegen.text.components import unfilled_parts
from sitegen.text.renderer import PreparedMarkdown, RenderedMarkdown

MAX_GUESSES = 200  # broken addresses a build works out a "did you mean" for
HINTS_WITHHELD = (
    f'(no "did you mean": a build guesses for {MAX_GUESSES} broken addresses at most, '
    "the first in alphabetical order)"
)
"""Ends the hint of a broken link whose guess the budget refused. Which addresses get a
guess depends only on the broken addresses of the pages a build renders (not on its
workers, nor on the order they render in): a build of some pages renders every page when
the last build's guesses and its own could reach the budget (pipeline.build)."""
_GUESS = "\0"  # a hint to be guessed: _GUESS, the address, _GUESS, the hint without, _GUESS
Reported = tuple[str, SiteError]  # a finding's severity (error or warning) and the finding


# a link written without its scheme: www.example.com, example.org/page
_LOOKS_LIKE_A_HOST = re.compile(
    r"(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|io|us|info))"
    r"(?:[/:?#]|$)",
    re.IGNORECASE,
)


@dataclass(eq=False)  # one per text: compared by identity
class _Text:
    """What the rules found in one editor text, placed in its file: findings, the #ids it
    links to on its page (each with its finding, kept when the page lacks the id), and
    the ids it gives that the page scan cannot read (written by hand in another form);
    and the text itself."""

    findings: list[Reported] = field(default_factory=list)
    fragments: list[tuple[str, Reported]] = field(default_factory=list)
    unscanned: list[str] = field(default_factory=list)
    text: ContentText | None = None
    ids: list[str] = field(default_factory=list)  # every id it gives (its tree's)


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
    gives the pages the build leaves out as drafts (URL -> the file), for a hint;
    `shown_drafts` those a preview shows (a link to one is a warning there)."""

    def __init__(
        self,
        layouts: Layouts,
        files: Collection[str],
        redirected: Iterable[str],
        origin: str,
        severities: dict[str, str] | None = None,
        thresholds: Thresholds | None = None,
        drafts: Callable[[], dict[str, str]] | None = None,
        shown_drafts: dict[str, str] | None = None,
    ):
        self.layouts = layouts
        self.files = files
        self.redirected = {r for path in redirected for r in (path, path.rstrip("/") or "/")}
        self.severities = severities or {}
        self.ctx = PageContext(origin, True, thresholds or Thresholds())
        self.drafts = drafts
        self._pages: list[str] | None = None  # the build's URLs, for "did you mean"
        self.guesses = 0  # broken addresses that wanted a "did you mean" (guess_hints)
        self.shown_drafts = shown_drafts or {}  # the preview's: drafts it shows, URL -> file
        self._texts: dict[object, _Text] = {}  # by text and HTML
        self._prepared: dict[int, tuple[PreparedMarkdown, _Text]] = {}
        # an id an editor's text gave: each text that gave it, with its HTML (the first)
        self._ids: dict[str, dict[ContentText, str]] = {}
        self._given: dict[ContentText, set[str]] = {}  # the same, by text: the ids only
        # the texts of the page being rendered that give ids: each with its HTML there
        self._watched: list[tuple[ContentText, str, tuple[str, ...]]] = []
        self._on_page: list[_Text] = []
        self._parts: list[tuple[str, _Text]] = []  # those of `_on_page` a view makes (a FAQ
        # answer, namespaced) with their HTML: a page that made the view may not show them
        self._shared: list[tuple[str, _Text]] = []  # texts shown on several pages, with links
        # to #ids of their page: their HTML (to know a page shows them) and what was found

    # -- while a page renders --------------------------------------------------------

    def watch(
        self, text: ContentText, prepared: PreparedMarkdown, rendered: RenderedMarkdown
    ) -> None:
        """ContentRenderer.watch: check a text the page renders (once per prepared form,
        or per page for a text with a tag in an address)."""
        if prepared.tagged_addresses or rendered.namespace:  # the HTML as the page has it
            key: object = (text, rendered.html)
            checked = self._texts.get(key)
            if checked is None:
                tagged = tagged_addresses(text, prepared.source)
                checked = self._texts[key] = self._check(text, rendered.html, tagged)
                if rendered.namespace and checked.fragments:  # shown on several pages
                    self._shared.append((rendered.html, checked))
            if rendered.namespace:
                self._parts.append((rendered.html, checked))
        else:  # by identity: the renderer keeps each prepared text for the whole build
            kept = self._prepared.get(id(prepared))
            if kept is None:
                kept = self._prepared[id(prepared)] = (
                    prepared,
                    self._check(text, prepared.source),
                )
                if kept[1].fragments:
                    self._shared.append((rendered.html, kept[1]))
            checked = kept[1]
        ids = (*rendered.ids, *checked.ids)
        if ids:
            given = self._given.get(text)
            if given is None:
                given = self._given[text] = set()
            if not given.issuperset(ids):  # its first HTML: one per text, not one per page
                part = _shown_part(rendered.html)  # once a call: a text may give 20,000 ids
                for value in ids:
                    self._ids.setdefault(value, {}).setdefault(text, part)
                given.update(ids)
            self._watched.append((text, rendered.html, ids))
        self._on_page.append(checked)

    def forget(self) -> None:
        """Drop what was watched of a page that failed to render."""
        self._on_page, self._parts = [], []
        self._watched = []

    def prepared(self) -> None:
        """The texts rendered before the pages (PageRenderer.prepare) give no id of the
        first page rendered next: it may not show them (their findings still count with it)."""
        self._watched = []

    def page(self, route: Route, html: str) -> PageFindings:
        """The findings of the page `route` whose HTML is `html` (its texts were watched as
        it rendered), by severity. A text rendered once for several pages (a FAQ answer)
        counts on each page that shows it."""
        texts, self._on_page = self._on_page, []
        watched, self._watched = self._watched, []
        parts, self._parts = self._parts, []
        texts += [t for shown, t in self._shared if t not in texts and shown in html]  # by id
        unshown = {t for part, t in parts if part not in html}  # made for a view, not shown
        shown = [t for t in texts if t not in unshown]  # _Text: compared by identity
        ids = page_scan.tag_ids(html)
        for checked in shown:
            ids += checked.unscanned
        found = PageFindings()
        present = set(ids)
        reported = [r for checked in texts for r in checked.findings]  # counted with it
        reported += [r for t in shown for value, r in t.fragments if value not in present]
        reported += self._page_rules(route, html, ids, [t.text for t in texts if t.text], watched)
        for severity, error in reported:
            (found.warnings if severity == WARNING else found.errors).append(error)
        return found

    # -- the rules -------------------------------------------------------------------

    def _check(self, text: ContentText, html: str, tagged: list[Tagged] | None = None) -> _Text:
        """The rules of one page's elements on one text's HTML, placed in the text; `tagged`
        are its addresses made with tags, to place a finding about one."""
        found = text_findings(html, self.ctx, self.files, self.redirected)
        unscanned = Counter(found.ids) - Counter(page_scan.tag_ids(html, careful=True))
        checked = _Text(unscanned=list(unscanned.elements()), text=text, ids=list(found.ids))
        seen: Counter[tuple[str, str | None]] = Counter()
        for finding in found.findings:
            nth = seen[(finding.rule, finding.subject)]
            seen[(finding.rule, finding.subject)] += 1
            where = place_in(text, finding.subject, nth, tagged or ())
            reported = self._report(finding, where)
            if reported is not None:
                checked.findings.append(reported)
        for path in found.paths:
            draft = self.shown_drafts.get(path)
            if draft is not None:
                checked.findings.append((WARNING, self._draft_link(text, path, draft, tagged)))
        for finding in found.fragments:
            where = place_in(text, finding.subject, 0, tagged or ())
            reported = self._report(finding, where)
            if reported is not None:
                checked.fragments.append(((finding.subject or "#")[1:], reported))
        return checked

    def _draft_link(
        self, text: ContentText, path: str, draft: str, tagged: list[Tagged] | None
    ) -> SiteError:
        """The preview's warning for a link to a draft it shows: the build will refuse it."""
        return SiteError(
            f"links to {path}, which is a draft ({draft} has draft: true): the preview shows "
            "it, but the published build (python build.py) will fail until it is published",
            place_in(text, path, 0, tagged or ()),
            "publish the page (remove draft: true), or take the link out until it is ready",
        )

    def _page_rules(
        self,
        route: Route,
        html: str,
        ids: list[str],
        texts: list[ContentText],
        watched: list[tuple[ContentText, str, tuple[str, ...]]],
    ) -> Iterator[Reported]:
        """h1-count, duplicate-id and jsonld-repeated on the whole page, read by string
        search; each at the text that gave the id (`_giver`: of the texts rendered for it,
        `watched` with their HTML and ids, and those rendered once for several pages, the
        first the page shows), else in the layout."""
        url = route.url
        layout = f"{route.layout}.html"
        h1s, blocks = page_scan.h1_and_json_ld(html)
        for finding in content_rules.h1_count(h1s, url):
            places = self._layout_places(layout, "<h1")
            hint = "a page has one <h1>, its main heading: make the others <h2>"
            where = self._in_layout(layout, "<h1", last=True)
            yield from self._reported(finding, where, _at(hint, places))
        page_ids: dict[str, dict[ContentText, str]] | None = None  # only for a duplicate
        for count, finding in enumerate(content_rules.duplicate_ids(ids, url)):
            if page_ids is None:  # each id the page's texts gave: each text, its first HTML
                page_ids = {}
                for given, given_html, values in watched:
                    for value in values:
                        page_ids.setdefault(value, {}).setdefault(given, given_html)
            if count == MAX_ERRORS_PER_TEXT:  # placing each costs a search of the page
                more = sum(1 for n in Counter(ids).values() if n > 1) - count - 1
                finding = replace(
                    finding, message=f"{finding.message}, and {more} more ids are too"
                )
            elif count > MAX_ERRORS_PER_TEXT:
                break
            text = self._giver(finding.subject or "", html, page_ids.get(finding.subject or ""))
            written = f'id="{finding.subject}"'
            places = self._layout_places(layout, written)
            if text is None and len(places) == 1:
                hint = "the page has it twice: is that template placed twice on the page?"
            else:
                hint = "give one of them another id (or its heading other words)"
            if text is not None:
                where = place_of_id(text, finding.subject or "")
            else:
                where = self._in_layout(layout, written)
            yield from self._reported(replace(finding, subject=written), where, _at(hint, places))
        if len(blocks) > 1:
            for finding in data_rules.repeated(blocks, url):
                start = finding.subject or ""
                text = next((t for t in texts if start and start in t.text), None)
                if text is not None:  # an editor wrote it
                    where = place_in(text, start)
                    hint = "write the block once on the page"
                    yield from self._reported(finding, where, hint)
                    continue
                places = self._layout_places(layout, page_scan.JSON_LD_START)
                hint = "write each block once: is the loop over page.structured_data there twice?"
                where = self._in_layout(layout, page_scan.JSON_LD_START)
                yield from self._reported(finding, where, _at(hint, places))

    def _giver(
        self, value: str, html: str, own: dict[ContentText, str] | None
    ) -> ContentText | None:
        """The text that gives the id `value` on the page `html`: of the texts rendered for
        it (`own`, with their HTML) and those rendered once for several pages that it shows
        (a FAQ answer: rendered for this page or an earlier one, as the build's pages
        come), the one the page shows first; the same whichever pages the build renders."""
        own = own or {}
        found = []
        for text, given in {**self._ids.get(value, {}), **own}.items():
            part = _shown_part(given) if text in own else given
            at = html.find(part) if part else -1
            if at >= 0 or text in own:  # shown where found, else (filled in) after those
                found.append((at if at >= 0 else len(html), str(text.source), text))
        return min(found, key=lambda shown: shown[:2])[2] if found else None

    # -- reporting -------------------------------------------------------------------

    def _in_layout(self, layout: str, subject: str, last: bool = False) -> SourceRef:
        """The first (or `last`) place of `subject` in the layout `layout`'s chain."""
        chain = [
            SourceText(f"{LAYOUTS_DIR}/{name}", source)
            for name, source in self.layouts.chain(layout)
        ]
        place = locate(subject, chain[::-1] if last else chain)
        return SourceRef(*place) if place else SourceRef(f"{LAYOUTS_DIR}/{layout}")

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

    def _reported(self, finding: Finding, where: SourceRef, hint: str) -> Iterator[Reported]:
        reported = self._report(finding, where, hint)
        if reported is not None:
            yield reported

    def _report(
        self, finding: Finding, where: SourceRef, hint: str | None = None
    ) -> Reported | None:
        """The finding's severity and the finding as a SiteError at `where`; None when
        site.yaml turns the rule off."""
        severity = self.severities.get(finding.rule, RULES[finding.rule].severity)
        if severity == OFF:
            return None
        hint = hint or self._hint(finding)
        if finding.url:  # kept once per place and message: the first page it was on
            hint = f"{hint} (first found on {finding.url})"
        return severity, SiteError(f"{finding.rule}: {finding.message}", where, hint)

    def _hint(self, finding: Finding) -> str | None:
        """What to do about a finding, where the rule and its subject say."""
        subject = finding.subject or ""
        if finding.rule == "broken-link":
            return self._broken_hint(subject)
        if finding.rule == "redirect-link":
            cut = min((i for i in (subject.find("?"), subject.find("#")) if i >= 0), default=-1)
            path, rest = (subject[:cut], subject[cut:]) if cut >= 0 else (subject, "")
            if not path.endswith("/"):
                return f"write {path}/{rest}"
        if finding.rule == "broken-fragment":
            return "link an id the page has, or give the heading or element that id"
        if finding.rule == "img-alt":
            return "say what the image shows: ![what it shows](/assets/images/x.svg)"
        if finding.rule == "http-self-link":
            return f"write it from the site's root (/...) or with https://: {self.ctx.origin}/..."
        if finding.rule == "tel-invalid":
            return "write the number in international form: tel:+13235550100"
        return None

    def _broken_hint(self, subject: str) -> str:
        page = subject.split("#", 1)[0].split("?", 1)[0]
        drafts = self.drafts() if self.drafts else {}
        draft = drafts.get(page) or drafts.get(page + "/")
        if draft is not None:
            return f"that page is a draft ({draft} has draft: true): publish it first"
        if not page.startswith("/"):  # relative: from the site's root, or under assets/
            for guess in ("/" + page.lstrip("./"), "/assets/" + page.lstrip("./")):
                if resolve(guess, self.files):
                    return f"write {guess}"
            if _LOOKS_LIKE_A_HOST.match(page):  # [web](www.example.com)
                return f"write the whole address of another site: https://{page}"
            return "write the address from the site's root: /assets/images/x.svg, /insurance/"
        if page.startswith("/assets/") and not page.endswith("/"):
            hint = f"add the file as assets/{page.removeprefix('/assets/')}, or fix the name"
        else:
            hint = "link a page or file this build makes"
        if _GUESS in page:  # (an address with a NUL is no page's)
            return hint
        # each guess compares with every file of the build: guess_hints makes a bounded
        # number, once the workers are done, the same whichever worker found which link
        return f"{_GUESS}{page}{_GUESS}{hint}{_GUESS}"

    def guess_hints(self, found: Iterable[SiteError]) -> None:
        """Give the broken links of `found` (a finding may be listed twice) their "did you
        mean" (difflib's closest URL of the build, compared in lowercase, at a ratio of
        0.85 or more): for the first `MAX_GUESSES` of their addresses in alphabetical order,
        each guessed once; the others' hints say that none was made. Sets `guesses` to the
        number of addresses that wanted one. Run on what every worker found, so the hints
        are the same with any number of workers."""
        # a text shown on several pages gives them the same finding: each is changed once
        waiting = list({id(e): e for e in found if e.hint and e.hint.startswith(_GUESS)}.values())
        addresses = sorted({error.hint.split(_GUESS)[1] for error in waiting if error.hint})
        self.guesses = len(addresses)
        guessed: dict[str, str | None] = {}
        lowered: dict[str, str] = {}  # the build's URLs in lowercase: /Los-Angeles/ too
        for page in addresses[:MAX_GUESSES]:
            if self._pages is None:
                self._pages = _pages(self.files)
            if not lowered:
                for url in reversed(self._pages):  # the first of two that differ in case
                    lowered[url.lower()] = url
                choices = list(lowered)
            close = difflib.get_close_matches(page.lower(), choices, n=1, cutoff=0.85)
            guess = lowered[close[0]] if close else None
            guessed[page] = guess if guess != page else None
        for error in waiting:
            assert error.hint is not None
            _, page, hint, rest = error.hint.split(_GUESS, 3)
            if page not in guessed:
                hint = f"{hint} {HINTS_WITHHELD}"
            elif guessed[page] is not None:
                hint = f"did you mean {guessed[page]}?"
            error.hint = hint + rest


def _shown_part(html: str) -> str:
    """The longest part of a text's HTML that a page showing it has as is (between the
    components filled in there)."""
    return max(unfilled_parts(html), key=len)


def _at(hint: str, places: list[str]) -> str:
    """`hint`, and the places of the layouts it concerns (when there are any)."""
    return f"{hint} (the layouts write it at {', '.join(places)})" if places else hint


def _pages(files: Collection[str]) -> list[str]:
    """The URLs of a build's pages and the paths of its other files."""
    return [f.removesuffix("index.html") for f in files]
