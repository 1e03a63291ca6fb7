"""The site-level facts editors repeat in their text, in the forms text shows them: lists of
names read as English, phone numbers as links. site.yaml is their one source; the content
variables (sitegen.text.variables) and the layouts (the `spoken_list` filter) both read
them from here, so the site never states one fact two ways.

Lists take no serial comma: "Cigna, Aetna and UnitedHealthcare", as the site's copy
writes them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from sitegen.model.site_schema import SiteFields

_NANP_WRITING = re.compile(r"[\d\s().-]+")


def spoken_list(items: Sequence[str]) -> str:
    """The names as a sentence reads them, without a serial comma: "A", "A and B",
    "A, B and C"; "" for none."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@functools.lru_cache(maxsize=4096)
def e164(number: str) -> str:
    """A validated phone number (schema.Phone) in E.164: (323) 457-8208 is +13234578208.
    A US number written with digits and punctuation only is converted without
    phonenumbers' parser (60 us a number)."""
    digits = re.sub(r"\D", "", number)
    if _NANP_WRITING.fullmatch(number) and len(digits) == 10:
        return "+1" + digits
    import phonenumbers  # ~40 ms to import: only for a number written otherwise

    parsed = phonenumbers.parse(number, "US")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_href(number: str, scheme: str = "tel") -> str:
    """The number as a link: tel:+13234578208 (RFC 3966), or sms:+1... (RFC 5724)."""
    return f"{scheme}:{e164(number)}"


def site_facts(fields: SiteFields) -> dict[str, str]:
    """The variables every text may use, from site.yaml: {name: value}. `phone` is the
    admissions number here; a location's page replaces it (and `phone_href`) with the
    location's own (variables.content_variables). Without a text line, `text_phone` is
    the admissions number."""
    org = fields.organization
    text_phone = org.text_phone or org.phone
    return {
        "site_name": fields.name,
        "phone": org.phone,
        "phone_href": phone_href(org.phone),
        "admissions_phone": org.phone,
        "admissions_phone_href": phone_href(org.phone),
        "text_phone": text_phone,
        "text_phone_href": phone_href(text_phone, "sms"),
        "insurance_networks": spoken_list(org.insurance.in_network),
        "accepted_plans": spoken_list(org.insurance.also_accepted),
    }
