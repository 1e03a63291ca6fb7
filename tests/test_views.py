"""View helpers: phone numbers in E.164."""

from __future__ import annotations

import phonenumbers
import pytest

from sitegen.render.views import phone_view


@pytest.mark.parametrize(
    "number",
    [
        "(323) 457-8208",
        "424-302-2598",
        "323.457.8208",
        "3234578208",
        "1 (323) 457-8208",
        "+1 323 457 8208",
        "(323) 457-8208 ext. 12",
        "1-800-FLOWERS",
    ],
)
def test_e164_is_what_phonenumbers_gives(number: str) -> None:
    expected = phonenumbers.format_number(
        phonenumbers.parse(number, "US"), phonenumbers.PhoneNumberFormat.E164
    )
    view = phone_view(number, "sms")
    assert (view.display, view.e164, view.href) == (number, expected, f"sms:{expected}")
