"""sitegen.frontmatter: splitting '---' front matter from the body, with file line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import SiteError, SourceRef
from sitegen.load.frontmatter import split_front_matter
from sitegen.load.textfiles import read_text

SOURCE = SourceRef("content/pages/about.md")


def refused(text: str) -> SiteError:
    with pytest.raises(SiteError) as info:
        split_front_matter(text, SOURCE)
    return info.value


def test_body_line_is_the_line_after_the_closing_fence():
    parsed = split_front_matter("---\ntitle: About\ndescription: d\n---\nFirst line.\n", SOURCE)
    assert parsed.body_line == 5
    assert parsed.body == "First line.\n"


def test_meta_has_the_fields_and_their_file_lines():
    parsed = split_front_matter("---\ntitle: About\ndescription: d\n---\nText\n", SOURCE)
    assert parsed.meta.data == {"title": "About", "description": "d"}
    assert parsed.meta.key_marks[("title",)] == (2, 1)
    assert parsed.meta.ref(("description",)) == SourceRef(SOURCE.path, 3, 1)


def test_meta_ref_of_a_missing_field_is_line_1_of_the_file():
    parsed = split_front_matter("---\ntitle: About\n---\n", SOURCE)
    assert parsed.meta.ref(("description",)) == SourceRef(SOURCE.path, 1)


def test_body_may_be_empty():
    parsed = split_front_matter("---\ntitle: About\n---", SOURCE)
    assert parsed.body == ""
    assert parsed.body_line == 4


def test_a_later_fence_in_the_body_is_part_of_the_body():
    parsed = split_front_matter("---\ntitle: A\n---\nabove\n---\nbelow\n", SOURCE)
    assert parsed.body == "above\n---\nbelow\n"


def test_empty_front_matter_is_an_empty_mapping_at_line_1():
    parsed = split_front_matter("---\n---\nBody\n", SOURCE)
    assert parsed.meta.data == {}
    assert parsed.meta.ref() == SourceRef(SOURCE.path, 1)
    assert parsed.body_line == 3
    assert parsed.body == "Body\n"


def test_front_matter_of_only_blank_lines_is_empty():
    parsed = split_front_matter("---\n\n\n---\nBody", SOURCE)
    assert parsed.meta.data == {}
    assert parsed.body_line == 5


def test_three_dots_close_the_front_matter():
    parsed = split_front_matter("---\ntitle: About\n...\nBody\n", SOURCE)
    assert parsed.meta.data == {"title": "About"}
    assert parsed.body == "Body\n"
    assert parsed.body_line == 4


def test_fences_may_have_trailing_spaces():
    parsed = split_front_matter("--- \ntitle: About\n---  \nBody", SOURCE)
    assert parsed.meta.data == {"title": "About"}
    assert parsed.body_line == 4


@pytest.mark.parametrize(
    "text",
    ["title: About\n---\nBody\n", "", "\n---\ntitle: A\n---\n", "Just text.\n"],
    ids=["fields-without-fence", "empty-file", "blank-first-line", "no-front-matter"],
)
def test_file_without_an_opening_fence_is_refused_at_line_1(text):
    error = refused(text)
    assert error.message == "the file does not start with front matter"
    assert error.source == SourceRef(SOURCE.path, 1)
    assert "start the file with a line '---'" in error.hint


@pytest.mark.parametrize("text", ["---\ntitle: About\n\nBody\n", "---\n", "---"])
def test_unclosed_front_matter_is_refused_at_line_1(text):
    error = refused(text)
    assert error.message == "the front matter is not closed"
    assert error.source == SourceRef(SOURCE.path, 1)
    assert "add a line '---' after the last front matter field" in error.hint


def test_front_matter_that_is_a_list_is_refused_at_line_2():
    error = refused("---\n- title: About\n- description: d\n---\nBody\n")
    assert error.message == "front matter must be a list of 'field: value' lines"
    assert error.source == SourceRef(SOURCE.path, 2)


def test_front_matter_that_is_plain_text_is_refused():
    error = refused("---\nAbout us\n---\nBody\n")
    assert "front matter must be" in error.message


def test_yaml_error_in_front_matter_is_at_the_line_of_the_file():
    error = refused("---\ntitle: About\ndescription: a: b\n---\nBody\n")
    assert error.source == SourceRef(SOURCE.path, 3, 15)
    assert "mapping values are not allowed" in error.message


def test_block_scalar_text_start_line_is_a_file_line():
    parsed = split_front_matter("---\ntitle: A\nbanner: |\n  Text\n---\n", SOURCE)
    assert parsed.meta.text_start_line(("banner",)) == 4


# --- through read_text: line endings and byte order mark -------------------------------------


def read(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "content" / "pages" / "about.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    return read_text(path, tmp_path)


def test_crlf_file_splits_like_lf_and_has_no_carriage_returns(tmp_path):
    text = read(tmp_path, b"---\r\ntitle: About\r\ndescription: d\r\n---\r\nLine 1\r\nLine 2\r\n")
    parsed = split_front_matter(text, SOURCE)
    assert parsed.meta.data == {"title": "About", "description": "d"}
    assert parsed.body == "Line 1\nLine 2\n"
    assert parsed.body_line == 5
    assert "\r" not in parsed.body


def test_crlf_file_keeps_line_numbers_of_errors(tmp_path):
    text = read(tmp_path, b"---\r\ntitle: About\r\ntitle: Again\r\n---\r\n")
    with pytest.raises(SiteError) as info:
        split_front_matter(text, SOURCE)
    assert info.value.source == SourceRef(SOURCE.path, 3, 1)


def test_utf8_bom_before_the_fence_is_ignored(tmp_path):
    text = read(tmp_path, "\ufeff---\ntitle: Caf\u00e9\n---\nBody\n".encode())
    parsed = split_front_matter(text, SOURCE)
    assert parsed.meta.data == {"title": "Caf\u00e9"}
    assert parsed.meta.key_marks[("title",)] == (2, 1)
    assert parsed.body_line == 4


def test_utf8_bom_with_crlf(tmp_path):
    text = read(tmp_path, b"\xef\xbb\xbf---\r\ntitle: About\r\n---\r\nBody\r\n")
    parsed = split_front_matter(text, SOURCE)
    assert parsed.meta.data == {"title": "About"}
    assert parsed.body == "Body\n"
