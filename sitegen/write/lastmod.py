"""Last-change dates of page source files, for the sitemap's `lastmod`.

Dates come from git: the committer date of the newest commit that changed each file. Sites have
thousands of source files, so the whole job is three git processes (rev-parse, status, log),
never one per file: a single `git log --name-only` over the files' folders lists, newest commit
first, every file each commit touched, and the first time a file appears is its date.

Files that are modified or untracked in the work tree are newer than any commit, so they (and
files git does not know, e.g. ignored ones) get the date of their modification time. Outside a
git work tree, or when git is missing or fails, every file gets its modification time.

Shallow clones (CI checkouts often fetch only the last commit) are the trap: git log reports every
file of the oldest fetched commit as changed in that commit, which would date most pages to the
latest deploy. Commits at the shallow boundary (listed in git's `shallow` file) therefore give no
date: those files are left out of `dates` (no lastmod is better than a wrong one) and one warning
says how to fetch the full history.

Dates are calendar dates as the commit carries them (the date part of `%cI`, in the committer's
own UTC offset), not converted to UTC: a commit made at 23:30 local time is dated that day, as
its author saw it. Modification times are read in the local time zone of the build machine.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.streams import counted

GIT_TIMEOUT = 60.0
"""Seconds one git process may take before the dates fall back to modification times."""

# Variables that would point git at another repository than the one holding `root` (they are
# set, relative to another directory, while a git hook runs).
_GIT_LOCATION_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
)

# Above this many characters of pathspecs, log the whole root instead of the folders (command
# lines are limited: about 32,000 characters on Windows).
_MAX_PATHSPEC_CHARS = 20_000

_HEADER = "\x01"  # starts each commit's line in the log output; file names never do in practice


@dataclass(frozen=True)
class ContentDates:
    """What content_dates found: a date per source file, and notes for the build's
    warnings."""

    dates: dict[str, datetime.date]
    """Key: path relative to the project root, with forward slashes."""
    warnings: list[str]
    """Human-readable notes, e.g. about a shallow clone."""


def content_dates(root: Path, paths: Iterable[str]) -> ContentDates:
    """Last-change date of each path (relative to root).

    Keys are the paths normalized to forward slashes without `./`. A path that does not exist
    is left out, and so is one whose only known change is a shallow clone's boundary commit.
    """
    stats: dict[str, os.stat_result] = {}
    for path in paths:
        key = _normalize(path)
        if key in stats:
            continue
        try:
            stats[key] = os.stat(os.path.join(root, key))
        except (OSError, ValueError):
            continue  # missing (or an unusable name): no date at all
    in_root = [key for key in stats if _inside(key)]
    git = _git_dates(root, in_root) if in_root else None

    dates: dict[str, datetime.date] = {}
    unknown = 0
    for key, stat in stats.items():
        if git is not None and key in git.committed:
            when = git.committed[key]
            if when is None:
                unknown += 1
            else:
                dates[key] = when
        else:
            dates[key] = mtime_date(stat)
    warnings = []
    if unknown:
        warnings.append(
            f"shallow git clone: {counted(unknown, 'page source')} "
            f"{'has' if unknown == 1 else 'have'} no lastmod; fetch the full history "
            "(git fetch --unshallow, or actions/checkout with fetch-depth: 0)"
        )
    return ContentDates(dates, warnings)


@dataclass(frozen=True)
class _GitDates:
    committed: dict[str, datetime.date | None]
    """Clean tracked paths: their last commit's date, or None if that is a shallow boundary."""


