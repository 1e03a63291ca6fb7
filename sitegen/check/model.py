"""The checker's own records: the settings of one check and its report. The records of
the page rules (a finding, the facts of a page) are in sitegen.rules.model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen.rules.model import Finding, Thresholds


@dataclass(frozen=True)
class CheckOptions:
    """The settings of one check of `folder`."""

    folder: Path  # the built pages
    root: Path  # the project, whose site.yaml has the settings
    site_url: str | None = None  # --site-url: the production origin to judge by
    production: bool = True
    jobs: int | None = None  # worker processes; None: one per core, for many pages
    use_cache: bool = True
    severities: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|off
    thresholds: Thresholds = field(default_factory=Thresholds)
    base_url: str | None = None  # site.yaml's; the pages' own origin wins (check.origin)


@dataclass
class CheckReport:
    """The findings of one check (severities set, sorted by page), and how it went."""

    findings: list[Finding]
    pages: int  # HTML files in the folder
    parsed: int  # pages read and parsed this time (the others came from the cache)
    origin: str | None  # the origin the pages were judged by (sitegen.check.origin)
    origin_source: str | None = None  # where it came from: site-url, base-url, pages
    origin_note: str | None = None  # why, when the pages name another site than site.yaml
    timings: dict[str, float] = field(default_factory=dict)  # step -> seconds

    @property
    def errors(self) -> list[Finding]:
        """The findings of severity error (they fail the check)."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings of severity warning."""
        return [f for f in self.findings if f.severity == "warning"]
