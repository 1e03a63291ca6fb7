"""Plain objects that layouts receive (see docs/content-format.md, "What layouts receive").

Layouts never see the internal model, so the model can change without breaking layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

import phonenumbers
from markupsafe import Markup

from sitegen.load.assets import AssetCatalog
from sitegen.model.records import Location, Program, SiteConfig
from sitegen.model.schema import ImageRef


@dataclass(frozen=True)
class PhoneView:
    display: str
    e164: str
    href: str


@dataclass(frozen=True)
class ImageView:
    src: str
    alt: str
    width: int
    height: int


_NO_MARKUP = Markup("")


@dataclass(frozen=True)
class SocialImageView:
    """The picture a shared link shows (og:image): an absolute URL of a PNG, JPEG, WebP or
    GIF; social networks do not show SVG."""

    url: str
    alt: str
    width: int
    height: int
    type: str


@dataclass(frozen=True)
class LinkView:
    title: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class ProgramCard:
    slug: str
    title: str
    short_name: str
    summary: str
    url: str
    hero: ImageView


@dataclass(frozen=True)
class LocationCard:
    slug: str
    name: str
    city: str
    state: str
    state_name: str
    summary: str
    url: str
    program_url: str | None = None


@dataclass(frozen=True)
class BenefitView:
    title: str
    text: str
    image: ImageView


@dataclass(frozen=True)
class QuoteView:
    text: str
    attribution: str | None


@dataclass(frozen=True)
class FaqView:
    question: str
    answer: Markup


@dataclass(frozen=True)
class ProgramView:
    slug: str
    title: str
    short_name: str
    summary: str
    url: str
    hero: ImageView
    banner: str | None
    benefits: tuple[BenefitView, ...]
    quote: QuoteView | None
    faq: tuple[FaqView, ...]
    locations: tuple[LocationCard, ...]
    # FAQPage JSON-LD for the questions this page alone shows: all of them on the program's
    # own page, only a location's own questions on a program-at-location page (search
    # engines want one marked-up copy of a question per site). Printed by the faq component.
    faq_schema: Markup = _NO_MARKUP


@dataclass(frozen=True)
class AddressView:
    street: str
    postal_code: str


@dataclass(frozen=True)
class GeoView:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class LocationView:
    slug: str
    name: str
    city: str
    state: str
    state_name: str
    url: str
    summary: str
    about: Markup
    photos: tuple[ImageView, ...]
    phone: PhoneView
    address: AddressView | None
    geo: GeoView | None
    hours: tuple[str, ...]
    programs: tuple[ProgramCard, ...]


@dataclass(frozen=True)
class InsuranceView:
    in_network: tuple[str, ...]
    also_accepted: tuple[str, ...]


@dataclass(frozen=True)
class OrganizationView:
    name: str
    phone: PhoneView
    text_phone: PhoneView | None
    insurance: InsuranceView


@dataclass(frozen=True)
class SiteView:
    name: str
    base_url: str
    language: str
    organization: OrganizationView
    navigation: tuple[LinkView, ...]
    programs: tuple[ProgramCard, ...]
    locations: tuple[LocationCard, ...]


@dataclass(frozen=True)
class PageView:
    kind: str
    url: str
    canonical: str | None
    title: str
    heading: str
    description: str
    breadcrumbs: tuple[LinkView, ...]
    content: Markup
    intro: Markup
    body: Markup
    local: Markup
    image: ImageView | None
    lang: str
    structured_data: tuple[Markup, ...] = ()  # JSON-LD, serialised and safe for <script>
    robots: str | None = None  # "noindex" for drafts, noindex pages and preview builds
    social: SocialImageView | None = None
    locale: str = "en_US"  # Open Graph's form of the language


V = TypeVar("V")


def evolve(view: V, **changes: object) -> V:
    """A copy of a view with some fields changed: `dataclasses.replace` without its per-call
    introspection (it runs several times per page). Views have no __post_init__ to skip."""
    copy = object.__new__(type(view))
    copy.__dict__.update(view.__dict__, **changes)
    return copy


_NANP_WRITING = re.compile(r"[\d\s().-]+")


def phone_view(number: str, scheme: str = "tel") -> PhoneView:
    """The number as written, in E.164 and as a link. Numbers are validated when loaded;
    a US number written with digits and punctuation only is converted here without
    phonenumbers' parser (60 us a number, once per location)."""
    digits = re.sub(r"\D", "", number)
    if _NANP_WRITING.fullmatch(number) and len(digits) == 10:
        e164 = "+1" + digits
    else:
        parsed = phonenumbers.parse(number, "US")
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return PhoneView(number, e164, f"{scheme}:{e164}")


def image_view(catalog: AssetCatalog, src: str, alt: str) -> ImageView:
    width, height = catalog.image_size(src)
    return ImageView(catalog.url(src), alt, width, height)


def image_ref_view(catalog: AssetCatalog, ref: ImageRef) -> ImageView:
    return image_view(catalog, ref.src, ref.alt)


def organization_view(config: SiteConfig) -> OrganizationView:
    org = config.fields.organization
    return OrganizationView(
        org.name,
        phone_view(org.phone),
        phone_view(org.text_phone, "sms") if org.text_phone else None,
        InsuranceView(tuple(org.insurance.in_network), tuple(org.insurance.also_accepted)),
    )


def program_card(program: Program, url: str, catalog: AssetCatalog) -> ProgramCard:
    f = program.fields
    return ProgramCard(
        program.slug, f.title, f.short_name, f.summary, url, image_ref_view(catalog, f.hero)
    )


def location_card(location: Location, url: str, program_url: str | None = None) -> LocationCard:
    f = location.fields
    return LocationCard(
        location.slug, f.name, f.city, f.state, location.state_name, f.summary, url, program_url
    )


def navigation(config: SiteConfig, current_url: str) -> tuple[LinkView, ...]:
    return tuple(
        LinkView(item.title, item.url, _is_current(item.url, current_url))
        for item in config.fields.navigation
    )


def _is_current(item_url: str, current_url: str) -> bool:
    return item_url == current_url
