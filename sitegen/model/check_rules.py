# ruff: noqa: E501 - a table of rules, one per line
"""Every rule of the checker: its id, default severity, and why it matters for search."""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, OFF = "error", "warning", "off"
SEVERITIES = (ERROR, WARNING, OFF)

GOOGLE = "https://developers.google.com/search/docs"
LIGHTHOUSE = "https://developer.chrome.com/docs/lighthouse/seo"


@dataclass(frozen=True)
class Rule:
    """One rule of the checker: its id (as site.yaml's check.rules names it), its default
    severity (error, warning or off), what it finds, why that matters for search, and the
    page that rule follows (Google Search Central, Lighthouse, axe, web.dev)."""

    id: str
    severity: str
    what: str
    why: str
    source: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule("page-unparseable", ERROR, "an HTML file that cannot be read as a page (empty, or only comments)", "no other rule can check it, and search engines see an empty page (a soft 404)", f"{GOOGLE}/crawling-indexing/http-network-errors"),
        Rule("title-missing", ERROR, "the page has no <title>", "the title is the headline of a search result", f"{GOOGLE}/appearance/title-link"),
        Rule("title-length", WARNING, "title shorter or longer than the thresholds", "long titles are cut in results, short ones say too little", f"{GOOGLE}/appearance/title-link"),
        Rule("description-missing", ERROR, "no meta description", "the description is often the snippet under the title", f"{GOOGLE}/appearance/snippet"),
        Rule("description-length", WARNING, "description shorter or longer than the thresholds", "snippets are cut at about 160 characters", f"{GOOGLE}/appearance/snippet"),
        Rule("h1-count", ERROR, "not exactly one <h1>", "one main heading states what the page is about", f"{GOOGLE}/appearance/title-link"),
        Rule("duplicate-id", ERROR, "two elements of a page with the same id", "links to #id, labels and scripts reach only the first", "https://html.spec.whatwg.org/multipage/dom.html#the-id-attribute"),
        Rule("heading-order", WARNING, "a heading skips a level", "an outline without gaps is readable by people and machines", "https://dequeuniversity.com/rules/axe/4.10/heading-order"),
        Rule("lang-missing", ERROR, "<html> has no lang", "search engines and screen readers use the page language", "https://dequeuniversity.com/rules/axe/4.10/html-has-lang"),
        Rule("viewport-missing", ERROR, "no viewport meta tag", "mobile-friendly pages need it; Google indexes the mobile page", f"{GOOGLE}/crawling-indexing/mobile/mobile-sites-mobile-first-indexing"),
        Rule("canonical-missing", ERROR, "no canonical link", "tells search engines which URL to show for the content", f"{GOOGLE}/crawling-indexing/consolidate-duplicate-urls"),
        Rule("canonical-invalid", ERROR, "canonical not single, not absolute, or not the page itself", "a wrong canonical drops the page from results", f"{LIGHTHOUSE}/canonical"),
        Rule("noindex-in-production", ERROR, "noindex on a production page that should be indexed", "a stray noindex removes the page from search", f"{GOOGLE}/crawling-indexing/block-indexing"),
        Rule("img-alt", ERROR, "an image without alt, or with an empty alt that is not marked decorative", "alt text is how search engines understand images", f"{GOOGLE}/appearance/google-images"),
        Rule("img-dimensions", WARNING, "an image without width and height", "reserved space avoids layout shift (Core Web Vitals)", "https://web.dev/articles/optimize-cls"),
        Rule("img-file-size", WARNING, "an image file larger than the threshold", "heavy images slow the page (Core Web Vitals)", "https://web.dev/articles/optimize-lcp"),
        Rule("img-oversized", WARNING, "an image file much wider than a phone, tablet or laptop shows it (by its sizes or width; more than 1.5 times and 4 KB over)", "phones download pixels no one sees; a lighter page loads and ranks faster (Core Web Vitals)", "https://developer.chrome.com/docs/lighthouse/performance/uses-responsive-images"),
        Rule("img-modern-format", WARNING, "a JPEG or PNG over 8 KB shown without an AVIF or WebP alternative", "AVIF and WebP are a quarter to a half smaller for the same picture (Core Web Vitals)", "https://developer.chrome.com/docs/lighthouse/performance/uses-webp-images"),
        Rule("link-text", WARNING, "a link whose text says nothing (click here, read more)", "descriptive anchor text helps search engines and users", f"{LIGHTHOUSE}/link-text"),
        Rule("tel-invalid", ERROR, "a tel: link that is not E.164 (+13235550100)", "phones must dial from every device; NAP must agree", f"{GOOGLE}/appearance/structured-data/local-business"),
        Rule("http-self-link", ERROR, "an http: link to this site", "mixed content and redirect hops; link https directly", f"{GOOGLE}/crawling-indexing/https"),
        Rule("jsonld-invalid", ERROR, "a JSON-LD block that does not parse or lacks @context/@type", "invalid structured data is ignored", f"{GOOGLE}/appearance/structured-data/intro-structured-data"),
        Rule("clinic-required", ERROR, "a clinic or business without name, address or a unique @id", "name and address are required for local business results", f"{GOOGLE}/appearance/structured-data/local-business"),
        Rule("clinic-mismatch", ERROR, "a clinic's name, phone or address differs from what the page shows", "markup must describe the visible page; NAP must be consistent", f"{GOOGLE}/appearance/structured-data/sd-policies"),
        Rule("clinic-recommended", WARNING, "a clinic without street address, geo or opening hours", "without them the business is not eligible for some local results", f"{GOOGLE}/appearance/structured-data/local-business"),
        Rule("breadcrumb-invalid", ERROR, "breadcrumb positions not 1..n or items not canonical URLs", "a wrong trail is not shown in results", f"{GOOGLE}/appearance/structured-data/breadcrumb"),
        Rule("jsonld-repeated", ERROR, "the same JSON-LD block twice on a page", "repeated markup describes each item twice", f"{GOOGLE}/appearance/structured-data/sd-policies"),
        Rule("jsonld-id-conflict", ERROR, "one JSON-LD @id stated with different facts (type, name, phone, address, url) on two pages", "an @id names one thing; conflicting facts under it make search engines distrust or drop them", f"{GOOGLE}/appearance/structured-data/sd-policies"),
        Rule("jsonld-id-split", ERROR, "the same name with the same address or phone under two JSON-LD @ids", "one thing under two @ids is two things to search engines: its facts are split", "https://www.w3.org/TR/json-ld11/#node-identifiers"),
        Rule("faq-not-visible", ERROR, "FAQ markup with a question the page does not show", "markup of hidden content is against the guidelines", f"{GOOGLE}/appearance/structured-data/faqpage"),
        Rule("broken-link", ERROR, "a link, image, stylesheet or script that points at no file of the build", "broken links waste crawl budget and lose visitors", f"{GOOGLE}/crawling-indexing/links-crawlable"),
        Rule("broken-fragment", ERROR, "a #fragment that names no element of its page", "the link lands at the top instead of the section", f"{GOOGLE}/crawling-indexing/links-crawlable"),
        Rule("redirect-link", WARNING, "a link to an internal URL that redirects (an alias, or a page without its trailing slash)", "every redirect hop costs time and crawl budget", f"{GOOGLE}/crawling-indexing/301-redirects"),
        Rule("duplicate-title", ERROR, "two pages with the same title", "duplicate titles make pages compete and confuse results", f"{GOOGLE}/appearance/title-link"),
        Rule("duplicate-description", WARNING, "two pages with the same description", "each page needs its own snippet", f"{GOOGLE}/appearance/snippet"),
        Rule("duplicate-h1", WARNING, "two pages with the same <h1>", "pages should say what makes each different", f"{GOOGLE}/fundamentals/seo-starter-guide"),
        Rule("near-duplicate", WARNING, "main text nearly the same as another page's", "near-duplicates are folded together in results", f"{GOOGLE}/crawling-indexing/consolidate-duplicate-urls"),
        Rule("doorway", WARNING, "a page whose main text is on a sibling page once the location's names are swapped", "doorway pages violate Google's spam policies", f"{GOOGLE}/essentials/spam-policies#doorways"),
        Rule("orphan-page", WARNING, "a page in the sitemap that no page links to", "pages without internal links are hard to find and rank", f"{GOOGLE}/crawling-indexing/links-crawlable"),
        Rule("sitemap-missing", ERROR, "an indexable page missing from sitemap.xml", "the sitemap tells search engines what to crawl", f"{GOOGLE}/crawling-indexing/sitemaps/overview"),
        Rule("sitemap-too-large", ERROR, "a sitemap or sitemap index listing more than 50,000 URLs", "search engines read no more of a sitemap: the pages after the 50,000th are not submitted", f"{GOOGLE}/crawling-indexing/sitemaps/build-sitemap"),
        Rule("sitemap-extra", ERROR, "sitemap.xml lists a URL that is not an indexable page", "sitemaps should list only canonical, indexable URLs", f"{GOOGLE}/crawling-indexing/sitemaps/build-sitemap"),
        Rule("preview-indexable", ERROR, "a page of a preview (check --env preview) that neither its robots meta tag nor _headers' X-Robots-Tag says noindex", "an indexed preview is a copy of the site at another address, competing with it", f"{GOOGLE}/crawling-indexing/block-indexing"),
        Rule("redirect-chain", ERROR, "a _redirects rule that leads to another redirect or hides a page", "chains waste hops; a redirect over a page hides it", f"{GOOGLE}/crawling-indexing/301-redirects"),
    ]
}  # fmt: skip
