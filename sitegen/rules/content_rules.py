"""The rules of a page's body: headings, images, and links with where they lead. They also
note the page's first <h1>, its internal links and its images in its facts, for the rules
across pages (duplicates, broken links, file sizes).

Why each rule matters, with its source, is in sitegen.model.check_rules.RULES."""

from __future__ import annotations

import posixpath
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.rules.model import Finding, PageContext, PageFacts
from sitegen.rules.pictures import addresses, picture
from sitegen.rules.tree import Element, ids, start_tag, text

VAGUE_LINK_TEXT = {"click here", "here", "read more", "more", "learn more", "this page",
                   "this", "link", "go", "details", "continue"}  # fmt: skip
ADDRESS_OF = {"a": "href", "link": "href", "form": "action"}  # the others': src
E164 = re.compile(r"^\+[1-9]\d{6,14}(?:;ext=\d{1,10})?$")  # +13235550100, maybe ;ext=2 (RFC 3966)


def rules(root: Element, facts: PageFacts, ctx: PageContext) -> Iterator[Finding]:
    """Every rule of this module on a parsed page, in this order."""
    yield from duplicate_ids(ids(root), facts.url)
    yield from headings(root, facts)
    base = base_of(root, facts.url, ctx)
    yield from images(root, facts, ctx, base)
    yield from links(root, facts, ctx, base)


def base_of(root: Element, url: str, ctx: PageContext) -> str:
    """The path relative addresses of the page at `url` are resolved against: the page's
    own, or its <base href> when that is on this site (WordPress themes, single-page
    apps: <base href="/"> makes href="about/" /about/ and href="#x" /#x on every page,
    https://html.spec.whatwg.org/multipage/semantics.html#the-base-element)."""
    base = root.find(".//base[@href]")
    href = (base.get("href") or "").strip() if base is not None else ""
    found = internal(href, url, ctx) if href and href[0] != "#" else None
    return found[0] if found else url


def headings(root: Element, facts: PageFacts) -> Iterator[Finding]:
    """h1-count: exactly one <h1> (https://developers.google.com/search/docs/appearance/
    title-link), whose text becomes facts.h1; heading-order: no level skipped on the way
    down (https://dequeuniversity.com/rules/axe/4.10/heading-order)."""
    h1s = root.findall(".//h1")
    facts.h1 = text(h1s[0]) if h1s else None
    yield from h1_count(len(h1s), facts.url, [text(h) for h in h1s[1:3]])
    previous = 0
    for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        level = int(element.tag[1])
        if previous and level > previous + 1:
            yield Finding(
                "heading-order",
                f"<h{level}> follows <h{previous}>: a level is skipped",
                facts.url,
                start_tag(element),
                text(element),
            )
        previous = level


def h1_count(count: int, url: str, others: Sequence[str] = ()) -> Iterator[Finding]:
    """h1-count for a page with `count` <h1> elements, `others` the words of the second
    and later ones (where to look for the extra heading)."""
    if count != 1:
        yield Finding(
            "h1-count",
            f"the page has {count} <h1> elements (one is right)",
            url,
            subject=others[0] if others else None,
        )


def duplicate_ids(ids: Iterable[str], url: str) -> Iterator[Finding]:
    """duplicate-id: an id given to two elements of the page; a link to it (#id) and the
    page's scripts and labels then find only the first (https://html.spec.whatwg.org/
    multipage/dom.html#the-id-attribute: unique in the element's tree;
    https://dequeuniversity.com/rules/axe/4.10/duplicate-id). One finding per id."""
    ids = list(ids)
    if len(set(ids)) == len(ids):
        return  # the usual case, in C
    seen: set[str] = set()
    reported: set[str] = set()
    for value in ids:
        if value in seen and value not in reported:
            reported.add(value)
            yield Finding(
                "duplicate-id", f'id="{value}" is on more than one element', url, subject=value
            )
        seen.add(value)


