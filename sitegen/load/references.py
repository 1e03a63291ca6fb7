"""Checks across files: programs a location offers, location-program texts, images."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping

from sitegen.errors import SiteError, SourceRef
from sitegen.load.assets import check_image
from sitegen.model.assets import RASTER_TYPES, AssetCatalog
from sitegen.model.images import SOCIAL_SIZE, Focus, ImageProblem
from sitegen.model.project import ASSETS_DIR
from sitegen.model.records import (
    LocalText,
    Location,
    Program,
    SiteConfig,
    SiteContent,
    image_refs,
)
from sitegen.model.schema import ImageRef
from sitegen.model.sizes import VIEWPORTS, slot_width


def check_site_images(config: SiteConfig, catalog: AssetCatalog) -> list[SiteError]:
    """site.yaml's logo and shared-link picture: they must exist, and be PNG, JPEG, WebP or
    GIF, because social networks (and some search features) do not show SVG."""
    errors: list[SiteError] = []
    seo_image = config.fields.seo.image
    for path, name in (
        (("organization", "logo"), config.fields.organization.logo),
        (("seo", "image", "src"), seo_image.src if seo_image else None),
    ):
        if name is None:
            continue
        ref = config.doc.value_ref(path)
        error = check_image(catalog, name, ref)
        if error:
            errors.append(error)
        elif not name.lower().endswith(tuple(RASTER_TYPES)):
            errors.append(
                SiteError(
                    f"'{name}' must be a PNG, JPEG, WebP or GIF picture: social networks and "
                    "search engines do not show SVG here",
                    ref,
                    "export the picture as JPEG or PNG (a photo, or the illustration drawn "
                    "at 1200 x 630 px or more) and name that file",
                )
            )
    return errors


def check_references(content: SiteContent, catalog: AssetCatalog) -> list[SiteError]:
    """Errors in what content files name: a location's programs that do not exist or are
    listed twice, local texts whose location does not exist or does not offer their
    program, and images (hero, benefits, photos) missing from assets/ or unreadable."""
    errors: list[SiteError] = []
    for location in content.locations.values():
        seen: set[str] = set()
        for index, slug in enumerate(location.fields.programs):
            if slug in seen:
                ref = location.doc.ref(("programs", index))
                errors.append(SiteError(f"program '{slug}' is listed twice", ref, "remove one"))
            elif slug not in content.programs and slug not in content.broken:
                errors.append(
                    SiteError(
                        f"location offers program '{slug}', but there is no "
                        f"content/programs/{slug}.md",
                        location.doc.ref(("programs", index)),
                        _did_you_mean(slug, content.programs) or "create that program file first",
                    )
                )
            seen.add(slug)
    for (location_slug, program_slug), text in content.local_texts.items():
        ref = text.doc.ref()
        offering = content.locations.get(location_slug)
        if offering is None and location_slug in content.broken:
            continue
        if offering is None:
            errors.append(
                SiteError(
                    f"there is no location '{location_slug}' for this text "
                    f"(no content/locations/{location_slug}.yaml)",
                    ref,
                    _did_you_mean(location_slug, content.locations) or "rename the folder",
                )
            )
        elif (
            program_slug not in offering.fields.programs
            and program_slug not in content.broken
            and not _misspelled_in(program_slug, offering, content)
        ):
            errors.append(
                SiteError(
                    f"{offering.fields.name} does not offer '{program_slug}'; this text is unused",
                    ref,
                    f"add '{program_slug}' to programs in content/locations/{location_slug}.yaml"
                    if program_slug in content.programs
                    else _did_you_mean(program_slug, content.programs) or "rename the file",
                )
            )
    records: list[Program | Location | LocalText] = [
        *content.programs.values(),
        *content.locations.values(),
        *content.local_texts.values(),
    ]
    for record in records:
        for path, name in image_refs(record.fields):
            error = check_image(catalog, name, record.doc.value_ref(path))
            if error:
                errors.append(error)
    return errors


def unused_programs(content: SiteContent, drafts: SiteContent | None = None) -> list[SiteError]:
    """Warnings for programs that no location offers (they have no program-location
    pages); a program offered only by draft locations (of `drafts`, the content with its
    drafts) is said to be. None while a program or location file has errors: a location
    that failed to load may offer it (the errors are the news)."""
    if content.broken:
        return []
    offered = {slug for loc in content.locations.values() for slug in loc.fields.programs}
    in_drafts: dict[str, list[str]] = {}
    for location in (drafts or content).locations.values():
        if location.slug not in content.locations:
            for slug in location.fields.programs:
                in_drafts.setdefault(slug, []).append(location.doc.source.path)
    warnings = []
    for slug, program in content.programs.items():
        if slug in offered:
            continue
        if slug in in_drafts:
            files = ", ".join(sorted(in_drafts[slug]))
            warnings.append(
                SiteError(
                    f"program '{slug}' is offered only at draft locations ({files}, draft: "
                    "true), so it has no location pages",
                    program.doc.ref(),
                    "publish the location (remove draft: true), or preview with --drafts",
                )
            )
            continue
        warnings.append(
            SiteError(
                f"program '{slug}' is not offered at any location, so it has no location pages",
                program.doc.ref(),
                "add it to programs in a location file",
            )
        )
    return warnings


def _misspelled_in(program_slug: str, location: Location, content: SiteContent) -> bool:
    """The location lists a misspelling of this program (already reported): one mistake."""
    unknown = [s for s in location.fields.programs if s not in content.programs]
    return bool(difflib.get_close_matches(program_slug, unknown, n=1, cutoff=0.6))


def _did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def social_refs(config: SiteConfig, content: SiteContent) -> list[tuple[str, Focus]]:
    """Every (image, focal point) a page may share as its link picture (og:image): program
    and local heroes, each location's first photo, and site.yaml's seo.image."""
    found: list[ImageRef] = [] if config.fields.seo.image is None else [config.fields.seo.image]
    for program in content.programs.values():
        found.append(program.fields.hero)
    for location in content.locations.values():
        found.extend(location.fields.photos[:1])
    for local in content.local_texts.values():
        if local.fields.hero is not None:
            found.append(local.fields.hero)
    return sorted({(ref.src, ref.focus) for ref in found}, key=str)


def image_users(config: SiteConfig, content: SiteContent) -> dict[str, list[SourceRef]]:
    """The file and line of every place the content and site.yaml name each image."""
    users: dict[str, list[SourceRef]] = {}
    for path, name in (
        (("organization", "logo"), config.fields.organization.logo),
        (("seo", "image", "src"), config.fields.seo.image.src if config.fields.seo.image else None),
    ):
        if name is not None:
            users.setdefault(name, []).append(config.doc.ref(path))
    records: list[Program | Location | LocalText] = [
        *content.programs.values(),
        *content.locations.values(),
        *content.local_texts.values(),
    ]
    for record in records:
        for path, name in image_refs(record.fields):
            users.setdefault(name, []).append(record.doc.ref(path))
    return users


def unused_image_problems(catalog: AssetCatalog, used: Collection[str]) -> list[SiteError]:
    """An error at each raster file of assets/ the build cannot publish that no content
    file names (those that are named get the error where they are named)."""
    unused = {name: p for name, p in catalog.problems.items() if name not in used}
    return image_problem_errors(unused, {})


def image_problem_errors(
    problems: Mapping[str, ImageProblem], users: Mapping[str, list[SourceRef]]
) -> list[SiteError]:
    """An error for each picture the build cannot publish (`problems`, by name in
    assets/): at each file and line that names it (`users`, as image_users gives), else
    at the file itself."""
    errors: list[SiteError] = []
    for name, problem in sorted(problems.items()):
        for where in users.get(name, []):
            errors.append(SiteError(f"image '{name}': {problem}", where, problem.fix))
        if not users.get(name):
            errors.append(SiteError(str(problem), SourceRef(f"{ASSETS_DIR}/{name}"), problem.fix))
    return errors


FIELD_SLOTS = {"hero": "hero", "benefits": "benefit", "photos": "photo"}
"""The slot of site.yaml's images.slots each image field is shown in (layouts/: a hero in
hero_media, a benefit's image in the benefits component, photos in the photo grid)."""


