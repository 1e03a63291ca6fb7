"""The checker's cache is keyed on everything that can change a finding: a check after an
edit of the checker's code reports what the edited code finds, without --no-cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, write_files
from sitegen.check.version import code_version

# (file, its code before and after the edit, what a check prints before and after)
EDITS = [
    # a rule across pages (its findings are cached per group of pages)
    (
        "sitegen/check/site_rules.py",
        'f"with the location names swapped, {share:.0%} of the main text',
        'f"once the location names are swapped, {share:.0%} of the main text',
        "doorway: with the location names swapped, 100% of the main text",
        "doorway: once the location names are swapped, 100% of the main text",
    ),
    # a rule of one page (its findings are cached per page)
    (
        "sitegen/rules/data_rules.py",
        'f"the {kind} lacks "',
        'f"the {kind} does not give "',
        "clinic-recommended: the MedicalClinic lacks streetAddress",
        "clinic-recommended: the MedicalClinic does not give streetAddress",
    ),
]


def check(project: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "build.py", "check"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("path", "old", "new", "was", "becomes"), EDITS, ids=["site_rules", "data_rules"]
)
def test_a_check_after_an_edit_of_a_rule_prints_the_new_message(
    tmp_path, path, old, new, was, becomes
):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("build.py", "site.yaml"):
        shutil.copy2(PROJECT / name, project / name)
    for name in ("content", "layouts", "assets", "sitegen"):
        shutil.copytree(
            PROJECT / name, project / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    env = {**os.environ, "SITEGEN_CACHE": str(tmp_path / "cache")}
    built = subprocess.run(
        [sys.executable, "build.py"], cwd=project, env=env, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    first = check(project, env)
    assert was in first and becomes not in first
    assert "17 read" in first

    source = project / path
    code = source.read_text(encoding="utf-8")
    assert code.count(old) == 1
    source.write_text(code.replace(old, new), encoding="utf-8")
    again = check(project, env)
    assert becomes in again and was not in again
    assert "17 read" in again  # a new version of the code: nothing came from the cache
    unchanged = check(project, env)
    assert "0 read, 17 unchanged" in unchanged and becomes in unchanged


def test_the_version_covers_each_source_file_by_path_and_bytes_and_the_runtime(tmp_path):
    package = write_files(tmp_path / "pkg", {"a.py": "A = 1\n", "sub/b.py": "B = 2\n"})
    runtime = ("python 3.11.7", "lxml 6.1.3")
    first = code_version(package, runtime)
    assert code_version(package, runtime) == first
    (package / "notes.txt").write_text("not Python")
    assert code_version(package, runtime) == first
    assert code_version(package, ("python 3.12.0", "lxml 6.1.3")) != first
    assert code_version(package, ("python 3.11.7", "lxml 6.1.4")) != first
    (package / "sub/b.py").write_text("B = 3\n")
    changed = code_version(package, runtime)
    assert changed != first
    (package / "sub/b.py").rename(package / "sub/c.py")  # the same bytes, another file
    assert code_version(package, runtime) not in (first, changed)
    (package / "sub/c.py").rename(package / "sub/b.py")
    assert code_version(package, runtime) == changed
    (package / "new.py").write_text("")
    assert code_version(package, runtime) != changed