def _git_dates(root: Path, keys: list[str]) -> _GitDates | None:
    """Commit dates of the clean tracked `keys`; None when root is not in a usable git work tree."""
    info = _run_git(
        root,
        [
            "rev-parse",
            "--show-toplevel",
            "--show-prefix",
            "--is-shallow-repository",
            "--git-path",
            "shallow",
        ],
    )
    if info is None:
        return None
    lines = os.fsdecode(info).split("\n")
    if len(lines) < 4 or lines[2] not in ("true", "false"):
        return None
    prefix, shallow = lines[1], lines[2] == "true"  # prefix: root's folder in the repo, e.g. "a/"
    boundary = _shallow_commits(root / lines[3]) if shallow else set()

    specs = _pathspecs(keys)
    status = _run_git(
        root,
        ["status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--", *specs],
    )
    log = _run_git(
        root,
        [
            "log",
            f"--format={_HEADER}%H %cI %P",
            "--name-only",
            "--no-renames",
            "-z",
            "--",
            *specs,
        ],
    )
    if status is None or log is None:  # e.g. a repository without commits yet
        return None

    # Both outputs name files relative to the top level of the work tree; keys are relative to
    # root, which is `prefix` below the top level.
    def key_of(name: str) -> str | None:
        return name[len(prefix) :] if name.startswith(prefix) else None

    wanted = set(keys)
    dirty = {key_of(name) for name in _status_paths(status)}
    committed: dict[str, datetime.date | None] = {}
    when: datetime.date | None = None
    after_header = False
    for field in os.fsdecode(log).split("\0"):
        if field.startswith(_HEADER):
            commit, iso_date, *parents = field[1:].split(" ")
            at_boundary = commit in boundary or (shallow and not boundary and not parents)
            when = None if at_boundary else datetime.date.fromisoformat(iso_date[:10])
            after_header = True
            continue
        if after_header:
            field = field.removeprefix("\n")  # the file list starts on a new line
            after_header = False
        key = key_of(field)
        if key in wanted and key not in committed and key not in dirty:
            committed[key] = when
    return _GitDates(committed)


def _pathspecs(keys: list[str]) -> list[str]:
    """Folders of `keys` (a file of root itself stands for itself), without nested repeats."""
    specs = sorted({posixpath.dirname(key) or key for key in keys})
    kept: list[str] = []
    for spec in specs:  # sorted: a folder comes right before the folders inside it
        if not kept or not spec.startswith(kept[-1] + "/"):
            kept.append(spec)
    if sum(len(spec) + 1 for spec in kept) > _MAX_PATHSPEC_CHARS:
        return ["."]
    return kept


def _status_paths(output: bytes) -> list[str]:
    """Paths in `git status --porcelain -z` output (relative to the top level)."""
    names: list[str] = []
    fields = os.fsdecode(output).split("\0")
    index = 0
    while index < len(fields):
        entry = fields[index]
        index += 1
        if len(entry) < 4:
            continue
        names.append(entry[3:])
        if "R" in entry[:2] or "C" in entry[:2]:  # a rename's original path follows
            names.append(fields[index] if index < len(fields) else "")
            index += 1
    return names


def _shallow_commits(path: Path) -> set[str]:
    """Commit ids in git's `shallow` file: the commits whose parents were not fetched."""
    try:
        return set(path.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()  # then parentless commits of a shallow clone count as the boundary


def committed_under(root: Path, folder: Path) -> list[str]:
    """The files git tracks under `folder` in the repository at `root` (paths relative
    to `root`); none when `folder` is outside `root`, or there is no git or repository."""
    inside = os.path.abspath(folder)
    top = os.path.abspath(root)
    if os.path.commonpath([inside, top]) != top or not os.path.isdir(os.path.join(top, ".git")):
        return []
    listed = _run_git(root, ["ls-files", "-z", "--", os.path.relpath(inside, top)])
    return [name.decode("utf-8", "replace") for name in (listed or b"").split(b"\0") if name]


def _run_git(root: Path, args: list[str]) -> bytes | None:
    """Stdout of one git command run in `root`, or None if git is missing, fails or hangs."""
    env = {name: value for name, value in os.environ.items() if name not in _GIT_LOCATION_VARS}
    env.update(
        LC_ALL="C",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",  # `git status` must not rewrite the index
    )
    command = [
        "git",
        "--no-pager",
        "--literal-pathspecs",
        "-C",
        str(root),
        "-c",
        "core.quotepath=off",
        "-c",
        "diff.relative=false",
        "-c",
        "log.showSignature=false",
        *args,
    ]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=env,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _normalize(path: str) -> str:
    """`path` with forward slashes and without `./` or `a/..` parts."""
    return posixpath.normpath(path.replace(os.sep, "/"))  # (PurePath's as_posix, cheaper)


def _inside(key: str) -> bool:
    """Whether a normalized path is a file name below root (git can date it)."""
    return key not in (".", "..") and not key.startswith(("../", "/"))


def mtime_date(stat: os.stat_result) -> datetime.date:
    """The calendar date, in UTC, of a file's modification time: the same on every machine
    whatever its time zone (a build's output depends only on its input)."""
    return datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC).date()
