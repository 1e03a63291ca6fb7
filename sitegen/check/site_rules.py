"""Rules across pages: duplicates, near-duplicates and doorway pages, links that lead
nowhere, orphans, the sitemap and the redirects. Each is a pure function of the pages'
facts (and the few site files), so re-checking after a small change costs milliseconds."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.check import similarity
from sitegen.manifest import PageSource
from sitegen.model.sitemaps import MAX_SITEMAP_URLS
from sitegen.rules.links import judge, resolve
from sitegen.rules.model import Finding, PageFacts, Thresholds
from sitegen.streams import counted


@dataclass
class Site:
    """What the rules across pages read: every page's facts and the few site files."""

    pages: Mapping[str, PageFacts]  # by URL
    files: dict[str, int]  # every file of the build by URL path, with its size in bytes
    origin: str | None
    sitemap: list[str] | None = None  # the <loc> URLs, None when there is no sitemap.xml
    sitemap_counts: dict[str, int] = field(default_factory=dict)  # <loc>s by sitemap file
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (from, to) in _redirects
    sources: dict[str, PageSource] = field(default_factory=dict)
    production: bool = True  # False: a preview, judged as the production site it previews
    headers: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # _headers
    folder: Path | None = None  # the built folder, whose image files the image rules read

    def listed(self) -> dict[str, str]:
        """The sitemap's <loc> URLs by the page they list: its path on this site (all of
        them when the origin is unknown), or for /x the page /x.html, which serves it
        (Netlify's and other hosts' pretty URLs: sitegen.rules.links.resolve)."""
        found = {}
        for loc in self.sitemap or ():
            path = self.path_of(loc)
            if path not in self.pages and path + ".html" in self.pages and path[-1:] != "/":
                path += ".html"
            found[path] = loc
        return found

    def path_of(self, loc: str) -> str:
        """The path of an absolute URL of this site (https://x.example/a/ -> /a/); the
        scheme and host in any case, as URLs compare them (HTTPS://X.example is
        https://x.example)."""
        if self.origin:
            n = len(self.origin)
            return loc[n:] if loc[:n].lower() == self.origin.lower() else loc
        return re.sub(r"^https?://[^/]+", "", loc)

    def indexable(self, url: str, noindex: bool, not_found: bool) -> bool:
        """Whether the page at `url` can be in search results (in production; a preview's
        pages as they will be in production: PageContext.in_search). On a folder that is
        not ours, a preview's page is meant for search when its sitemap lists it."""
        if not_found:
            return False
        if self.production:
            return not noindex and not self.header_noindex(url)
        if not noindex:
            return True
        source = self.sources.get(url)
        if source is not None:
            return not source.noindex
        return url in self._listed_paths

    @functools.cached_property
    def _listed_paths(self) -> frozenset[str]:
        return frozenset(self.listed())

    def header_noindex(self, url: str) -> bool:
        """Whether _headers sends X-Robots-Tag: noindex for the page at `url`, which keeps
        it out of search as its robots meta tag would (https://developers.google.com/
        search/docs/crawling-indexing/robots-meta-tag#xrobotstag)."""
        return any(pattern.match(url) for pattern in self.noindex_patterns)

    @functools.cached_property
    def noindex_patterns(self) -> list[PathPattern]:
        """The _headers paths that send X-Robots-Tag: noindex, as patterns."""
        return noindex_patterns(self.headers)


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
            if value and site.indexable(url, page.noindex, page.not_found):
                seen[value].append(url)
        for value, urls in seen.items():
            for url in urls[1:] if len(urls) > 1 else ():
                yield Finding(rule, f"the same {attribute} as {urls[0]}: '{value}'", url)


