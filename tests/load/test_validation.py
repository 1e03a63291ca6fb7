"""sitegen.validation with sitegen.schema: every field problem at its line, with a useful hint."""

from __future__ import annotations

import pytest

from sitegen.errors import BuildFailed, SiteError, SourceRef
from sitegen.load.validate import validate
from sitegen.load.yamlfile import parse_yaml
from sitegen.model.schema import LocationFields, PageFields, ProgramFields
from sitegen.model.site_schema import SiteFields

LOCATION = "content/locations/springfield.yaml"

LOCATION_YAML = """\
name: Springfield
city: Springfield
state: IL
description: Care in Springfield.
summary: Our Springfield location.
programs: [day-program]
"""

SITE_YAML = """\
name: Example Care
base_url: https://care.example.org
organization:
  name: Example Care
  phone: "(323) 555-0100"
"""


def check(model, text: str, path: str = LOCATION):
    return validate(model, parse_yaml(text, SourceRef(path)), path)


def problems(model, text: str, path: str = LOCATION) -> list[SiteError]:
    with pytest.raises(BuildFailed) as info:
        check(model, text, path)
    return info.value.errors


def only_problem(model, text: str, path: str = LOCATION) -> SiteError:
    errors = problems(model, text, path)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def location(extra: str = "", **replace: str) -> str:
    text = LOCATION_YAML
    for key, value in replace.items():
        text = text.replace(f"{key}: ", f"{key}: {value}  # ", 1)
    return text + extra


# --- valid input -----------------------------------------------------------------------------


def test_valid_location_gives_the_model_with_defaults():
    fields = check(LocationFields, LOCATION_YAML)
    assert fields.programs == ["day-program"]
    assert fields.order == 100
    assert fields.draft is False
    assert fields.photos == []


def test_text_is_stripped():
    fields = check(LocationFields, location('about: "  Local text.  "\n'))
    assert fields.about == "Local text."


def test_empty_document_reports_every_missing_field_at_line_1():
    errors = problems(PageFields, "", "content/pages/about.md")
    assert [e.message for e in errors] == [
        "missing required field 'description'",
        "missing required field 'title'",
    ]
    assert {e.source for e in errors} == {SourceRef("content/pages/about.md", 1)}


def test_document_that_is_a_list_is_refused():
    with pytest.raises(SiteError) as info:
        check(LocationFields, "- name: A\n")
    assert info.value.message == f"{LOCATION} must be a list of 'field: value' lines"


# --- missing fields --------------------------------------------------------------------------


def test_missing_top_level_field_is_at_line_1_with_a_hint_to_add_it():
    error = only_problem(LocationFields, LOCATION_YAML.replace("city: Springfield\n", ""))
    assert error.message == "missing required field 'city'"
    assert error.source == SourceRef(LOCATION, 1)
    assert error.hint == "add a line 'city: ...'"


def test_missing_nested_field_is_at_its_parent_key_with_the_parent_in_the_hint():
    error = only_problem(LocationFields, location("address:\n  street: 1 Main St\n"))
    assert error.message == "missing required field 'address.postal_code'"
    assert error.source == SourceRef(LOCATION, 7, 1)
    assert error.hint == "add a line 'postal_code: ...' under 'address'"


def test_missing_field_in_a_list_item_uses_1_based_index_and_points_at_the_item():
    photos = (
        "photos:\n"
        "  - {src: a.svg, alt: A}\n"
        "  - {src: b.svg, alt: B}\n"
        "  - src: c.svg\n"
        "  - src: d.svg\n"
        "    alt: D\n"
    )
    error = only_problem(LocationFields, location(photos))
    assert error.message == "missing required field 'photos[3].alt'"
    assert error.source == SourceRef(LOCATION, 10, 5)
    assert error.hint == "add a line 'alt: ...' under 'photos[3]'"


