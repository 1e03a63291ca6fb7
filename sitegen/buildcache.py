"""The persistent build cache: a build whose inputs and output are as the last build left
them is answered without loading the site.

A build records, in the user's cache folder (sitegen.cache, keyed by the output folder):
- the build's key: a digest of the options (project and output folders, base URL, drafts,
  deploy environment and address, image cache, worker processes) and of the generator
  itself (Python's version, the stat of every file of the sitegen package and of each
  library it renders with);
- the inputs' digest, taken before the build read anything: the stat (size, modification
  and change times in nanoseconds, inode, mode) of site.yaml and of every file under
  content/, layouts/ and assets/, the names of their folders (links followed, their
  targets named), and the
  state of the project's git repository (HEAD, the branch it names, the index, the
  shallow file, and what rewrites the history git shows: replace refs, grafts, the
  config; git's GIT_* variables, its user's config and the program), which the sitemap's
  lastmod dates come from;
- the output's digest: the stat of every file the commit left in the output folder, and
  the names of its folders;
- what the build reported (counts and warnings), to say again.

The next build with the same key looks first (`replay`): when the inputs' digest, taken
again, and the output's are the recorded ones, and no commit is pending, the output is
exactly what a full build would write, so nothing is done and the same report is given.
Any difference (a file saved, touched, renamed, added or removed; a `git commit`; the
output edited by hand; an upgraded library) makes a full build. A change time cannot be
set back by any program (unlike a modification time), so an edit that restores the old
size and modification time is still seen. Like git's index and make, this trusts the file
system's clock: two edits of one file within one tick of the kernel's clock (a few
milliseconds), the second after the digest was taken and of the same size, would not be
seen. Nor is a write through a memory map to a page already written since the last
msync, which Linux may leave without new times (mmap(2)); no editor saves that way. Either
edit is seen at the file's next save; `build --no-cache` builds everything whatever the
cache says. What is published is safe either way: every SVG is read and judged each build,
and texts are checked when read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import stat
import sys
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.cache import cache_path, load, save
from sitegen.codeversion import code_digest
from sitegen.errors import SiteError, SourceRef
from sitegen.filestats import (
    digest,
    digest_of,
    stat_numbers,
    stat_of,
    stats,
    walk,
)
from sitegen.forks import Aside, aside
from sitegen.lock import output_lock, waiting_line
from sitegen.model.limits import MAX_SOURCE_NAMES
from sitegen.model.project import CONFIG_FILE, CONTENT_DIR, SOURCE_FOLDERS

BUILD_CACHE = "build"  # the cache file's name (sitegen.cache.cache_path)
FORMAT = 2  # of the cache entry; another number is not read
# The variables of git's environment that cannot change which repository it finds or which
# history it shows (the sitemap's dates): any other GIT_* variable is in the git state
# (GIT_CEILING_DIRECTORIES, GIT_NO_REPLACE_OBJECTS, GIT_CONFIG_*...).
_GIT_NEUTRAL_VARS = (
    "GIT_AUTHOR_",
    "GIT_COMMITTER_",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "GIT_PAGER",
    "GIT_ASKPASS",
    "GIT_SSH",
    "GIT_TERMINAL_PROMPT",
    "GIT_TRACE",
)


@dataclass(frozen=True)
class CachedBuild:
    """A build answered from the cache: the same attributes as pipeline.BuildResult that
    the command line reports (nothing written; every file of the output unchanged)."""

    out: Path
    pages: int
    assets: int
    unchanged: int
    jobs: int
    env: str
    warnings: list[SiteError]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0
    removed: int = 0
    rendered: int = 0
    images: None = None
    cached: bool = True

    @property
    def seconds(self) -> float:
        """Seconds spent finding that nothing changed."""
        return sum(self.timings.values())


def build_key(
    root: Path,
    out: Path,
    base_url: str | None,
    drafts: bool,
    deploy: tuple[str, str | None],
    image_cache: Path,
) -> str:
    """A digest (hex) of the options a build's output depends on and of the generator's
    code: two builds with the same key and the same inputs write the same output and the
    same report. The number of workers (--jobs) is not in it: what they find is the same
    however the pages are shared out (render.pool, PageGate.guess_hints)."""
    parts: list[object] = [
        str(root.resolve()),
        str(out.resolve()),
        base_url,
        drafts,
        deploy,
        str(image_cache.resolve()),
        code_digest(),
    ]
    return digest(parts)


@dataclass(frozen=True)
class Snapshot:
    """The state of a folder's files: their names relative to the folder ("\\n"-joined:
    files, and folders, whose times change when an entry is added, removed or renamed)
    and a digest (hex) of their stat."""

    names: str
    digest: str


@dataclass(frozen=True)
class Inputs(Snapshot):
    """The sources' snapshot, and for the builds that render only what changed: the stat
    of each content file by name, and a digest of the rest (site.yaml, layouts/, assets/,
    the git state), on which every page depends."""

    content: dict[str, tuple[int, ...]] = field(default_factory=dict)
    rest: str = ""

    @property
    def taken(self) -> bool:
        """Whether the snapshot was taken: one that could not be (a listing that kept
        changing, or past MAX_SOURCE_NAMES) has no digests, matches no other snapshot and
        is never recorded."""
        return bool(self.digest and self.rest)

    def changed_since(self, content: dict[str, tuple[int, ...]]) -> set[str]:
        """The content files (relative to the project) saved, added or removed since the
        snapshot whose `content` stats these are."""
        names = content.keys() | self.content.keys()
        return {name for name in names if content.get(name) != self.content.get(name)}


def input_snapshot(root: Path, taken: Inputs | None = None) -> Inputs:
    """The stat of every source the build can read (site.yaml, and everything under
    content/, layouts/ and assets/, links followed) and the git state its lastmod dates
    come from. Raises nothing: an unreadable entry is recorded as such (the build
    reports it). The folders are listed again after their stat is taken: a file made
    between the listing of its folder and that stat (which then has it) would otherwise
    be read by the build without its name being recorded, and its later edits not seen;
    a snapshot whose listing changed meanwhile is taken again (and after a few tries
    recorded as matching nothing: the next build is a full one). `taken`: a snapshot
    taken just before (by `replay`, of the last build's names), which is this one when
    the folders, listed now, hold those names (the same rule: listed after the stat)."""
    names = _source_names(root)
    if taken is not None and taken.taken and names is not None and taken.names == names:
        return taken
    for _attempt in range(3):
        if names is None:  # too many to list: see _source_names
            return Inputs("", "", {}, "")
        inputs = _inputs(root, names)
        again = _source_names(root)
        if again == names:
            return inputs
        names = again
    return Inputs(names or "", "", inputs.content, "")  # matches no later snapshot


def _source_names(root: Path) -> str | None:
    """The "\\n"-joined names of site.yaml and of everything under the source folders;
    None past MAX_SOURCE_NAMES (a link into a large tree outside the project, which the
    build refuses: not walked to its end)."""
    names = [CONFIG_FILE]
    for folder in SOURCE_FOLDERS:
        for name, _folder in walk(root / folder, folder, follow=True):
            names.append(name)
            if len(names) > MAX_SOURCE_NAMES:
                return None
    return "\n".join(names)


def _inputs(root: Path, names: str) -> Inputs:
    """The snapshot of the sources `names`."""
    every = hashlib.sha256(names.encode("utf-8", "surrogateescape"))
    rest = hashlib.sha256()
    content: dict[str, tuple[int, ...]] = {}
    inside = f"{CONTENT_DIR}/"
    for name, fields in zip(names.split("\n"), stats(root, names, follow=True), strict=True):
        plain = repr((name, fields)).encode("utf-8", "surrogateescape")
        every.update(plain)
        if not name.startswith(inside):
            rest.update(plain)
        elif fields[0] >= 0 and not stat.S_ISDIR(fields[0]):  # a folder's times: any save
            content[name] = fields
    git = repr(list(_git_state(root))).encode("utf-8", "surrogateescape")
    every.update(git)
    rest.update(git)
    return Inputs(names, every.hexdigest(), content, rest.hexdigest())


def output_snapshot(out: Path) -> Snapshot:
    """The stat of every file and folder in the output folder (links not followed)."""
    joined = "\n".join(name for name, _folder in walk(out, "", follow=False))
    return Snapshot(joined, output_digest(out, joined))


SPLIT_FROM = 4_000  # names: the stat of more is taken in two processes (a fork costs ~10 ms)


def output_digest(out: Path, names: str) -> str:
    """stat_digest of the "\n"-joined `names` in the output folder `out` (links not
    followed); from SPLIT_FROM names on, the second half's stat is taken in a forked
    process (forks.aside) while this one takes the first's: 22,451 names (11,000 pages)
    in about half the 0.1 s."""
    return digest_of(names, output_numbers(out, names))


def output_numbers(out: Path, names: str) -> array:
    """stat_numbers of `names` in `out` (links not followed), as output_digest takes them."""
    if names.count("\n") < SPLIT_FROM:
        return stat_numbers(out, names, follow=False)
    lines = names.split("\n")
    half = len(lines) // 2
    later = aside(functools.partial(stat_numbers, out, "\n".join(lines[half:]), False))
    try:
        numbers = stat_numbers(out, "\n".join(lines[:half]), follow=False)
        numbers.extend(later.result())
    finally:
        later.close()
    return numbers


@dataclass(frozen=True)
class Replayed:
    """What `replay` found: the last build's report when nothing changed (else None),
    and the snapshot of the sources it took to know (None: it took none), which the build
    that follows takes over when the folders still hold the same names
    (input_snapshot's `taken`): a one-file rebuild takes the stat of the sources once."""

    cached: CachedBuild | None
    inputs: Inputs | None = None


def replay(out: Path, key: str, root: Path) -> Replayed:
    """The report of the last build into `out` when a build now would write exactly what
    `out` holds (see the module's text), with the snapshot of the sources taken to know.
    Holds the output's lock meanwhile, so a build committing into `out` is waited for."""
    entry = _entry(out, key)
    if entry is None:
        return Replayed(None)
    inputs, output, report = entry["inputs"], entry["output"], entry["report"]
    if not out.is_dir():
        return Replayed(None)

    def waiting() -> None:  # what write.staging.writing says too
        print(waiting_line(out), file=sys.stderr)

    with output_lock(out, waiting=waiting):
        if _leftovers(out):  # a commit to finish, or folders to remove: the build does it
            return Replayed(None)
        taken = _inputs(root, inputs[0])
        if taken.digest != inputs[1]:
            return Replayed(None, taken)
        if output_digest(out, output[0]) != output[1]:
            return Replayed(None, taken)
    try:
        cached = CachedBuild(
            out=out,
            pages=int(report["pages"]),
            assets=int(report["assets"]),
            unchanged=int(report["files"]),
            jobs=int(report["jobs"]),
            env=str(report["env"]),
            warnings=[_error(w) for w in report["warnings"]],
        )
    except (KeyError, TypeError, ValueError):
        return Replayed(None, taken)  # written by hand, or damaged
    return Replayed(cached, taken)


@dataclass(frozen=True)
class Previous:
    """What the last build into an output folder, still as it left it, knew: the stat of
    each content file, the digest of the other sources (Inputs.rest), the digest of what
    every page shows of others (render.affected.shared_digest) and each page's warnings."""

    content: dict[str, tuple[int, ...]]
    rest: str
    shared: str
    pages: dict[str, list[SiteError]]
    files: int  # in the output folder
    output: str  # the names in the output folder (Snapshot.names)
    guesses: int  # "did you mean" hints its page rules worked out (render.gate)
    stats: array | None = None  # their stat as found (6 numbers a name, see `fields`)


def previous_build(out: Path, key: str) -> Previous | None:
    """What the last build with this key recorded, when `out` is still exactly as it left
    it (else None). The caller holds the output's lock."""
    return PendingPrevious(out, key, fork=False).result()


class PendingPrevious:
    """previous_build's answer, while the stat of every file of the output (a few
    thousand system calls, 70 to 120 ms at 11,000 pages) is taken in a forked process
    (forks.aside) as this one goes on loading the site; `result()` waits for it.
    `close()` ends that process when the answer is not wanted (an error meanwhile). The
    caller holds the output's lock until it has the answer: nothing else writes there."""

    def __init__(self, out: Path, key: str, fork: bool = True) -> None:
        self._entry = entry = _entry(out, key)
        self._numbers: Aside[array] | None = None
        if entry is None or not out.is_dir() or _leftovers(out):
            self._entry = None  # removed (rm -rf public): no need to stat every name it had
            return
        names = entry["output"][0]
        if fork:
            self._numbers = aside(functools.partial(stat_numbers, out, names, False))
        else:
            self._numbers = None
            self._found = output_numbers(out, names)

    def result(self) -> Previous | None:
        """What previous_build returns."""
        entry = self._entry
        if entry is None:
            return None
        numbers = self._numbers.result() if self._numbers is not None else self._found
        output, partial, report = entry["output"], entry["partial"], entry["report"]
        if digest_of(output[0], numbers) != output[1]:
            return None
        try:
            content, rest, shared, pages, guesses = partial
            return Previous(
                {str(name): tuple(fields) for name, fields in content.items()},
                str(rest),
                str(shared),
                {str(url): [_error(w) for w in found] for url, found in pages.items()},
                int(report["files"]),
                output[0],
                int(guesses),
                numbers,
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    def close(self) -> None:
        """End the stat's process if it still runs."""
        if self._numbers is not None:
            self._numbers.close()


def remember(
    out: Path,
    key: str,
    inputs: Inputs,
    counts: tuple[int, int, int, int],
    env: str,
    warnings: Iterable[SiteError],
    shared: str = "",
    pages: dict[str, list[SiteError]] | None = None,
    output_names: str | None = None,
    guesses: int = 0,
    touched: tuple[array, Iterable[str]] | None = None,
) -> None:
    """Record a build that committed into `out`: its key, the inputs' snapshot taken before
    it read them, the output's now (the caller holds the output's lock), and its report:
    `counts` are (pages, assets, files in the output, worker processes); and for the next
    build that renders only what changed, `shared` (render.affected.shared_digest), the
    page rules' warnings by page URL and their "did you mean" guesses (render.gate).
    Only a cache: a cache folder that cannot be written makes the next build a full one.
    `output_names`: the names in `out`, when known (a build that wrote only files that
    were there), which saves listing every folder; and `touched`: their stat as
    previous_build found them and the names of the files the commit moved into `out`,
    which saves the stat of the others. Only the stat of those files and of the folders
    above them is taken again: what the record says of every other file is then from
    before this build, so a change made to one meanwhile is seen by the next build."""
    n_pages, assets, files, jobs = counts
    numbers = None
    if output_names is not None and touched is not None:
        numbers = _stat_again(out, output_names, *touched)
    if output_names is None:
        output = output_snapshot(out)
    elif numbers is not None:
        output = Snapshot(output_names, digest_of(output_names, numbers))
    else:
        output = Snapshot(output_names, output_digest(out, output_names))
    by_page = {url: [_plain(w) for w in found] for url, found in (pages or {}).items() if found}
    entry = {
        "format": FORMAT,
        "key": key,
        "inputs": (inputs.names, inputs.digest),
        "output": (output.names, output.digest),
        "partial": (inputs.content, inputs.rest, shared, by_page, guesses),
        "report": {
            "pages": n_pages,
            "assets": assets,
            "files": files,
            "jobs": jobs,
            "env": env,
            "warnings": [_plain(w) for w in warnings],
        },
    }
    with contextlib.suppress(OSError):
        save(cache_path(out, BUILD_CACHE), entry)


def forget(out: Path) -> None:
    """Drop the record of the builds into `out` (a failed build, or --no-cache)."""
    with contextlib.suppress(OSError):
        cache_path(out, BUILD_CACHE).unlink(missing_ok=True)


def _leftovers(out: Path) -> bool:
    """Whether a killed build left something beside `out`: a journal, a staging or trash
    folder (all named `.<name>.*`, see model.journal), which a build removes."""
    start = f".{out.name}."
    try:
        return any(name.startswith(start) for name in os.listdir(out.parent))
    except OSError:
        return True


def _entry(out: Path, key: str) -> dict | None:
    """The cache entry of the last build into `out` when it was made with `key` and has
    every part in its shape (else None: none, another key, damaged or written by hand)."""
    entry = load(cache_path(out, BUILD_CACHE))
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    if not (
        _is_snapshot(entry.get("inputs"))
        and _is_snapshot(entry.get("output"))
        and isinstance(entry.get("partial"), tuple)
        and isinstance(entry.get("report"), dict)
    ):
        return None
    return entry


def _is_snapshot(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], str)
    )


def _plain(error: SiteError) -> tuple:
    src = error.source
    where = (src.path, src.line, src.column) if src is not None else None
    return (error.message, where, error.hint)


def _error(values: object) -> SiteError:
    if not isinstance(values, tuple) or len(values) != 3:
        raise ValueError("not a warning")
    message, where, hint = values
    source = SourceRef(*where) if where is not None else None
    return SiteError(str(message), source, hint)


def _stat_again(out: Path, names: str, numbers: array, moved: Iterable[str]) -> array | None:
    """`numbers` (the stat of `names` in `out`, links not followed: 6 numbers a name)
    with those of the `moved` files and of the folders above them taken again; None
    when a moved file is not among `names` (the commit made it)."""
    listed = names.split("\n")
    if len(numbers) != 6 * len(listed):
        return None
    index = {name: position for position, name in enumerate(listed)}
    again: set[str] = set()
    for name in moved:
        if name not in index:
            return None
        while name not in again:
            again.add(name)
            name = name.rpartition("/")[0]  # its folder; "" is `out` itself
    updated = array("q", numbers)
    if not again:
        return updated
    for name, fields in zip(
        sorted(again), stats(out, "\n".join(sorted(again)), False), strict=True
    ):
        if name not in index:
            return None
        position = 6 * index[name]
        updated[position : position + 6] = array("q", fields[:6])
    return updated


def _git_state(root: Path) -> Iterator[tuple]:
    """The stat and text of the git files that say which commit is checked out and which
    files are staged, for the repository holding `root` (nothing outside a repository)."""
    git = _git_dir(root.resolve())
    if git is None:
        return
    common = git
    with contextlib.suppress(OSError, UnicodeDecodeError):
        common = (git / (git / "commondir").read_text(encoding="utf-8").strip()).resolve()
    head = ""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
    yield ("HEAD", head)
    if head.startswith("ref: "):
        ref = head[5:]
        for base in (git, common):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                yield (ref, (base / ref).read_text(encoding="utf-8").strip())
    for path in (git / "index", common / "packed-refs", common / "shallow", git / "shallow"):
        yield (str(path), stat_of(path))
    # What rewrites the history `git log` shows (and so the dates) without moving HEAD:
    # replace refs (`git replace`), the grafts file, the config (core.useReplaceRefs) and
    # the variables git reads for them.
    yield ("env", *_git_environment())
    replace_base = os.environ.get("GIT_REPLACE_REF_BASE") or "refs/replace/"
    replace = common / replace_base
    for name, _folder in walk(replace, "", follow=False):
        yield ("replace", name, stat_of(replace / name if name else replace))
    graft = os.environ.get("GIT_GRAFT_FILE")
    for path in (common / "info" / "grafts", common / "config", git / "config.worktree"):
        yield (str(path), stat_of(path))
    if graft:
        yield (graft, stat_of(Path(graft)))


def _git_environment() -> Iterator[tuple]:
    """What of the environment decides which repository git finds and which history it
    shows: its GIT_* variables, its user's config files (safe.directory,
    core.useReplaceRefs...) and the git program itself."""
    yield from sorted(
        (name, value)
        for name, value in os.environ.items()
        if name.startswith("GIT_") and not name.startswith(_GIT_NEUTRAL_VARS)
    )
    home = os.environ.get("HOME", "")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    for path in (os.path.join(home, ".gitconfig"), os.path.join(xdg, "git", "config")):
        yield (path, stat_of(Path(path)))
    program = shutil.which("git")
    yield ("git", program, stat_of(Path(program)) if program else None)


def _git_dir(start: Path) -> Path | None:
    """The git folder of the repository holding `start`: a `.git` folder, or the one a
    `.git` file names (a worktree or submodule); None outside a repository."""
    for folder in (start, *start.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():
            with contextlib.suppress(OSError, UnicodeDecodeError):
                text = dot.read_text(encoding="utf-8").strip()
                if text.startswith("gitdir: "):
                    return (folder / text[8:]).resolve()
            return None
    return None
