"""Item 12 of issue 12: the output does not depend on the machine, and no control
character reaches the deploy's files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import built_once, edit, line_of, run_bounded, snapshot


def test_outside_git_the_sitemap_is_the_same_in_every_time_zone(example_site, monkeypatch):
    """Files dated 23:30 UTC are dated that day in Los Angeles and in Kiritimati (UTC+14,
    already the next day there): real build processes, no git."""
    moment = 1767310200  # 2026-01-01 23:30 UTC
    for path in example_site.rglob("*"):
        os.utime(path, (moment, moment), follow_symlinks=False)
    sitemaps = {}
    for zone in ("America/Los_Angeles", "Pacific/Kiritimati"):
        monkeypatch.setenv("TZ", zone)
        out = example_site / f"public-{zone.split('/')[1].lower()}"
        run = run_bounded(example_site, "--out", str(out), limit=60)
        assert run.code == 0, run.err
        sitemaps[zone] = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemaps["America/Los_Angeles"] == sitemaps["Pacific/Kiritimati"]
    assert "<lastmod>2026-01-01</lastmod>" in sitemaps["Pacific/Kiritimati"]


@pytest.mark.parametrize(
    ("written", "shown", "said"),
    [
        ("\\0", "NUL", "holds the invisible character U+0000"),
        ("\\e", "ESC", "holds the invisible character U+001B"),
        ("\\r", "CR", "is not a plain path"),
    ],
)
def test_an_alias_with_a_control_character_never_reaches_redirects(
    example_site: Path, build_cli, written: str, shown: str, said: str
) -> None:
    before = built_once(example_site, build_cli)
    name = "content/programs/intensive-outpatient-program.md"
    text = edit(example_site, name, "\ntitle:", f'\naliases: ["/old{written}iop/"]\ntitle:')
    run = run_bounded(example_site, limit=60)
    assert run.code == 1
    assert f"{name}:{line_of(text, 'aliases:')}" in run.err
    assert said in run.err
    assert snapshot(example_site / "public") == before