def test_missing_alt_of_second_photo_is_named_photos_2_alt():
    error = only_problem(
        LocationFields, location("photos:\n  - {src: a.svg, alt: A}\n  - {src: b.svg}\n")
    )
    assert error.message == "missing required field 'photos[2].alt'"
    assert error.source == SourceRef(LOCATION, 9, 5)


def test_missing_field_two_levels_down_in_site_yaml():
    error = only_problem(
        SiteFields, SITE_YAML.replace('  phone: "(323) 555-0100"\n', ""), "site.yaml"
    )
    assert error.message == "missing required field 'organization.phone'"
    assert error.source == SourceRef("site.yaml", 3, 1)


# --- unknown fields --------------------------------------------------------------------------


def test_misspelled_field_suggests_the_close_name_at_its_line():
    error = only_problem(LocationFields, location("adress: {street: a, postal_code: '62701'}\n"))
    assert error.message == "unknown field 'adress'"
    assert error.source == SourceRef(LOCATION, 7, 1)
    assert error.hint == "did you mean 'address'?"


def test_unknown_field_with_nothing_close_lists_the_known_fields():
    error = only_problem(LocationFields, location("zzzz: 1\n"))
    assert error.message == "unknown field 'zzzz'"
    known = error.hint.removeprefix("known fields: ").split(", ")
    assert known == sorted(LocationFields.model_fields)


def test_unknown_field_in_a_nested_mapping_suggests_from_that_mapping():
    text = SITE_YAML.replace("  phone:", "  phon:")
    errors = problems(SiteFields, text, "site.yaml")
    unknown = next(e for e in errors if e.message.startswith("unknown"))
    assert unknown.message == "unknown field 'organization.phon'"
    assert unknown.source == SourceRef("site.yaml", 5, 3)
    assert unknown.hint == "did you mean 'phone'?"


def test_unknown_field_in_a_list_item_lists_the_item_fields():
    error = only_problem(LocationFields, location("photos:\n  - {src: a.svg, alt: A, wdth: 3}\n"))
    assert error.message == "unknown field 'photos[1].wdth'"
    assert error.source == SourceRef(LOCATION, 8, 26)
    assert error.hint == "known fields: alt, focus, src"


def test_unknown_field_in_a_list_item_with_a_close_name():
    error = only_problem(LocationFields, location("photos:\n  - {src: a.svg, alt: A, atl: B}\n"))
    assert error.hint == "did you mean 'alt'?"


def test_unknown_permalink_kind_suggests_the_right_one():
    error = only_problem(SiteFields, SITE_YAML + "permalinks:\n  programs: /p/{program}/\n")
    assert error.message == "unknown field 'permalinks.programs'"
    assert error.hint == "did you mean 'program'?"


# --- wrong types -----------------------------------------------------------------------------


def test_number_given_for_text_says_must_be_text_and_suggests_quotes():
    error = only_problem(LocationFields, LOCATION_YAML.replace("city: Springfield", "city: 1984"))
    assert error.message == "'city' must be text"
    assert error.source == SourceRef(LOCATION, 2, 7)
    assert error.hint.startswith("it is 1984; put text in quotes")


def test_yes_given_for_text_is_a_bool_and_suggests_quotes():
    error = only_problem(LocationFields, LOCATION_YAML.replace("city: Springfield", "city: yes"))
    assert error.message == "'city' must be text"
    assert "it is True" in error.hint


def test_text_given_for_a_list_says_must_be_a_list():
    error = only_problem(LocationFields, LOCATION_YAML.replace("[day-program]", "day-program"))
    assert error.message == "'programs' must be a list (lines starting with '- ')"
    assert error.source == SourceRef(LOCATION, 6, 11)


def test_empty_list_of_programs_must_list_one():
    error = only_problem(LocationFields, LOCATION_YAML.replace("[day-program]", "[]"))
    assert error.message == "'programs' must list at least one entry"


def test_word_given_for_a_bool_says_true_or_false():
    error = only_problem(LocationFields, location("draft: maybe\n"))
    assert error.message == "'draft' must be true or false"
    assert error.source == SourceRef(LOCATION, 7, 8)


