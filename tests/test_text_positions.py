"""Editors' mistakes that the build must report at the line where they are written, on the
minimal site through the command line: a variable in a YAML text folded over several lines
(`>`, `|`, a plain value), a level-1 heading inside a list or a quote, an alias that names
a file of the build."""

from __future__ import annotations

import pytest
from test_bad_input import assert_refused, built_once, edit, line_of

LOCATION = "content/locations/springfield.yaml"
PROGRAM = "content/programs/day-program.md"
LOCAL = "content/locations/springfield/day-program.md"

# --- a level-1 heading in a list item, a quote, a footnote, or underlined ---------------


@pytest.mark.parametrize(
    ("written", "needle"),
    [
        ("- One\n- # Second heading\n", "# Second"),
        ("1. One\n2. # Second heading\n", "# Second"),
        ("> Quoted.\n> # Second heading\n", "# Second"),
        ("===\n\nSecond heading\n==============\n", "Second heading"),
        ("> Second heading\n> ===\n", "Second heading"),
        ("Note.[^1]\n\n[^1]: # Second heading\n", "[^1]: #"),
    ],
    ids=["list item", "ordered list item", "quote", "setext", "setext in a quote", "footnote"],
)
def test_a_level_one_heading_anywhere_in_a_body_is_reported_at_its_line(
    minimal_site, build_cli, written, needle
):
    before = built_once(minimal_site, build_cli)
    text = edit(minimal_site, PROGRAM, "Text.\n", f"Text.\n\n{written}")
    assert_refused(
        minimal_site,
        build_cli,
        before,
        f"error: {PROGRAM}:{line_of(text, needle)}: a level-1 heading in this text makes a "
        "second <h1> on its pages",
    )
