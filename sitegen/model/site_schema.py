"""The fields of site.yaml, with their types and rules (validated by pydantic)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from sitegen.model.schema import Fields, ImageRef, Name, Phone, Text
from sitegen.model.schemes import setting_url_problem
from sitegen.model.siteurl import base_url_problem
from sitegen.model.sizes import VIEWPORTS, SizesError, slot_width


def _base_url(value: str) -> str:
    problem = base_url_problem(value)
    if problem:
        raise ValueError(problem)
    return value.rstrip("/")


class Insurance(Fields):
    """site.yaml's `organization.insurance`: the health plans the provider is in network
    with, and those also accepted."""

    in_network: list[Text] = []
    also_accepted: list[Text] = []


MAX_PROFILE_URL = 2_000  # characters: a longer address is no profile page's


def _profile_url(value: str) -> str:
    # labels between single dots: one way to match, so linear (a run of dots was quadratic)
    if len(value) > MAX_PROFILE_URL or not re.fullmatch(
        r"https://[^\s/.]+(?:\.[^\s/.]+)+(?:/\S*)?", value
    ):
        shown = value if len(value) <= 80 else value[:80] + "..."
        raise ValueError(f"'{shown}' is not a full https:// address of a profile page")
    return value


class Organization(Fields):
    """site.yaml's `organization`: the business behind the site, for its pages and its
    schema.org Organization node (`same_as`: its profiles elsewhere, schema.org sameAs)."""

    name: Name
    phone: Phone
    text_phone: Phone | None = None
    insurance: Insurance = Insurance()
    logo: Text | None = None  # an image in assets/, for search engines (PNG or JPEG)
    same_as: list[Annotated[Text, AfterValidator(_profile_url)]] = []


def _link_url(value: str) -> str:
    problem = setting_url_problem(value)
    if problem is not None:
        raise ValueError(f"{value!r} cannot be a link: {problem}")
    return value


class NavItem(Fields):
    """One link of site.yaml's `navigation`: its text and the URL path it goes to (a path
    of the site, or an address with an allowed scheme: schemes.py)."""

    title: Text
    url: Annotated[Text, AfterValidator(_link_url)]


def _host(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", value):
        raise ValueError(
            f"{value!r} is not a host name like www.youtube-nocookie.com "
            "(lowercase, without https:// or a path)"
        )
    return value


class HtmlFields(Fields):
    """site.yaml's `html`: what editors' HTML may hold beyond the policy's allowlist
    (text/policy.py). `iframe_hosts`: the hosts an <iframe> in a text may show (over
    https), e.g. www.youtube-nocookie.com; none by default."""

    iframe_hosts: list[Annotated[Text, AfterValidator(_host)]] = []


class Permalinks(Fields):
    """site.yaml's `permalinks`: the URL pattern of each kind of page, with placeholders
    {location}, {program} or {slug}."""

    program_at_location: Text = "/{location}/{program}/"
    location: Text = "/{location}/"
    program: Text = "/programs/{program}/"
    page: Text = "/{slug}/"


class Layouts(Fields):
    """site.yaml's `layouts`: the layout of each kind of page (a file in layouts/, without
    .html)."""

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
    """site.yaml's `seo`: the <title> patterns and the default shared-link picture."""

    titles: Titles = Titles()
    image: ImageRef | None = None  # the picture shared links show when a page has none


class CheckThresholdsFields(Fields):
    """Thresholds of `build.py check` (see README, "The SEO checker")."""

    title_min: int = Field(30, ge=1)
    title_max: int = Field(60, ge=1)
    description_min: int = Field(70, ge=1)
    description_max: int = Field(160, ge=1)
    image_max_kb: int = Field(300, ge=1)
    image_oversize: float = Field(1.5, ge=1)  # times the width an image needs (img-oversized)
    image_waste_kb: int = Field(4, ge=1)  # KB an oversized file wastes at least
    image_modern_kb: int = Field(8, ge=1)  # KB of a JPEG or PNG without AVIF/WebP
    near_duplicate: float = Field(0.80, gt=0, le=1)
    doorway: float = Field(0.90, gt=0, le=1)


def _severity(value: object) -> object:
    return "off" if value is False else value  # YAML reads a bare off as false


Severity = Annotated[Literal["error", "warning", "off"], BeforeValidator(_severity)]


class CheckFields(Fields):
    """site.yaml's `check`: severities that replace rules' defaults, and thresholds."""

    rules: dict[str, Severity] = {}  # rule id -> severity
    thresholds: CheckThresholdsFields = CheckThresholdsFields()


class FilesFields(Fields):
    """site.yaml's `files`: folders outside the project that links among the sources may
    lead into (`allow_outside`, relative to the project: ../shared-assets); the folders'
    own rules are in sitegen.load.allowed."""

    allow_outside: list[Text] = []


def _sizes(value: str) -> str:
    try:
        for viewport in VIEWPORTS:
            slot_width(value, viewport)
    except SizesError as exc:
        shown = value if len(value) <= 100 else value[:100] + "..."  # a hostile one is long
        raise ValueError(f"{shown!r} is not a sizes value the build can read: {exc}") from exc
    return value


Sizes = Annotated[Text, AfterValidator(_sizes)]


class ImageQuality(Fields):
    """site.yaml's `images.quality`: the encoders' quality, 1-100 per format (higher is
    sharper and heavier). The defaults give pictures about as sharp in each format."""

    avif: int = Field(55, ge=1, le=100)
    webp: int = Field(78, ge=1, le=100)
    jpeg: int = Field(80, ge=1, le=100)


class ImagesFields(Fields):
    """site.yaml's `images`: the slots the layouts show pictures in, each as an HTML
    `sizes` value (how wide the picture is on screen at each viewport width: the
    layouts' CSS decides it, https://html.spec.whatwg.org/#sizes-attributes), the slot of
    pictures placed in Markdown (`content`), whether to make AVIF, and the quality."""

    slots: dict[Name, Sizes] = {}
    content: Name = "content"
    avif: bool = True
    quality: ImageQuality = ImageQuality()


class SiteFields(Fields):
    """site.yaml as a whole: the site's name, its production origin (`base_url`), its
    language (a BCP 47 tag like en or en-US) and the sections above."""

    name: Name
    base_url: Annotated[Text, AfterValidator(_base_url)]
    language: Annotated[Text, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = "en"
    organization: Organization
    navigation: list[NavItem] = []
    permalinks: Permalinks = Permalinks()
    layouts: Layouts = Layouts()
    seo: Seo = Seo()
    check: CheckFields = CheckFields()
    files: FilesFields = FilesFields()
    html: HtmlFields = HtmlFields()
    images: ImagesFields = ImagesFields()
