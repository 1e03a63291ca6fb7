"""Which site a folder of built pages is: the origin (https://www.example.com) its pages
are judged by. Links to it are internal, and canonical URLs, breadcrumbs and the sitemap
must name it.

The pages say which site they are: their canonical URLs, their `og:url` (Open Graph,
https://ogp.me/#metadata) and the sitemap's `<loc>` URLs name it. When those agree, they
are the folder's own origin, which may differ from the project's site.yaml `base_url`
(another site's folder checked inside this project, or a folder built before `base_url`
changed). `choose` decides which origin is used and says why, so that a check never
judges a whole folder by the wrong site in silence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SAMPLE = 64  # pages read to find the origin: the home page and up to 63 spread evenly
AGREE = 0.9  # the share of a kind of statement that must name one origin

SITE_URL, BASE_URL, PAGES = "site-url", "base-url", "pages"  # where the origin came from

_TAG = re.compile(rb"<(?:link|meta)\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_ORIGIN = re.compile(r"^(https?://[^/?#\s]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Origin:
    """The origin a check judges by, where it came from (SITE_URL: --site-url; BASE_URL:
    site.yaml; PAGES: what the folder's pages agree on), and a note for the report when
    the choice is worth saying (the pages name another site than site.yaml's)."""

    url: str | None  # https://www.example.com, no trailing slash; None: unknown
    source: str | None  # SITE_URL, BASE_URL, PAGES, or None when unknown
    note: str | None = None


@dataclass(frozen=True)
class Statements:
    """The origins a folder's pages state, counted per kind of statement: the canonical
    URLs and og:url of a sample of pages, and every <loc> of the sitemap."""

    canonical: Counter[str]
    og_url: Counter[str]
    sitemap: Counter[str]

    def agreed(self) -> str | None:
        """The origin that every kind of statement present names (at least AGREE of each
        kind), or None when they name none or disagree."""
        found: set[str] = set()
        for counts in (self.canonical, self.og_url, self.sitemap):
            total = sum(counts.values())
            if not total:
                continue
            origin, count = counts.most_common(1)[0]
            if count < AGREE * total:
                return None
            found.add(origin)
        return found.pop() if len(found) == 1 else None

    def leading(self) -> str | None:
        """The origin the strongest kind of statement present names (at least AGREE of
        it): the canonical URLs, else the sitemap, else og:url. A canonical URL is what a
        page says its own address is; the others repeat it."""
        for counts in (self.canonical, self.sitemap, self.og_url):
            if counts:
                origin, count = counts.most_common(1)[0]
                return origin if count >= AGREE * sum(counts.values()) else None
        return None

    def named(self) -> dict[str, str]:
        """The origin most statements of each kind present name, by the kind's name."""
        return {
            kind: counts.most_common(1)[0][0]
            for kind, counts in (
                ("canonical URLs", self.canonical),
                ("og:url", self.og_url),
                ("sitemap", self.sitemap),
            )
            if counts
        }

    def kinds(self) -> list[str]:
        """The kinds of statement present, as a report names them."""
        names = (
            ("canonical URLs", self.canonical),
            ("og:url", self.og_url),
            ("sitemap", self.sitemap),
        )
        return [name for name, counts in names if counts]


def statements(html: dict[str, str], sitemap: list[str] | None) -> Statements:
    """What a folder's pages say their origin is. `html` is the page files by URL (sorted),
    `sitemap` the sitemap's <loc> URLs (None: no sitemap). Reads at most SAMPLE pages,
    the home page first; a page that cannot be read states nothing."""
    canonical: Counter[str] = Counter()
    og_url: Counter[str] = Counter()
    for path in _sample(html):
        try:
            with open(path, "rb") as file:
                head = file.read(65536)  # the head; a <link> further down is no statement
        except OSError:
            continue
        for tag in _TAG.findall(head):
            attributes = {
                name.lower(): (a or b or c).decode("utf-8", "replace")
                for name, a, b, c in _ATTRIBUTE.findall(tag)
            }
            if tag[:5].lower() == b"<link":
                if "canonical" in attributes.get(b"rel", "").lower().split():
                    _count(canonical, attributes.get(b"href"))
            elif attributes.get(b"property", "").lower() == "og:url":
                _count(og_url, attributes.get(b"content"))
    found: Counter[str] = Counter()
    for loc in sitemap or ():
        _count(found, loc)
    return Statements(canonical, og_url, found)


def choose(site_url: str | None, base_url: str | None, said: Statements) -> Origin:
    """The origin to judge a folder by: `site_url` (--site-url) when given; else the
    origin the pages agree on (`said`), with a note when site.yaml's `base_url` names
    another; else, when no kind of statement names `base_url`, the origin the strongest
    kind names (Statements.leading: a folder whose sitemap is on the bare host while its
    canonical URLs name www.), with a note; else `base_url`; else the origin most of the
    pages' canonical URLs name."""
    if site_url:
        return Origin(site_url.rstrip("/"), SITE_URL)
    base = base_url.rstrip("/") if base_url else None
    agreed = said.agreed()
    if agreed and base and agreed.lower() != base.lower():
        kinds = ", ".join(said.kinds())
        return Origin(
            agreed,
            PAGES,
            f"The pages of this folder name {agreed} ({kinds}), not site.yaml's base_url "
            f"{base}: judged as {agreed}. Give --site-url to judge them as another site.",
        )
    lead = None if agreed else said.leading()
    named = said.named()
    if lead and base and base.lower() not in named.values():
        others = "; ".join(f"{kind}: {origin}" for kind, origin in named.items() if origin != lead)
        return Origin(
            lead,
            PAGES,
            f"The pages of this folder name {lead} as their own address, not site.yaml's "
            f"base_url {base}, though not everywhere ({others}): judged as {lead}, the "
            "site their strongest statement names. Give --site-url to judge them as "
            "another site.",
        )
    if base:
        return Origin(base, BASE_URL, None if agreed else _disagreeing(said, base))
    if agreed:
        return Origin(agreed, PAGES)
    majority = (said.canonical or said.og_url or said.sitemap).most_common(1)
    return Origin(majority[0][0], PAGES) if majority else Origin(None, None)


def _disagreeing(said: Statements, base: str) -> str | None:
    """The note for pages that name no one origin, none of them site.yaml's `base_url`
    (another site's folder whose sitemap names http:// or the bare host while its
    canonical URLs name https://www.): judged by base_url, every page is wrong, and the
    report says why and how to judge them as their own site."""
    names = [
        (kind, counts.most_common(1)[0][0])
        for kind, counts in zip(
            ("canonical URLs", "og:url", "sitemap"),
            (said.canonical, said.og_url, said.sitemap),
            strict=True,
        )
        if counts
    ]
    if not names or base.lower() in {origin for _kind, origin in names}:
        return None
    named = "; ".join(f"{kind}: {origin}" for kind, origin in names)
    return (
        f"The pages of this folder do not agree on their origin ({named}), and none is "
        f"site.yaml's base_url {base}: judged as {base}. Give --site-url to judge them as "
        "the site they are (their statements that name another origin are then findings)."
    )


def _sample(html: dict[str, str]) -> list[str]:
    """The home page's file and up to SAMPLE - 1 others spread evenly over the URLs."""
    paths = list(html.values())
    step = max(1, len(paths) // (SAMPLE - 1))
    chosen = dict.fromkeys([html["/"]] if "/" in html else [])
    chosen.update(dict.fromkeys(paths[::step][: SAMPLE - 1]))
    return list(chosen)


def _count(counts: Counter[str], url: str | None) -> None:
    match = _ORIGIN.match((url or "").strip())
    if match:
        counts[match.group(1).lower()] += 1
