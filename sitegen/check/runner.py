"""The check of one folder: parse each changed page once (on both cores for many pages),
reuse the cached results of unchanged ones, then run the rules across pages."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.cache import cache_path, load, save
from sitegen.check import site_rules
from sitegen.check.folder import infer_origin, list_files, read_redirects, read_sitemap
from sitegen.check.incremental import LazyPages, site_findings
from sitegen.check.model import Finding, Thresholds
from sitegen.check.page import PageContext
from sitegen.check.workers import parse_all, sha1
from sitegen.manifest import PageSource
from sitegen.model.check_rules import OFF, RULES


def _code_version() -> str:
    """Cached findings are only as good as the rules that made them: a new version of the
    checker's page rules starts a new cache."""
    here = Path(__file__).parent
    digest = hashlib.sha1()
    for name in (
        "page.py",
        "similarity.py",
        "model.py",
        "incremental.py",
        "workers.py",
    ):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


CACHE_VERSION = _code_version()
LOCAL_TEXT_RULES = ("doorway", "near-duplicate")


@dataclass(frozen=True)
class CheckOptions:
    folder: Path
    root: Path  # the project, whose site.yaml has the settings
    site_url: str | None = None
    production: bool = True
    jobs: int | None = None
    use_cache: bool = True
    severities: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|off
    thresholds: Thresholds = field(default_factory=Thresholds)


@dataclass
class CheckReport:
    findings: list[Finding]
    pages: int
    parsed: int  # pages read and parsed this time (the others came from the cache)
    origin: str | None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def run_check(options: CheckOptions, sources: dict[str, PageSource] | None = None) -> CheckReport:
    started = time.perf_counter()
    sources = sources or {}
    files, html, stamps = list_files(options.folder)
    origin = (options.site_url or "").rstrip("/") or infer_origin(options.folder, html)
    cache_file = cache_path(options.folder, "check")
    cached = load(cache_file) if options.use_cache else None
    valid = isinstance(cached, dict) and cached.get("version") == CACHE_VERSION
    entries: dict = cached.get("pages", {}) if valid else {}
    old_rules: dict = cached.get("rules", {}) if valid else {}
    listed = time.perf_counter()

    contexts = {
        url: PageContext(origin, options.production, options.thresholds, sources.get(url))
        for url in html
    }
    page_findings: dict[str, list[Finding]] = {}
    to_parse: list[tuple[str, str]] = []
    new_entries: dict = {}
    common = repr((origin, options.production, options.thresholds))
    for url, path in html.items():
        stamp = stamps[url]
        source = sources.get(url)
        context_key = (
            common,
            (source.source, source.noindex, source.group, source.terms, source.local_text)
            if source
            else None,
        )
        entry = entries.get(url)
        # unchanged size and time: the same file (a build never rewrites an unchanged page);
        # otherwise compare the content, which a touch does not change
        if (
            entry
            and entry["context"] == context_key
            and (entry["stat"] == stamp or entry["sha1"] == sha1(Path(path).read_bytes()))
        ):
            page_findings[url] = [Finding(*f) for f in entry["findings"]]
            new_entries[url] = {**entry, "stat": stamp}
            continue
        to_parse.append((url, path))
        new_entries[url] = {"stat": stamp, "context": context_key}
    compared = time.perf_counter()

    for url, done in parse_all(to_parse, contexts, options.jobs):
        page_findings[url] = [Finding(*f) for f in done["findings"]]
        new_entries[url].update(done)
    pages = LazyPages({url: entry["blob"] for url, entry in new_entries.items()})
    parsed = time.perf_counter()

    site = site_rules.Site(
        pages=pages,
        files=files,
        origin=origin,
        sitemap=read_sitemap(options.folder),
        redirects=read_redirects(options.folder),
        sources=sources,
    )
    findings = [f for found in page_findings.values() for f in found]
    new_rules: dict = {}
    findings += site_findings(site, options, new_entries, old_rules, new_rules)
    report = CheckReport(_finish(findings, options, sources), len(html), len(to_parse), origin)
    if options.use_cache:
        with contextlib.suppress(OSError, ValueError):  # only a cache: the next check reads more
            save(cache_file, {"version": CACHE_VERSION, "pages": new_entries, "rules": new_rules})
    done = time.perf_counter()
    report.timings = {
        "list": listed - started,
        "compare": compared - listed,
        "parse": parsed - compared,
        "rules": done - parsed,
    }
    return report


def _finish(
    findings: Iterable[Finding], options: CheckOptions, sources: dict[str, PageSource]
) -> list[Finding]:
    """Severities from the rules and site.yaml; the source file of each page we made."""
    out: list[Finding] = []
    for finding in findings:
        severity = options.severities.get(finding.rule, RULES[finding.rule].severity)
        if severity == OFF:
            continue
        source = sources.get(finding.url)
        path = source.source if source else None
        if source and source.local_text and finding.rule in LOCAL_TEXT_RULES:
            path = source.local_text  # what the page lacks is text of its own, written there
        out.append(
            Finding(
                finding.rule,
                finding.message,
                finding.url,
                finding.element,
                severity,
                path,
                source.line if source else None,
            )
        )
    return sorted(out, key=lambda f: (f.url, f.severity != "error", f.rule, f.message))
