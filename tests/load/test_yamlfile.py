"""sitegen.yamlio: YAML with the 1-based line and column of every key; friendly syntax errors."""

from __future__ import annotations

import datetime

import pytest
import yaml

from sitegen.errors import BuildFailed, SiteError, SourceRef
from sitegen.load.yamlfile import parse_yaml

SOURCE = SourceRef("content/locations/x.yaml")

NESTED = """\
name: Springfield
address:
  street: 1 Main St
  postal_code: "62701"
photos:
  - src: a.svg
    alt: First
  - {src: b.svg, alt: Second}
programs: [day, night]
"""


def syntax_error(text: str, line_offset: int = 0) -> SiteError:
    with pytest.raises(SiteError) as info:
        parse_yaml(text, SOURCE, line_offset=line_offset)
    return info.value


# --- positions -------------------------------------------------------------------------------


def test_top_level_keys_are_at_column_1_of_their_line():
    doc = parse_yaml(NESTED, SOURCE)
    assert doc.key_marks[("name",)] == (1, 1)
    assert doc.key_marks[("address",)] == (2, 1)
    assert doc.key_marks[("photos",)] == (5, 1)
    assert doc.key_marks[("programs",)] == (9, 1)


def test_keys_of_a_nested_mapping_are_at_their_indented_column():
    doc = parse_yaml(NESTED, SOURCE)
    assert doc.key_marks[("address", "street")] == (3, 3)
    assert doc.key_marks[("address", "postal_code")] == (4, 3)


def test_list_items_are_at_the_item_and_their_keys_at_the_key():
    doc = parse_yaml(NESTED, SOURCE)
    assert doc.key_marks[("photos", 0)] == (6, 5)
    assert doc.key_marks[("photos", 0, "src")] == (6, 5)
    assert doc.key_marks[("photos", 0, "alt")] == (7, 5)
    assert doc.key_marks[("photos", 1)] == (8, 5)
    assert doc.key_marks[("photos", 1, "alt")] == (8, 18)


def test_items_of_a_flow_list_are_at_their_own_column():
    doc = parse_yaml(NESTED, SOURCE)
    assert doc.key_marks[("programs", 0)] == (9, 12)
    assert doc.key_marks[("programs", 1)] == (9, 17)


def test_ref_gives_a_source_ref_with_path_line_and_column():
    doc = parse_yaml(NESTED, SOURCE)
    assert doc.ref(("photos", 1, "alt")) == SourceRef(SOURCE.path, 8, 18)
    assert str(doc.ref(("address", "street"))) == f"{SOURCE.path}:3:3"


def test_data_is_plain_python():
    doc = parse_yaml(NESTED, SOURCE)
    assert doc.data["photos"][1] == {"src": "b.svg", "alt": "Second"}
    assert doc.data["address"]["postal_code"] == "62701"
    assert doc.data["programs"] == ["day", "night"]


def test_empty_text_gives_none_and_no_marks():
    doc = parse_yaml("", SOURCE)
    assert doc.data is None
    assert doc.key_marks == {}


# --- ref() fallback --------------------------------------------------------------------------


def test_ref_of_an_unknown_key_falls_back_to_the_deepest_known_prefix():
    doc = parse_yaml(NESTED, SOURCE)
    assert doc.ref(("photos", 1, "width")) == SourceRef(SOURCE.path, 8, 5)
    assert doc.ref(("address", "city")) == SourceRef(SOURCE.path, 2, 1)
    assert doc.ref(("photos", 7, "src")) == SourceRef(SOURCE.path, 5, 1)


def test_ref_of_nothing_known_is_line_1_of_the_file():
    doc = parse_yaml(NESTED, SOURCE)
    assert doc.ref(("nowhere", "deeper")) == SourceRef(SOURCE.path, 1)
    assert doc.ref() == SourceRef(SOURCE.path, 1)


def test_ref_fallback_keeps_the_line_the_source_starts_at():
    doc = parse_yaml("title: x\n", SourceRef("page.md", 2), line_offset=1)
    assert doc.ref(("missing",)) == SourceRef("page.md", 2)


# --- text_start_line -------------------------------------------------------------------------


BLOCKS = """\
literal: |
  first line
  second line
folded: >
  folded text
plain: plain text
quoted: "quoted text"
chomped: |-
  no newline
"""


