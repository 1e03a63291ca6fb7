"""sitegen.load.yamlfile's limits: alias bombs, recursive aliases and merges, deep nesting,
each an error at its place in the file; and load.textfiles' cap on a source file's size."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sitegen.errors import SiteError, SourceRef
from sitegen.load import yamlfile
from sitegen.load.textfiles import read_text
from sitegen.load.yamlfile import parse_yaml
from sitegen.model.limits import (
    MAX_SOURCE_BYTES,
    MAX_YAML_ALIAS_NODES,
    MAX_YAML_DEPTH,
    MAX_YAML_VALUES,
)

FILE = SourceRef("content/locations/x.yaml")


def laughs(levels: int) -> str:
    """The "billion laughs": each level a list of nine aliases of the level before."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def error_of(text: str) -> SiteError:
    with pytest.raises(SiteError) as info:
        parse_yaml(text, FILE)
    return info.value


def test_aliases_that_repeat_a_value_are_fine():
    doc = parse_yaml("a: &x [1, 2]\nb: *x\nc: {<<: &m {k: 1}, j: 2}\nd: {<<: *m}\n", FILE)
    assert doc.data == {"a": [1, 2], "b": [1, 2], "c": {"k": 1, "j": 2}, "d": {"k": 1}}


def test_an_alias_bomb_is_an_error_at_the_list_that_passes_the_limit():
    assert len(str(parse_yaml(laughs(4), FILE).data)) > 0  # 9**4 = 6,561 values: allowed
    error = error_of(laughs(9))
    assert error.message == f"aliases (*name) make more than {MAX_YAML_ALIAS_NODES:,} values here"
    assert error.source is not None and error.source.line == 5  # 9**5 passes the limit
    assert error.source.column == 5


def test_a_merge_bomb_is_an_error():
    text = "m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}\n" + "".join(
        f"m{n}: &m{n} {{<<: [" + ", ".join([f"*m{n - 1}"] * 9) + "]}\n" for n in range(1, 9)
    )
    try:  # PyYAML 6.0.2 on merges a mapping once however often it is named
        parse_yaml(text, FILE)
    except SiteError as error:
        assert "make more than" in error.message


@pytest.mark.parametrize(
    ("text", "message", "place"),
    [
        ("a: &a [*a]\n", "this alias contains itself (a recursive alias)", (1, 4)),
        ("a: &a {b: [1, {c: *a}]}\n", "this alias contains itself (a recursive alias)", (1, 16)),
        ("a: &a {<<: *a}\n", "this mapping merges itself (<<:), or merges nest too deeply", (1, 4)),
    ],
)
def test_a_recursive_alias_is_an_error_at_its_place(text, message, place):
    error = error_of(text)
    assert (error.message, error.source) == (message, FILE.at(*place))


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 200 + "]" * 200,
        "a: " + "[" * 5000 + "]" * 5000,  # past libyaml's own limit (1,000)
        "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v: 1\n",
        "a:\n" + "".join("  " * i + "-\n" for i in range(1, 100)),
    ],
)
def test_nesting_deeper_than_the_limit_is_an_error_at_the_value_too_deep(text):
    error = error_of(text)
    assert f"values nest more than {MAX_YAML_DEPTH} levels deep" in error.message
    assert error.source is not None and error.source.line is not None
    assert error.hint == "nest lists and mappings less deeply"


def test_nesting_up_to_the_limit_is_fine():
    depth = MAX_YAML_DEPTH - 1
    assert parse_yaml("a: " + "[" * depth + "]" * depth, FILE).data is not None


def test_deep_nesting_is_an_error_with_python_s_own_parser_too(monkeypatch):
    monkeypatch.setattr(yamlfile, "_Loader", yamlfile._PyLoader)
    error = error_of("a: " + "[" * 2000 + "]" * 2000)
    assert error.message == f"YAML syntax error: values nest more than {MAX_YAML_DEPTH} levels deep"