def images(
    root: Element, facts: PageFacts, ctx: PageContext, base: str | None = None
) -> Iterator[Finding]:
    """img-alt (https://developers.google.com/search/docs/appearance/google-images) and
    img-dimensions (https://web.dev/articles/optimize-cls) for each <img> (inside a
    <picture> too: the <img> carries the alt and the size); its file, when in this site,
    is added to facts.images (img-file-size is a rule across pages), and the image as a
    browser chooses its file to facts.pictures, once per page (img-oversized and
    img-modern-format: sitegen.check.images). `base`: the path relative addresses are
    resolved against (base_of; default the page's)."""
    seen = set(facts.pictures)
    for img in root.iter("img"):
        alt = img.get("alt")
        decorative = img.get("role") in ("presentation", "none") or img.get("aria-hidden") == "true"
        if alt is None or (not alt.strip() and not decorative):
            what = "has no alt" if alt is None else "has an empty alt but is not marked decorative"
            yield Finding(
                "img-alt",
                f'the image {what} (describe it, or mark it aria-hidden="true")',
                facts.url,
                start_tag(img),
                img.get("src"),
            )
        if not (img.get("width") and img.get("height")):
            yield Finding(
                "img-dimensions",
                "the image has no width and height",
                facts.url,
                start_tag(img),
                img.get("src"),
            )
        if not (img.get("src") or "").strip():
            yield Finding("broken-link", "the image has no src", facts.url, start_tag(img), "<img")
        path = internal(img.get("src"), base or facts.url, ctx)
        if path and path[0] not in facts.images:
            facts.images.append(sys.intern(path[0]))
        shown = picture(img, lambda value: internal(value, base or facts.url, ctx))
        if shown not in seen:
            seen.add(shown)
            facts.pictures.append(shown)


def links(
    root: Element, facts: PageFacts, ctx: PageContext, base: str | None = None
) -> Iterator[Finding]:
    """link-text (https://developer.chrome.com/docs/lighthouse/seo/link-text), tel-invalid
    (E.164, https://developers.google.com/search/docs/appearance/structured-data/
    local-business) and http-self-link (.../crawling-indexing/https) for every address a
    page links to, loads or sends a form to; each internal one is added once to
    facts.links as (path, fragment, tag) for the rules across pages (broken links and
    fragments, orphans: a form's thank-you page is reached by its action). A form sent to
    Netlify's own paths (/.netlify/functions/...) leads to no file of a build and is not
    added (https://docs.netlify.com/functions/overview/). `base`: the path relative
    addresses are resolved against (base_of; default the page's)."""
    seen: set[tuple[str, str, str]] = set()
    for element in root.iter("a", "link", "script", "img", "iframe", "source", "form"):
        tag = element.tag
        if tag in ("img", "source"):
            values = addresses(element)  # src and each srcset candidate
        else:
            value = (element.get(ADDRESS_OF.get(tag, "src")) or "").strip()
            values = [value] if value else []
        if not values or (tag == "link" and "canonical" in (element.get("rel") or "").split()):
            continue  # a canonical is checked by its rule; it is an address, not a load
        if tag == "a":
            vague = _vague(element.text or "" if len(element) == 0 else text(element))
            if vague is not None and not element.get("aria-label"):
                yield Finding(
                    "link-text",
                    f"link text '{vague}' does not say where it goes",
                    facts.url,
                    start_tag(element),
                    values[0],
                )
        for value in values:
            kind, inside = target(value, base or facts.url, ctx)
            if kind is not None:
                message = {
                    "tel-invalid": f"'{shortened(value)}' is not E.164 (tel:+1...)",
                    "http-self-link": "a link to this site over http:",
                    "broken-link": f"<{tag}> points at '{shortened(value)}', which is no address",
                }[kind]
                yield Finding(kind, message, facts.url, start_tag(element), value)
            if inside and not (tag == "form" and inside[0].startswith("/.netlify/")):
                link = (inside[0], inside[1], sys.intern(tag))
                if link not in seen:
                    seen.add(link)
                    facts.links.append(link)


def _vague(words: str) -> str | None:
    """The link text, normalised, when it says nothing about where the link goes."""
    if len(words) >= 40:
        return None
    normal = " ".join(words.split()).lower().strip(".!: ")
    return normal if normal in VAGUE_LINK_TEXT else None