@pytest.mark.parametrize(
    ("key", "line"),
    [("literal", 2), ("folded", 5), ("plain", 6), ("quoted", 7), ("chomped", 9)],
)
def test_text_start_line_is_the_line_after_a_block_indicator_else_the_value_line(key, line):
    assert parse_yaml(BLOCKS, SOURCE).text_start_line((key,)) == line


def test_text_start_line_of_a_nested_block_scalar():
    doc = parse_yaml("faq:\n  - answer: |\n      Yes.\n", SOURCE)
    assert doc.text_start_line(("faq", 0, "answer")) == 3


def test_text_start_line_of_a_missing_key_is_its_nearest_known_line():
    doc = parse_yaml(BLOCKS, SOURCE)
    assert doc.text_start_line(("plain", "nothing")) == 6


def test_text_start_line_counts_the_line_offset():
    doc = parse_yaml("about: |\n  text\n", SOURCE, line_offset=10)
    assert doc.text_start_line(("about",)) == 12


# --- duplicate keys --------------------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key_with_the_first_line_in_the_message():
    error = syntax_error("name: A\ncity: B\nname: C\n")
    assert error.source == SourceRef(SOURCE.path, 3, 1)
    assert error.message == "'name' is given twice (first on line 1)"
    assert "YAML would silently keep only the last" in error.hint


def test_duplicate_key_in_a_nested_mapping_is_at_its_column():
    error = syntax_error("address:\n  street: a\n  street: b\n")
    assert error.source == SourceRef(SOURCE.path, 3, 3)
    assert "first on line 2" in error.message


def test_duplicate_key_in_a_flow_mapping_inside_a_list():
    error = syntax_error("photos:\n  - {src: a.svg, src: b.svg}\n")
    assert error.source == SourceRef(SOURCE.path, 2, 18)
    assert error.message == "'src' is given twice (first on line 2)"


def test_a_key_written_beside_a_merge_overrides_the_merged_one():
    """YAML's merge key: the mapping's own keys win over merged ones; that is no key given
    twice. Several merged mappings are read as PyYAML reads them."""
    text = (
        "benefits:\n"
        "  - &card {title: Flexible, text: a}\n"
        "  - <<: *card\n"
        "    title: Private\n"
        "  - <<: [{title: First, alt: x}, *card]\n"
        "    text: b\n"
    )
    doc = parse_yaml(text, SOURCE)
    assert doc.data["benefits"][1] == {"title": "Private", "text": "a"}
    assert doc.data == yaml.safe_load(text)
    assert doc.ref(("benefits", 1, "title")) == SourceRef(SOURCE.path, 4, 5)


def test_a_key_written_twice_beside_a_merge_is_still_given_twice():
    error = syntax_error("a: &m {x: 1}\nb:\n  <<: *m\n  x: 2\n  x: 3\n")
    assert error.source == SourceRef(SOURCE.path, 5, 3)
    assert error.message == "'x' is given twice (first on line 4)"


def test_same_key_in_two_different_mappings_is_not_a_duplicate():
    doc = parse_yaml("a: {x: 1}\nb: {x: 2}\n", SOURCE)
    assert doc.data == {"a": {"x": 1}, "b": {"x": 2}}


def test_several_duplicates_raise_build_failed_with_all_of_them_in_line_order():
    with pytest.raises(BuildFailed) as info:
        parse_yaml("b: 1\na: 1\nb: 2\nc:\n  d: 1\n  d: 2\na: 3\n", SOURCE)
    errors = info.value.errors
    assert [(e.source.line, e.message) for e in errors] == [
        (3, "'b' is given twice (first on line 1)"),
        (6, "'d' is given twice (first on line 5)"),
        (7, "'a' is given twice (first on line 2)"),
    ]


def test_duplicate_key_lines_count_the_line_offset():
    error = syntax_error("title: A\ntitle: B\n", line_offset=1)
    assert error.source.line == 3
    assert "first on line 2" in error.message


# --- syntax errors ---------------------------------------------------------------------------


def test_colon_in_a_plain_value_points_at_the_second_colon_with_the_quotes_hint():
    error = syntax_error("name: A\ncity: Spring: field\n")
    assert error.source == SourceRef(SOURCE.path, 2, 13)
    assert error.message.startswith("YAML syntax error: mapping values are not allowed")
    assert error.hint == "a value that contains ': ' must be put in quotes"