def test_yaml_yes_is_a_valid_bool():
    assert check(LocationFields, location("draft: yes\n")).draft is True


def test_word_given_for_a_number_says_whole_number():
    error = only_problem(LocationFields, location("order: first\n"))
    assert error.message == "'order' must be a whole number"
    assert "it is 'first'" in error.hint


def test_text_given_for_a_mapping_says_group_of_fields():
    error = only_problem(LocationFields, location("address: 1 Main St\n"))
    assert error.message == "'address' must be a group of 'field: value' lines"


def test_empty_text_must_not_be_empty():
    error = only_problem(LocationFields, LOCATION_YAML.replace("city: Springfield", 'city: "  "'))
    assert error.message == "'city' must not be empty"


def test_list_given_for_text_has_no_it_is_hint():
    error = only_problem(LocationFields, LOCATION_YAML.replace("city: Springfield", "city: [a]"))
    assert error.message == "'city' must be text"
    assert error.hint is None


def test_wrong_type_in_a_list_item_points_at_the_item():
    error = only_problem(LocationFields, LOCATION_YAML.replace("[day-program]", "[day, 7]"))
    assert error.message == "'programs[2]' must be text"
    assert error.source == SourceRef(LOCATION, 6, 17)


def test_several_problems_are_all_reported_sorted_by_line():
    text = LOCATION_YAML.replace("city: Springfield", "city: 5") + "order: x\ndraft: maybe\n"
    errors = problems(LocationFields, text)
    assert [e.source.line for e in errors] == [2, 7, 8]


def test_geo_out_of_range_is_reported_at_the_value():
    error = only_problem(LocationFields, location("geo: {latitude: 95, longitude: 0}\n"))
    assert error.message.startswith("'geo.latitude'")
    assert error.source == SourceRef(LOCATION, 7, 17)


# --- custom validators -----------------------------------------------------------------------


@pytest.mark.parametrize("state", ["CA", "NY", "IL", "DC"])
def test_two_letter_state_codes_are_accepted(state):
    assert (
        check(LocationFields, LOCATION_YAML.replace("state: IL", f"state: {state}")).state == state
    )


@pytest.mark.parametrize(
    ("state", "fix"),
    [
        ("XX", "write its code, such as CA or NY"),
        ("ca", "write CA"),
        ("Illinois", "write IL"),
        ("new york", "write NY"),
        ("C A", "write its code, such as CA or NY"),
    ],
)
def test_bad_state_code_is_refused_at_its_line_with_the_code_to_write(state, fix):
    error = only_problem(LocationFields, LOCATION_YAML.replace("state: IL", f"state: {state}"))
    assert error.message == f"'state': '{state}' is not a two-letter US state code"
    assert error.hint == fix
    assert error.source == SourceRef(LOCATION, 3, 8)


@pytest.mark.parametrize("phone", ["(323) 555-0100", "323-555-0100", "+1 323 555 0100"])
def test_valid_phone_numbers_are_kept_as_written(phone):
    assert check(LocationFields, location(f'phone: "{phone}"\n')).phone == phone


@pytest.mark.parametrize("phone", ["555-0100", "call us", "(000) 000-0000", "123"])
def test_invalid_phone_numbers_are_refused_with_an_example(phone):
    error = only_problem(LocationFields, location(f'phone: "{phone}"\n'))
    assert error.message == f"'phone': '{phone}' is not a valid phone number"
    assert error.hint == "write it like (323) 555-0100"
    assert error.source == SourceRef(LOCATION, 7, 8)


@pytest.mark.parametrize(
    ("field", "value", "fix"),
    [
        ("state", '"CA; NY"', "write its code, such as CA or NY"),
        ("phone", '"(310) 555-0100; ext. 2"', "write it like (323) 555-0100"),
    ],
)
def test_a_value_holding_a_semicolon_stays_whole_in_the_message(field, value, fix):
    """The fix was split from the message at the first '; ', which a value may hold."""
    if field == "state":
        text = LOCATION_YAML.replace("state: IL", f"state: {value}")
    else:
        text = location(f"{field}: {value}\n")
    error = only_problem(LocationFields, text)
    assert error.message.startswith(f"'{field}': '{value.strip(chr(34))}' is not a")
    assert error.hint == fix and "\0" not in error.message


