"""The fields of content files (a program's front matter, a location file, a local text,
a page), with their types and rules (validated by pydantic), and the types site.yaml's
fields share with them (sitegen.model.site_schema)."""

from __future__ import annotations

import functools
import os
import re
from typing import Annotated

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

# what no text shows, and pages, titles and reports would carry: control characters (a
# YAML escape such as "\e" makes them), the bidirectional controls that reorder what a
# reader sees (embeddings, overrides and isolates: "Trojan Source", CVE-2021-42574), line
# and paragraph separators (they end a line in JavaScript and YAML), a byte order mark
# inside a text and Unicode's tag characters
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
    "\U000e0000-\U000e007f]"
)


def _visible(value: str) -> str:
    found = _INVISIBLE.search(value)
    if found:
        raise ValueError(
            f"holds the invisible character U+{ord(found.group()):04X} (character "
            f"{found.start() + 1}): remove it"
        )
    return value


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_visible)
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_visible),
]
"""A name or title that pages repeat (in titles, headings, navigation, structured data):
at most 120 characters, so that one value cannot multiply into megabytes per page."""

_HOURS = re.compile(
    r"^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?(,(Mo|Tu|We|Th|Fr|Sa|Su))*"
    r" ([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$"
)


FIX = "\0"
"""Between a validator's message and its fix (load.validate makes the fix the hint): a
character no value can hold (YAML refuses it), unlike '; ' that a value may contain."""


@functools.lru_cache(maxsize=4096)
def _phone(value: str) -> str:
    import phonenumbers  # ~40 ms to import: only for a site that has phone numbers

    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(f"'{value}' is not a valid phone number{FIX}write it like (323) 555-0100")
    return value


_STATE_CODES = {name.lower(): code for code, name in US_STATES.items()}


def _state(value: str) -> str:
    if value not in US_STATES:
        code = _STATE_CODES.get(value.strip().lower()) or (
            value.strip().upper() if value.strip().upper() in US_STATES else None
        )
        fix = f"write {code}" if code else "write its code, such as CA or NY"
        raise ValueError(f"'{value}' is not a two-letter US state code{FIX}{fix}")
    return value


def _hours(value: str) -> str:
    if not _HOURS.match(value):
        raise ValueError(f"'{value}' is not in the form 'Mo-Fr 09:00-17:00'")
    return value


Phone = Annotated[Text, AfterValidator(_phone)]


class Fields(BaseModel):
    """Base of the models below: unknown fields are errors (a typo is never ignored), and
    validated values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


_FOCUS_WORDS = {"left": 0, "top": 0, "center": 50, "right": 100, "bottom": 100}


def _focus(value: object) -> tuple[float, float]:
    """ "50% 30%" (CSS object-position: across, then down) or keywords ("center top") ->
    fractions (0.5, 0.3) of the width and height."""
    if not isinstance(value, str):
        raise ValueError(
            "write the focal point as two percentages, across then down, e.g. '50% 30%'"
        )
    words = value.lower().split()
    if len(words) == 1 and words[0] in _FOCUS_WORDS:
        words = ["center", words[0]] if words[0] in ("top", "bottom") else [words[0], "center"]
    if len(words) == 2 and words[0] in ("top", "bottom"):
        words.reverse()  # "top left" is "left top"
    numbers: list[float] = []
    for word in words:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)%", word)
        if word in _FOCUS_WORDS:
            numbers.append(_FOCUS_WORDS[word] / 100)
        elif match and float(match.group(1)) <= 100:
            numbers.append(float(match.group(1)) / 100)
        else:
            numbers = []
            break
    if len(numbers) != 2:
        shown = value if len(value) <= 100 else value[:100] + "..."  # a hostile one is long
        raise ValueError(
            f"{shown!r} is not a focal point: write two percentages from the top left corner, "
            "across then down, e.g. '50% 30%', or words such as 'center top'"
        )
    return numbers[0], numbers[1]


Focus = Annotated[tuple[float, float], BeforeValidator(_focus)]


class ImageRef(Fields):
    """An image and its alt text (a program's `hero`, a location's `photos`, site.yaml's
    `seo.image`); `src` is relative to assets/. `focus`: the point a crop keeps in view
    (the shared-link picture is cropped to 1.91:1 around it), as fractions of the width
    and height from the top left; the centre when not given."""

    src: Text
    alt: Text
    focus: Focus | None = None


def _alias(value: str) -> str:
    if not value.startswith("/"):
        raise ValueError(f"'{value}' is not a path on this site like /old-page/ (start with /)")
    return value


Aliases = list[Annotated[Text, AfterValidator(_alias)]]


class Benefit(Fields):
    """One item of `benefits` in a program's front matter: a title, a text and an image in
    assets/ with its alt text."""

    title: Name
    text: Text
    image: Text
    alt: Text


class Quote(Fields):
    """`quote` in a program's front matter: a quotation and who said it."""

    text: Text
    attribution: Text | None = None


class FaqItem(Fields):
    """One question and answer of `faq` in a program's front matter or a local text's."""

    question: Text
    answer: Text


class ProgramFields(Fields):
    """Front matter of content/programs/<program>.md: a program, described once for every
    location that offers it."""

    title: Name
    short_name: Name
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
    """`address` in a location file: street and US ZIP code (12345 or 12345-6789)."""

    street: Text
    postal_code: Annotated[Text, StringConstraints(pattern=r"^\d{5}(-\d{4})?$")]


class Geo(Fields):
    """`geo` in a location file: latitude and longitude in decimal degrees (WGS 84, as
    schema.org GeoCoordinates takes them)."""

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class LocationFields(Fields):
    """A location file, content/locations/<location>.yaml: the location, the programs it
    offers, and its phone, address, coordinates and opening hours (schema.org
    openingHours form, "Mo-Fr 09:00-17:00")."""

    name: Name
    city: Name
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
    """Front matter of content/pages/<page>.md: an ordinary page, with an optional layout
    and permalink of its own."""

    title: Name
    description: Text
    layout: Text | None = None
    permalink: Text | None = None
    order: int = 100
    draft: bool = False
    noindex: bool = False  # kept out of search results and the sitemap (a thank-you page)
    aliases: Aliases = []