def test_tab_indentation_gives_the_tab_hint_at_the_tab():
    error = syntax_error("address:\n\tstreet: a\n")
    assert (error.source.line, error.source.column) == (2, 1)
    assert error.message.startswith("YAML syntax error:")
    assert error.hint == "indent with spaces, not tabs"


@pytest.mark.parametrize("quote", ['"', "'"])
def test_unclosed_quote_points_at_the_opening_quote_not_the_end_of_file(quote):
    error = syntax_error(f"name: A\ncity: {quote}Springfield\nstate: IL\nsummary: s\n")
    assert error.source == SourceRef(SOURCE.path, 2, 7)
    assert "quoted scalar" in error.message
    assert "not closed" in error.hint


def test_unclosed_bracket_has_a_default_hint():
    error = syntax_error("programs: [a, b: c: d]\n")
    assert error.message.startswith("YAML syntax error:")
    assert error.hint == "a [ or { opened here is not closed; put text with brackets in quotes"
    error = syntax_error("programs: [a, b\n")
    assert error.source == SourceRef(SOURCE.path, 1, 11)
    assert "read on to the end of the file" in error.message


def test_value_starting_with_a_star_gets_the_alias_hint():
    error = syntax_error("summary: *great care\n")
    assert error.source == SourceRef(SOURCE.path, 1, 10)
    assert "alias" in error.hint


def test_badly_indented_list_item_points_at_the_item():
    error = syntax_error("programs:\n  - a\n - b\n")
    assert error.source == SourceRef(SOURCE.path, 3, 2)
    assert error.hint == "check that the lines of this block are indented the same"


def test_syntax_error_lines_are_shifted_by_line_offset():
    error = syntax_error("name: A\ncity: Spring: field\n", line_offset=1)
    assert error.source == SourceRef(SOURCE.path, 3, 13)


def test_key_lines_are_shifted_by_line_offset_but_columns_are_not():
    doc = parse_yaml("title: T\nhero:\n  src: a.svg\n", SOURCE, line_offset=1)
    assert doc.key_marks[("title",)] == (2, 1)
    assert doc.key_marks[("hero", "src")] == (4, 3)
    assert doc.ref(("hero", "alt")) == SourceRef(SOURCE.path, 3, 1)


def test_a_key_that_is_a_mapping_is_refused_at_its_position():
    error = syntax_error("name: A\n? {a: 1}\n: value\n")
    assert error.message == "a key must be a plain word"
    assert error.source.line == 2


def test_two_documents_in_one_file_are_a_syntax_error():
    error = syntax_error("name: A\n---\nname: B\n")
    assert error.message.startswith("YAML syntax error:")
    assert error.source.line == 2


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ("updated: 2026-13-45\n", 1, 10, "month must be in 1..12"),
        ("name: x\nopened: 2026-02-30\n", 2, 9, "day is out of range for month"),
        ("hours:\n  - 2026-04-31\n", 2, 5, "day is out of range for month"),
        ("a:\n  b: {when: 2026-01-01 25:00:00}\n", 2, 13, "hour must be in 0..23"),
    ],
)
def test_a_date_that_does_not_exist_is_an_error_at_its_value(text, line, column, reason):
    with pytest.raises(SiteError) as info:
        parse_yaml(text, SourceRef("content/locations/x.yaml"))
    error = info.value
    assert error.source == SourceRef("content/locations/x.yaml", line, column)
    assert "looks like a date, but is not one" in error.message and reason in error.message
    assert error.hint is not None and "quotes" in error.hint


def test_every_impossible_date_of_a_file_is_reported_and_real_or_quoted_ones_are_kept():
    text = "a: 2026-13-01\nb: 2026-02-28\nc: '2026-13-01'\nd: 2026-02-30\n"
    with pytest.raises(BuildFailed) as info:
        parse_yaml(text, SourceRef("site.yaml"))
    assert [str(e.source) for e in info.value.errors] == ["site.yaml:1:4", "site.yaml:4:4"]
    doc = parse_yaml("b: 2026-02-28\nc: '2026-13-01'\n", SourceRef("site.yaml"))
    assert doc.data == {"b": datetime.date(2026, 2, 28), "c": "2026-13-01"}


