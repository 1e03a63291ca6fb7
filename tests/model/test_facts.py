"""sitegen.model.facts: the site-level facts in the forms text shows them (lists read as
English, phone numbers as links), from the example's site.yaml."""

from __future__ import annotations

import pytest

from conftest import PROJECT
from sitegen.model.facts import e164, phone_href, site_facts, spoken_list
from sitegen.pipeline import load_settings
from sitegen.text.variables import SITE


@pytest.mark.parametrize(
    ("items", "spoken"),
    [
        ([], ""),
        (["Cigna"], "Cigna"),
        (["Anthem Blue Cross", "MHN Health Net"], "Anthem Blue Cross and MHN Health Net"),
        (["Cigna", "Aetna", "UnitedHealthcare"], "Cigna, Aetna and UnitedHealthcare"),
        (("A", "B", "C", "D"), "A, B, C and D"),
    ],
)
def test_a_list_reads_as_english_without_a_serial_comma(items, spoken):
    assert spoken_list(items) == spoken


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("(323) 457-8208", "+13234578208"),
        ("424-302-2598", "+14243022598"),
        ("323.555.0100", "+13235550100"),
        ("+1 323 555 0100", "+13235550100"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_a_number_is_linked_in_e164(number, expected):
    assert e164(number) == expected
    assert phone_href(number) == f"tel:{expected}"
    assert phone_href(number, "sms") == f"sms:{expected}"


def test_the_example_site_s_facts_come_from_its_site_yaml():
    facts = load_settings(PROJECT).facts
    assert facts == {
        "site_name": "CAST Centers",
        "phone": "(323) 457-8208",
        "phone_href": "tel:+13234578208",
        "admissions_phone": "(323) 457-8208",
        "admissions_phone_href": "tel:+13234578208",
        "text_phone": "424-302-2598",
        "text_phone_href": "sms:+14243022598",
        "insurance_networks": "Anthem Blue Cross and MHN Health Net",
        "accepted_plans": "Cigna, Aetna and UnitedHealthcare",
    }


def test_every_fact_is_a_variable_every_text_may_use():
    """The check before rendering (text.names.unknown_names) accepts exactly these names."""
    assert set(site_facts(load_settings(PROJECT).fields)) == SITE