def links(site: Site, thresholds: Thresholds) -> Iterator[Finding]:
    """redirect-link, broken-link and broken-fragment for each page's internal links
    (https://developers.google.com/search/docs/crawling-indexing/links-crawlable,
    .../crawling-indexing/301-redirects), and img-file-size for its images larger than
    thresholds.image_max_kb (https://web.dev/articles/optimize-lcp)."""
    redirected = _Redirected([source for source, _ in site.redirects], site.files)
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
            # #top: the page's top (HTML's indicated part); #!: a script's link placeholder
            if fragment and tag == "a" and fragment.lower() != "top" and fragment != "!":
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
        if not site.indexable(url, page.noindex, page.not_found) or not sketch:
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
    (https://developers.google.com/search/docs/crawling-indexing/sitemaps/overview);
    sitemap-too-large: a sitemap file (or index) listing more than MAX_SITEMAP_URLS
    (https://www.sitemaps.org/protocol.html, and Google's "Build and submit a sitemap").
    On a folder that is not ours, a page that says noindex although the sitemap lists it is
    noindex-in-production: the sitemap says the page is meant for search (one finding for
    one cause; on ours, the page rule of that name says it, knowing what the build meant)."""
    if site.sitemap is None:
        yield Finding("sitemap-missing", "there is no sitemap.xml", "/sitemap.xml")
        return
    for name, count in site.sitemap_counts.items():
        if count > MAX_SITEMAP_URLS:
            yield Finding(
                "sitemap-too-large",
                f"{name} lists {count:,} URLs, more than the {MAX_SITEMAP_URLS:,} a sitemap "
                "may: search engines read no further; split it into sitemaps of at most "
                f"{MAX_SITEMAP_URLS:,} URLs listed by a sitemap index",
                f"/{name}",
            )
    listed = site.listed()
    foreign: dict[str, list[str]] = {}  # another origin -> the <loc>s on it
    for path, loc in listed.items():
        if path == loc and (elsewhere := re.match(r"https?://[^/?#]*", loc)):
            foreign.setdefault(elsewhere.group(0).lower(), []).append(loc)
            continue
        page = site.pages.get(path)
        if page is not None and site.indexable(path, page.noindex, page.not_found):
            continue
        if page is not None and page.not_found and not path.rsplit("/", 1)[-1].startswith("404"):
            continue  # a file that cannot be read (page.read_page): page-unparseable says it
        header = page is not None and not page.noindex and site.header_noindex(path)
        if page is not None and (page.noindex or header) and not page.not_found and site.production:
            source = site.sources.get(path)
            if source is None:
                says = (
                    "_headers sends X-Robots-Tag: noindex for the page"
                    if header
                    else "the page says noindex"
                )
                yield Finding(
                    "noindex-in-production",
                    f"{says}, but sitemap.xml lists it: remove the noindex if "
                    "the page belongs in search, else take it out of the sitemap",
                    path,
                )
            if source is None or not source.noindex:
                continue  # the page, not the sitemap, is what is wrong
        why = "no page" if page is None else "a page that is not indexable"
        yield Finding("sitemap-extra", f"the sitemap lists {loc}, {why}", "/sitemap.xml")
    for other, locs in foreign.items():  # one cause, however many URLs
        yield Finding(
            "sitemap-extra",
            f"the sitemap lists {counted(len(locs), 'URL')} of {other}, not of this site "
            f"{site.origin} (the first: {locs[0]}): list the pages at their canonical URLs",
            "/sitemap.xml",
        )
    for url, page in site.pages.items():
        if site.indexable(url, page.noindex, page.not_found) and url not in listed:
            yield Finding("sitemap-missing", "the page is indexable but not in sitemap.xml", url)


def orphans(site: Site) -> Iterator[Finding]:
    """orphan-page: an indexable page of the sitemap, other than the home page, that no
    other page links to with an <a> or sends a <form> to (its thank-you page)
    (https://developers.google.com/search/docs/crawling-indexing/links-crawlable)."""
    if not site.sitemap:
        return
    linked: set[str] = set()
    served: dict[str, str | None] = {}  # each path's page (/x is /x.html's), found once
    for url, page in site.pages.items():
        for path, _fragment, tag in page.links:
            if (tag == "a" or tag == "form") and path != url:
                linked.add(path)
                if path not in served:
                    target = resolve(path, site.files)
                    served[path] = target.removesuffix("index.html") if target else None
                if served[path] not in (None, url):
                    linked.add(served[path] or "")
    home = "/"
    for path in site.listed():
        listed = site.pages.get(path)
        if listed is None or path == home or path in linked:
            continue
        if site.indexable(path, listed.noindex, listed.not_found):
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


def preview(site: Site) -> Iterator[Finding]:
    """preview-indexable: a page of a preview that search engines may index, because
    neither the page (<meta name="robots" content="noindex">) nor Netlify's _headers
    (X-Robots-Tag: noindex for its path) says noindex. An indexed preview is a copy of the
    site at another address. robots.txt's Disallow is not enough: a blocked URL can still
    be indexed from links to it (https://developers.google.com/search/docs/
    crawling-indexing/block-indexing)."""
    if site.production:
        return
    pages = [url for url, page in site.pages.items() if not page.not_found]
    open_ = [u for u in pages if not site.pages[u].noindex and not site.header_noindex(u)]
    # every page meant for search open: a production build, one cause
    meant = {url for url in pages if site.indexable(url, True, False)}
    message = (
        "none of the pages meant for search says noindex (meta robots or X-Robots-Tag): "
        "this looks like a production build (check it without --env preview, or build "
        "with --env preview)"
        if not site.noindex_patterns and len(open_) > 1 and meant and meant <= set(open_)
        else "a preview page without noindex (meta robots or X-Robots-Tag): search engines "
        "may index this copy of the site"
    )
    for url in open_:
        yield Finding("preview-indexable", message, url)


class _Redirected:
    """The paths the _redirects rules send elsewhere, for `in`: a rule's source, with and
    without its trailing slash, and a path that no file serves matched by a source with
    a splat or placeholder (/news/* or /news/:slug: https://docs.netlify.com/routing/
    redirects/redirect-options/#splats), which Netlify redirects rather than answers 404."""

    def __init__(self, sources: list[str], files: Mapping[str, int]):
        self.exact = {source for source in sources} | {source.rstrip("/") for source in sources}
        self.patterns = [
            PathPattern(source)
            for source in sources
            if source.startswith("/") and ("*" in source or re.search(r"/:[A-Za-z_]", source))
        ]
        self.files = files

    def __contains__(self, path: object) -> bool:
        if path in self.exact:
            return True
        return (
            isinstance(path, str)
            and any(p.match(path) for p in self.patterns)
            and resolve(path, self.files) is None
        )


def noindex_patterns(rules: list[tuple[str, list[tuple[str, str]]]]) -> list[PathPattern]:
    """The paths of the _headers `rules` that send X-Robots-Tag: noindex, as patterns."""
    return [
        PathPattern(path)
        for path, headers in rules
        if any(
            name.lower() == "x-robots-tag" and "noindex" in value.lower() for name, value in headers
        )
    ]


class PathPattern:
    """A _headers path as a pattern: * matches anything, :name one segment's characters
    (one or more, no /) (https://docs.netlify.com/routing/headers/
    #syntax-for-the-headers-file). Matched by running all the pattern's states at once, as
    bits of an int, one step per character of the URL: time linear in the URL's length
    times the pattern's, never the backtracking of a regular expression (`/*a*a*a...*b`
    as `.*a.*a.*a...b` takes hours on a URL of 60 a's). A pattern that needs more
    characters than the URL has is not run at all."""

    def __init__(self, path: str):
        self.path = path
        # (text, kind) for each part: kind "" for literal text, "*" or ":" for a wildcard
        parts = [
            (p, (p[0] if i % 2 else ""))
            for i, p in enumerate(re.split(r"(\*|:[A-Za-z_]\w*)", path))
        ]
        # the fewest characters a URL must have to match: the literal ones and one per :name
        self.least = sum(len(p) if not kind else kind == ":" for p, kind in parts)
        self._parts = parts
        self._built = False

    def _build(self) -> None:
        # tokens: ("c", char) one character; ("1",) one character but /; ("*", any) zero or
        # more characters (any: / too); runs of "*" tokens are one ("*", True if any does)
        tokens: list[tuple[str, ...]] = []
        for part, kind in self._parts:
            stars = (("*", "/"),) if kind == "*" else ()
            if kind == ":":
                tokens.append(("1",))
                stars = (("*", ""),)
            elif not kind:
                tokens += [("c", c) for c in part]
            for star in stars:
                if tokens and tokens[-1][0] == "*":
                    tokens[-1] = ("*", tokens[-1][1] or star[1])
                else:
                    tokens.append(star)
        self._chars: dict[str, int] = {}
        self._one = self._stars = self._any = 0
        for index, token in enumerate(tokens):
            bit = 1 << index
            if token[0] == "c":
                self._chars[token[1]] = self._chars.get(token[1], 0) | bit
            elif token[0] == "1":
                self._one |= bit
            else:
                self._stars |= bit
                self._any |= bit if token[1] else 0
        self._end = 1 << len(tokens)
        self._built = True

    def _close(self, states: int) -> int:
        return states | ((states & self._stars) << 1)  # a star may match nothing

    def match(self, url: str) -> bool:
        if self.least > len(url):
            return False
        if not self._built:
            self._build()
        states = self._close(1)
        for char in url:
            moved = states & self._chars.get(char, 0)
            if char == "/":
                stay = states & self._any
            else:
                moved |= states & self._one
                stay = states & self._stars
            states = self._close((moved << 1) | stay)
            if not states:
                return False
        return bool(states & self._end)


def _file_of(url: str) -> str:
    return url + "index.html" if url.endswith("/") else url


ALL = (duplicates, links, near_duplicates, sitemap, orphans, redirects, preview)
