"""One loader for every kind of content file: find the files, read and parse them (on two
cores when there are many), then validate each into its record, in file order, so that
errors are reported the same way whatever the number of files.

A site with a thousand locations has two thousand files to parse before anything else can
happen, and libyaml spends ~0.1 ms on each: a forked worker parses the second half while
this process parses the first; the parsed files (plain data, a few KB each) come back
pickled, which costs a fraction of parsing them again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from sitegen.errors import BuildFailed, ErrorList, SiteError, SourceRef, relative_path
from sitegen.forks import fork_map
from sitegen.load.files import slugs_of, source_files
from sitegen.load.frontmatter import MarkdownSource, split_front_matter
from sitegen.load.kept import Records
from sitegen.load.textfiles import read_text
from sitegen.load.yamlfile import parse_yaml
from sitegen.model.document import YamlDoc

K = TypeVar("K")  # a record's key: a slug, or (location, program) for a local text
R = TypeVar("R")  # the record
P = TypeVar("P", MarkdownSource, YamlDoc)  # a parsed file

MIN_FILES_TO_FORK = 400  # below this, forking costs more than it saves


@dataclass(frozen=True)
class ContentKind(Generic[K, P, R]):
    """One kind of content file: which files it has (with their keys; bad names are
    errors), how one file is parsed (in any process), and how a parsed file becomes a
    record (validated, in this process; raises SiteError or BuildFailed)."""

    name: str
    find: Callable[[Path, ErrorList], list[tuple[K, Path]]]
    parse: Callable[[Path, Path], P]  # (file, project root) -> parsed
    make: Callable[[K, P], R]


@dataclass(frozen=True)
class Loaded(Generic[K, R]):
    """The valid records of one kind by key, and the keys of files with errors."""

    records: dict[K, R]
    broken: set[K]


def load_kind(
    root: Path, kind: ContentKind[K, P, R], errors: ErrorList, kept: Records | None = None
) -> Loaded[K, R]:
    """Every file of `kind` under `root` as a record; each problem is added to `errors`.
    Files with a record in `kept` (the dev server's records of unchanged files) are not
    read again, and new records are added to it."""
    kept = kept if kept is not None else Records()
    files = kind.find(root, errors)
    to_read = [(key, path) for key, path in files if kept.get(path) is None]
    parsed = read_all(lambda path: kind.parse(path, root), [path for _key, path in to_read])
    broken: set[K] = set()
    for (key, path), outcome in zip(to_read, parsed, strict=True):
        broken.add(key)
        with errors.catching():
            kept.put(path, kind.make(key, outcome.get()))
            broken.discard(key)
    records: dict[K, R] = {}
    for key, path in files:
        record = kept.get(path)
        if record is not None:
            records[key] = record  # type: ignore[assignment]  # kept holds this kind here
    return Loaded(records, broken)


def in_folder(folder: str, suffixes: tuple[str, ...]) -> Callable[[Path, ErrorList], list]:
    """The files with these suffixes directly in `folder`, keyed by slug."""

    def find(root: Path, errors: ErrorList) -> list[tuple[str, Path]]:
        return slugs_of(source_files(root / folder, suffixes), root, errors)

    return find


def in_subfolders(folder: str, suffixes: tuple[str, ...]) -> Callable[[Path, ErrorList], list]:
    """The files with these suffixes in each folder inside `folder`, keyed by (folder name,
    slug); hidden folders are ignored."""

    def find(root: Path, errors: ErrorList) -> list[tuple[tuple[str, str], Path]]:
        base = root / folder
        if not base.is_dir():
            return []
        found: list[tuple[tuple[str, str], Path]] = []
        for sub in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for slug, path in slugs_of(source_files(sub, suffixes), root, errors):
                found.append(((sub.name, slug), path))
        return found

    return find


def parse_markdown(path: Path, root: Path) -> MarkdownSource:
    """A Markdown file split into its front matter and body."""
    return split_front_matter(read_text(path, root), SourceRef(relative_path(path, root)))


def parse_yaml_file(path: Path, root: Path) -> YamlDoc:
    """A YAML file, with the position of every key."""
    return parse_yaml(read_text(path, root), SourceRef(relative_path(path, root)))


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What reading one file gave: its result, or the source error it raised."""

    value: R | None = None
    error: SiteError | BuildFailed | None = None

    def get(self) -> R:
        """The result; raises the SiteError or BuildFailed that reading the file raised."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]  # None only with an error


T = TypeVar("T")


def read_all(func: Callable[[T], R], items: Sequence[T]) -> list[Outcome[R]]:
    """[func(item) for item in items] as outcomes, in order; with enough items, a forked
    worker computes the second half while this process computes the first."""
    if len(items) < MIN_FILES_TO_FORK:
        return [_outcome(func, item) for item in items]
    half = len(items) // 2
    shares = (items[:half], items[half:])
    done = fork_map(lambda i: [_outcome(func, item) for item in shares[i]], 2, 1, share=True)
    return done[0] + done[1]


def _outcome(func: Callable[[T], R], item: T) -> Outcome[R]:
    try:
        return Outcome(value=func(item))
    except (SiteError, BuildFailed) as error:
        return Outcome(error=error)