Target = tuple[str | None, tuple[str, str] | None]  # a finding's rule id, (path, fragment)
_TARGETS: dict[tuple[str | None, str], Target] = {}


def target(value: str, page_url: str, ctx: PageContext) -> Target:
    """What a link's address (`value`, stripped, not empty) is: the id of a rule it breaks
    (tel-invalid, http-self-link, broken-link for what is no address at all) or None, and
    (path, fragment) of where in this site it leads or None. The same addresses
    (navigation, assets) are on every page, so those that do not depend on the page are
    worked out once per process."""
    shared = value[0] == "/" or value.startswith(("https://", "http://", "tel:", "mailto:"))
    key = (ctx.origin, value)
    if shared and key in _TARGETS:
        return _TARGETS[key]
    kind = None
    inside = None
    if value.startswith("tel:"):
        kind = None if E164.match(value[4:]) else "tel-invalid"
    elif not valid(value):
        kind = "broken-link"
    else:
        parts = urlsplit(value)
        http = parts.scheme.lower() == "http"
        if http and ctx.origin and same_site(parts.scheme, parts.netloc, ctx.origin):
            kind = "http-self-link"
        found = internal(value, page_url, ctx)
        # interned: the same navigation links on thousands of pages are one object each,
        # which marshal then stores once in the cache
        inside = (sys.intern(found[0]), sys.intern(found[1])) if found else None
    if shared:
        if len(_TARGETS) > 65536:
            _TARGETS.clear()
        _TARGETS[key] = (kind, inside)
    return kind, inside


def valid(value: str) -> bool:
    """Whether `value` can be read as an address at all (`http://[oops/` cannot)."""
    try:
        urlsplit(value)
    except ValueError:
        return False
    return True


def same_site(scheme: str, netloc: str, origin: str) -> bool:
    """Whether an address's `scheme` and `netloc` are the site at `origin` (its https
    address, or http), compared as URLs compare them: case aside, default port aside, no
    scheme meaning the page's (https://url.spec.whatwg.org/#host-parsing)."""
    ours = urlsplit(origin)
    scheme = scheme.lower() or ours.scheme  # //host/path: the page's own scheme
    host = netloc.lower().removesuffix(":443" if scheme == "https" else ":80")
    return scheme in ("https", "http") and host == ours.netloc.lower()


def normal_path(path: str) -> str:
    """`path` without its dot segments (/a/./b/../c/ -> /a/c/), as a browser resolves it
    (https://url.spec.whatwg.org/#path-state), its trailing slash kept."""
    if "/." not in path:
        return path
    normal = posixpath.normpath(path)
    normal = "/" + normal.lstrip("/")  # normpath keeps a leading //
    return normal + "/" if path.endswith(("/", "/.", "/..")) and normal != "/" else normal


def shortened(value: str, limit: int = 120) -> str:
    """`value` cut to `limit` characters with an ellipsis, for a message."""
    return value if len(value) <= limit else value[: limit - 3] + "..."


def internal(value: str | None, page_url: str, ctx: PageContext) -> tuple[str, str] | None:
    """(path, fragment) of an address inside this site (relative, or absolute on
    ctx.origin over https or http) as seen from `page_url`; None for other sites and
    schemes (mailto:, tel:, data: ...) and for no address."""
    if not value:
        return None
    if value[0] == "/" and not value.startswith("//"):  # the usual case, without urljoin
        rest, _, fragment = value.partition("#")
        path = rest.split("?", 1)[0] or "/"
        if "%" in path:
            path = unquote(path)
        return (normal_path(path) if "/." in path else path), fragment
    if value[0] == "#":
        return page_url, value[1:]
    if not valid(value):
        return None
    parts = urlsplit(value)
    if parts.scheme in ("mailto", "tel", "sms", "data", "javascript"):
        return None
    ours = ctx.origin and same_site(parts.scheme, parts.netloc, ctx.origin)
    if (parts.scheme or parts.netloc) and not ours:
        return None
    absolute = urlsplit(urljoin(page_url, value))
    return normal_path(unquote(absolute.path) or "/"), absolute.fragment
