"""Crash safety of the output folder: `kill -9` at random moments of the commit.

On a 2,000-page synthetic site (bench/synthetic_site.py), build the old site; change the
sources so that every page differs, a location's pages go and another's move to new URLs
(the new site); then 20 times: put the old output back, start `python build.py build`
as a real process, wait until its commit journal appears beside the output (the commit
has begun), kill the process group with SIGKILL after a random delay up to 1.2 times the
commit's duration (journal written to journal removed, measured once; so some kills land
in the removal of the staging folder or after), and judge the folder:

- old: exactly the old site, nothing to finish;
- new: exactly the new site (killed while it removed its staging folder, or done);
- repaired: its journal is still there; `check` refuses it (exit 2, the folder untouched)
  and the next command, a build that fails on its own sources, first finishes the commit:
  the folder is then exactly the new site.

After every kill the next command leaves nothing beside the output (no staging, trash or
journal). The counts are printed (`pytest -s tests/hostile/test_crash.py`); set
CRASH_SEED to replay a run's delays.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from conftest import FIXTURES, PROJECT, run_bounded, snapshot
from sitegen.model.journal import journal_path

KILLS = 20
PAGES = 2000


def make_sites(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes], Path]:
    """The synthetic project built once (its output kept as the old site), its sources then
    changed; (project, old files, new files, a copy of the old output)."""
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, PROJECT / "bench/synthetic_site.py", "--out", site, "--pages", str(PAGES)],
        check=True,
        capture_output=True,
    )
    assert run_bounded(site, limit=120).code == 0
    old_copy = tmp_path / "old"
    shutil.copytree(site / "public", old_copy)
    config = site / "site.yaml"  # the admissions phone is on every page
    text = config.read_text(encoding="utf-8")
    assert text.count("(323) 457-8208") == 1
    config.write_text(text.replace("(323) 457-8208", "(323) 457-8299"), encoding="utf-8")
    locations = sorted((site / "content/locations").glob("*.yaml"))
    without_texts = [p for p in locations if not p.with_suffix("").is_dir()]
    without_texts[0].unlink()  # its pages are removed
    moved = without_texts[1]
    moved.rename(moved.with_name(f"{moved.stem}-moved.yaml"))  # its pages at new URLs
    new_out = tmp_path / "new"
    assert run_bounded(site, "--out", str(new_out), limit=120).code == 0
    old, new = snapshot(old_copy), snapshot(new_out)
    assert len(old) > PAGES and old.keys() != new.keys()
    changed = [p for p in old.keys() & new.keys() if p.endswith(".html") and old[p] != new[p]]
    assert len(changed) > PAGES
    return site, old, new, old_copy


def put_back(old_copy: Path, out: Path) -> None:
    shutil.rmtree(out)
    shutil.copytree(old_copy, out)


def start_build(site: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        start_new_session=True,  # its own process group: the kill takes any worker too
    )


def wait_for_journal(build: subprocess.Popen, journal: Path, limit: float = 120.0) -> float:
    """Poll every 0.5 ms until the journal exists; when it appeared (monotonic seconds),
    or 0.0 if the build ended first."""
    deadline = time.monotonic() + limit
    while not journal.exists():
        if build.poll() is not None:
            return 0.0
        assert time.monotonic() < deadline, "the build never began its commit"
        time.sleep(0.0005)
    return time.monotonic()


def beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}*"))


def test_kill_9_during_commit_leaves_old_new_or_repaired(tmp_path, capsys):
    site, old, new, old_copy = make_sites(tmp_path)
    out, journal = site / "public", journal_path(site / "public")
    broken = tmp_path / "broken"  # a project whose build fails on its sources
    shutil.copytree(FIXTURES / "minimal", broken)
    (broken / "site.yaml").write_text("name: [unclosed\n", encoding="utf-8")

    # how long a commit takes: from its journal's appearance to its removal
    put_back(old_copy, out)
    build = start_build(site)
    began = wait_for_journal(build, journal)
    while journal.exists():
        time.sleep(0.0005)
    window = time.monotonic() - began
    assert build.wait(timeout=120) == 0 and began
    assert snapshot(out) == new and beside(out) == []

    seed = int(os.environ.get("CRASH_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    missed = 0
    while sum(counts.values()) < KILLS:
        put_back(old_copy, out)
        build = start_build(site)
        if not wait_for_journal(build, journal):
            missed += 1  # done before the poll saw the journal: not a kill; again
            assert missed <= 10, "the commit is too quick to catch"
            continue
        time.sleep(rng.uniform(0.0, window * 1.2))
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
        files = snapshot(out)
        if journal.exists():
            outcome = "repaired"
            check = run_bounded(site, command="check", limit=60)
            assert check.code == 2, check.err
            assert "is half-committed" in check.err, check.err
            assert snapshot(out) == files  # check refuses and changes nothing
        else:
            assert files in (old, new), "neither the old site nor the new one, no journal"
            outcome = "old" if files == old else "new"
        counts[outcome] += 1
        after = run_bounded(broken, "--out", str(out), limit=60)  # the next command
        assert after.code == 1, after.err
        assert snapshot(out) == (old if outcome == "old" else new), outcome
        assert beside(out) == [], outcome
    with capsys.disabled():
        print(
            f"\ncrash test: {KILLS} kills of a {PAGES}-page build during its commit "
            f"(window {window * 1000:.0f} ms, seed {seed}): {counts['old']} old, "
            f"{counts['new']} new, {counts['repaired']} repaired by the next command; "
            f"{missed} build(s) finished before the poll saw the journal"
        )
    assert sum(counts.values()) == KILLS
