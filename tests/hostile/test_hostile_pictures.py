"""The picture pipeline under hostile data: site.yaml's slots, the sources in assets/ and
the image cache. Each case is a real build process (run_bounded): a clear error at the
value, or a safe build, never a traceback, a hang or a leak."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_bounded

CONTENT_SLOT = '    content: "(min-width: 48rem) 720px, calc(100vw - 40px)"'


def _with_content_sizes(site: Path, sizes: str) -> None:
    path = site / "site.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(CONTENT_SLOT) == 1
    quoted = "'" + sizes.replace("'", "''") + "'"
    path.write_text(text.replace(CONTENT_SLOT, f"    content: {quoted}"), encoding="utf-8")


@pytest.mark.parametrize(
    "sizes",
    [
        "max(" * 10_000 + "1px" + ")" * 10_000,
        "calc(" * 400 + "1px" + ")" * 400,
        "1e400px",
        "calc(1e400px - 1e400px)",
        "calc(1e300px * 1e300)",
        "max(1e308px, 1px)",
        "calc(100vw * 1e9)",
        "(min-width: 1px) 10px, " * 45_000 + "5px",
    ],
    ids=["max 10000 deep", "calc 400", "1e400px", "NaN", "overflow", "1e308px", "1e9vw", "1MB"],
)
def test_a_slot_whose_sizes_cannot_be_judged_is_an_error_at_its_line(example_site, sizes):
    _with_content_sizes(example_site, sizes)
    run = run_bounded(example_site, limit=60)
    assert run.code == 1, f"exit {run.code}\n{run.out}\n{run.err}"
    assert "error: site.yaml:54:5: 'images.slots.content'" in run.err, run.err
    assert "is not a sizes value the build can read" in run.err
    assert len(run.err) < 2_000, "the error repeats the hostile value"
    assert run.seconds < 30
    assert not (example_site / "public").exists()
