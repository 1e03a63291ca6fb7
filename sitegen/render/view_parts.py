"""The small views every page shares, made from records: phone numbers, images, the
organisation, program and location cards, and the navigation."""

from __future__ import annotations

from sitegen.model.assets import AssetCatalog
from sitegen.model.facts import e164, phone_href
from sitegen.model.images import Focus
from sitegen.model.records import Location, Program, SiteConfig, SiteContent
from sitegen.model.routes import (
    LocationRoute,
    PageRoute,
    ProgramAtLocationRoute,
    Route,
)
from sitegen.model.schema import ImageRef
from sitegen.render.views import (
    ImageView,
    InsuranceView,
    LinkView,
    LocationCard,
    OrganizationView,
    PhoneView,
    ProgramCard,
)


def phone_view(number: str, scheme: str = "tel") -> PhoneView:
    """The number as written, in E.164 and as a link (facts.e164: validated when loaded,
    converted once per number)."""
    return PhoneView(number, e164(number), phone_href(number, scheme))


def image_view(catalog: AssetCatalog, src: str, alt: str, focus: Focus = None) -> ImageView:
    """The image assets/<src> with its URL and size in pixels; KeyError when it is missing,
    ValueError when it cannot be measured (both reported when loading)."""
    width, height = catalog.image_size(src)
    return ImageView(catalog.url(src), alt, width, height, src, focus)


def image_ref_view(catalog: AssetCatalog, ref: ImageRef) -> ImageView:
    """image_view of a front matter's image (`hero`, `photos`, `seo.image`)."""
    return image_view(catalog, ref.src, ref.alt, ref.focus)


def organization_view(config: SiteConfig) -> OrganizationView:
    """site.yaml's organization as layouts see it: phones as tel: and sms: links."""
    org = config.fields.organization
    return OrganizationView(
        org.name,
        phone_view(org.phone),
        phone_view(org.text_phone, "sms") if org.text_phone else None,
        InsuranceView(tuple(org.insurance.in_network), tuple(org.insurance.also_accepted)),
    )


def program_card(program: Program, url: str, catalog: AssetCatalog) -> ProgramCard:
    """The program's card linking to `url` (its hub, or its page at one location)."""
    f = program.fields
    return ProgramCard(
        program.slug, f.title, f.short_name, f.summary, url, image_ref_view(catalog, f.hero)
    )


def location_card(location: Location, url: str, program_url: str | None = None) -> LocationCard:
    """The location's card linking to its hub `url`, and to `program_url` when listed
    among a program's locations."""
    f = location.fields
    return LocationCard(
        location.slug, f.name, f.city, f.state, location.state_name, f.summary, url, program_url
    )


def navigation(config: SiteConfig, current_url: str) -> tuple[LinkView, ...]:
    """site.yaml's navigation, the item whose URL is exactly `current_url` marked current."""
    return tuple(
        LinkView(item.title, item.url, _is_current(item.url, current_url))
        for item in config.fields.navigation
    )


def _is_current(item_url: str, current_url: str) -> bool:
    return item_url == current_url


Crumb = tuple[str, str]
"""A breadcrumb: (title, URL)."""
Section = tuple[str, Crumb | None]
"""A page with pages below it: its crumb's title, and the crumb before its own when that
is not the page of the folder above it (a program's page at a location: the location)."""


def section_pages(content: SiteContent, routes: list[Route]) -> dict[str, Section]:
    """The pages whose URL is a folder above another page's (`/programs/` above
    `/programs/intensive-outpatient-program/`, a location's hub above a page at
    `/beverly-hills/parking/`), URL -> Section (the title of their crumb: an ordinary
    page's title, a location's name, a program's short name), in URL order: the crumbs
    the pages below them show between Home and their own (a breadcrumb trail follows the
    site's hierarchy: Google Search Central, "Breadcrumb (BreadcrumbList) structured
    data"). Worked out once for the same `routes` object (the renderer and the digest of
    what pages show of each other both ask in a build: 10 ms at 11,000 pages), kept in
    `content.memo`; not to be changed."""
    kept = content.memo.get("section_pages")
    if kept is not None and kept[0] is routes:
        return kept[1]  # type: ignore[no-any-return]  # put there below
    folders = {_folder(route.url) for route in routes}
    above: set[str] = set()
    for folder in folders:
        while len(folder) > 1 and folder not in above:
            above.add(folder)
            folder = _folder(folder)
    found = sorted((r for r in routes if r.url in above), key=lambda r: r.url)
    hubs = {}
    if any(isinstance(r, ProgramAtLocationRoute) for r in found):
        hubs = {r.location: r.url for r in routes if isinstance(r, LocationRoute)}
    sections = {route.url: _section(content, route, hubs) for route in found}
    content.memo["section_pages"] = (routes, sections)
    return sections


def _section(content: SiteContent, route: Route, hubs: dict[str, str]) -> Section:
    if isinstance(route, PageRoute):
        return content.pages[route.page].fields.title, None
    if isinstance(route, LocationRoute):
        return content.locations[route.location].fields.name, None
    title = content.programs[route.program].fields.short_name
    if isinstance(route, ProgramAtLocationRoute) and route.location in hubs:
        return title, (content.locations[route.location].fields.name, hubs[route.location])
    return title, None


def _folder(url: str) -> str:
    """The folder a URL is in: /a/b/ -> /a/, /a/b.html -> /a/, /a/ -> /."""
    return url[: url.rfind("/", 0, len(url) - 1) + 1]


def _above(sections: dict[str, Section], url: str) -> str | None:
    """The nearest of `sections` in a folder above `url`."""
    folder = _folder(url)
    while len(folder) > 1:
        if folder in sections:
            return folder
        folder = _folder(folder)
    return None


def ancestors(sections: dict[str, Section], url: str) -> list[Crumb]:
    """The crumbs between Home and the page at `url`, outermost first: the nearest of
    `sections` (section_pages) above it, the crumbs before that one, and so on."""
    found: list[Crumb] = []
    at = _above(sections, url)
    while at is not None and len(found) < 64:  # (a bound: patterns cannot make a loop)
        title, before = sections[at]
        found.append((title, at))
        if before is not None:
            found.append(before)
        at = _above(sections, before[1] if before is not None else at)
    return found[::-1]
