"""The check of one folder: parse each changed page once (on both cores for many pages),
reuse the cached results of unchanged ones, then run the rules across pages."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import multiprocessing
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
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
LOCAL_TEXT_RULES = ("doorway", "near-duplicate")
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
    files, html, stamps = _list(options.folder)
    origin = (options.site_url or "").rstrip("/") or _infer_origin(options.folder, html)
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
            and (entry["stat"] == stamp or entry["sha1"] == _sha1(Path(path).read_bytes()))
        ):
            page_findings[url] = [Finding(*f) for f in entry["findings"]]
            new_entries[url] = {**entry, "stat": stamp}
            continue
        to_parse.append((url, path))
        new_entries[url] = {"stat": stamp, "context": context_key}
    compared = time.perf_counter()

    for url, done in _parse_all(to_parse, contexts, options.jobs):
        page_findings[url] = [Finding(*f) for f in done["findings"]]
        new_entries[url].update(done)
    pages = LazyPages({url: entry["blob"] for url, entry in new_entries.items()})
    parsed = time.perf_counter()

    site = site_rules.Site(
        pages=pages,
        files=files,
        origin=origin,
        sitemap=_sitemap(options.folder),
        redirects=_redirects(options.folder),
        sources=sources,
    )
    findings = [f for found in page_findings.values() for f in found]
    new_rules: dict = {}
    findings += _site_findings(site, options, new_entries, old_rules, new_rules)
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


# Each rule across pages, and the parts of the site it reads: when none of them changed
# since the last check, its findings are reused instead of reading every page's facts.
SITE_RULES = {
    "duplicates": (lambda site, t: site_rules.duplicates(site), ("dup",)),
    "links": (site_rules.links, ("links", "files", "redirects")),
    "sitemap": (lambda site, t: site_rules.sitemap(site), ("dup", "sitemap")),
    "orphans": (lambda site, t: site_rules.orphans(site), ("dup", "links", "sitemap")),
    "redirects": (lambda site, t: site_rules.redirects(site), ("files", "redirects")),
}


def _site_findings(
    site: site_rules.Site, options: CheckOptions, entries: dict, old: dict, new: dict
) -> list[Finding]:
    keys = {url: entry["keys"] for url, entry in entries.items()}
    parts = {
        "dup": _digest(sorted((u, k[0]) for u, k in keys.items())),
        "links": _digest(sorted((u, k[1]) for u, k in keys.items())),
        # which files exist, and the sizes of all but pages (image size limits)
        "files": _digest(
            sorted((p, 0 if p.endswith(".html") else size) for p, size in site.files.items())
        ),
        "redirects": _digest(site.redirects),
        "sitemap": _digest(site.sitemap),
    }
    common = repr((site.origin, options.thresholds))
    found: list[Finding] = []
    for name, (rule, inputs) in SITE_RULES.items():
        digest = _digest((common, [parts[p] for p in inputs]))
        if name in old and old[name][0] == digest:
            results = old[name][1]
        else:
            results = [
                (f.rule, f.message, f.url, f.element) for f in rule(site, options.thresholds)
            ]
        new[name] = (digest, results)
        found += [Finding(*f) for f in results]
    # near-duplicates and doorways, group by group: a change re-compares only its group
    groups: dict[str | None, list[str]] = {}
    for url, entry in entries.items():
        noindex, not_found, has_sketch = entry["keys"][3]
        source = site.sources.get(url)
        if noindex or not_found or not has_sketch:
            continue
        if site.sources and (source is None or source.group is None):
            continue
        groups.setdefault(source.group if source else None, []).append(url)
    for group, urls in groups.items():
        name = f"group:{group}"
        digest = _digest((common, sorted((u, keys[u][2]) for u in urls)))
        if name in old and old[name][0] == digest:
            results = old[name][1]
        else:
            pages = {u: site.pages[u] for u in urls}
            sketches = {u: p.masked_sketch or p.sketch for u, p in pages.items()}
            masked = {u for u, p in pages.items() if p.masked_sketch}
            results = [
                (f.rule, f.message, f.url, f.element)
                for f in site_rules.group_findings(sketches, masked, options.thresholds)
            ]
        new[name] = (digest, results)
        found += [Finding(*f) for f in results]
    return found


class LazyPages(Mapping[str, PageFacts]):
    """Every page's facts, read from their cached form only when a rule asks for them."""

    def __init__(self, blobs: dict[str, bytes | None]):
        self._blobs = blobs
        self._facts: dict[str, PageFacts] = {}

    def __getitem__(self, url: str) -> PageFacts:
        facts = self._facts.get(url)
        if facts is None:
            blob = self._blobs[url]  # KeyError for a URL that is not a page
            if blob is None:
                raise KeyError(url)
            facts = self._facts[url] = PageFacts(*marshal.loads(blob))
        return facts

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)


def _keys(facts: PageFacts) -> tuple:
    """What each kind of rule across pages reads of a page, as digests, and its flags."""
    return (
        _digest((facts.title, facts.description, facts.h1, facts.noindex, facts.not_found)),
        _digest((facts.links, facts.images, sorted(facts.ids))),
        _digest((facts.masked_sketch, facts.sketch)),
        (facts.noindex, facts.not_found, bool(facts.masked_sketch or facts.sketch)),
    )


def _digest(value: object) -> str:
    """A digest of plain values, the same in every run (marshal's bytes are not: they
    depend on how often an object is referenced)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()


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


def _list(folder: Path) -> tuple[dict[str, int], dict[str, str], dict[str, tuple[int, int]]]:
    """Every file by URL path with its size, the HTML files' paths by page URL, and their
    (size, modification time) stamps; one stat per file."""
    files: dict[str, int] = {}
    html: dict[str, str] = {}
    stamps: dict[str, tuple[int, int]] = {}
    base = len(str(folder))
    pending = [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as listing:
            for entry in listing:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                    continue
                stat = entry.stat()
                rel = entry.path[base:].replace(os.sep, "/")
                files[rel] = stat.st_size
                if entry.name.endswith(".html"):
                    url = rel[: -len("index.html")] if entry.name == "index.html" else rel
                    html[url] = entry.path
                    stamps[url] = (stat.st_size, stat.st_mtime_ns)
    return files, dict(sorted(html.items())), stamps


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


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


Parsed = tuple[str, dict]  # url, and its cache entry's sha1, blob, findings and keys


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
    """Read and check pages, returning what the cache keeps (plain values, in the worker:
    the parent only files them away, and the rules across pages read the facts from the
    blobs when they need them)."""
    done = []
    for url, path in chunk:
        data = Path(path).read_bytes()
        facts, findings = read_page(data, url, _contexts[url])
        entry = {
            "sha1": _sha1(data),
            "blob": marshal.dumps(tuple(getattr(facts, name) for name in _FACT_FIELDS)),
            "findings": [(f.rule, f.message, f.url, f.element) for f in findings],
            "keys": _keys(facts),
        }
        done.append((url, entry))
    return done