def test_an_impossible_date_in_front_matter_is_at_the_files_line(tmp_path):
    from sitegen.load.frontmatter import split_front_matter

    with pytest.raises(SiteError) as info:
        split_front_matter("---\ntitle: T\nupdated: 2026-13-45\n---\nBody\n", SourceRef("p.md"))
    assert info.value.source == SourceRef("p.md", 3, 10)


@pytest.mark.parametrize(
    "value", ["!!timestamp foo", "!!bool maybe", "!!int ''", "!!float ''", "!!int 12x"]
)
def test_a_value_its_tag_does_not_fit_is_an_error_at_its_line(value):
    with pytest.raises(SiteError) as info:
        parse_yaml(f"name: x\nwhen: {value}\n", SourceRef("site.yaml"))
    assert info.value.source == SourceRef("site.yaml", 2, 7)
    assert "but is not one" in info.value.message


# --- a text cut short by ' #' -----------------------------------------------------------------


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize(
    ("text", "line", "column", "shown"),
    [
        ("description: Rated #1 outpatient care in town\n", 1, 20, "#1 outpatient care in town"),
        ("a: b\nname: Café ünï #1 clinic\n", 2, 16, "#1 clinic"),  # columns in characters
        ("about: Recovery starts here #sober #hope\n", 1, 29, "#sober #hope"),
        ("faq:\n  - answer: Call us,\n      any day #24/7\n", 3, 15, "#24/7"),  # over two lines
        ("programs:\n  - iop #x\n", 2, 9, "#x"),  # a list item
        ("summary: rated ##1 locally\n", 1, 16, "##1 locally"),  # more than one '#'
    ],
)
def test_a_plain_text_cut_by_a_comment_glued_to_a_word_is_an_error_at_the_hash(
    monkeypatch, loader, text, line, column, shown
):
    """YAML reads ' #' as a comment: `Rated #1 outpatient care` would silently be `Rated`.
    It is an error at the '#', with the cut words and the fix, whichever parser reads it."""
    if loader == "python":
        monkeypatch.setattr("sitegen.load.yamlfile._Loader", yaml.SafeLoader)
    error = syntax_error(text)
    assert (error.source.line, error.source.column) == (line, column)
    assert f"'{shown}' is left out" in error.message and "quotes" in (error.hint or "")


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize(
    ("text", "line", "column", "value"),
    [
        ("about: We help people\n  #1 in care for teens\n", 2, 3, "'We help people'"),
        ("about: We help\n  people\n\n  #1 in care\nname: x\n", 4, 3, "'We help people'"),
        ("list:\n  - We help\n    #1 in care\n", 3, 5, "'We help'"),
        ("faq:\n  - answer: Call us\n      #24/7 on weekends\n", 3, 7, "'Call us'"),
        ("color:\n  #fff\n", 2, 3, "empty"),
        ("summary: therapy for\n  #1: people who need support.\n", 2, 3, "'therapy for'"),
        ("summary: therapy for\n  ##1 in town\n", 2, 3, "'therapy for'"),
    ],
)
def test_a_next_line_of_text_that_starts_with_a_glued_hash_is_an_error_at_it(
    monkeypatch, loader, text, line, column, value
):
    """A text's next line, indented as text that goes on, that starts with `#1`: YAML
    takes the whole line for a comment, and the text silently ended on the line above."""
    if loader == "python":
        monkeypatch.setattr("sitegen.load.yamlfile._Loader", yaml.SafeLoader)
    error = syntax_error(text)
    assert (error.source.line, error.source.column) == (line, column)
    assert "this line starts with '#'" in error.message
    assert error.message.endswith(f"the value is {value}") and "quotes" in (error.hint or "")


@pytest.mark.parametrize(
    "text",
    [
        "name: Foo\n#city: LA\n",  # a comment line as deep as the key: not the text's
        "address:\n  street: 1 Main St\n  #postal_code: '90001'\n",
        "title: Foo\ndescription: Bar\n  #draft: true\n",  # a key put out of use
        "list:\n  - one\n  #- two\n",  # an item put out of use
        "list:\n  - one\n    #- two\n",  # ... one step deeper
        "html:\n  iframe_hosts:\n    #- www.youtube-nocookie.com\n",  # the only item
        "about: x\n  #focus-area: teens\n",  # a key put out of use
        "a: x\n  # a comment meant as one\n",
        "a: 'x'\n  #1\n",  # quoted: the text ended at its quote
        "a: |\n  x\n  #1\n",  # a block keeps its '#' lines
        "a:\n  b: x\n#1\n",
    ],
)
def test_comment_lines_that_cut_no_text_are_not_errors(text):
    parse_yaml(text, SOURCE)


