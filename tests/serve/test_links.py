"""The watcher's view of source files that are links: which targets to watch, and which
links a change of a target stands for."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.serve.links import linked_files, target_folders, through_links


def test_a_change_of_a_target_is_a_change_of_every_link_to_it(tmp_path: Path) -> None:
    content, shared = tmp_path / "content", tmp_path / "shared"
    (content / "pages").mkdir(parents=True)
    shared.mkdir()
    target = shared / "text.md"
    target.write_text("x")
    (content / "pages/a.md").symlink_to(target)
    (content / "pages/b.md").symlink_to("../../shared/text.md")
    (content / "pages/c.md").symlink_to(content / "pages/a.md")  # a chain of links
    (content / "pages/broken.md").symlink_to(tmp_path / "nowhere.md")
    (content / "pages/plain.md").write_text("y")
    links = linked_files([content])
    names = {os.path.basename(p) for p in links[os.path.realpath(target)]}
    assert names == {"a.md", "b.md", "c.md"}
    changed = through_links({str(target)}, links)
    assert {os.path.basename(p) for p in changed} == {"text.md", "a.md", "b.md", "c.md"}
    assert through_links({str(content / "pages/plain.md")}, links) == {
        str(content / "pages/plain.md")
    }
    real = os.path.realpath(tmp_path)
    assert target_folders(links, [content.resolve()]) == {os.path.realpath(shared), real}
    assert target_folders(links, [content.resolve(), shared.resolve(), Path(real)]) == set()


def test_a_target_that_comes_later_is_watched_from_the_start(tmp_path: Path) -> None:
    """A link made before its target: the target's folder is watched, and its coming is
    a change of the link (the preview never showed it: found by a fresh tester)."""
    content, outside = tmp_path / "content", tmp_path / "outside"
    (content / "pages").mkdir(parents=True)
    outside.mkdir()
    (content / "pages/d.md").symlink_to(outside / "d.md")
    links = linked_files([content])
    assert target_folders(links, [content.resolve()]) == {os.path.realpath(outside)}
    changed = through_links({os.path.join(os.path.realpath(outside), "d.md")}, links)
    assert str(content / "pages/d.md") in changed


def test_a_link_on_the_way_pointed_elsewhere_is_a_change_of_the_source_file(
    tmp_path: Path,
) -> None:
    """content/pages/e.md -> outside/e-link.md -> other/e1.md: re-pointing e-link.md was
    never seen, since only e1.md's folder was looked at for e1.md."""
    content, outside, other = tmp_path / "content", tmp_path / "outside", tmp_path / "other"
    (content / "pages").mkdir(parents=True)
    outside.mkdir()
    other.mkdir()
    (other / "e1.md").write_text("1")
    (other / "e2.md").write_text("2")
    (outside / "e-link.md").symlink_to(other / "e1.md")
    (content / "pages/e.md").symlink_to(outside / "e-link.md")
    links = linked_files([content])
    folders = target_folders(links, [content.resolve()])
    assert folders == {os.path.realpath(outside), os.path.realpath(other)}
    middle = os.path.join(os.path.realpath(outside), "e-link.md")
    assert str(content / "pages/e.md") in through_links({middle}, links)
    (outside / "e-link.md").unlink()
    (outside / "e-link.md").symlink_to(other / "e2.md")
    links = linked_files([content])  # as the watcher reads them again after the change
    changed = through_links({os.path.join(os.path.realpath(other), "e2.md")}, links)
    assert str(content / "pages/e.md") in changed


def test_a_loop_of_links_ends(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").symlink_to(content / "b.md")
    (content / "b.md").symlink_to(content / "a.md")
    links = linked_files([content])
    assert set(links) <= {os.path.join(os.path.realpath(content), n) for n in ("a.md", "b.md")}
