"""load.kept.Records.forget: the records of changed files and of everything under changed
folders go; the others stay (what PurePath.is_relative_to says, with no prefix mistaken
for a folder)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from sitegen.load.kept import Records

NAMES = [
    "site.yaml",
    "content/locations/oak.yaml",
    "content/locations/oak-2.yaml",
    "content/locations/oak/iop.md",
    "content/locations/oak/php.md",
    "content/locations/oakland/iop.md",
    "content/locations-old/oak.yaml",
    "content/programs/iop.md",
    "content/pages/café/menu.md",
    "content/pages/caf/é.md",
]
CHANGED = [
    "content/locations/oak",
    "content/locations/oak.yaml",
    "content/locations",
    "content/loc",
    "content/pages/caf",
    "content/pages/café",
    "content",
    "content/programs/iop.md",
    "site.yaml",
    "gone.md",
]


@pytest.mark.parametrize("root", [Path("/srv/site"), Path("site"), Path("/")])
@pytest.mark.parametrize("changed", list(itertools.combinations(CHANGED, 2)))
def test_forget_drops_what_is_relative_to_a_changed_path_and_nothing_else(root, changed):
    records = Records()
    for name in NAMES:
        records.put(root / name, name)
    paths = {root / name for name in changed}
    records.forget(paths)
    expected = [
        name
        for name in NAMES
        if not any((root / name) == p or (root / name).is_relative_to(p) for p in paths)
    ]
    assert [name for name in NAMES if records.get(root / name) is not None] == expected