def test_invalid_organization_text_phone_in_site_yaml():
    error = only_problem(SiteFields, SITE_YAML + '  text_phone: "12"\n', "site.yaml")
    assert error.message.startswith("'organization.text_phone': '12' is not a valid phone")
    assert error.source == SourceRef("site.yaml", 6, 15)


@pytest.mark.parametrize("hours", ["Mo-Fr 09:00-17:00", "Sa 10:00-14:00", "Mo,We,Fr 08:00-24:00"])
def test_valid_opening_hours(hours):
    assert check(LocationFields, location(f'hours: ["{hours}"]\n')).hours == [hours]


@pytest.mark.parametrize(
    "hours", ["Mo-Fr 9:00-17:00", "Monday 09:00-17:00", "Mo-Fr 09:00-25:00", "Mo-Fr", "9-5"]
)
def test_invalid_opening_hours_name_the_list_entry_and_the_form(hours):
    error = only_problem(
        LocationFields, location(f'hours:\n  - "Mo-Fr 09:00-17:00"\n  - "{hours}"\n')
    )
    assert error.message == f"'hours[2]': '{hours}' is not in the form 'Mo-Fr 09:00-17:00'"
    assert error.source == SourceRef(LOCATION, 9, 5)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://www.example.com", "https://www.example.com"),
        ("https://www.example.com/", "https://www.example.com"),
        ("http://localhost:8000/", "http://localhost:8000"),
    ],
)
def test_base_url_is_accepted_without_its_trailing_slash(given, kept):
    text = SITE_YAML.replace("https://care.example.org", given)
    assert check(SiteFields, text, "site.yaml").base_url == kept


@pytest.mark.parametrize(
    "given",
    [
        "https://www.example.com/path",
        "https://www.example.com/path/",
        "https://WWW.example.com",
        "ftp://example.com",
        "www.example.com",
        "https://example.com//",
    ],
)
def test_base_url_with_a_path_or_other_problem_is_refused(given):
    error = only_problem(
        SiteFields, SITE_YAML.replace("https://care.example.org", given), "site.yaml"
    )
    assert error.message.startswith(f"'base_url': '{given}' is not a site address")
    assert "no path" in error.message
    assert error.source == SourceRef("site.yaml", 2, 11)


@pytest.mark.parametrize("code", ['"62701"', '"62701-1234"'])
def test_valid_postal_codes(code):
    fields = check(LocationFields, location(f"address: {{street: s, postal_code: {code}}}\n"))
    assert fields.address.postal_code == code.strip('"')


@pytest.mark.parametrize("code", ['"6270"', '"ABCDE"', '"62701-12"'])
def test_bad_postal_code_is_refused_at_its_value(code):
    error = only_problem(LocationFields, location(f"address: {{street: s, postal_code: {code}}}\n"))
    assert error.message.startswith("'address.postal_code'")
    assert error.source == SourceRef(LOCATION, 7, 35)


def test_unquoted_postal_code_is_a_number_and_must_be_text():
    error = only_problem(LocationFields, location("address: {street: s, postal_code: 62701}\n"))
    assert error.message == "'address.postal_code' must be text"
    assert "put text in quotes" in error.hint


def test_a_postal_code_with_a_leading_zero_is_explained():
    """YAML 1.1 reads 01234 as octal (668): the hint says why the number is not the one
    written."""
    error = only_problem(LocationFields, location("address: {street: s, postal_code: 01234}\n"))
    assert error.hint.startswith("it is 668; put text in quotes")
    assert "01234 as 668" in error.hint


