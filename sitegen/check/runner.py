"""The check of one folder: parse each changed page once (on several cores for many
pages), reuse the cached results of unchanged ones, then run the rules across pages."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitegen.cache import cache_path, load, save
from sitegen.check import site_rules
from sitegen.check.folder import list_files, read_headers, read_redirects, read_sitemap
from sitegen.check.incremental import LazyPages, PageEntry, RuleEntry, site_findings
from sitegen.check.model import CheckOptions, CheckReport
from sitegen.check.origin import choose, statements
from sitegen.check.version import cache_version
from sitegen.check.workers import parse_all, sha1
from sitegen.manifest import PageSource
from sitegen.model.check_rules import OFF, RULES
from sitegen.rules.attribution import DATA_RULES, LOCAL_TEXT_RULES, SourceText, locate
from sitegen.rules.model import Finding, PageContext

CACHE = "check"  # the cache file's name (sitegen.cache.cache_path)


def run_check(options: CheckOptions, sources: dict[str, PageSource] | None = None) -> CheckReport:
    """The check of a folder (see `_run`); a cache file whose contents are not what this
    version writes (edited by hand, or damaged) is ignored, and every page read again."""
    try:
        return _run(options, sources)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, EOFError):
        # EOFError: a cached blob cut short (marshal.loads(b"") raises it, not ValueError)
        if not options.use_cache:
            raise  # not the cache's doing
        return _run(options, sources, read_cache=False)  # and write a sound one


def _run(
    options: CheckOptions, sources: dict[str, PageSource] | None = None, read_cache: bool = True
) -> CheckReport:
    """Check every page of options.folder and the site as a whole. `sources` is what the
    build recorded about each page by URL (empty for a folder that is not ours: the rules
    that need it are skipped). With options.use_cache, pages whose file and context did
    not change since the last check of the folder are not parsed again (their findings and
    facts come from the user's cache folder), as long as nothing that can change a finding
    (version.cache_version) changed either. Raises OSError when a page cannot be read."""
    started = time.perf_counter()
    sources = sources or {}
    files, html, stamps = list_files(options.folder)
    listed_by: dict[str, int] = {}  # the URLs each sitemap file lists, by its name
    sitemap = read_sitemap(options.folder, listed_by)
    judged_by = choose(options.site_url, options.base_url, statements(html, sitemap))
    origin = judged_by.url
    cache_file = cache_path(options.folder, CACHE)
    version = cache_version() if options.use_cache else ""
    cached = load(cache_file) if options.use_cache and read_cache else None
    if not (isinstance(cached, dict) and cached.get("version") == version):
        cached = {}
    entries: dict[str, PageEntry] = cached.get("pages", {})
    old_rules: dict[str, RuleEntry] = cached.get("rules", {})
    listed = time.perf_counter()

    contexts = {
        url: PageContext(origin, options.production, options.thresholds, sources.get(url))
        for url in html
    }
    page_findings: dict[str, list[Finding]] = {}
    to_parse: list[tuple[str, str]] = []
    new_entries: dict[str, PageEntry] = {}
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
        sitemap=sitemap,
        sitemap_counts=listed_by,
        redirects=read_redirects(options.folder),
        sources=sources,
        production=options.production,
        headers=read_headers(options.folder),
        folder=options.folder,
    )
    findings = [f for found in page_findings.values() for f in found]
    new_rules: dict[str, RuleEntry] = {}
    findings += site_findings(site, options.thresholds, new_entries, old_rules, new_rules)
    report = CheckReport(
        _finish(findings, options, sources, _meant_for_search(site)),
        len(html),
        len(to_parse),
        origin,
        judged_by.source,
        judged_by.note,
    )
    if options.use_cache:
        with contextlib.suppress(OSError, ValueError):  # only a cache: the next check reads more
            save(cache_file, {"version": version, "pages": new_entries, "rules": new_rules})
    finished = time.perf_counter()
    report.timings = {
        "list": listed - started,
        "compare": compared - listed,
        "parse": parsed - compared,
        "rules": finished - parsed,
    }
    return report


def _finish(
    findings: Iterable[Finding],
    options: CheckOptions,
    sources: dict[str, PageSource],
    meant: int,
) -> list[Finding]:
    """Severities from the rules and site.yaml; the file and line an editor changes for
    each finding on a page we made (sitegen.rules.attribution). `meant` is how many pages
    are meant for search (the build's record, else the sitemap's)."""
    out: list[Finding] = []
    texts = _ProjectTexts(options.root)
    root = str(options.root)  # os.path on str: a tenth of pathlib's cost per finding
    findings = _one_preview_cause(list(findings), meant)
    for finding in findings:
        severity = options.severities.get(finding.rule, RULES[finding.rule].severity)
        if severity == OFF:
            continue
        source = sources.get(finding.url)
        if finding.message == PREVIEW_NOINDEX or finding.rule in BUILD_RULES:
            source = None  # no content file is at fault: how the folder was built is
        path, line = _blame(finding, source, texts) if source else (None, None)
        message = finding.message
        if (
            finding.rule in LOCAL_TEXT_RULES
            and path
            and not os.path.exists(os.path.join(root, path))
        ):
            message += f" (create {path}: the page has no local text yet)"
        out.append(
            dataclasses.replace(finding, message=message, severity=severity, source=path, line=line)
        )
    return sorted(out, key=lambda f: (f.url, f.severity != "error", f.rule, f.message))


def _meant_for_search(site: site_rules.Site) -> int:
    """How many pages are meant to be in search: by the build's record when the folder is
    ours, else those the sitemap lists."""
    if site.sources:
        return sum(
            1
            for url, s in site.sources.items()
            if not s.noindex and not url.rsplit("/", 1)[-1].startswith("404")
        )
    return len(site.listed())


BUILD_RULES = frozenset({"preview-indexable"})  # about how a folder was built, not a text

PREVIEW_NOINDEX = (
    "every page says noindex: this looks like a preview build (check it with --env preview, "
    "or build with --env production)"
)


def _one_preview_cause(findings: list[Finding], meant: int) -> list[Finding]:
    """A production check of a preview build finds every page noindex. That is one cause,
    not one per page: when all `meant` pages meant for search (2 or more) say noindex,
    those findings get one message and no source file to blame."""
    noindex = [f for f in findings if f.rule == "noindex-in-production"]
    if len(noindex) < max(2, meant):
        return findings
    return [
        dataclasses.replace(f, message=PREVIEW_NOINDEX, subject=None)
        if f.rule == "noindex-in-production"
        else f
        for f in findings
    ]


def _blame(finding: Finding, source: PageSource, texts: _ProjectTexts) -> tuple[str, int | None]:
    """The file (and line, when the finding's subject is found in it) to change."""
    if finding.rule in LOCAL_TEXT_RULES and source.local_text:
        return source.local_text, None  # what the page lacks is text of its own, written there
    order = [source.local_text, source.source, source.data]
    if finding.rule in DATA_RULES and source.data:
        order = [source.data]
    found = locate(finding.subject, texts.of(p for p in order if p))
    if found is not None:
        return found[0], found[1]
    return (source.data if finding.rule in DATA_RULES and source.data else source.source), None


class _ProjectTexts:
    """The project's source files as SourceTexts, each read once (a missing one is none)."""

    def __init__(self, root: Path):
        self.root = root
        self._read: dict[str, SourceText | None] = {}

    def of(self, paths: Iterable[str]) -> Iterator[SourceText]:
        for path in paths:
            if path not in self._read:
                try:
                    text = (self.root / path).read_text(encoding="utf-8", errors="replace")
                    self._read[path] = SourceText(path, text)
                except OSError:
                    self._read[path] = None
            found = self._read[path]
            if found is not None:
                yield found
