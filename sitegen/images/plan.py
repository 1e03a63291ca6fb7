"""Which files each raster source becomes: a ladder of widths that serves every slot of the
layouts, each in AVIF, WebP and the fallback format, plus the cleaned original and the
shared-link crops. Pure: sizes and names only, no pixels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from sitegen.errors import SiteError
from sitegen.model.assets import AssetCatalog
from sitegen.model.images import (
    SOCIAL_SIZE,
    SUFFIXES,
    VARIANTS_URL,
    Crop,
    Focus,
    Picture,
    Pictures,
    SourceImage,
    Variant,
)
from sitegen.model.limits import MAX_PICTURE_WIDTHS
from sitegen.model.project import ASSETS_URL
from sitegen.model.records import SiteConfig
from sitegen.model.site_schema import ImagesFields
from sitegen.model.sizes import VIEWPORTS, slot_width

DENSITIES = (1, 2)
"""Device pixel ratios planned for: ordinary screens and high-density ones (phones are
2 or 3; a 3x phone gets the 2x file, which looks the same at arm's length)."""
MERGE = 1.1
"""Widths within 10% of a larger one are left out: the browser takes the larger, at most
10% more pixels than it needs."""
ORIGINAL_QUALITY = 90  # the cleaned original at the source's URL, for links and logos
SOCIAL_QUALITY = 82
PICTURE_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "MPO": "jpeg"}


def ladder(slots: Mapping[str, str]) -> tuple[int, ...]:
    """The widths in pixels every picture is made at (those its source is wider than):
    each slot's width at each of VIEWPORTS, times each of DENSITIES, with widths within
    MERGE of a larger one left out. Empty when there are no slots."""
    wanted = sorted(
        {
            round(slot_width(sizes, viewport) * density)
            for sizes in slots.values()
            for viewport in VIEWPORTS
            for density in DENSITIES
        },
        reverse=True,
    )
    kept: list[int] = []
    for width in wanted:
        if width > 0 and (not kept or width * MERGE < kept[-1]):
            kept.append(width)
    return tuple(sorted(kept))


def widths_error(config: SiteConfig) -> SiteError | None:
    """An error at site.yaml's images.slots when they make more than MAX_PICTURE_WIDTHS
    widths (`ladder`), else None."""
    widths = ladder(config.fields.images.slots)
    if len(widths) <= MAX_PICTURE_WIDTHS:
        return None
    return SiteError(
        f"the picture slots make {len(widths)} widths, more than the {MAX_PICTURE_WIDTHS} "
        "a picture may be made in (each in every format, for every picture)",
        config.doc.ref(("images", "slots")),
        "use fewer slots, or sizes values that share widths (within 10% of each other)",
    )


def plan_picture(
    source: SourceImage,
    url: str,
    widths: Iterable[int],
    formats: Iterable[str],
    quality: Mapping[str, int],
) -> Picture:
    """The files of the source published at `url` (/assets/images/room.jpg): the original
    (metadata stripped, same size and format) at `url`, and a variant at each of `widths`
    narrower than the source (and one at the source's own width when a wider one was
    wanted: never upscaled) in each of `formats` and the fallback (`source.fallback`),
    named by variant_stem. `quality` is per format (1-100)."""
    stem = variant_stem(url)
    sizes = sorted({w for w in widths if w < source.width})
    if any(w >= source.width for w in widths):  # the source's own width, not one near it
        sizes = [w for w in sizes if w * MERGE < source.width] + [source.width]
    variants: dict[str, tuple[Variant, ...]] = {}
    for kind in (*[f for f in formats if f != source.fallback], source.fallback):
        variants[kind] = tuple(
            _named(_variant(source, width, kind, quality.get(kind, 80)), f"{stem}-{width}")
            for width in sizes
        )
    own = PICTURE_FORMATS.get(source.format, source.fallback)
    original = _variant(source, source.width, own, 100 if own == "png" else ORIGINAL_QUALITY)
    original = replace(original, url=url)
    return Picture(source, original, variants)


def social_variant(source: SourceImage, url: str, focus: tuple[float, float] | None) -> Variant:
    """The shared-link picture (og:image) of the source at `url`: the largest box of
    SOCIAL_SIZE's shape (1.91:1) that fits, centred on `focus` (fractions across and
    down; None: the centre) as far as the edges allow, scaled down to SOCIAL_SIZE (not up:
    a smaller source gives a smaller picture). JPEG, or PNG for a transparent source."""
    target_width, target_height = SOCIAL_SIZE
    ratio = target_width / target_height
    box_width = min(source.width, round(source.height * ratio))
    box_height = min(source.height, round(box_width / ratio))
    x, y = focus or (0.5, 0.5)
    left = _clamp(round(x * source.width - box_width / 2), 0, source.width - box_width)
    top = _clamp(round(y * source.height - box_height / 2), 0, source.height - box_height)
    crop = Crop(left, top, left + box_width, top + box_height)
    width = min(target_width, box_width)
    height = min(target_height, round(width / ratio))
    kind = source.fallback
    variant = Variant(source.name, source.digest, width, height, kind, SOCIAL_QUALITY, crop)
    return _named(variant, variant_stem(url) + "-og")


def _variant(source: SourceImage, width: int, kind: str, quality: int) -> Variant:
    height = max(1, round(source.height * width / source.width))
    return Variant(source.name, source.digest, width, height, kind, quality)


def variant_stem(url: str) -> str:
    """Where the variants of the source published at `url` go: /assets/images/room.jpg ->
    /assets/variants/images/room (then -<width>.<key>.<suffix>). A folder of fingerprinted
    files only, which a CDN can cache for a year (netlify.toml)."""
    path = url.rpartition(".")[0]
    return VARIANTS_URL + path.removeprefix(ASSETS_URL)


def _named(variant: Variant, stem: str) -> Variant:
    return replace(variant, url=f"{stem}.{variant.key[:10]}.{SUFFIXES[variant.format]}")


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def plan_site(
    catalog: AssetCatalog,
    fields: ImagesFields,
    social: Iterable[tuple[str, Focus]],
    avif: bool,
) -> Pictures:
    """The published forms of every raster source of `catalog` (its `sources`), for the
    slots and quality of site.yaml's `images` (`fields`), with AVIF when `avif` (the
    installed Pillow can write it and site.yaml does not turn it off), and a shared-link
    crop for each (source name, focal point) of `social` that names a raster source."""
    widths = ladder(fields.slots)
    formats = ("avif", "webp") if avif and fields.avif else ("webp",)
    quality = fields.quality.model_dump()
    pictures = {
        name: plan_picture(source, catalog.assets[name].url, widths, formats, quality)
        for name, source in catalog.sources.items()
    }
    crops = {
        (name, focus): social_variant(catalog.sources[name], catalog.assets[name].url, focus)
        for name, focus in social
        if name in catalog.sources
    }
    return Pictures(pictures, crops, dict(fields.slots), fields.content)
