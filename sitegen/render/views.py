"""Plain objects that layouts receive (see docs/content-format.md, "What layouts receive").

Layouts never see the internal model, so the model can change without breaking layouts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup


@dataclass(frozen=True)
class PhoneView:
    """A phone number as the editor wrote it (`display`), in E.164 (+13235550100, for
    JSON-LD) and as a link (`href`, tel:+1... or sms:+1...); ITU-T E.164, RFC 3966 (tel
    URIs) and RFC 5724 (sms URIs)."""

    display: str
    e164: str
    href: str


@dataclass(frozen=True)
class ImageView:
    """An image of assets/: `src` its URL path (/assets/images/x.svg), its alt text, its
    width and height in pixels, its name in assets/ (images/x.svg; what the layouts'
    picture() looks its variants up by) and its focal point (fractions across and down;
    None: the centre)."""

    src: str
    alt: str
    width: int
    height: int
    asset: str = ""
    focus: tuple[float, float] | None = None


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
    """A link of the navigation or the breadcrumbs: its text, URL path, and whether it is
    the current page."""

    title: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class ProgramCard:
    """A program in a list: on a location's pages `url` is its program-at-location page,
    elsewhere its hub."""

    slug: str
    title: str
    short_name: str
    summary: str
    url: str
    hero: ImageView


@dataclass(frozen=True)
class LocationCard:
    """A location in a list: `url` is its hub; in a program's `locations`, `program_url` is
    that program's page at the location (else None)."""

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
    """One of a program's benefits: title, text and image."""

    title: str
    text: str
    image: ImageView


@dataclass(frozen=True)
class QuoteView:
    """A program's quotation and who said it (None when unattributed)."""

    text: str
    attribution: str | None


@dataclass(frozen=True)
class FaqView:
    """A question (plain text) and its answer (HTML, converted from Markdown)."""

    question: str
    answer: Markup


@dataclass(frozen=True)
class ProgramView:
    """`program` in layouts: a program as its hub and its pages at locations show it."""

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
    """A location's street address and US ZIP code (its city and state are the location's)."""

    street: str
    postal_code: str


@dataclass(frozen=True)
class GeoView:
    """A location's coordinates in decimal degrees (WGS 84)."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class LocationView:
    """`location` in layouts: a location as its hub and its program pages show it."""

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
    """Health plans the organization is in network with, and those it also accepts."""

    in_network: tuple[str, ...]
    also_accepted: tuple[str, ...]


@dataclass(frozen=True)
class OrganizationView:
    """`site.organization` in layouts: its name, phone and text-message phone (sms: link),
    and insurance."""

    name: str
    phone: PhoneView
    text_phone: PhoneView | None
    insurance: InsuranceView


@dataclass(frozen=True)
class SiteView:
    """`site` in layouts: what every page shows of the site (name, production origin,
    language, organization, navigation with its current item, every program and location)."""

    name: str
    base_url: str
    language: str
    organization: OrganizationView
    navigation: tuple[LinkView, ...]
    programs: tuple[ProgramCard, ...]
    locations: tuple[LocationCard, ...]


@dataclass(frozen=True)
class PageView:
    """`page` in layouts: one page's URL path, canonical URL, <title>, heading,
    description, breadcrumbs, body HTML (whole, and split before its first <h2>), head
    metadata and JSON-LD."""

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