def test_bad_postal_code_that_is_already_quoted_is_not_told_to_add_quotes():
    error = only_problem(LocationFields, location('address: {street: s, postal_code: "6270"}\n'))
    assert "put text in quotes" not in (error.hint or "")


def test_pattern_in_a_message_keeps_its_case():
    # language must match ^[a-z]{2,3}(-[A-Z]{2})?$; the message must not tell editors "-[a-z]{2}".
    error = only_problem(SiteFields, SITE_YAML + "language: en-us\n", "site.yaml")
    assert error.message.startswith("'language'")
    assert "[A-Z]" in error.message


def test_program_hero_missing_alt():
    text = "title: T\nshort_name: S\ndescription: D\nsummary: S\nhero:\n  src: images/hero.svg\n"
    error = only_problem(ProgramFields, text, "content/programs/p.md")
    assert error.message == "missing required field 'hero.alt'"
    assert error.source == SourceRef("content/programs/p.md", 5, 1)


def test_a_misspelled_required_field_is_one_error_not_two():
    doc = parse_yaml(
        "name: X\ncty: X\nstate: CA\ndescription: d\nsummary: s\nprograms: [a]\n",
        SourceRef("content/locations/x.yaml"),
    )
    with pytest.raises(BuildFailed) as info:
        validate(LocationFields, doc, "location")
    assert [(str(e.source), e.message, e.hint) for e in info.value.errors] == [
        ("content/locations/x.yaml:2:1", "unknown field 'cty'", "did you mean 'city'?")
    ]


@pytest.mark.parametrize(
    ("written", "code", "at"),
    [
        ('"L\\0A"', "U+0000", 2),
        ('"Spring\\efield"', "U+001B", 7),  # ESC: a terminal's colours in a report
        ('"Spring\\u202efield"', "U+202E", 7),  # a right-to-left override
        ("!!binary U3ByaW5nAGZpZWxk", "U+0000", 7),
        ('"Spring\u2067field\u2069"', "U+2067", 7),  # an isolate: Trojan Source's too
        ('"Spring\u2028field"', "U+2028", 7),
        ('"Spring\ufefffield"', "U+FEFF", 7),
        ('"Spring\U000e0041field"', "U+E0041", 7),
    ],
)
def test_an_invisible_character_in_a_text_field_is_refused(written, code, at):
    """YAML escapes make control characters and bidirectional overrides a raw YAML file
    cannot hold: they reached the pages (a NUL, an ESC) and the reports."""
    error = only_problem(
        LocationFields, LOCATION_YAML.replace("city: Springfield", f"city: {written}")
    )
    assert (
        error.message == f"'city': holds the invisible character {code} (character {at}): remove it"
    )


def test_tabs_and_newlines_and_right_to_left_text_are_fine():
    text = LOCATION_YAML.replace(
        "city: Springfield", 'city: "Spring\\tfield \\u05e9\\u05dc\\u05d5\\u05dd"'
    )
    assert check(LocationFields, text).city == "Spring\tfield \u05e9\u05dc\u05d5\u05dd"


def test_emoji_joiners_non_breaking_spaces_and_soft_hyphens_are_fine():
    written = "Spring\\u00adfield\\u00a0\\U0001f469\\u200d\\U0001f4bb"
    text = LOCATION_YAML.replace("city: Springfield", f'city: "{written}"')
    assert check(LocationFields, text).city == "Spring\u00adfield\u00a0\U0001f469\u200d\U0001f4bb"


def test_a_wrong_value_given_through_an_alias_is_at_the_key_that_uses_it():
    """`state: *n` with `name: &n California`: the value's node is the anchor's, so the
    error was placed on the name line (found by a fresh tester)."""
    text = LOCATION_YAML.replace("name: Springfield", "name: &n California").replace(
        "state: IL", "state: *n"
    )
    error = only_problem(LocationFields, text)
    assert error.message == "'state': 'California' is not a two-letter US state code"
    assert error.source == SourceRef(LOCATION, 3, 1)
