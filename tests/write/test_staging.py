"""sitegen.output: staged writes, atomic replacement, unchanged files left alone, markers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, snapshot
from sitegen.model.project import MARKER
from sitegen.write.staging import Staging


def write(out: Path, files: dict[str, str], build_id: int | None = None):
    staging = Staging(out, build_id)
    staging.begin()
    for path, text in files.items():
        staging.put(path, text.encode())
    return staging.commit(set(files))


def test_first_write_creates_the_folder_with_the_marker(tmp_path):
    out = tmp_path / "public"
    stats = write(out, {"index.html": "home", "a/index.html": "a"})
    assert snapshot(out) == {
        MARKER: (out / MARKER).read_bytes(),
        "a/index.html": b"a",
        "index.html": b"home",
    }
    assert stats.written == 2 and stats.unchanged == 0
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no staging folder left


def test_second_write_replaces_changed_files_and_removes_old_ones(tmp_path):
    out = tmp_path / "public"
    write(out, {"index.html": "home", "old/index.html": "old", "same.html": "same"})
    stats = write(out, {"index.html": "home v2", "same.html": "same", "new/index.html": "new"})
    files = snapshot(out)
    assert files["index.html"] == b"home v2" and files["new/index.html"] == b"new"
    assert "old/index.html" not in files and not (out / "old").exists()
    assert MARKER in files
    assert (stats.written, stats.unchanged, stats.removed) == (2, 1, 1)


def test_unchanged_files_are_not_rewritten(tmp_path):
    out = tmp_path / "public"
    write(out, {"index.html": "home"})
    before = (out / "index.html").stat()
    stats = write(out, {"index.html": "home"})
    after = (out / "index.html").stat()
    assert stats.written == 0 and stats.unchanged == 1
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_changed_file_is_replaced_by_rename_not_rewritten_in_place(tmp_path):
    out = tmp_path / "public"
    write(out, {"index.html": "home"})
    inode = (out / "index.html").stat().st_ino
    write(out, {"index.html": "home v2"})
    assert (out / "index.html").stat().st_ino != inode  # a new file renamed over the old one


def test_abort_leaves_the_previous_output_exactly_as_it_was(tmp_path):
    out = tmp_path / "public"
    write(out, {"index.html": "home", "a/index.html": "a"})
    before = snapshot(out)
    staging = Staging(out)
    staging.begin()
    staging.put("index.html", b"half a build")
    staging.abort()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_failed_build_leaves_output_untouched(minimal_site, build_cli):
    assert build_cli(minimal_site).code == 0
    before = snapshot(minimal_site / "public")
    base = minimal_site / "layouts/base.html"
    base.write_text(base.read_text().replace("{{ page.heading }}", "{{ page.nope }}"))
    assert build_cli(minimal_site).code == 1
    assert snapshot(minimal_site / "public") == before
    assert not list(minimal_site.glob(".public.staging-*"))


def test_build_killed_half_way_leaves_no_half_written_file(minimal_site, build_cli):
    """A build process killed while staging: the output is as before, and the next build
    removes the dead build's staging folder."""
    assert build_cli(minimal_site).code == 0
    before = snapshot(minimal_site / "public")
    script = (
        "import os, sys\n"
        "from sitegen.write import staging as output\n"
        "real_put = output.Staging.put\n"
        "def put(self, path, data):\n"
        "    real_put(self, path, data + b'changed')\n"
        "    os._exit(9)\n"
        "output.Staging.put = put\n"
        "from sitegen.cli import main\n"
        "main(['build', '--root', sys.argv[1], '--jobs', '1', '--no-cache'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run([sys.executable, "-c", script, str(minimal_site)], env=env, check=False)
    assert done.returncode == 9
    assert snapshot(minimal_site / "public") == before
    assert len(list(minimal_site.glob(".public.staging-*"))) == 1
    assert build_cli(minimal_site).code == 0
    assert not list(minimal_site.glob(".public.staging-*"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_or_two_workers_write_the_same_bytes(minimal_site, build_cli, tmp_path, jobs):
    assert build_cli(minimal_site, "--out", str(tmp_path / "one"), "--jobs", "1").code == 0
    assert build_cli(minimal_site, "--out", str(tmp_path / "n"), "--jobs", jobs).code == 0
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "n")


def test_an_empty_folder_made_by_someone_else_is_filled_not_replaced(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    inode = out.stat().st_ino
    write(out, {"index.html": "home"})
    assert out.stat().st_ino == inode  # the same folder, now with our marker in it
    assert (out / MARKER).is_file() and (out / "index.html").read_text() == "home"


def test_a_layout_error_in_worker_processes_is_reported_once(minimal_site, build_cli):
    assert build_cli(minimal_site).code == 0
    before = snapshot(minimal_site / "public")
    base = minimal_site / "layouts/base.html"
    base.write_text(base.read_text().replace("{{ page.heading }}", "{{ page.nope }}"))
    run = build_cli(minimal_site, "--jobs", "2")
    assert run.code == 1
    assert run.err.count("layouts/base.html:") == 1
    assert snapshot(minimal_site / "public") == before
    assert not list(minimal_site.glob(".public.staging-*"))


def test_an_error_in_a_program_text_is_reported_when_workers_render(minimal_site, build_cli):
    program = minimal_site / "content/programs/day-program.md"
    program.write_text(
        program.read_text().replace("Call {{ phone }}.", "Call {{ phone | truncate(1) }}.")
    )
    run = build_cli(minimal_site, "--jobs", "2")
    assert run.code == 1
    assert (
        "error: content/programs/day-program.md:9: error in {{ phone | truncate(1) }}: "
        "expected length >= 3, got 1"
    ) in run.err


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"ins.html/index.html": "a folder"}, {"ins.html": "now a file"}),
        ({"ins.html": "a file"}, {"ins.html/index.html": "now a folder"}),
        ({"a/b/index.html": "deep", "a/c.html": "x"}, {"a": "a file where a folder was"}),
    ],
    ids=["folder to file", "file to folder", "folder of several to file"],
)
def test_a_path_that_turns_from_folder_to_file_or_back_is_committed_whole(tmp_path, before, after):
    """A permalink `/ins.html/` changed to `/ins.html` (or back): the old files go before
    the new ones come, so the commit never stops half-way on 'Is a directory'."""
    out = tmp_path / "public"
    write(out, before)
    write(out, after)
    files = snapshot(out)
    del files[MARKER]
    assert files == {name: text.encode() for name, text in after.items()}


def test_a_large_asset_is_copied_and_compared_in_pieces_not_read_whole(tmp_path, monkeypatch):
    """A 3 GB video in assets/ was read into memory whole (a MemoryError traceback under
    a memory limit): a file over COPY_IN_MEMORY is copied and compared in pieces."""
    from sitegen.write import staging as staging_module

    big = tmp_path / "video.mp4"
    with big.open("wb") as file:  # sparse: 40 MB on no disk, with bytes at both ends
        file.write(b"start")
        file.seek(40 * 1024 * 1024)
        file.write(b"end")
    real = Path.read_bytes

    def refuse_big(path: Path) -> bytes:
        assert path != big, "read whole"
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refuse_big)
    out = tmp_path / "public"
    for expected in (True, False):  # copied; then the same bytes: left as they are
        stage = Staging(out)
        stage.begin()
        assert stage.put_copy("assets/video.mp4", big) is expected
        stage.commit({"assets/video.mp4"})
    with (out / "assets/video.mp4").open("rb") as copied:
        assert copied.read(5) == b"start" and os.path.getsize(copied.name) == big.stat().st_size
        copied.seek(-3, os.SEEK_END)
        assert copied.read() == b"end"
    assert big.stat().st_size > staging_module.COPY_IN_MEMORY
