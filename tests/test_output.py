"""sitegen/output.py: the output folder is replaced whole, or not at all."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import snapshot
from sitegen import output
from sitegen.output import MARKER, MARKER_TEXT, OutputFile, write_site


def leftovers(out: Path) -> list[str]:
    """Staging or backup folders of `out` left next to it."""
    return sorted(
        p.name
        for p in out.parent.iterdir()
        if p.name.startswith(f".{out.name}.staging-") or p.name.startswith(f".{out.name}.old-")
    )


def first_files(tmp_path: Path) -> list[OutputFile]:
    image = tmp_path / "src" / "logo.svg"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    return [
        OutputFile("index.html", text="<p>home \u2013 caf\u00e9</p>\n"),
        OutputFile("old/index.html", text="old page\n"),
        OutputFile("assets/images/logo.svg", copy_from=image),
    ]


def dead_pid() -> int:
    """The id of a process that has finished (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_write_site_into_a_new_folder(tmp_path):
    out = tmp_path / "deep" / "public"
    count = write_site(out, first_files(tmp_path))
    assert count == 3
    assert snapshot(out) == {
        MARKER: MARKER_TEXT.encode(),
        "assets/images/logo.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "index.html": "<p>home \u2013 caf\u00e9</p>\n".encode(),
        "old/index.html": b"old page\n",
    }
    assert leftovers(out) == []


def test_write_site_into_an_existing_empty_folder(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    assert write_site(out, [OutputFile("index.html", text="hi")]) == 1
    assert snapshot(out) == {MARKER: MARKER_TEXT.encode(), "index.html": b"hi"}
    assert leftovers(out) == []


@pytest.mark.parametrize("atomic_exchange", [True, False], ids=["renameat2", "rename-fallback"])
def test_second_write_replaces_the_files_and_keeps_the_marker(
    tmp_path, monkeypatch, atomic_exchange
):
    out = tmp_path / "public"
    write_site(out, first_files(tmp_path))
    if not atomic_exchange:
        monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    count = write_site(out, [OutputFile("index.html", text="new home\n")])
    assert count == 1
    assert snapshot(out) == {MARKER: MARKER_TEXT.encode(), "index.html": b"new home\n"}
    assert not (out / "old").exists()
    assert not (out / "assets").exists()
    assert leftovers(out) == []


def test_failed_copy_half_way_leaves_previous_output_and_no_staging(tmp_path, monkeypatch):
    out = tmp_path / "public"
    write_site(out, first_files(tmp_path))
    before = snapshot(out)
    source = tmp_path / "src" / "a.css"
    source.write_text("body {}\n")
    calls: list[Path] = []

    def failing_copy(src, dst, *args, **kwargs):
        calls.append(Path(dst))
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        Path(dst).write_bytes(Path(src).read_bytes())
        return dst

    monkeypatch.setattr(output.shutil, "copyfile", failing_copy)
    files = [
        OutputFile("index.html", text="new\n"),
        OutputFile("a.css", copy_from=source),
        OutputFile("b.css", copy_from=source),
        OutputFile("c.css", copy_from=source),
    ]
    with pytest.raises(OSError, match="No space left"):
        write_site(out, files)
    assert len(calls) == 2
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_generator_raising_half_way_leaves_previous_output_and_no_staging(tmp_path):
    out = tmp_path / "public"
    write_site(out, first_files(tmp_path))
    before = snapshot(out)

    class Boom(Exception):
        pass

    def files() -> Iterator[OutputFile]:
        yield OutputFile("index.html", text="new\n")
        yield OutputFile("other/index.html", text="other\n")
        raise Boom("rendering failed")

    with pytest.raises(Boom):
        write_site(out, files())
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_failure_on_first_build_creates_no_output_folder(tmp_path):
    out = tmp_path / "public"

    def files() -> Iterator[OutputFile]:
        yield OutputFile("index.html", text="new\n")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_site(out, files())
    assert not out.exists()
    assert leftovers(out) == []


def test_stale_staging_with_marker_and_dead_pid_is_removed(tmp_path):
    out = tmp_path / "public"
    stale = tmp_path / f".public.staging-{dead_pid()}"
    stale.mkdir()
    (stale / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    (stale / "half.html").write_text("half written", encoding="utf-8")
    write_site(out, [OutputFile("index.html", text="hi")])
    assert not stale.exists()
    assert leftovers(out) == []
    assert (out / "index.html").read_text() == "hi"


def test_staging_folder_without_marker_is_left_alone(tmp_path):
    out = tmp_path / "public"
    foreign = tmp_path / f".public.staging-{dead_pid()}"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("not the generator's", encoding="utf-8")
    write_site(out, [OutputFile("index.html", text="hi")])
    assert (foreign / "mine.txt").read_text(encoding="utf-8") == "not the generator's"
    assert leftovers(out) == [foreign.name]


def test_staging_folder_of_a_running_build_is_left_alone(tmp_path):
    out = tmp_path / "public"
    running = tmp_path / f".public.staging-{os.getppid()}"
    running.mkdir()
    (running / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    write_site(out, [OutputFile("index.html", text="hi")])
    assert (running / MARKER).is_file()
    assert leftovers(out) == [running.name]
