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
    assert names == {"a.md", "b.md", "c.md"} and len(links) == 1
    changed = through_links({str(target)}, links)
    assert {os.path.basename(p) for p in changed} == {"text.md", "a.md", "b.md", "c.md"}
    assert through_links({str(content / "pages/plain.md")}, links) == {
        str(content / "pages/plain.md")
    }
    assert target_folders(links, [content.resolve()]) == {os.path.realpath(shared)}
    assert target_folders(links, [content.resolve(), shared.resolve()]) == set()
