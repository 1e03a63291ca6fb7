"""Re-checking fast: what the cache keeps of each page, and the rules across pages run
again only when what they read changed since the last check; otherwise their findings
come from the cache, and the facts of the pages are not even unpacked."""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypedDict

from sitegen.check import images, node_rules, site_rules
from sitegen.check.cap import capped
from sitegen.rules.jsonld_nodes import Node
from sitegen.rules.model import Finding, PageFacts, Thresholds

FindingTuple = tuple[str, str, str, str | None, str | None]  # Finding.plain()
PageKeys = tuple[str, str, str, tuple[bool, bool, bool], str]  # see page_keys
RuleEntry = tuple[str, list[FindingTuple]]  # the digest of a rule's inputs, its findings


class PageEntry(TypedDict, total=False):
    """What the cache keeps of one page (plain values, for marshal)."""

    stat: tuple[int, int]  # the file's size in bytes and modification time in ns
    context: object  # what the page was checked with besides its HTML (a plain value)
    sha1: str  # of the file's bytes
    blob: bytes  # its PageFacts' field values, marshalled
    findings: list[FindingTuple]  # of the rules of one page
    keys: PageKeys
    nodes: bytes  # its PageFacts.nodes alone, marshalled (b"" for none): see NODE_RULES


SiteRule = Callable[[site_rules.Site, Thresholds], Iterable[Finding]]

# Each rule across pages, and the parts of the site it reads: when none of them changed
# since the last check, its findings are reused instead of reading every page's facts.
SITE_RULES: dict[str, tuple[SiteRule, tuple[str, ...]]] = {
    "duplicates": (lambda site, t: site_rules.duplicates(site), ("dup",)),
    "links": (site_rules.links, ("links", "files", "redirects")),
    # img-oversized, img-modern-format: the pages' pictures and the files' sizes (a file
    # changed to other pixels in the same number of bytes is not noticed until then)
    "images": (images.findings, ("links", "files")),
    "sitemap": (lambda site, t: site_rules.sitemap(site), ("dup", "sitemap")),
    "orphans": (lambda site, t: site_rules.orphans(site), ("dup", "links", "sitemap", "files")),
    "redirects": (lambda site, t: site_rules.redirects(site), ("files", "redirects")),
    "preview": (lambda site, t: site_rules.preview(site), ("dup", "headers")),
    "jsonld-id-conflict": (lambda site, t: node_rules.conflicts(site), ("nodes",)),
    "jsonld-id-split": (lambda site, t: node_rules.splits(site), ("nodes",)),
}
# The rules that read only the pages' JSON-LD nodes: they get the pages that have some,
# with only their nodes, from small blobs of their own (of 11,000 pages that each state
# a clinic, unpacking every page's facts took 1 s; unpacking the nodes takes 0.06 s)
NODE_RULES = frozenset({"jsonld-id-conflict", "jsonld-id-split"})


