"""sitegen.write.commit: the journaled commit, finished by the next command from any point
it was cut at; leftovers beside the output removed, and only ours; check refusing a
half-committed folder; the output's lock."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT, snapshot
from sitegen.manifest import load_manifest
from sitegen.model.journal import (
    Journal,
    JournalError,
    decode,
    journal_path,
    read_journal,
    staging_path,
)
from sitegen.model.project import MARKER, MARKER_TEXT
from sitegen.write import staging as writer
from sitegen.write.commit import remove_leftovers, repair
from sitegen.write.staging import Staging

OLD = {"index.html": "home", "a/index.html": "a", "gone/index.html": "gone", "same.css": "x"}
NEW = {"index.html": "home 2", "a/index.html": "a 2", "b/c/index.html": "new", "same.css": "x"}


class Killed(BaseException):
    """The process ends here (as kill -9 would: nothing after it runs)."""


def write(out: Path, files: dict[str, str], build_id: int | str | None = None):
    staging = Staging(out, build_id)
    staging.begin()
    for path, text in files.items():
        staging.put(path, text.encode())
    return staging.commit(set(files))


def staged(out: Path, files: dict[str, str], build_id: str = "7") -> Staging:
    staging = Staging(out, build_id)
    staging.begin()
    for path, text in files.items():
        staging.put(path, text.encode())
    return staging


def expected(files: dict[str, str]) -> dict[str, bytes]:
    return {MARKER: MARKER_TEXT.encode(), **{p: t.encode() for p, t in files.items()}}


def beside(out: Path) -> list[str]:
    """What is in the output's parent folder besides the output."""
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def kill_after(monkeypatch, calls: int) -> list[int]:
    """Make the `calls`+1-th rename, removal or folder removal raise Killed."""
    done = [0]

    def counting(real):
        def call(*args, **kwargs):
            if done[0] >= calls:
                raise Killed
            done[0] += 1
            return real(*args, **kwargs)

        return call

    for name in ("replace", "rename", "unlink", "rmdir"):
        monkeypatch.setattr(os, name, counting(getattr(os, name)))
    monkeypatch.setattr(shutil, "rmtree", counting(shutil.rmtree))
    return done


def test_a_commit_cut_at_every_step_is_finished_by_the_next_repair(tmp_path, monkeypatch):
    """Cut the commit after 0, 1, 2, ... file system steps, until one runs through: after
    each cut the output is the old site, or the journal is there; repair makes it the new
    site exactly, with nothing left beside it."""
    outcomes: list[str] = []
    for calls in range(100):
        root = tmp_path / str(calls)
        out = root / "public"
        write(out, OLD)
        staging = staged(out, NEW)
        with monkeypatch.context() as patch:
            kill_after(patch, calls)
            try:
                staging.commit(set(NEW))
            except Killed:
                pass
            else:
                break
        files = snapshot(out)
        if journal_path(out).is_file():
            outcome = "repaired"
        else:
            assert files in (expected(OLD), expected(NEW)), calls
            outcome = "old" if files == expected(OLD) else "new"
        outcomes.append(outcome)
        repair(out)
        assert snapshot(out) == expected(OLD if outcome == "old" else NEW), calls
        assert beside(out) == [], calls
    else:
        pytest.fail("the commit never ran through")
    # cut before the journal is in place; then at each of 3 moves, 1 removal, 1 empty
    # folder, the staging folder to trash and the journal's removal; then in the trash's
    # removal
    repaired, new = outcomes.count("repaired"), outcomes.count("new")
    assert outcomes == ["old"] + ["repaired"] * repaired + ["new"] * new, outcomes
    assert repaired >= 7 and new >= 1
    assert snapshot(out) == expected(NEW) and beside(out) == []


def test_a_repair_cut_short_is_finished_by_the_next(tmp_path, monkeypatch):
    out = tmp_path / "public"
    write(out, OLD)
    staging = staged(out, NEW)
    with monkeypatch.context() as patch:
        kill_after(patch, 3)  # the journal, then two moves
        with pytest.raises(Killed):
            staging.commit(set(NEW))
    for calls in range(4):
        with monkeypatch.context() as patch:
            kill_after(patch, calls)
            with pytest.raises(Killed):
                repair(out)
    assert repair(out).moved is not None
    assert snapshot(out) == expected(NEW) and beside(out) == []


