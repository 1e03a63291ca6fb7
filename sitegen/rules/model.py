"""The page rules' records, shared by the build and the checker: a finding, the limits
of the rules that measure, the facts kept of each page and what a page is checked with."""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.manifest import PageSource

Candidate = tuple[str | None, int, float]
"""One image candidate of a srcset (or a src): its internal path (None: another site's,
or no address), its width descriptor in image pixels (0: none) and its density (0.0 with
a width descriptor; 1.0 when it has neither)."""

Choice = tuple[str, str, tuple[Candidate, ...]]
"""What a browser chooses an image file from: a <source> of a <picture> or the <img>
itself, as (its media query list, "" for none; its sizes, "" for none; its candidates)."""

Picture = tuple[str | None, int, bool, tuple[Choice, ...]]
"""An <img> as a browser shows it, in plain values (the cache keeps them): its src's
internal path, its width attribute in CSS px (0: none or not a number of pixels),
whether an AVIF or WebP alternative is offered (a <source type> or a .avif/.webp file),
and its choices: the <source>s of its <picture> a browser can show, in order, then the
<img>'s own (sitegen.rules.pictures)."""


@dataclass(frozen=True)
class Finding:
    """One thing a rule found. `rule` is an id of sitegen.model.check_rules.RULES."""

    rule: str
    message: str
    url: str  # the page (or site file, e.g. /sitemap.xml) the finding is about
    element: str | None = None  # the start tag or a snippet
    subject: str | None = None  # what to look for in the source to find the line (an
    # address, a heading's words, a field's name): see sitegen.rules.attribution
    severity: str = "error"  # set from the rule and site.yaml when reported
    source: str | None = None  # the file an editor should change, when known
    line: int | None = None  # its 1-based line, when known

    def plain(self) -> tuple[str, str, str, str | None, str | None]:
        """(rule, message, url, element, subject): what a cache keeps of a finding."""
        return (self.rule, self.message, self.url, self.element, self.subject)


@dataclass(frozen=True)
class Thresholds:
    """The limits of the rules that measure (site.yaml's `check.thresholds`): lengths in
    characters, image sizes in KB (1024 bytes), similarities as fractions (0.8 = 80%)."""

    title_min: int = 30
    title_max: int = 60
    description_min: int = 70
    description_max: int = 160
    image_max_kb: int = 300
    image_oversize: float = 1.5  # img-oversized: a file this many times wider than needed...
    image_waste_kb: int = 4  # ...wasting more than this many KB (Lighthouse: 4 KiB)
    image_modern_kb: int = 8  # img-modern-format: JPEG and PNG files above this (Lighthouse: 8)
    near_duplicate: float = 0.80
    doorway: float = 0.90


@dataclass
class PageFacts:
    """The summary of one page that the rules across pages need (cached per file)."""

    url: str
    title: str | None = None
    description: str | None = None
    h1: str | None = None
    canonical: str | None = None
    noindex: bool = False
    not_found: bool = False
    ids: frozenset[str] = frozenset()
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (path, fragment, tag)
    images: list[str] = field(default_factory=list)  # internal paths of <img> files
    pictures: list[Picture] = field(default_factory=list)  # each distinct <img>, as shown
    sketch: tuple[int, ...] = ()  # bottom-k hashes of the main text's word shingles
    masked_sketch: tuple[int, ...] = ()  # instead, when the location's names are known: masked
    # the JSON-LD nodes that state facts under an @id (sitegen.rules.jsonld_nodes.Node)
    nodes: list[tuple[str, tuple[tuple[str, str, str], ...]]] = field(default_factory=list)


@dataclass(frozen=True)
class PageContext:
    """What the rules of one page need besides its HTML."""

    origin: str | None  # https://www.example.com: links to it are internal
    production: bool  # a production build (noindex and canonical rules apply)
    thresholds: Thresholds
    source: PageSource | None = None  # what the build recorded about the page, if ours

    def in_search(self, noindex: bool, not_found: bool) -> bool:
        """Whether a page that says `noindex` (or not), and is the not-found page (or not),
        will be in search results once in production. In production that is what the page
        says; a preview says noindex on every page to keep itself out of search, so there
        the page is judged as production will have it: as the build meant it (its record,
        `source`), and a page of a folder that is not ours as meant to be indexed."""
        if not_found:
            return False
        if self.production or not noindex:
            return not noindex
        return not self.source.noindex if self.source else True