def site_findings(
    site: site_rules.Site,
    thresholds: Thresholds,
    entries: Mapping[str, PageEntry],
    old: Mapping[str, RuleEntry],
    new: dict[str, RuleEntry],
) -> list[Finding]:
    """The findings of the rules across pages (site_rules) over `site`, whose pages have
    the cache `entries`. A rule, or a group of pages for near-duplicates and doorways,
    whose inputs have the digest recorded in `old` (the last check's) gives the findings
    recorded there; each one's digest and findings are recorded in `new`."""
    keys = {url: entry["keys"] for url, entry in entries.items()}
    parts = {
        "dup": digest(sorted((u, k[0]) for u, k in keys.items())),
        "links": digest(sorted((u, k[1]) for u, k in keys.items())),
        # which files exist, and the sizes of all but pages (image size limits)
        "files": digest(
            sorted((p, 0 if p.endswith(".html") else size) for p, size in site.files.items())
        ),
        "redirects": digest(site.redirects),
        "sitemap": digest(site.sitemap),
        "headers": digest(site.headers),
        "nodes": digest([(u, k[4]) for u, k in keys.items() if k[4]]),  # pages with nodes
    }
    # a preview's pages are judged as the build meant them (PageSource.noindex)
    intent = None if site.production else sorted((u, s.noindex) for u, s in site.sources.items())
    # X-Robots-Tag in _headers keeps pages out of search in production (Site.indexable)
    common = repr((site.origin, thresholds, site.production, digest(intent), parts["headers"]))
    found: list[Finding] = []
    node_site: site_rules.Site | None = None
    for name, (rule, inputs) in SITE_RULES.items():
        key = digest((common, [parts[p] for p in inputs]))
        if name in old and old[name][0] == key:
            results = old[name][1]
        elif name in NODE_RULES:
            node_site = node_site or nodes_only(site, entries)
            results = [f.plain() for f in capped(rule(node_site, thresholds))]
        else:
            results = [f.plain() for f in capped(rule(site, thresholds))]
        new[name] = (key, results)
        found += [Finding(*f) for f in results]
    # near-duplicates and doorways, group by group: a change re-compares only its group
    groups: dict[str | None, list[str]] = {}
    for url, entry in entries.items():
        noindex, not_found, has_sketch = entry["keys"][3]
        source = site.sources.get(url)
        if not site.indexable(url, noindex, not_found) or not has_sketch:
            continue
        if site.sources and (source is None or source.group is None):
            continue
        groups.setdefault(source.group if source else None, []).append(url)
    for group, urls in groups.items():
        name = f"group:{group}"
        key = digest((common, sorted((u, keys[u][2]) for u in urls)))
        if name in old and old[name][0] == key:
            results = old[name][1]
        else:
            pages = {u: site.pages[u] for u in urls}
            sketches = {u: p.masked_sketch or p.sketch for u, p in pages.items()}
            masked = {u for u, p in pages.items() if p.masked_sketch}
            results = [f.plain() for f in site_rules.group_findings(sketches, masked, thresholds)]
        new[name] = (key, results)
        found += [Finding(*f) for f in results]
    return found


def nodes_only(site: site_rules.Site, entries: Mapping[str, PageEntry]) -> site_rules.Site:
    """`site` with only the pages that state JSON-LD nodes, each's facts only its URL and
    nodes (PageEntry.nodes), unpacked when a rule asks for them."""
    blobs: dict[str, bytes | None] = {u: e["nodes"] for u, e in entries.items() if e["nodes"]}
    return dataclasses.replace(site, pages=LazyPages(blobs, nodes=True))


class LazyPages(Mapping[str, PageFacts]):
    """Every page's facts by URL, unpacked from their cached form (PageEntry's blob) only
    when a rule asks for them. A URL whose blob is None (or that is not a page) is not in
    it: KeyError. With `nodes`, each blob is a page's PageFacts.nodes alone, and its facts
    have only those and the URL; equal blobs (the pages of one location state the same
    clinic) are unpacked once, into one shared list."""

    def __init__(self, blobs: dict[str, bytes | None], nodes: bool = False):
        self._blobs = blobs
        self._nodes = nodes
        self._facts: dict[str, PageFacts] = {}
        self._unpacked: dict[bytes, list[Node]] = {}  # with `nodes`: by blob

    def __getitem__(self, url: str) -> PageFacts:
        facts = self._facts.get(url)
        if facts is None:
            blob = self._blobs[url]  # KeyError for a URL that is not a page
            if blob is None:
                raise KeyError(url)
            if self._nodes:
                nodes = self._unpacked.get(blob)
                if nodes is None:
                    nodes = self._unpacked[blob] = marshal.loads(blob)
                facts = self._facts[url] = PageFacts(url, nodes=nodes)
            else:
                facts = self._facts[url] = PageFacts(*marshal.loads(blob))
        return facts

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)


def page_keys(facts: PageFacts) -> PageKeys:
    """What each kind of rule across pages reads of a page, as digests (duplicates;
    links, images (their files and pictures) and ids; main-text sketches), its flags
    (noindex, not found, has a sketch), and the digest of its JSON-LD nodes ("" when it
    has none, as most pages)."""
    return (
        digest((facts.title, facts.description, facts.h1, facts.noindex, facts.not_found)),
        digest((facts.links, facts.images, facts.pictures, sorted(facts.ids))),
        digest((facts.masked_sketch, facts.sketch)),
        (facts.noindex, facts.not_found, bool(facts.masked_sketch or facts.sketch)),
        digest(facts.nodes) if facts.nodes else "",
    )


def digest(value: object) -> str:
    """A digest of plain values, the same in every run (marshal's bytes are not: they
    depend on how often an object is referenced)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()