def small_image_warnings(
    config: SiteConfig, content: SiteContent, catalog: AssetCatalog
) -> list[SiteError]:
    """A warning where a content file names a raster picture narrower than its slot shows
    it (the slot's widest at VIEWPORTS, on an ordinary screen: blurry on every screen),
    and where site.yaml's seo.image is smaller than a shared-link card (SOCIAL_SIZE)."""
    warnings: list[SiteError] = []
    slots = config.fields.images.slots
    records: list[Program | Location | LocalText] = [
        *content.programs.values(),
        *content.locations.values(),
        *content.local_texts.values(),
    ]
    for record in records:
        for path, name in image_refs(record.fields):
            slot = FIELD_SLOTS.get(path[0])
            source = catalog.sources.get(name)
            if slot is None or slot not in slots or source is None:
                continue
            shown = max(round(slot_width(slots[slot], v)) for v in VIEWPORTS)
            if source.width < shown:
                warnings.append(
                    SiteError(
                        f"image '{name}' is {source.width} px wide, but the {slot} slot shows "
                        f"it up to {shown} px wide: it looks blurry on every screen",
                        record.doc.ref(path),
                        f"use a picture at least {2 * shown:,} px wide (sharp on phones too)",
                    )
                )
    image = config.fields.seo.image
    source = catalog.sources.get(image.src) if image else None
    want_width, want_height = SOCIAL_SIZE
    if image and source and (source.width < want_width or source.height < want_height):
        warnings.append(
            SiteError(
                f"image '{image.src}' is {source.width} x {source.height} px; a shared link "
                f"shows a {want_width} x {want_height} picture, so this one looks blurry",
                config.doc.ref(("seo", "image", "src")),
                f"use a picture at least {want_width} x {want_height} px",
            )
        )
    return warnings