def test_a_source_file_larger_than_the_cap_is_an_error_without_reading_it_all(tmp_path):
    big = tmp_path / "content" / "programs" / "big.md"
    big.parent.mkdir(parents=True)
    with big.open("wb") as file:
        file.truncate(MAX_SOURCE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(SiteError) as info:
        read_text(big, tmp_path)
    assert info.value.source == SourceRef("content/programs/big.md")
    assert info.value.message == "file is larger than 2 MB, the most a source file may have"
    (tmp_path / "ok.md").write_bytes(b"x" * MAX_SOURCE_BYTES)
    assert len(read_text(tmp_path / "ok.md", tmp_path)) == MAX_SOURCE_BYTES


def test_a_text_of_the_most_values_is_read_and_one_more_is_an_error_at_that_value():
    """Each scalar, list, mapping and alias is a value: the root mapping, its key and its
    list make 3, the list's items the rest (a line each, so that the place is a line)."""
    most = "items:\n" + "".join(f"- {n}\n" for n in range(MAX_YAML_VALUES - 3))
    assert len(parse_yaml(most, FILE).data["items"]) == MAX_YAML_VALUES - 3
    error = error_of(most + "- one more\n")
    assert error.message == f"this YAML has more than {MAX_YAML_VALUES:,} values"
    assert error.source is not None
    assert (error.source.line, error.source.column) == (MAX_YAML_VALUES - 1, 3)
    assert error.hint is not None and "split them" in error.hint


@pytest.mark.parametrize(
    "value",
    [
        "[" + ("[" * 60 + "a" + "]" * 60 + ", ") * 8_000 + "]",  # a million values, nested
        "{" + ", ".join(f"k{n}: [a, b]" for n in range(40_000)) + "}",  # pairs and lists
        "[" + "a: b, " * 40_000 + "]",  # a pair in a flow list: two values of one ':'
        "&a [x, y]\n" + "".join(f"k{n}: *a\n" for n in range(110_000)),  # aliases
    ],
    ids=["nested lists", "flow mapping", "pairs in a list", "aliases"],
)
def test_values_past_the_limit_are_an_error_in_any_form(value):
    error = error_of(f"name: x\nitems: {value}\n")
    assert error.message == f"this YAML has more than {MAX_YAML_VALUES:,} values"


def test_values_past_the_limit_in_front_matter_are_placed_in_the_file():
    lines = "".join(f"- {n}\n" for n in range(MAX_YAML_VALUES))
    with pytest.raises(SiteError) as info:
        parse_yaml("items:\n" + lines, FILE, line_offset=1)
    assert info.value.source is not None
    assert info.value.source.line == MAX_YAML_VALUES - 1 + 1


def test_without_libyaml_values_past_the_limit_are_an_error_and_deep_nesting_too(monkeypatch):
    """PyYAML's own parser reads the events when libyaml is missing; a text nested past the
    depth limit is left to its composer, which stops at the limit (its scanner slows with
    the square of the depth: 100,000 levels would take minutes)."""
    monkeypatch.setattr(yamlfile, "_Loader", yamlfile._PyLoader)
    error = error_of("items:\n" + "".join(f"- {n}\n" for n in range(MAX_YAML_VALUES)))
    assert error.message == f"this YAML has more than {MAX_YAML_VALUES:,} values"
    error = error_of("a: " + "[" * 60_000 + "]" * 60_000)
    assert error.message == f"YAML syntax error: values nest more than {MAX_YAML_DEPTH} levels deep"


def test_of_nesting_too_deep_and_too_many_values_the_first_in_the_text_is_reported():
    deep = "a: " + "[" * 70 + "]" * 70 + "\n"
    many = "b: [" + "x, " * (MAX_YAML_VALUES + 10) + "]\n"
    assert "levels deep" in error_of(deep + many).message
    assert "more than 100,000 values" in error_of(many + deep).message


@pytest.mark.parametrize(
    "text",
    [
        "title: x\nitems:\n  " + "- " * 200_000 + "x\n",  # backtracked; crashed libyaml 0.2.5
        "".join(f"k{n:014d}: v #c\n" for n in range(40_000)),  # each cut compared with all
        "".join(f"k{n}: a\n  b\n" for n in range(30_000)),  # the text split for each value
        "".join(f"k{n}: |\n  a\n  b\n" for n in range(20_000)),
        "".join(f"k{n}: x\u2028j{n}: y\n" for n in range(20_000)),  # split for each key
    ],
    ids=["a line of 200,000 dashes", "cut by comments", "plain", "blocks", "line separators"],
)
def test_long_lines_and_many_values_are_read_in_linear_time(text):
    """Each took minutes to hours (found by a fresh tester): a step of the error path or
    of the marks was done again for each line or value, over the whole text. Read in a
    process of its own, which must end within 60 s (about 1 s now)."""
    script = (
        "import sys\n"
        "from sitegen.errors import BuildFailed, SiteError, SourceRef\n"
        "from sitegen.load.yamlfile import parse_yaml\n"
        "try:\n"
        "    parse_yaml(sys.stdin.read(), SourceRef('x.md'), line_offset=1)\n"
        "except (SiteError, BuildFailed):\n"
        "    pass\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=text, text=True, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
