"""The check of one folder: parse each changed page once (on both cores for many pages),
reuse the cached results of unchanged ones, then run the rules across pages."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import multiprocessing
import os
import re
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import site_rules
from .model import Finding, PageFacts, PageSource, Thresholds
from .page import PageContext, read_page
from .rules import OFF, RULES
from .sources import cache_path, load, save


def _code_version() -> str:
    """Cached findings are only as good as the rules that made them: a new version of the
    checker's page rules starts a new cache."""
    here = Path(__file__).parent
    digest = hashlib.sha1()
    for name in ("page.py", "similarity.py", "model.py", "rules.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


CACHE_VERSION = _code_version()
MIN_PAGES_PER_WORKER = 400


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
    files, html = _list(options.folder)
    origin = (options.site_url or "").rstrip("/") or _infer_origin(options.folder, html)
    cache_file = cache_path(options.folder, "check")
    cached = load(cache_file) if options.use_cache else None
    valid = isinstance(cached, dict) and cached.get("version") == CACHE_VERSION
    entries: dict = cached.get("pages", {}) if valid else {}
    memo: dict = dict(cached.get("memo", [])) if valid else {}
    listed = time.perf_counter()

    contexts = {
        url: PageContext(origin, options.production, options.thresholds, sources.get(url))
        for url in html
    }
    results: dict[str, tuple[PageFacts, list[Finding]]] = {}
    to_parse: list[tuple[str, str]] = []
    new_entries: dict = {}
    common = repr((origin, options.production, options.thresholds))
    for url, path in html.items():
        stat = os.stat(path)
        stamp = (stat.st_size, stat.st_mtime_ns)
        source = sources.get(url)
        context_key = (
            common,
            (source.source, source.line, source.noindex, source.group, source.terms)
            if source
            else None,
        )
        entry = entries.get(url)
        # unchanged size and time: the same file (a build never rewrites an unchanged page);
        # otherwise compare the content, which a touch does not change
        if (
            entry
            and entry["context"] == context_key
            and (entry["stat"] == stamp or entry["sha1"] == _sha1(Path(path).read_bytes()))
        ):
            results[url] = (_facts(entry["facts"]), [Finding(*f) for f in entry["findings"]])
            new_entries[url] = {**entry, "stat": stamp}
            continue
        to_parse.append((url, path))
        new_entries[url] = {"stat": stamp, "context": context_key}
    compared = time.perf_counter()

    for url, digest, facts, findings in _parse_all(to_parse, contexts, options.jobs):
        results[url] = (facts, findings)
        new_entries[url].update(
            sha1=digest,
            facts=tuple(getattr(facts, name) for name in _FACT_FIELDS),
            findings=[(f.rule, f.message, f.url, f.element) for f in findings],
        )
    parsed = time.perf_counter()

    site = site_rules.Site(
        pages={url: facts for url, (facts, _) in results.items()},
        files=files,
        origin=origin,
        sitemap=_sitemap(options.folder),
        redirects=_redirects(options.folder),
        sources=sources,
        memo=memo,
    )
    findings = [f for _, found in results.values() for f in found]
    findings += site_rules.duplicates(site)
    findings += site_rules.links(site, options.thresholds)
    findings += site_rules.near_duplicates(site, options.thresholds)
    findings += site_rules.sitemap(site)
    findings += site_rules.orphans(site)
    findings += site_rules.redirects(site)
    report = CheckReport(_finish(findings, options, sources), len(html), len(to_parse), origin)
    if options.use_cache:
        with contextlib.suppress(OSError, ValueError):  # only a cache: the next check reads more
            memo_items = [(key, value) for key, value in site.memo.items()]
            save(cache_file, {"version": CACHE_VERSION, "pages": new_entries, "memo": memo_items})
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
        out.append(
            Finding(
                finding.rule,
                finding.message,
                finding.url,
                finding.element,
                severity,
                source.source if source else None,
                source.line if source else None,
            )
        )
    return sorted(out, key=lambda f: (f.url, f.severity != "error", f.rule, f.message))


def _list(folder: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Every file by URL path with its size, and the HTML files' paths by page URL."""
    files: dict[str, int] = {}
    html: dict[str, str] = {}
    base = str(folder)
    for directory, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith("."):
                continue
            path = os.path.join(directory, name)
            rel = path[len(base) :].replace(os.sep, "/")
            files[rel] = os.path.getsize(path)
            if name.endswith(".html"):
                html[rel[: -len("index.html")] if name == "index.html" else rel] = path
    return files, dict(sorted(html.items()))


def _infer_origin(folder: Path, html: dict[str, str]) -> str | None:
    """The production origin, from the canonical URL of the home page (or any page)."""
    for url in ["/", *html]:
        path = html.get(url)
        if path is None:
            continue
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        match = re.search(r'<link[^>]+rel="?canonical"?[^>]+href="(https?://[^/"]+)', text)
        if match:
            return match.group(1)
    return None


def _sitemap(folder: Path) -> list[str] | None:
    path = folder / "sitemap.xml"
    if not path.is_file():
        return None
    return re.findall(
        r"<loc>\s*([^<\s]+)\s*</loc>", path.read_text(encoding="utf-8", errors="replace")
    )


def _redirects(folder: Path) -> list[tuple[str, str]]:
    path = folder / "_redirects"
    if not path.is_file():
        return []
    rules = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.lstrip().startswith("#"):
            rules.append((parts[0], parts[1]))
    return rules


_contexts: dict[str, PageContext] = {}


_FACT_FIELDS = [f.name for f in dataclasses.fields(PageFacts)]


def _facts(values: tuple) -> PageFacts:
    """Facts from the cache, where they are kept as plain tuples: pickling those is several
    times faster than pickling objects, on 10,000 pages."""
    return PageFacts(*values)


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


Parsed = tuple[str, str, PageFacts, list[Finding]]  # url, sha1 of the file, facts, findings


def _parse_all(
    items: list[tuple[str, str]], contexts: dict[str, PageContext], jobs: int | None
) -> list[Parsed]:
    """Read and check each page; in forked workers when there are many (each reads its
    files itself: only the small results travel back)."""
    global _contexts
    workers = jobs or min(os.cpu_count() or 1, max(1, len(items) // MIN_PAGES_PER_WORKER))
    _contexts = contexts
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _parse_chunk(items)
    chunks = [items[i :: workers * 4] for i in range(workers * 4)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_parse_chunk, chunks))
    finally:
        _contexts = {}
    return [item for chunk in results for item in chunk]


def _parse_chunk(chunk: list[tuple[str, str]]) -> list[Parsed]:
    done = []
    for url, path in chunk:
        data = Path(path).read_bytes()
        done.append((url, _sha1(data), *read_page(data, url, _contexts[url])))
    return done