def test_a_journal_made_by_hand_is_rolled_forward(tmp_path):
    """The state a kill leaves, made file by file: one staged file moved already, the
    marker of the staging folder moved too, one removal done."""
    out = tmp_path / "public"
    write(out, {"index.html": "old", "x/index.html": "x", "y.txt": "y"})
    staging = staging_path(out, "42")
    (staging / "b").mkdir(parents=True)
    (staging / "b/index.html").write_text("b new")
    (out / "index.html").write_text("home new")  # moved in already
    (out / "x/index.html").unlink()  # removed already
    moves = (MARKER, "index.html", "b/index.html")
    journal = Journal("42", moves, ("x/index.html", "y.txt"))
    journal_path(out).write_bytes(journal.encode())
    done = repair(out)
    assert (done.moved, done.removed) == (1, 1)
    assert snapshot(out) == expected({"index.html": "home new", "b/index.html": "b new"})
    assert beside(out) == []


def test_leftovers_of_killed_builds_are_removed_and_only_ours(tmp_path):
    out = tmp_path / "public"
    write(out, {"index.html": "home"})
    dead = staged(out, {"index.html": "dead"}, build_id="111")  # killed while rendering
    assert dead.folder.is_dir()
    empty = staging_path(out, "222")
    empty.mkdir()  # killed between making its folder and its marker (older versions)
    trash = tmp_path / ".public.trash-abc"
    (trash / "deep").mkdir(parents=True)
    (trash / "deep/page.html").write_text("half removed, marker gone first")
    half_journal = tmp_path / ".public.commit-9.tmp"
    half_journal.write_text('{"sitegen-com')
    foreign = staging_path(out, "333")
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not ours: no marker")
    other = tmp_path / ".other.staging-1"
    (other).mkdir()
    (other / MARKER).write_text(MARKER_TEXT)  # another output folder's
    assert remove_leftovers(out) == 4
    assert beside(out) == [".other.staging-1", ".public.staging-333"]
    assert (foreign / "keep.txt").read_text() == "not ours: no marker"


def test_a_build_removes_what_a_build_killed_in_its_cleanup_left(minimal_site, build_cli):
    """A staging folder whose removal was cut short (its marker may be the first file to
    go) is a trash folder by then: the next build removes it."""
    assert build_cli(minimal_site).code == 0
    trash = minimal_site / ".public.trash-0123456789ab"
    shutil.copytree(minimal_site / "public", trash)
    (trash / MARKER).unlink()
    assert build_cli(minimal_site).code == 0
    assert not trash.exists()
    assert sorted(p.name for p in minimal_site.glob(".public*")) == []


def test_unchanged_pages_keep_their_file_on_a_rebuild(minimal_site, build_cli):
    out = minimal_site / "public"
    assert build_cli(minimal_site).code == 0
    before = {p: os.stat(out / p) for p in snapshot(out)}
    page = minimal_site / "content/pages/index.md"
    stamp = os.stat(page).st_mtime
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    os.utime(page, (stamp, stamp))  # the sitemap's lastmod stays: a build across midnight too
    run = build_cli(minimal_site)
    assert run.code == 0 and "1 file written" in run.out, run.out
    after = {p: os.stat(out / p) for p in snapshot(out)}
    changed = [
        p
        for p in before
        if (before[p].st_ino, before[p].st_mtime_ns) != (after[p].st_ino, after[p].st_mtime_ns)
    ]
    assert changed == ["index.html"]  # the marker too is left alone: same manifest
    assert not journal_path(out).exists()


