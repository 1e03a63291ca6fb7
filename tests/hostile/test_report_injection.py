"""What an editor or a pull request writes reaches the build's report (an address in an
error, a field's value): printed on a terminal or in a CI log, it can neither rewrite the
terminal (ESC sequences) nor start a line GitHub Actions reads as a workflow command."""

from __future__ import annotations

from pathlib import Path

from conftest import run_bounded, write_files


def test_control_characters_in_a_link_are_printed_as_escapes(minimal_site: Path) -> None:
    """Links are percent-decoded to be judged: %1b is ESC, %0a a newline."""
    links = "[red](/x%1b[31mred/) and [cmd](/y%0a::error%20title=pwned::z/)"
    write_files(
        minimal_site,
        {"content/pages/about.md": f"---\ntitle: About\ndescription: A.\n---\nSee {links}.\n"},
    )
    run = run_bounded(minimal_site)
    assert run.code == 1
    assert "broken-link" in run.err and "\\x1b[31mred" in run.err
    assert "\x1b" not in run.err and "\x00" not in run.err
    assert not any(line.lstrip().startswith("::") for line in run.err.splitlines())
    assert "/y\\n::error title=pwned::z/" in run.err


def test_the_github_format_escapes_them_too(minimal_site: Path) -> None:
    write_files(
        minimal_site,
        {"content/pages/about.md": "---\ntitle: About\ndescription: A.\n---\n[x](/x%1b[2J/)\n"},
    )
    run = run_bounded(minimal_site, "--check", "--format", "github")
    assert run.code == 1
    assert "::error file=content/pages/about.md,line=5" in run.out
    assert "\x1b" not in run.out + run.err and "\\x1b[2J" in run.out


def test_a_pictures_name_in_the_build_summary_is_printed_inert(
    minimal_site: Path, tmp_path: Path
) -> None:
    """The summary names the slowest pictures encoded: a file name is an editor's too. (A
    name with a control character is refused: test_active_assets.)"""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    name = "::error title=pwn::x\u202eR.png"
    (minimal_site / "assets/images" / name).write_bytes(buffer.getvalue())
    run = run_bounded(minimal_site, "--image-cache", str(tmp_path / "images"))
    output = run.out + run.err
    assert "Pictures:" in run.out and "x\\u202eR.png" in run.out
    assert "\u202e" not in output
    assert not any(line.lstrip().startswith("::") for line in output.splitlines())


def test_invisible_and_bidirectional_characters_are_printed_as_escapes(
    minimal_site: Path,
) -> None:
    """`summ<U+200B>ary:` printed raw read "unknown field 'summary', did you mean
    'summary'?"; a right-to-left override turned the rest of the line around in the
    terminal and in a CI log (found by a fresh tester)."""
    location = (minimal_site / "content/locations/springfield.yaml").read_text()
    write_files(
        minimal_site,
        {
            "content/locations/springfield.yaml": location.replace(
                "city: Springfield", "city: Springfield\nsumm\u200bary: x\nsum\u202emary: y"
            )
        },
    )
    run = run_bounded(minimal_site)
    assert run.code == 1
    assert "unknown field 'summ\\u200bary'" in run.err
    assert "unknown field 'sum\\u202emary'" in run.err
    assert "\u200b" not in run.err and "\u202e" not in run.err


def test_a_megabyte_value_in_a_message_is_shortened(minimal_site: Path) -> None:
    """A value of 1.5 MB cut by ' #' was quoted whole: one line of 1.5 million
    characters in the terminal, and the same in every page of the preview."""
    location = (minimal_site / "content/locations/springfield.yaml").read_text()
    words = "word " * 300_000
    write_files(
        minimal_site,
        {
            "content/locations/springfield.yaml": location.replace(
                "city: Springfield", f"city: Springfield\nsummary2: {words}#oops"
            )
        },
    )
    run = run_bounded(minimal_site)
    assert run.code == 1
    assert "'#oops' is left out: the value is 'word word" in run.err
    assert "(1,499,999 characters)" in run.err
    assert max(len(line) for line in run.err.splitlines()) < 2_100


def test_a_no_break_space_in_a_key_is_printed_as_an_escape(minimal_site: Path) -> None:
    """`state<U+00A0>: IL` printed "unknown field 'state '", "did you mean 'state'?"."""
    location = (minimal_site / "content/locations/springfield.yaml").read_text()
    write_files(
        minimal_site,
        {"content/locations/springfield.yaml": location.replace("city:", "city\u00a0:")},
    )
    run = run_bounded(minimal_site)
    assert run.code == 1
    assert "unknown field 'city\\u00a0'" in run.err and "\u00a0" not in run.err