@pytest.mark.parametrize(
    "text",
    [
        "noindex: true  # nothing to find here\n",  # a comment meant as one: '# '
        "city: Los Angeles   # the office\n",
        'title: "Rated #1 in town"\n',  # quoted: the '#' is text
        "title: 'Rated #1' #1\n",  # a comment after a quoted value was meant
        "tag: C#sharp\n",  # '#' inside a word starts no comment
        "note: a ## b\n",  # '##' reads as a comment rule, not a cut word
        "about: |\n  Rated #1 here\n",  # a block keeps its '#'
        "# a comment line\nname: x\n#another\n",
    ],
)
def test_meant_comments_and_hashes_inside_text_are_not_errors(text):
    parse_yaml(text, SOURCE)


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize(
    ("text", "line", "column", "shown"),
    [
        (  # PyYAML finds the next line out of place: reported there, about indentation
            "name: x\nsummary: Outpatient therapy, rated #1 by clients,\n"
            "  usually one hour a week.\n",
            2,
            36,
            "#1 by clients,",
        ),
        ("about: Rated\n  #1 in care\n  by families\n", 2, 3, "#1 in care"),
        ("list:\n  - one #x\n    two\n", 2, 9, "#x"),
        ("a: b\r\nsummary: rated #1 by all,\r\n\r\n  and more\r\n", 2, 16, "#1 by all,"),
        ("title: Insurance it's #1 for you,\n  and more\n", 1, 23, "#1 for you,"),  # a quote
        ("a: Rated [really] #1 here,\n  and more\n", 1, 19, "#1 here,"),  # brackets inside
        ('a: The 6" sub #1 here,\n  more\n', 1, 15, "#1 here,"),
        ("about: Rated\n#1 in care\n  by families\n", 2, 1, "#1 in care"),  # at column 1
        ("a: Rated # 1 by clients,\n  more\n", 1, 10, "# 1 by clients,"),  # the text goes on
        ("list:\n  - key: val #1,\n    more\n", 2, 14, "#1,"),  # "could not find ':'"
    ],
)
def test_a_text_cut_by_a_hash_before_its_next_line_is_reported_at_the_hash(
    monkeypatch, loader, text, line, column, shown
):
    """The text goes on over the next line, so YAML reads that line as out of place: the
    error was "expected <block end>" at the next line, with a hint about indentation."""
    if loader == "python":
        monkeypatch.setattr("sitegen.load.yamlfile._Loader", yaml.SafeLoader)
    error = syntax_error(text)
    assert (error.source.line, error.source.column) == (line, column)
    assert f"'{shown}' is left out, and the next line cannot go on" in error.message
    assert "quotes" in (error.hint or "")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a:\n  b: 1 #x\n c: 2\n", 3),  # a key out of place after a meant comment
        ("a: 'x #1'\n  more\n", 2),  # the '#' is inside quotes
        ("about: We are #1\n  in LA: the best\n", 2),  # a key, not text that goes on
        ("a: [x, y] #1\n  more\n", 2),  # a list, not plain text
    ],
)
def test_an_indentation_mistake_after_a_hash_is_still_one(text, line):
    error = syntax_error(text)
    assert error.source.line == line and "left out" not in error.message


def test_the_cut_is_at_the_file_line_of_front_matter():
    error = syntax_error("title: Our #1 program\n", line_offset=1)
    assert (error.source.line, error.source.column) == (2, 12)


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: LA\ncity Los Angeles\nstate: CA\n", 2),  # the key missing its ':'
        ("description: >-\n  one\n  two\nthree\nstate: CA\n", 4),  # a line left unindented
    ],
)
def test_a_line_missing_its_colon_is_the_line_reported(monkeypatch, loader, text, line):
    """PyYAML notices the missing ':' on the next line; the error is at the line that
    lacks it (its context), where the editor has to look."""
    if loader == "python":
        monkeypatch.setattr("sitegen.load.yamlfile._Loader", yaml.SafeLoader)
    error = syntax_error(text)
    assert (error.source.line, error.source.column) == (line, 1)
    assert "could not find expected ':'" in error.message


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize(
    ("text", "line", "column", "code"),
    [
        ("a: b\ncity: Los\x0bAngeles\n", 2, 10, "U+000B"),
        ("é: ü\ncity: Los\x08Angeles\n", 2, 10, "U+0008"),  # after accents: not bytes
        ("name: x\x00\n", 1, 8, "U+0000"),
    ],
)
def test_a_control_character_is_an_error_at_its_line_and_column(
    monkeypatch, loader, text, line, column, code
):
    """PyYAML's reader error was shown raw ('in "<unicode string>", position 27'), with
    no line: now the character, its place and how to get rid of it."""
    if loader == "python":
        monkeypatch.setattr("sitegen.load.yamlfile._Loader", yaml.SafeLoader)
    error = syntax_error(text)
    assert (error.source.line, error.source.column) == (line, column)
    assert f"the character {code} is not allowed" in error.message
    assert "position" not in error.message and "delete it" in (error.hint or "")


