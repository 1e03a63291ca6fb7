"""sitegen.textfiles: reading UTF-8 sources; a bad byte is reported at its line and column."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.errors import SiteError, SourceRef
from sitegen.filestats import read_capped
from sitegen.load.textfiles import read_text
from sitegen.model.limits import MAX_SOURCE_BYTES

NAME = "content/locations/springfield.yaml"


def write(root: Path, data: bytes) -> Path:
    path = root / NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def refused(root: Path, data: bytes) -> SiteError:
    with pytest.raises(SiteError) as info:
        read_text(write(root, data), root)
    return info.value


def test_utf8_text_is_returned_unchanged(tmp_path):
    text = "name: Caf\u00e9\ncity: Z\u00fcrich\n"
    assert read_text(write(tmp_path, text.encode()), tmp_path) == text


def test_latin1_byte_is_reported_at_its_line_and_column(tmp_path):
    error = refused(tmp_path, b"name: A\ncity: Caf\xe9\n")
    assert error.source == SourceRef(NAME, 2, 10)
    assert error.message == "file is not UTF-8 text (byte 0xe9 cannot be decoded)"
    assert "save the file as UTF-8" in error.hint


def test_bad_byte_on_the_first_line_at_column_1(tmp_path):
    error = refused(tmp_path, b"\xffname: A\n")
    assert error.source == SourceRef(NAME, 1, 1)
    assert "0xff" in error.message


def test_bad_byte_in_a_crlf_file_has_the_same_line_and_column(tmp_path):
    error = refused(tmp_path, b"name: A\r\nstate: IL\r\ncity: \x92x\r\n")
    assert error.source == SourceRef(NAME, 3, 7)
    assert "0x92" in error.message


def test_error_path_is_relative_to_the_root_with_forward_slashes(tmp_path):
    error = refused(tmp_path, b"\x80")
    assert error.source.path == NAME
    assert str(error.source) == f"{NAME}:1:1"


def test_bad_byte_column_counts_characters_not_bytes(tmp_path):
    # "caf\u00e9 " is 5 characters but 6 bytes; editors show the bad byte at character column 12.
    error = refused(tmp_path, "city: caf\u00e9 ".encode() + b"\xff\n")
    assert error.source == SourceRef(NAME, 1, 12)


def test_crlf_and_lone_cr_become_lf(tmp_path):
    assert read_text(write(tmp_path, b"a\r\nb\rc\n"), tmp_path) == "a\nb\nc\n"


def test_byte_order_mark_is_removed(tmp_path):
    assert read_text(write(tmp_path, b"\xef\xbb\xbfname: A\n"), tmp_path) == "name: A\n"


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_read_capped_gives_the_file_up_to_one_byte_past_the_limit(tmp_path, size):
    path = tmp_path / "f"
    path.write_bytes(bytes(range(256)) * 20)
    path.write_bytes(path.read_bytes()[:size])
    with path.open("rb") as file:
        assert read_capped(file, 100) == path.read_bytes()[:101]


def test_read_capped_reads_on_past_the_size_fstat_gave(tmp_path):
    """A pipe (and a /proc file) has no size: what it holds is read all the same, up to
    the limit and a byte."""
    for written, limit in ((b"x" * 50, 100), (b"y" * 500, 100)):
        reader, writer = os.pipe()
        os.write(writer, written)
        os.close(writer)
        with open(reader, "rb") as file:
            assert read_capped(file, limit) == written[: limit + 1]
    with open("/proc/self/status", "rb") as file:
        assert read_capped(file, 1 << 20).startswith(b"Name:")


def test_a_source_file_over_the_limit_is_refused_having_read_only_that_much(tmp_path):
    error = refused(tmp_path, b"#" * (MAX_SOURCE_BYTES + 1))
    assert error.source == SourceRef(NAME)
    assert "larger than 2 MB" in error.message
    assert read_text(write(tmp_path, b"#" * MAX_SOURCE_BYTES), tmp_path) == "#" * MAX_SOURCE_BYTES
