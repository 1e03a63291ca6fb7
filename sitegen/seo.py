"""Files for search engines: sitemap.xml and robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape


def sitemap_xml(canonical_urls: list[str]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(f"  <url><loc>{escape(url)}</loc></url>" for url in sorted(canonical_urls)),
        "</urlset>",
    ]
    return "\n".join(lines) + "\n"


def robots_txt(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n"


def canonical_url(base_url: str, url: str) -> str | None:
    """The absolute URL search engines should index; None for the not-found page."""
    last = url.rsplit("/", 1)[-1]
    if last.startswith("404") and last.endswith(".html"):
        return None
    return base_url + url