def test_a_control_character_in_front_matter_counts_the_file_lines():
    error = syntax_error("title: A\x07B\n", line_offset=1)
    assert (error.source.line, error.source.column) == (2, 9)


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ('a: 1\ntitle: "Outpatient" Program\n', "title: '\"Outpatient\" Program'"),
        ("a: 1\ntitle: [New] Outpatient Program\n", "title: '[New] Outpatient Program'"),
        ("a: 1\ntitle: 'It' s here  # why\n", "title: \"'It' s here\""),
        ('faq:\n  - question: "Why" now?\n', "- question: '\"Why\" now?'"),
    ],
)
def test_words_after_a_quoted_or_bracketed_value_get_the_value_quoted_whole(text, fix):
    """`title: "Outpatient" Program` ends the value at the closing quote; the hint was about
    indentation. Now it writes the line's value whole in the other quotes."""
    error = syntax_error(text)
    assert error.source.line == 2
    assert error.hint is not None and error.hint.endswith(f"put the whole value in quotes: {fix}")


def test_an_indentation_mistake_keeps_the_indentation_hint():
    error = syntax_error("a:\n  b: 1\n c: 2\n")
    assert "indented the same" in (error.hint or "")


def test_the_cut_check_reads_the_lines_yaml_reads():
    """A NEL inside a quoted value is a line break to YAML: the check read the wrong line
    and reported `n: 12  #five`; CRLF left a carriage return in the message; an alias
    reported the same cut twice."""
    assert parse_yaml('a: "x\x85y"\nb: abc\nn: 12  #five\n', SOURCE).data["b"] == "abc"
    error = syntax_error("a: foo #bar\r\nb: 1\r\n")
    assert "'#bar' is left out" in error.message
    error = syntax_error("a: &x foo #bar\nb: *x\n")  # one error, not a list of two
    assert (error.source.line, error.source.column) == (1, 11)


def test_a_value_that_is_only_a_glued_comment_is_an_error_too():
    """`color: #fff` is no value at all to YAML (null): the same error, 'the value is
    empty'; `a: # note` and a null written `~` stay fine."""
    error = syntax_error("color: #fff\nb: 1\n")
    assert (error.source.line, error.source.column) == (1, 8)
    assert "'#fff' is left out: the value is empty" in error.message
    assert parse_yaml("a: # note\n  b: 1\nc: ~ #x\n", SOURCE).data == {"a": {"b": 1}, "c": None}


# --- lines as an editor counts them ----------------------------------------------------------

SEPARATORS = pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])


@SEPARATORS
def test_places_after_a_yaml_only_line_break_are_the_editors(separator):
    """YAML 1.1 ends a line at U+2028, U+2029 and NEL, and PyYAML's marks count them; an
    editor does not. Every place after one was a line too far down (and its column
    counted from the invisible character)."""
    text = f"a: 'x{separator}y'\nb: 1\nc:\n  - d: 2\ne: 3\ne: 4\n"
    with pytest.raises(SiteError) as info:
        parse_yaml(text, SOURCE, line_offset=2)
    assert (info.value.source.line, info.value.source.column) == (8, 1)
    assert info.value.message == "'e' is given twice (first on line 7)"
    doc = parse_yaml(text.replace("e: 4\n", ""), SOURCE, line_offset=2)
    assert doc.key_marks[("b",)] == (4, 1)
    assert doc.key_marks[("c", 0, "d")] == (6, 5)
    assert doc.value_marks[("a",)][:2] == (3, 4)


