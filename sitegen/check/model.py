"""The checker's records, which every other module of the checker shares: a finding, the
facts kept of each page, the settings of one check, what a page is checked with, and the
report. This module imports no other module of the checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen.manifest import PageSource


@dataclass(frozen=True)
class Finding:
    """One thing a rule found. `rule` is an id of sitegen.model.check_rules.RULES."""

    rule: str
    message: str
    url: str  # the page (or site file, e.g. /sitemap.xml) the finding is about
    element: str | None = None  # the start tag or a snippet
    severity: str = "error"  # set from the rule and site.yaml when reported
    source: str | None = None  # the content file an editor should change, when known
    line: int | None = None


@dataclass(frozen=True)
class Thresholds:
    """The limits of the rules that measure (site.yaml's `check.thresholds`): lengths in
    characters, image sizes in KB (1024 bytes), similarities as fractions (0.8 = 80%)."""

    title_min: int = 30
    title_max: int = 60
    description_min: int = 70
    description_max: int = 160
    image_max_kb: int = 300
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
    sketch: tuple[int, ...] = ()  # bottom-k hashes of the main text's word shingles
    masked_sketch: tuple[int, ...] = ()  # instead, when the location's names are known: masked


@dataclass(frozen=True)
class PageContext:
    """What the rules of one page need besides its HTML."""

    origin: str | None  # https://www.example.com: links to it are internal
    production: bool  # a production build (noindex and canonical rules apply)
    thresholds: Thresholds
    source: PageSource | None = None  # what the build recorded about the page, if ours


@dataclass(frozen=True)
class CheckOptions:
    """The settings of one check of `folder`."""

    folder: Path  # the built pages
    root: Path  # the project, whose site.yaml has the settings
    site_url: str | None = None  # the production origin; else read from the canonical URLs
    production: bool = True
    jobs: int | None = None  # worker processes; None: one per core, for many pages
    use_cache: bool = True
    severities: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|off
    thresholds: Thresholds = field(default_factory=Thresholds)


@dataclass
class CheckReport:
    """The findings of one check (severities set, sorted by page), and how it went."""

    findings: list[Finding]
    pages: int  # HTML files in the folder
    parsed: int  # pages read and parsed this time (the others came from the cache)
    origin: str | None
    timings: dict[str, float] = field(default_factory=dict)  # step -> seconds

    @property
    def errors(self) -> list[Finding]:
        """The findings of severity error (they fail the check)."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings of severity warning."""
        return [f for f in self.findings if f.severity == "warning"]