def half_committed(site: Path, build_cli) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Build the site, then build it changed but stop that build's commit after its journal
    and one move; (the first build's files, the second's as a whole build makes them)."""
    out = site / "public"
    assert build_cli(site).code == 0
    old = snapshot(out)
    config = site / "site.yaml"  # the organisation's phone is on every page
    config.write_text(config.read_text().replace("(323) 555-0100", "(323) 555-0199"))
    assert build_cli(site, "--out", str(site / "whole")).code == 0
    new = snapshot(site / "whole")
    script = (
        "import os, sys\n"
        "from sitegen.write import commit\n"
        "real = commit._move\n"
        "done = []\n"
        "def move(source, target):\n"
        "    if done:\n"
        "        os._exit(9)\n"
        "    done.append(1)\n"
        "    return real(source, target)\n"
        "commit._move = move\n"
        "from sitegen.cli import main\n"
        "main(['build', '--root', sys.argv[1], '--jobs', '1'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run([sys.executable, "-c", script, str(site)], env=env, check=False)
    assert done.returncode == 9
    assert journal_path(out).is_file()
    assert snapshot(out) not in (old, new)
    return old, new


def test_check_refuses_a_half_committed_folder_and_build_finishes_it(minimal_site, build_cli):
    from sitegen.cli import main

    out = minimal_site / "public"
    _old, new = half_committed(minimal_site, build_cli)
    torn = snapshot(out)
    code = main(["check", str(out), "--root", str(minimal_site)])
    assert code == 2
    assert snapshot(out) == torn  # check reads; it does not write
    # the next build finishes the commit before anything else, even when it then fails
    (minimal_site / "site.yaml").write_text("name: [unclosed\n")
    run = build_cli(minimal_site)
    assert run.code == 1
    assert "was left half-committed by a build that was stopped" in run.err
    assert snapshot(out) == new
    assert sorted(p.name for p in minimal_site.glob(".public*")) == []


def test_check_says_why_it_refuses_and_what_to_run(minimal_site, build_cli, capsys):
    from sitegen.cli import main

    out = minimal_site / "public"
    half_committed(minimal_site, build_cli)
    capsys.readouterr()
    assert main(["check", str(out), "--root", str(minimal_site)]) == 2
    err = capsys.readouterr().err
    assert f"{out} is half-committed" in err
    assert f"python build.py build --out {out}" in err


def test_an_unreadable_journal_is_kept_until_a_full_build_commits(minimal_site, build_cli):
    from sitegen.cli import main

    out = minimal_site / "public"
    assert build_cli(minimal_site).code == 0
    journal_path(out).write_text("not a journal")
    assert main(["check", str(out), "--root", str(minimal_site)]) == 2
    page = minimal_site / "content/pages/index.md"
    page.write_text(page.read_text() + "\nChanged.\n")
    run = build_cli(minimal_site)
    assert run.code == 0 and "cannot be followed" in run.err
    assert not journal_path(out).exists()


def test_a_journal_names_only_paths_inside_the_output():
    good = Journal("12", (MARKER, "a/index.html"), ("b.txt",))
    assert decode(good.encode()) == good
    for bad in ("../site.yaml", "/etc/passwd", "a/../../x", "", "a//b", "a\\b", "./a"):
        raw = json.dumps({"sitegen-commit": 1, "build": "1", "moves": [bad], "removals": []})
        with pytest.raises(JournalError):
            decode(raw.encode())
    for raw in (b"", b"[]", b'{"sitegen-commit": 2}', b"\xff"):
        with pytest.raises(JournalError):
            decode(raw)
    raw = json.dumps({"sitegen-commit": 1, "build": "../x", "moves": [], "removals": []})
    with pytest.raises(JournalError):
        decode(raw.encode())


def test_a_commit_of_one_file_needs_no_journal(tmp_path, monkeypatch):
    out = tmp_path / "public"
    write(out, OLD)
    written = []
    monkeypatch.setattr(writer, "write_journal", lambda out, journal: written.append(journal))
    write(out, {**OLD, "index.html": "home 2"})
    assert written == []
    write(out, {**OLD, "index.html": "home 3", "a/index.html": "a 3"})
    assert [j.moves for j in written] == [("a/index.html", "index.html")]
    assert read_journal(out) is None


def test_a_manifest_is_not_used_with_other_pages_than_its_own(minimal_site, build_cli):
    """A build stopped between committing its pages and recording its manifest: the
    manifest names another stamp than the marker, so check does not use it."""
    out = minimal_site / "public"
    assert build_cli(minimal_site).code == 0
    assert load_manifest(out) is not None
    marker = out / MARKER
    marker.write_text(marker.read_text().replace("manifest: ", "manifest: 0"))
    assert load_manifest(out) is None


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from sitegen.lock import output_lock
with output_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(folder: Path, seconds: float) -> subprocess.Popen:
    """A process holding the lock of the output folder `folder` for `seconds` (returns
    once it holds it)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(folder), str(seconds)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def test_a_second_build_into_the_same_folder_waits_for_the_first(minimal_site, build_cli):
    out = minimal_site / "public"
    assert build_cli(minimal_site).code == 0
    holder = hold_lock(out, 1.5)
    started = time.monotonic()
    run = build_cli(minimal_site)
    waited = time.monotonic() - started
    holder.wait()
    assert run.code == 0
    assert f"Waiting for another build or check in {out.parent}/ to finish" in run.err
    assert waited > 0.5