@SEPARATORS
def test_a_syntax_error_after_a_yaml_only_line_break_is_on_the_editors_line(separator):
    error = syntax_error(f"a: 'x{separator}{separator}y'\nb: 1\nc: [1, 2\n")
    assert (error.source.line, error.source.column) == (3, 4)  # where the [ opens
    error = syntax_error(f"a: 'x{separator}y'\nb: ok #1 in town\n  more\n")
    assert (error.source.line, error.source.column) == (2, 7)  # the cut text's '#'


@SEPARATORS
def test_a_yaml_only_line_break_inside_a_plain_value_is_named(separator):
    """`city: Spring<U+2028>field`: YAML ends the line at the invisible character and
    reads `field` as a key without ':'; the error says which character, where it is."""
    error = syntax_error(f"name: x\ncity: Spring{separator}field\nstate: CA\n")
    assert (error.source.line, error.source.column) == (2, 13)
    assert error.message.startswith("an invisible ")
    assert f"(U+{ord(separator):04X}) ends the line here for YAML" in error.message
    assert error.hint is not None and error.hint.startswith("delete that character")


def test_a_block_text_with_a_line_separator_is_named_at_it():
    error = syntax_error("about: |\n  One line.\u2028Two.\n  Three.\n")
    assert (error.source.line, error.source.column) == (2, 12)
    assert "U+2028" in error.message


def test_the_lines_of_a_text_after_a_line_separator_are_the_editors():
    doc = parse_yaml("a: 'p\u2028q'\nabout: |\n  one\n  two\n", SOURCE)
    assert doc.text_lines[("about",)] == ((0, 3), (4, 4))


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("name: x\nprograms: [iop,\n", "the end of the file"),
        ("name: x\nprograms: [iop,\nabout: |\n  Some text.\n", "line 3"),
        ("name: x\naddress: {street: 1 Main St,\n\ncity: Town\nabout: >\n  x\n", "line 5"),
        ("name: 'a [b'\nprograms: [iop, [op,\n  dp]\nabout: |\n  x\n", "line 4"),
    ],
)
def test_a_bracket_left_open_is_reported_where_it_opens(text, until):
    """`programs: [iop,` half-written: YAML reads on into the lines below, and reported
    the end of the file (a line the file does not have) or a `|` three lines down,
    without a word about the bracket (found by a fresh tester)."""
    error = syntax_error(text)
    opener = "{" if "{" in text else "["
    line = next(n for n, row in enumerate(text.split("\n"), 1) if opener in row and "'" not in row)
    column = text.split("\n")[line - 1].index(opener) + 1
    assert (error.source.line, error.source.column) == (line, column)
    assert error.message.startswith(
        f"YAML syntax error: a '{opener}' opened here is not closed: YAML read on "
    )
    assert f"read on to {until} as part of it" in error.message
    assert error.hint is not None and error.hint.startswith(
        f"close it with '{'}' if opener == '{' else ']'}'"
    )


def test_a_bracket_closed_on_a_later_line_is_no_error_and_one_on_the_error_line_keeps_its_message():
    assert parse_yaml("a: [\n  x,\n  y\n]\nb: 1\n", SOURCE).data == {"a": ["x", "y"], "b": 1}
    error = syntax_error("a: [b: c: d]\n")
    assert error.message.startswith("YAML syntax error: expected ',' or ']'")


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u3000"])
def test_an_odd_space_after_a_colon_is_named_at_it(space):
    """`state:<U+00A0>CA` (a word processor's space): YAML reads no space, so no key, and
    said "could not find expected ':'" at the start of the line (found by a fresh
    tester)."""
    error = syntax_error(f"name: x\nstate:{space}CA\ncity: y\n", line_offset=1)
    assert (error.source.line, error.source.column) == (3, 7)
    assert "where YAML needs an ordinary space" in error.message
    assert error.hint == "replace it with an ordinary space (retype it)"


@pytest.mark.parametrize("end", ["", "\n"])
def test_a_bracket_left_open_on_the_last_line_is_reported_at_the_bracket(end):
    """`aliases: [/a/, /b/,` as the last line, with or without a newline: the error was at
    the end of the line, with a hint about a bracket it did not point at (found by a
    fresh tester); in front matter YAML stops at the closing ---, not the file's end."""
    error = syntax_error(f"title: A\naliases: [/a/, /b/,{end}")
    assert (error.source.line, error.source.column) == (2, 10)
    assert "read on to the end of the file" in error.message
    error = syntax_error(f"title: A\naliases: [/a/, /b/,{end}", line_offset=1)
    assert (error.source.line, error.source.column) == (3, 10)
    assert "read on to the end of the front matter" in error.message


