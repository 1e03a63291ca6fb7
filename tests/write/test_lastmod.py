"""Tests for sitegen.lastmod: page dates from git history, work-tree changes and mtimes."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

import pytest

from conftest import needs_git
from sitegen.write import lastmod
from sitegen.write.lastmod import content_dates


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """An environment for git that ignores the user's and the system's git config."""
    home = tmp_path / "home"
    home.mkdir()
    # content_dates runs git with os.environ: keep the user's config out of it too.
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
        LC_ALL="C",
    )
    return env


def git(cwd: Path, env: dict[str, str], *args: str, when: str | None = None) -> None:
    """Run git in `cwd`; `when` (ISO 8601) sets the author and committer date."""
    env = dict(env)
    if when is not None:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def write(root: Path, name: str, text: str = "x\n") -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def set_mtime(path: Path, day: datetime.date) -> None:
    """Set the file's mtime to noon (local time) of `day`."""
    stamp = datetime.datetime(day.year, day.month, day.day, 12).timestamp()
    os.utime(path, (stamp, stamp))


def commit(repo: Path, env: dict[str, str], when: str, *names: str) -> None:
    """Write (or change) `names` and commit them at `when`."""
    for name in names:
        write(repo, name, f"{name} at {when}\n")
    git(repo, env, "add", "--", *names)
    git(repo, env, "commit", "-q", "-m", f"change at {when}", when=when)


def init(repo: Path, env: dict[str, str]) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, env, "init", "-q", "-b", "main")
    return repo


D = datetime.date