def test_a_build_waiting_for_one_into_the_folder_beside_its_own_says_so(minimal_site, build_cli):
    """The lock is the parent folder's: a build into public/ waits for one into preview/
    beside it, and its line says where it waits, not that a build runs into public/."""
    beside = minimal_site / "preview"
    beside.mkdir()
    holder = hold_lock(beside, 1.0)
    run = build_cli(minimal_site)
    holder.wait()
    assert run.code == 0
    line = f"Waiting for another build or check in {minimal_site}/ to finish (builds into public/"
    assert line in run.err
    assert "into " + str(minimal_site / "public") not in run.err


def test_a_repair_moves_and_removes_nothing_through_a_link(tmp_path):
    """A link put into a half-committed output (to a folder elsewhere) is removed before
    the commit is finished: the folder it points at is not written to or emptied."""
    out = tmp_path / "public"
    write(out, {"index.html": "old"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    (out / "b").symlink_to(elsewhere)
    staging = staging_path(out, "5")
    (staging / "b").mkdir(parents=True)
    (staging / "b/index.html").write_text("b")
    journal = Journal("5", ("b/index.html",), ("b/keep.txt",))
    journal_path(out).write_bytes(journal.encode())
    repair(out)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert (out / "b").is_dir() and not (out / "b").is_symlink()
    assert snapshot(out) == expected({"index.html": "old", "b/index.html": "b"})


@pytest.mark.parametrize("kind", ["link to /dev/zero", "named pipe"])
def test_a_journal_that_is_no_file_is_not_read(minimal_site, build_cli, kind):
    """A committed `.public.commit` linked to /dev/zero was read until memory ran out (a
    MemoryError traceback); a named pipe would be waited on for ever. Neither is a journal
    a build wrote: the build says it cannot be followed, builds, and removes it."""
    out = minimal_site / "public"
    assert build_cli(minimal_site).code == 0
    if kind == "named pipe":
        os.mkfifo(journal_path(out))
    else:
        journal_path(out).symlink_to("/dev/zero")
    page = minimal_site / "content/pages/index.md"
    page.write_text(page.read_text() + "\nChanged.\n")
    run = build_cli(minimal_site)
    assert run.code == 0 and "cannot be followed" in run.err
    assert not journal_path(out).exists() and not journal_path(out).is_symlink()


def test_a_journal_nested_deeper_than_python_reads_is_no_journal():
    from sitegen.model.journal import JournalError

    raw = '{"sitegen-commit":1,"build":"a","moves":' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(JournalError, match="not JSON"):
        decode(raw.encode())


def test_a_folder_with_the_journal_s_name_is_a_usage_error_that_says_so(minimal_site, build_cli):
    """A committed `.public.commit/` failed every build with 'Is a directory: 4'."""
    journal_path(minimal_site / "public").mkdir()
    run = build_cli(minimal_site)
    assert run.code == 2 and "is a folder, but that name is the build's commit journal's" in run.err


def test_a_disk_that_fails_in_the_middle_of_the_commit_is_not_called_unchanged(
    minimal_site, build_cli, monkeypatch
):
    """The second file's move fails (a full disk): the build fails and says the folder was
    left half-committed, not "nothing was written"; the next build finishes the commit."""
    out = minimal_site / "public"
    assert build_cli(minimal_site).code == 0
    edit_page = minimal_site / "content/pages/index.md"
    edit_page.write_text(edit_page.read_text() + "\nOne more sentence.\n")
    location = minimal_site / "content/locations/springfield.yaml"  # its two pages too
    location.write_text(location.read_text().replace("Local text", "Local words"))
    from sitegen.write import commit

    real, calls = os.replace, []

    def failing(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(commit.os, "replace", failing)
    run = build_cli(minimal_site)
    assert len(calls) == 2, run.out  # three files to move in: the second one failed
    assert run.code != 0 and "No space left on device" in run.err
    assert f"{out} was left half-committed" in run.err and "nothing was written" not in run.err
    monkeypatch.setattr(commit.os, "replace", real)
    again = build_cli(minimal_site)
    assert again.code == 0 and "was left half-committed by a build that failed" in again.err
    assert "this build rewrites every file that differs" in again.err
    cold = build_cli(minimal_site, "--out", str(minimal_site / "cold"), "--no-cache")
    assert cold.code == 0
    assert snapshot(out) == snapshot(minimal_site / "cold")
