"""The markup of a picture: <picture> with an AVIF and a WebP <source> and the fallback
<img>, each with a srcset of the variants' widths and the slot's sizes, the source's
width and height (no layout shift), and how the browser should load it: the picture
that is the page's largest paint (the hero) at once with fetchpriority=high, the rest
lazily (https://web.dev/articles/browser-level-image-lazy-loading)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote, unquote

from markupsafe import Markup

from sitegen.model.assets import AssetCatalog
from sitegen.model.images import MEDIA_TYPES, Picture, Variant

FALLBACK_WIDTH = 800
"""The fallback <img>'s src: the narrowest variant at least this wide (browsers without
srcset are rare; crawlers that read src get a fair picture)."""


def href(url: str) -> str:
    """A published file's URL as written in HTML: percent-encoded, so that a file named
    with spaces, commas or accents (`Group Room é.jpg`) is one URL in a srcset (where a
    space ends it) and a valid address anywhere else."""
    return quote(url, safe="/")


def srcset(variants: tuple[Variant, ...]) -> str:
    """'url 320w, url 640w' (HTML's image candidate strings, width descriptors), each
    URL as attribute_url writes it."""
    return ", ".join(f"{attribute_url(v.url)} {v.width}w" for v in variants)


def attribute_url(url: str) -> str:
    """`url` (a path made from a file name of assets/) percent-encoded and escaped, ready
    for an attribute: a quote, `<` or space in an editor's file name can neither end the
    attribute (`q" onerror="alert(1).jpg`) nor split a srcset candidate (a space or a
    comma), and a `%` in it stays a `%` (%25)."""
    return html.escape(href(url))


def picture_html(
    picture: Picture,
    alt: str,
    sizes: str,
    *,
    priority: bool = False,
    attributes: str = "",
) -> str:
    """The <picture> element of `picture` for a slot of `sizes`, with `alt` (plain text,
    escaped here) and `attributes` (already-escaped HTML attributes for the <img>, such
    as ' class="card-img"'). `priority`: the page's main picture, loaded at once with
    fetchpriority=high; otherwise loading=lazy and decoding=async."""
    fallback = picture.variants[picture.source.fallback]
    parts = ["<picture>"]
    for kind, variants in picture.variants.items():
        if kind != picture.source.fallback and variants:
            parts.append(
                f'<source type="{MEDIA_TYPES[kind]}" srcset="{srcset(variants)}"'
                f' sizes="{html.escape(sizes)}">'
            )
    src = (
        next((v for v in fallback if v.width >= FALLBACK_WIDTH), fallback[-1])
        if fallback
        else picture.original
    )
    loading = ' fetchpriority="high"' if priority else ' loading="lazy" decoding="async"'
    parts.append(
        f'<img src="{attribute_url(src.url)}" srcset="{srcset(fallback)}"'
        f' sizes="{html.escape(sizes)}" alt="{html.escape(alt)}"'
        f' width="{picture.width}" height="{picture.height}"{loading}{attributes}>'
    )
    parts.append("</picture>")
    return "".join(parts)


def plain_img_html(
    src: str, alt: str, width: int, height: int, *, priority: bool = False, attributes: str = ""
) -> str:
    """An <img> of a picture that has no variants (SVG, GIF), loaded as `picture_html`
    would load it."""
    loading = ' fetchpriority="high"' if priority else ' loading="lazy" decoding="async"'
    return (
        f'<img src="{html.escape(src)}" alt="{html.escape(alt)}" width="{width}" height="{height}"'
        f"{loading}{attributes}>"
    )


def picture_helper(catalog: AssetCatalog) -> Callable[..., Markup]:
    """The layouts' `picture(image, slot, priority=false, class=none)`: `image` an
    ImageView (a hero, a photo, a benefit's image), `slot` a name of site.yaml's
    images.slots. Raises KeyError for a slot that is not there."""

    def picture(image: object, slot: str, priority: bool = False, **attrs: object) -> Markup:
        extra = "".join(
            f' {name.rstrip("_")}="{html.escape(str(value))}"'
            for name, value in sorted(attrs.items())
            if value is not None
        )
        name, alt = getattr(image, "asset", ""), str(getattr(image, "alt", ""))
        sizes = catalog.pictures.sizes(slot)  # a slot that is not there, on every page
        found = catalog.pictures.pictures.get(name)
        if found is None:
            src = str(getattr(image, "src", ""))
            width, height = int(getattr(image, "width", 0)), int(getattr(image, "height", 0))
            return Markup(
                plain_img_html(src, alt, width, height, priority=priority, attributes=extra)
            )
        return Markup(picture_html(found, alt, sizes, priority=priority, attributes=extra))

    return picture


_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')


def content_pictures(catalog: AssetCatalog) -> Callable[[str], str]:
    """What turns each <img> of a converted Markdown text into a picture: a raster of
    assets/ becomes picture_html in the content slot (site.yaml's images.content; the
    whole viewport when no such slot), lazily loaded; any other image gets its width and
    height (when known and not written) and loading=lazy."""

    def convert(text_html: str) -> str:
        return _IMG.sub(lambda match: _one(match, catalog), text_html)

    return convert


def _one(match: re.Match[str], catalog: AssetCatalog) -> str:
    attributes = dict(_ATTRIBUTE.findall(" " + match.group(1)))
    # a query or fragment (an editor's cache-buster) names the same file: the variants'
    # names carry their content's hash already
    src = unquote(html.unescape(attributes.get("src", "")).split("#")[0].split("?")[0])
    name = src.removeprefix("/assets/") if src.startswith("/assets/") else None
    pictures = catalog.pictures
    if name is not None and name in pictures.pictures:
        sizes = pictures.slots.get(pictures.content, "100vw")
        rest = "".join(
            f' {k}="{v}"' for k, v in attributes.items() if k in ("title", "class", "id")
        )
        alt = html.unescape(attributes.get("alt", ""))
        return picture_html(pictures.pictures[name], alt, sizes, attributes=rest)
    if name is None or not catalog.has(name) or "width" in attributes or "height" in attributes:
        return match.group()
    try:
        width, height = catalog.image_size(name)
    except (OSError, ValueError):
        return match.group()  # not an image the catalogue can measure: left as written
    lazy = "" if "loading" in attributes else ' loading="lazy"'
    return f'<img{match.group(1)} width="{width}" height="{height}"{lazy}>'