@pytest.mark.parametrize(
    "text",
    [
        'name: "Los Angeles" Center -\u00a0CA\n',  # inside a value: a letter, not the mistake
        "name: Los Angeles: Center -\u00a0CA\n",
    ],
)
def test_an_odd_space_inside_a_value_does_not_take_over_the_error(text):
    error = syntax_error(text)
    assert "ordinary space" not in error.message


def test_an_odd_space_indenting_the_line_above_the_error_is_named():
    error = syntax_error("photos:\n  - src: a.jpg\n    alt: x\n\u00a0 - src: b.jpg\n    alt: y\n")
    assert (error.source.line, error.source.column) == (4, 1)
    assert "non-breaking space (U+00A0)" in error.message


def test_a_field_that_a_line_separator_began_is_named_at_the_separator():
    """`title: Contact admissions<U+2028>x: y` parses (as two fields), so validation said
    "unknown field 'x'" about a line the editor does not see (found by a fresh tester)."""
    error = syntax_error("title: Contact admissions\u2028x: y\nb: 1\n", line_offset=1)
    assert (error.source.line, error.source.column) == (2, 26)
    assert "(U+2028) ends the line here for YAML, so 'x' after it is read as a field" in (
        error.message
    )


# --- the cost of wording an error ------------------------------------------------------------

TAB_ERROR = "name: x\nprograms:\n\t- iop\n"  # PyYAML names the tab, libyaml does not


def test_a_failing_text_is_read_again_for_wording_only_up_to_64_kb_and_says_the_same():
    """PyYAML's own parser words errors better than libyaml, at 150 to 350 times its
    time (7 s for 1 MB of `x, ` runs in a bracket): only texts up to 64 KB are read
    again. Past that, libyaml's "found character that cannot start any token" names the
    character as PyYAML does, with the same hint, at the same place; and each text is
    judged alone, whatever was read before it (the resident process reads fewer files
    than a cold build)."""
    padding = "# " + "x" * (64 * 1024) + "\n"
    for text, line in ((TAB_ERROR, 3), (padding + TAB_ERROR, 4)):
        error = syntax_error(text)
        assert error.message == (
            "YAML syntax error: found character '\\t' that cannot start any token "
            "(while scanning for the next token)"
        )
        assert error.hint == "indent with spaces, not tabs"
        assert (error.source.line, error.source.column) == (line, 1)
    large = syntax_error(padding + "name: x\nmapping: a: b\n")
    assert "mapping values are not allowed in this context" in large.message  # libyaml's
    filler = "# " + "x" * (60 * 1024) + "\n"
    first = syntax_error(filler + "name: x\nmapping: a: b\n").message
    for _ in range(10):
        syntax_error(filler + TAB_ERROR)
    assert syntax_error(filler + "name: x\nmapping: a: b\n").message == first
    assert "mapping values are not allowed here" in first  # PyYAML's


def test_a_bracket_left_open_to_the_end_says_so_in_libyaml_s_words_too():
    """libyaml does not say "<stream end>": a bracket open to the end of a text over 64 KB
    was said to run on to a line after the file's last."""
    padding = "# " + "x" * (64 * 1024) + "\n"
    error = syntax_error(padding + "name: x\nprograms: [iop,\n")
    assert (error.source.line, error.source.column) == (3, 11)
    assert "read on to the end of the file as part of it" in error.message
    error = syntax_error(padding + "name: x\nprograms: [iop,\n", line_offset=1)
    assert "read on to the end of the front matter as part of it" in error.message


@pytest.mark.parametrize("text", ["a:\n  b: 1\n\tc: 2\n", "a: |\n\tx\n"])
def test_a_tab_past_64_kb_gets_the_tab_hint_in_libyaml_s_words_too(text):
    """libyaml says "found a tab character that violates indentation" or "... where an
    indentation space is expected", which had no hint of their own (a fresh tester)."""
    error = syntax_error("# " + "x" * (64 * 1024) + "\n" + text)
    assert "tab character" in error.message
    assert error.hint == "indent with spaces, not tabs"
