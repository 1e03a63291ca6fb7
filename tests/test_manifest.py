"""sitegen.manifest: what a build records about its pages for `check`, written only by a
build that reached the output, and read only when it has the shape this version writes."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from sitegen.cache import cache_path
from sitegen.manifest import MANIFEST, load_manifest


def test_a_build_records_each_pages_source(minimal_site: Path, build_cli) -> None:
    out = minimal_site / "public"
    assert build_cli(minimal_site).code == 0
    manifest = load_manifest(out)
    assert manifest is not None
    home = manifest["/"]
    assert home.source == "content/pages/index.md" and home.group is None
    [at_location] = [u for u, s in manifest.items() if s.local_text]
    assert manifest[at_location].group is not None
    assert manifest[at_location].terms  # the location's names, for the doorway test


def test_a_failed_build_leaves_the_manifest_of_the_last_good_one(
    minimal_site: Path, build_cli
) -> None:
    out = minimal_site / "public"
    assert build_cli(minimal_site).code == 0
    before = cache_path(out, MANIFEST).read_bytes()
    layout = minimal_site / "layouts/page.html"
    layout.write_text(layout.read_text().replace("{{ page.content }}", "{{ page.nope }}"))
    page = minimal_site / "content/pages/index.md"
    page.write_text(page.read_text().replace("---\n", "---\nnoindex: true\n", 1))
    assert build_cli(minimal_site).code == 1  # fails in rendering, after the site files
    assert cache_path(out, MANIFEST).read_bytes() == before


@pytest.mark.parametrize(
    "data",
    [
        {"/": (1, 2)},
        {1: ("content/pages/index.md", 1, False, None, (), None)},
        {"/": ("content/pages/index.md", 1, "no", None, (), None)},
        {"/": ("content/pages/index.md", 1, False, None, (1, 2), None)},
        ["not", "a", "dict"],
    ],
)
def test_a_manifest_of_another_shape_is_not_read(tmp_path: Path, data: object) -> None:
    out = tmp_path / "public"
    out.mkdir()
    path = cache_path(out, MANIFEST)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(marshal.dumps(data))
    assert load_manifest(out) is None


def test_the_stamp_memo_gives_the_stamp_of_the_manifest_it_is_given(monkeypatch) -> None:
    """StampMemo (a resident process's, the dev server's): the last stamp for an equal
    manifest, a new one for any other, never the stamp of what the caller changed since."""
    from sitegen import manifest as module

    memo = module.StampMemo()
    page = ("content/programs/a.md", 1, False, "a", ("Oak", "Reno"), "x.md", "oak.yaml")
    first = {"/a/": page, "/b/": (*page[:4], ("Elm",), *page[5:])}
    stamped: list[dict] = []
    real = module.manifest_stamp
    monkeypatch.setattr(module, "manifest_stamp", lambda m: stamped.append(m) or real(m))
    assert memo.stamp_of(first) == real(first) and len(stamped) == 1
    same = {url: tuple(values) for url, values in first.items()}  # equal, other objects
    assert memo.stamp_of(same) == real(first) and len(stamped) == 1
    first["/b/"] = page  # the caller changes the manifest it gave: the memo kept a copy
    assert memo.stamp_of(first) == real(first) != real(same) and len(stamped) == 2
    fewer = {"/a/": page}
    assert memo.stamp_of(fewer) == real(fewer) and len(stamped) == 3
