"""Rules across pages: duplicates, near-duplicates and doorway pages, links that lead
nowhere, orphans, the sitemap and the redirects. Each is a pure function of the pages'
facts (and the few site files), so re-checking after a small change costs milliseconds."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sitegen.check import similarity
from sitegen.manifest import PageSource
from sitegen.rules.links import judge, resolve
from sitegen.rules.model import Finding, PageFacts, Thresholds


@dataclass
class Site:
    """What the rules across pages read: every page's facts and the few site files."""

    pages: Mapping[str, PageFacts]  # by URL
    files: dict[str, int]  # every file of the build by URL path, with its size in bytes
    origin: str | None
    sitemap: list[str] | None = None  # the <loc> URLs, None when there is no sitemap.xml
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (from, to) in _redirects
    sources: dict[str, PageSource] = field(default_factory=dict)


def indexable(page: PageFacts) -> bool:
    """Whether the page can be in search results (not noindex, not the not-found page)."""
    return not page.noindex and not page.not_found


def duplicates(site: Site) -> Iterator[Finding]:
    """duplicate-title, duplicate-description, duplicate-h1 among indexable pages, on each
    page after the first with the value (https://developers.google.com/search/docs/
    appearance/title-link, .../appearance/snippet, .../fundamentals/seo-starter-guide)."""
    for rule, attribute in (
        ("duplicate-title", "title"),
        ("duplicate-description", "description"),
        ("duplicate-h1", "h1"),
    ):
        seen: dict[str, list[str]] = defaultdict(list)
        for url, page in site.pages.items():
            value = getattr(page, attribute)
            if value and indexable(page):
                seen[value].append(url)
        for value, urls in seen.items():
            for url in urls[1:] if len(urls) > 1 else ():
                yield Finding(rule, f"the same {attribute} as {urls[0]}: '{value}'", url)


def links(site: Site, thresholds: Thresholds) -> Iterator[Finding]:
    """redirect-link, broken-link and broken-fragment for each page's internal links
    (https://developers.google.com/search/docs/crawling-indexing/links-crawlable,
    .../crawling-indexing/301-redirects), and img-file-size for its images larger than
    thresholds.image_max_kb (https://web.dev/articles/optimize-lcp)."""
    redirected = {source for source, _ in site.redirects}
    redirected |= {source.rstrip("/") for source in redirected}
    page_of_file = {_file_of(url): url for url in site.pages}
    limit = thresholds.image_max_kb * 1024
    targets: dict[str, str | None] = {}  # each distinct path resolved once, for all pages
    for url, page in site.pages.items():
        for path, fragment, tag in page.links:
            if path in targets:
                target = targets[path]
            else:
                target = targets[path] = resolve(path, site.files)
            finding = judge(path, tag, url, target, redirected)
            if finding is not None:
                yield finding
                continue
            if fragment and tag == "a" and fragment.lower() != "top":  # #top: the page's top
                target_page = site.pages.get(page_of_file.get(target or "", ""))
                if target_page is not None and fragment not in target_page.ids:
                    yield Finding(
                        "broken-fragment",
                        f"#{fragment} is not an id on {path}",
                        url,
                        subject=f"#{fragment}",
                    )
        for image in page.images:
            size = site.files.get(image)
            if size is not None and size > limit:
                yield Finding(
                    "img-file-size",
                    f"{image} is {size // 1024} KB (at most {thresholds.image_max_kb} KB)",
                    url,
                    subject=image,
                )


def near_duplicates(site: Site, thresholds: Thresholds) -> Iterator[Finding]:
    """Main text nearly the same as a sibling's. On our site, pages of one program at
    different locations are compared with each page's location names masked (the
    substitution test): above the doorway threshold they are doorway-like, above the
    near-duplicate one near-duplicates. Elsewhere all pages are compared as they are."""
    for sketches in comparison_groups(site).values():
        masked = {url for url in sketches if site.pages[url].masked_sketch}
        yield from group_findings(sketches, masked, thresholds)


def comparison_groups(site: Site) -> dict[str | None, dict[str, tuple[int, ...]]]:
    """The main-text sketches of the indexable pages by URL, in groups compared with each
    other: on our site by the program they show (PageSource.group; other pages are not
    compared), elsewhere all in one group (None)."""
    groups: dict[str | None, dict[str, tuple[int, ...]]] = defaultdict(dict)
    for url, page in site.pages.items():
        sketch = page.masked_sketch or page.sketch
        if not indexable(page) or not sketch:
            continue
        source = site.sources.get(url)
        if site.sources and (source is None or source.group is None):
            continue  # our site: only program pages at locations are compared
        groups[source.group if source else None][url] = sketch
    return groups


