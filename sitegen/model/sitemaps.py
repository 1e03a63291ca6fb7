"""The sitemaps protocol's limits (https://www.sitemaps.org/protocol.html; Google Search
Central, "Build and submit a sitemap"): what the build writes keeps to them and the
checker holds every folder to them."""

from __future__ import annotations

MAX_SITEMAP_URLS = 50_000
"""URLs one sitemap file may list (pages in a sitemap, sitemaps in a sitemap index)."""

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
"""Bytes one sitemap file may have, uncompressed."""