@needs_git
def test_dates_from_commits_work_tree_and_untracked(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    repo = init(tmp_path / "repo", git_env)
    commit(repo, git_env, "2024-01-15T10:00:00+00:00", "content/a.md", "content/b.md", "site.yaml")
    commit(repo, git_env, "2024-06-01T10:00:00+00:00", "content/locations/la.yaml")
    commit(repo, git_env, "2025-03-10T10:00:00+00:00", "content/b.md")
    set_mtime(write(repo, "content/a.md", "changed, not committed\n"), D(2023, 2, 3))
    set_mtime(write(repo, "content/new.md"), D(2022, 7, 8))

    result = content_dates(
        repo,
        [
            "content/a.md",
            "content/b.md",
            "site.yaml",
            "content/locations/la.yaml",
            "content/new.md",
        ],
    )

    assert result.dates == {
        "content/a.md": D(2023, 2, 3),  # modified in the work tree: mtime
        "content/b.md": D(2025, 3, 10),
        "site.yaml": D(2024, 1, 15),
        "content/locations/la.yaml": D(2024, 6, 1),
        "content/new.md": D(2022, 7, 8),  # untracked: mtime
    }
    assert result.warnings == []


@needs_git
def test_staged_and_ignored_files_get_mtime(tmp_path: Path, git_env: dict[str, str]) -> None:
    repo = init(tmp_path / "repo", git_env)
    commit(repo, git_env, "2024-01-15T10:00:00+00:00", "a.md", ".gitignore")
    (repo / ".gitignore").write_text("ignored.md\n", encoding="utf-8")
    git(repo, git_env, "commit", "-qam", "ignore", when="2024-01-16T10:00:00+00:00")
    set_mtime(write(repo, "a.md", "staged\n"), D(2023, 5, 6))
    git(repo, git_env, "add", "a.md")
    set_mtime(write(repo, "ignored.md"), D(2021, 1, 2))

    result = content_dates(repo, ["a.md", "ignored.md"])

    assert result.dates == {"a.md": D(2023, 5, 6), "ignored.md": D(2021, 1, 2)}


@needs_git
def test_date_is_the_commit_own_calendar_date(tmp_path: Path, git_env: dict[str, str]) -> None:
    repo = init(tmp_path / "repo", git_env)
    # 2024-03-01 in UTC, but the committer's own date is still February 29th.
    commit(repo, git_env, "2024-02-29T23:30:00-05:00", "late.md")

    assert content_dates(repo, ["late.md"]).dates == {"late.md": D(2024, 2, 29)}


@needs_git
def test_root_is_a_subfolder_of_the_work_tree(tmp_path: Path, git_env: dict[str, str]) -> None:
    repo = init(tmp_path / "repo", git_env)
    commit(repo, git_env, "2024-01-15T10:00:00+00:00", "site/content/a.md", "content/a.md")
    commit(repo, git_env, "2024-06-01T10:00:00+00:00", "site/site.yaml")
    commit(repo, git_env, "2025-03-10T10:00:00+00:00", "content/a.md")  # outside the root
    set_mtime(write(repo, "site/content/new.md"), D(2022, 7, 8))

    result = content_dates(repo / "site", ["content/a.md", "site.yaml", "content/new.md"])

    assert result.dates == {
        "content/a.md": D(2024, 1, 15),
        "site.yaml": D(2024, 6, 1),
        "content/new.md": D(2022, 7, 8),
    }
    assert result.warnings == []


@needs_git
def test_names_with_spaces_and_non_ascii(tmp_path: Path, git_env: dict[str, str]) -> None:
    repo = init(tmp_path / "repo", git_env)
    names = ["content/San José.md", "content/ciudad de méxico/a b.yaml", "[glob]*.md"]
    commit(repo, git_env, "2024-01-15T10:00:00+00:00", *names)
    commit(repo, git_env, "2024-06-01T10:00:00+00:00", "content/San José.md")
    write(repo, "[glob]x.md")  # would match "[glob]*.md" if pathspecs were not literal
    set_mtime(repo / "[glob]x.md", D(2020, 1, 1))

    result = content_dates(repo, [*names, "[glob]x.md"])

    assert result.dates == {
        "content/San José.md": D(2024, 6, 1),
        "content/ciudad de méxico/a b.yaml": D(2024, 1, 15),
        "[glob]*.md": D(2024, 1, 15),
        "[glob]x.md": D(2020, 1, 1),
    }


@needs_git
@pytest.mark.parametrize(
    ("depth", "dated"),
    [
        # The newest commit is the only one fetched: it is the boundary, so even new.md (really
        # changed in it) cannot be told apart from files it merely lists.
        (1, {}),
        # The boundary is the middle commit: new.md's commit is a real change.
        (2, {"content/new.md": D(2025, 3, 10)}),
    ],
)
def test_shallow_clone_leaves_boundary_dates_out(
    tmp_path: Path, git_env: dict[str, str], depth: int, dated: dict[str, datetime.date]
) -> None:
    repo = init(tmp_path / "repo", git_env)
    commit(repo, git_env, "2024-01-15T10:00:00+00:00", "content/old.md")
    commit(repo, git_env, "2024-06-01T10:00:00+00:00", "content/middle.md")
    commit(repo, git_env, "2025-03-10T10:00:00+00:00", "content/new.md")
    clone = tmp_path / "clone"
    git(tmp_path, git_env, "clone", "-q", "--depth", str(depth), f"file://{repo}", str(clone))
    names = ["content/old.md", "content/middle.md", "content/new.md"]

    result = content_dates(clone, names)

    assert result.dates == dated
    assert len(result.warnings) == 1
    assert "shallow" in result.warnings[0]
    assert "fetch-depth: 0" in result.warnings[0]
    unknown = 3 - len(dated)
    assert (
        f"{unknown} page source{'s have' if unknown != 1 else ' has'} no lastmod"
        in result.warnings[0]
    )

    # With the history fetched, every file has its own date and there is no warning.
    git(clone, git_env, "fetch", "-q", "--unshallow")
    result = content_dates(clone, names)
    assert result.dates == {
        "content/old.md": D(2024, 1, 15),
        "content/middle.md": D(2024, 6, 1),
        "content/new.md": D(2025, 3, 10),
    }
    assert result.warnings == []


@needs_git
def test_shallow_clone_with_a_newer_change_is_dated(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    repo = init(tmp_path / "repo", git_env)
    commit(repo, git_env, "2024-01-15T10:00:00+00:00", "a.md", "b.md")
    commit(repo, git_env, "2024-06-01T10:00:00+00:00", "c.md")
    commit(repo, git_env, "2025-03-10T10:00:00+00:00", "a.md")
    clone = tmp_path / "clone"
    git(tmp_path, git_env, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    set_mtime(write(clone, "b.md", "edited\n"), D(2023, 2, 3))

    result = content_dates(clone, ["a.md", "b.md", "c.md"])

    # c.md comes from the boundary commit; b.md is edited in the work tree, so its mtime counts.
    assert result.dates == {"a.md": D(2025, 3, 10), "b.md": D(2023, 2, 3)}
    assert len(result.warnings) == 1
    assert "1 page source has no lastmod" in result.warnings[0]


def test_outside_git_uses_mtimes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # in case tmp is in a repo
    site = tmp_path / "site"
    set_mtime(write(site, "content/a b.md"), D(2023, 2, 3))
    set_mtime(write(site, "site.yaml"), D(2021, 12, 31))

    result = content_dates(site, ["content/a b.md", "./site.yaml", "content/missing.md"])

    assert result.dates == {"content/a b.md": D(2023, 2, 3), "site.yaml": D(2021, 12, 31)}
    assert result.warnings == []


def test_without_git_installed_uses_mtimes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    set_mtime(write(tmp_path, "a.md"), D(2023, 2, 3))

    result = content_dates(tmp_path, ["a.md"])

    assert result == lastmod.ContentDates({"a.md": D(2023, 2, 3)}, [])


@needs_git
def test_missing_path_is_left_out(tmp_path: Path, git_env: dict[str, str]) -> None:
    repo = init(tmp_path / "repo", git_env)
    commit(repo, git_env, "2024-01-15T10:00:00+00:00", "a.md", "deleted.md")
    (repo / "deleted.md").unlink()

    result = content_dates(repo, ["a.md", "deleted.md", "never/there.md"])

    assert result.dates == {"a.md": D(2024, 1, 15)}
    assert result.warnings == []


@needs_git
def test_repository_without_commits_uses_mtimes(tmp_path: Path, git_env: dict[str, str]) -> None:
    repo = init(tmp_path / "repo", git_env)
    set_mtime(write(repo, "a.md"), D(2023, 2, 3))

    assert content_dates(repo, ["a.md"]).dates == {"a.md": D(2023, 2, 3)}


@needs_git
def test_many_files_take_few_git_processes(
    tmp_path: Path, git_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = init(tmp_path / "repo", git_env)
    names = [f"content/{group}/page-{n}.md" for group in ("a", "b", "c") for n in range(170)]
    names += [f"page-{n}.md" for n in range(10)]
    for name in names:
        write(repo, name)
    git(repo, git_env, "add", ".")
    git(repo, git_env, "commit", "-q", "-m", "all", when="2024-01-15T10:00:00+00:00")

    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(args[0] if args else kwargs["args"]))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(lastmod.subprocess, "run", counting_run)
    result = content_dates(repo, names)

    assert len(result.dates) == len(names) == 520
    assert set(result.dates.values()) == {D(2024, 1, 15)}
    assert len(calls) <= 3
    assert sum("log" in call for call in calls) == 1


def test_a_modification_date_is_the_utc_date_whatever_the_machine_s_time_zone(
    tmp_path, monkeypatch
):
    """Outside git, a file's date is its mtime's: 2026-01-01 23:30 UTC is 1 January on a
    machine in UTC and on one fourteen hours ahead, where it is already 2 January."""
    import datetime
    import os
    import time

    from sitegen.write.lastmod import mtime_date

    path = tmp_path / "page.md"
    path.write_text("x")
    moment = datetime.datetime(2026, 1, 1, 23, 30, tzinfo=datetime.UTC).timestamp()
    os.utime(path, (moment, moment))
    for zone in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        assert mtime_date(path.stat()) == datetime.date(2026, 1, 1), zone
    monkeypatch.delenv("TZ")
    time.tzset()