def group_findings(
    sketches: dict[str, tuple[int, ...]], masked: set[str], thresholds: Thresholds
) -> Iterator[Finding]:
    """The near-duplicate and doorway findings of one group of pages (sketches by URL;
    `masked`: the URLs whose sketch has the location names masked). A masked page is
    doorway-like when its sibling holding the largest share of its text (containment,
    so a page with nothing of its own is one even beside siblings that have text of
    their own) holds at least thresholds.doorway of it; otherwise a page whose most
    similar sibling reaches thresholds.near_duplicate (Jaccard) is a near-duplicate."""
    if len(sketches) < 2:
        return
    closest, holding = similarity.nearest(sketches)
    for url in sorted(sketches):
        if url in masked and url in holding and holding[url][1] >= thresholds.doorway:
            sibling, share = holding[url]
            yield Finding(
                "doorway",
                f"with the location names swapped, {share:.0%} of the main text is also on "
                f"{sibling} (warning at {thresholds.doorway:.0%}): little of it is this "
                "page's own; add text about this location: its team, how to get there, "
                "what is different here",
                url,
            )
        elif url in closest and closest[url][1] >= thresholds.near_duplicate:
            sibling, score = closest[url]
            yield Finding(
                "near-duplicate",
                f"the main text is {score:.0%} the same as {sibling} "
                f"(warning at {thresholds.near_duplicate:.0%})",
                url,
            )


def sitemap(site: Site) -> Iterator[Finding]:
    """sitemap-missing: no sitemap.xml, or an indexable page it does not list;
    sitemap-extra: a URL it lists that is not an indexable page
    (https://developers.google.com/search/docs/crawling-indexing/sitemaps/overview)."""
    if site.sitemap is None:
        yield Finding("sitemap-missing", "there is no sitemap.xml", "/sitemap.xml")
        return
    listed: set[str] = set()
    for loc in site.sitemap:
        path = loc.removeprefix(site.origin) if site.origin else re.sub(r"^https?://[^/]+", "", loc)
        listed.add(path)
        page = site.pages.get(path)
        if page is None or not indexable(page):
            why = "no page" if page is None else "a page that is not indexable"
            yield Finding("sitemap-extra", f"the sitemap lists {loc}, {why}", "/sitemap.xml")
    for url, page in site.pages.items():
        if indexable(page) and url not in listed:
            yield Finding("sitemap-missing", "the page is indexable but not in sitemap.xml", url)


def orphans(site: Site) -> Iterator[Finding]:
    """orphan-page: a page of the sitemap, other than the home page, that no other page
    links to with an <a> (https://developers.google.com/search/docs/crawling-indexing/
    links-crawlable)."""
    if not site.sitemap:
        return
    linked: set[str] = set()
    for url, page in site.pages.items():
        for path, _fragment, tag in page.links:
            if tag == "a" and path != url:
                linked.add(path)
    home = "/"
    for loc in site.sitemap:
        path = loc.removeprefix(site.origin) if site.origin else re.sub(r"^https?://[^/]+", "", loc)
        if path != home and path in site.pages and path not in linked:
            yield Finding(
                "orphan-page", "the page is in the sitemap, but no page links to it", path
            )


def redirects(site: Site) -> Iterator[Finding]:
    """redirect-chain: a _redirects rule whose target redirects again, or that would hide a
    page of the build (https://developers.google.com/search/docs/crawling-indexing/
    301-redirects)."""
    sources = {source for source, _ in site.redirects}
    for source, target in site.redirects:
        if target in sources or target.rstrip("/") in sources:
            yield Finding(
                "redirect-chain",
                f"{source} redirects to {target}, which redirects again",
                "/_redirects",
            )
        if resolve(source, site.files) and source.endswith("/"):
            yield Finding(
                "redirect-chain",
                f"{source} is a page of the build; the redirect would hide it",
                "/_redirects",
            )


def _file_of(url: str) -> str:
    return url + "index.html" if url.endswith("/") else url


ALL = (duplicates, links, near_duplicates, sitemap, orphans, redirects)
