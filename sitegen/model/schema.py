"""The fields editors may write, with their types and rules (validated by pydantic)."""

from __future__ import annotations

import functools
import os
import re
from typing import Annotated, Literal

import phonenumbers

# No pydantic plugins are used; without this, building the first model scans every
# installed package's entry points for plugins (~40 ms of each build's start).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from sitegen.model.usstates import US_STATES

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_HOURS = re.compile(
    r"^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?(,(Mo|Tu|We|Th|Fr|Sa|Su))*"
    r" ([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$"
)


@functools.lru_cache(maxsize=4096)
def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(f"'{value}' is not a valid phone number; write it like (323) 555-0100")
    return value


def _state(value: str) -> str:
    if value not in US_STATES:
        raise ValueError(f"'{value}' is not a two-letter US state code such as CA or NY")
    return value


def _hours(value: str) -> str:
    if not _HOURS.match(value):
        raise ValueError(f"'{value}' is not in the form 'Mo-Fr 09:00-17:00'")
    return value


def _base_url(value: str) -> str:
    match = re.fullmatch(r"https?://([a-z0-9-]+(\.[a-z0-9-]+)*)(:\d+)?/?", value)
    if not match:
        raise ValueError(
            f"'{value}' is not a site address like https://www.example.com "
            "(scheme and lowercase host only, no path)"
        )
    return value.rstrip("/")


Phone = Annotated[Text, AfterValidator(_phone)]


class Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ImageRef(Fields):
    src: Text
    alt: Text


class Insurance(Fields):
    in_network: list[Text] = []
    also_accepted: list[Text] = []


def _profile_url(value: str) -> str:
    if not re.fullmatch(r"https://[^\s/]+\.[^\s/]+(/\S*)?", value):
        raise ValueError(f"'{value}' is not a full https:// address of a profile page")
    return value


def _alias(value: str) -> str:
    if not value.startswith("/"):
        raise ValueError(f"'{value}' is not a path on this site like /old-page/ (start with /)")
    return value


class Organization(Fields):
    name: Text
    phone: Phone
    text_phone: Phone | None = None
    insurance: Insurance = Insurance()
    logo: Text | None = None  # an image in assets/, for search engines (PNG or JPEG)
    same_as: list[Annotated[Text, AfterValidator(_profile_url)]] = []


class NavItem(Fields):
    title: Text
    url: Text


class Permalinks(Fields):
    program_at_location: Text = "/{location}/{program}/"
    location: Text = "/{location}/"
    program: Text = "/programs/{program}/"
    page: Text = "/{slug}/"


class Layouts(Fields):
    program_at_location: Text = "program-location"
    location: Text = "location"
    program: Text = "program"
    page: Text = "page"


class Titles(Fields):
    """<title> patterns per kind of page; names in braces are filled in per page."""

    home: Text = "{site}: {heading}"
    page: Text = "{heading} | {site}"
    program_at_location: Text = "{program} in {city}, {state} | {site}"
    location: Text = "{heading} | {site}"
    program: Text = "{program} | {site}"


class Seo(Fields):
    titles: Titles = Titles()
    image: ImageRef | None = None  # the picture shared links show when a page has none


class CheckThresholdsFields(Fields):
    """Thresholds of `build.py check` (see README, "The SEO checker")."""

    title_min: int = Field(30, ge=1)
    title_max: int = Field(60, ge=1)
    description_min: int = Field(70, ge=1)
    description_max: int = Field(160, ge=1)
    image_max_kb: int = Field(300, ge=1)
    near_duplicate: float = Field(0.80, gt=0, le=1)
    doorway: float = Field(0.90, gt=0, le=1)


def _severity(value: object) -> object:
    return "off" if value is False else value  # YAML reads a bare off as false


Severity = Annotated[Literal["error", "warning", "off"], BeforeValidator(_severity)]


class CheckFields(Fields):
    rules: dict[str, Severity] = {}  # rule id -> severity
    thresholds: CheckThresholdsFields = CheckThresholdsFields()


class SiteFields(Fields):
    name: Text
    base_url: Annotated[Text, AfterValidator(_base_url)]
    language: Annotated[Text, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = "en"
    organization: Organization
    navigation: list[NavItem] = []
    permalinks: Permalinks = Permalinks()
    layouts: Layouts = Layouts()
    seo: Seo = Seo()
    check: CheckFields = CheckFields()


Aliases = list[Annotated[Text, AfterValidator(_alias)]]


class Benefit(Fields):
    title: Text
    text: Text
    image: Text
    alt: Text


class Quote(Fields):
    text: Text
    attribution: Text | None = None


class FaqItem(Fields):
    question: Text
    answer: Text


class ProgramFields(Fields):
    title: Text
    short_name: Text
    description: Text
    summary: Text
    hero: ImageRef
    order: int = 100
    banner: Text | None = None
    benefits: list[Benefit] = []
    quote: Quote | None = None
    faq: list[FaqItem] = []
    draft: bool = False
    aliases: Aliases = []


class Address(Fields):
    street: Text
    postal_code: Annotated[Text, StringConstraints(pattern=r"^\d{5}(-\d{4})?$")]


class Geo(Fields):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class LocationFields(Fields):
    name: Text
    city: Text
    state: Annotated[Text, AfterValidator(_state)]
    description: Text
    summary: Text
    programs: list[Text] = Field(min_length=1)
    about: Text | None = None
    photos: list[ImageRef] = []
    phone: Phone | None = None
    address: Address | None = None
    geo: Geo | None = None
    hours: list[Annotated[Text, AfterValidator(_hours)]] = []
    order: int = 100
    draft: bool = False
    aliases: Aliases = []


class LocalFields(Fields):
    """Front matter of content/locations/<location>/<program>.md: overrides for one page."""

    description: Text | None = None
    summary: Text | None = None
    hero: ImageRef | None = None
    banner: Text | None = None
    faq: list[FaqItem] = []
    aliases: Aliases = []


class PageFields(Fields):
    title: Text
    description: Text
    layout: Text | None = None
    permalink: Text | None = None
    order: int = 100
    draft: bool = False
    noindex: bool = False  # kept out of search results and the sitemap (a thank-you page)
    aliases: Aliases = []
