"""The rules of a page's head and <html> element: title, meta description, language,
viewport, canonical link and robots noindex. They also note the page's title, description,
canonical URL and noindex in its facts, for the rules across pages.

Why each rule matters, with its source, is in sitegen.model.check_rules.RULES."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sitegen.rules.model import Finding, PageContext, PageFacts
from sitegen.rules.tree import Element, metas, text
from sitegen.streams import counted


def rules(root: Element, facts: PageFacts, ctx: PageContext) -> Iterator[Finding]:
    """Every rule of this module on a parsed page, in this order."""
    found = metas(root)
    yield from title_and_description(root, found, facts, ctx)
    yield from language_and_viewport(root, found, facts.url)
    yield from canonical(root, facts, ctx)
    yield from noindex(facts, ctx)


def title_and_description(
    root: Element, found: dict[str, str], facts: PageFacts, ctx: PageContext
) -> Iterator[Finding]:
    """title-missing, title-length, description-missing, description-length
    (https://developers.google.com/search/docs/appearance/title-link and
    .../appearance/snippet). Lengths are in characters, judged only on pages that can be in
    search results; the robots meta tag is read first, so this also sets facts.noindex.
    `found` is the page's metas (tree.metas)."""
    url, t = facts.url, ctx.thresholds
    title = root.find(".//title")
    facts.title = text(title) if title is not None else None
    facts.noindex = says_noindex(found)
    in_search = ctx.in_search(facts.noindex, facts.not_found)  # lengths matter only there
    if not facts.title:
        yield Finding("title-missing", "the page has no <title>", url)
    elif in_search and not t.title_min <= len(facts.title) <= t.title_max:
        yield Finding(
            "title-length",
            f"title is {counted(len(facts.title), 'character')} "
            f"(keep it {t.title_min}-{t.title_max})",
            url,
            f"<title>{facts.title}</title>",
        )
    description = found.get("description")
    facts.description = description.strip() if description else None
    if not facts.description:
        yield Finding("description-missing", "no meta description", url)
    elif in_search and not t.description_min <= len(facts.description) <= t.description_max:
        yield Finding(
            "description-length",
            f"description is {counted(len(facts.description), 'character')} "
            f"(keep it {t.description_min}-{t.description_max})",
            url,
        )


ROBOTS_NAMES = ("robots", "googlebot")  # the meta names Google's crawler obeys


def says_noindex(found: dict[str, str]) -> bool:
    """Whether a page's robots meta tags (`found`: tree.metas) keep it out of search:
    `noindex` or `none` (noindex, nofollow) for all crawlers (`robots`) or for Google's by
    name (`googlebot`) (https://developers.google.com/search/docs/crawling-indexing/
    robots-meta-tag)."""
    for name in ROBOTS_NAMES:
        directives = (found.get(name) or "").lower().replace(",", " ").split()
        if "noindex" in directives or "none" in directives:
            return True
    return False


def language_and_viewport(root: Element, found: dict[str, str], url: str) -> Iterator[Finding]:
    """lang-missing (<html lang>, https://dequeuniversity.com/rules/axe/4.10/html-has-lang)
    and viewport-missing (mobile-first indexing, https://developers.google.com/search/docs/
    crawling-indexing/mobile/mobile-sites-mobile-first-indexing)."""
    if not root.get("lang"):
        yield Finding("lang-missing", "<html> has no lang attribute", url, "<html>")
    if not found.get("viewport"):
        yield Finding("viewport-missing", "no <meta name=viewport>", url)


def canonical(root: Element, facts: PageFacts, ctx: PageContext) -> Iterator[Finding]:
    """canonical-missing and canonical-invalid: one absolute canonical URL, in production
    the page's own (https://developers.google.com/search/docs/crawling-indexing/
    consolidate-duplicate-urls, https://developer.chrome.com/docs/lighthouse/seo/canonical).
    A not-found page needs none. Sets facts.canonical to the first one's href."""
    links = [e for e in root.iter("link") if "canonical" in (e.get("rel") or "").split()]
    if not links:
        if not facts.not_found:
            yield Finding("canonical-missing", "no <link rel=canonical>", facts.url)
        return
    href = links[0].get("href") or ""
    facts.canonical = href
    if len(links) > 1:
        yield Finding(
            "canonical-invalid", f"{len(links)} canonical links (one is right)", facts.url
        )
    if not re.match(r"^https?://", href):
        yield Finding("canonical-invalid", "the canonical URL is not absolute", facts.url, href)
    elif ctx.origin and ctx.production and not _names(href, ctx.origin, facts.url):
        yield Finding(
            "canonical-invalid",
            # the page's own URL is not in the message: pages whose canonical URL is one
            # (a template's, e.g. the home page's) are one cause, listed once
            f"the canonical URL {href} is not this page's; point it at the page's own URL "
            f"on {ctx.origin}",
            facts.url,
            href,
        )


def _names(href: str, origin: str, url: str) -> bool:
    """Whether the absolute `href` is the page at `url` of the site at `origin`: its
    scheme and host in any case (URLs compare them so: https://url.spec.whatwg.org/
    #host-parsing), and for a page x.html also without .html, the address that hosts
    with pretty URLs (Netlify, Cloudflare Pages) serve it at."""
    n = len(origin)
    if href[:n].lower() != origin.lower():
        return False
    path = href[n:]
    return path == url or (url.endswith(".html") and path == url.removesuffix(".html"))


def noindex(facts: PageFacts, ctx: PageContext) -> Iterator[Finding]:
    """noindex-in-production: a production page says noindex although the build did not
    mean it to (https://developers.google.com/search/docs/crawling-indexing/block-indexing).
    Needs facts.noindex, set by title_and_description. Only pages the build recorded
    (ctx.source) say whether they were meant to be noindex; on a folder that is not ours, the
    sitemap says which pages are meant for search (site_rules.sitemap judges them)."""
    if ctx.source is None:
        return
    if facts.noindex and ctx.production and not ctx.source.noindex and not facts.not_found:
        yield Finding(
            "noindex-in-production", "the page says noindex in a production build", facts.url
        )
