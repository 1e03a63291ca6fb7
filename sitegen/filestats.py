"""Digests of files and folders by their stat: what the build cache (sitegen.buildcache)
and the generator's code digest (sitegen.codeversion) compare to see a change without
reading the files. Only the standard library, and no dataclass: the command line imports
it for every build it hands to the resident process."""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO


def digest(parts: Iterable[object]) -> str:
    """A SHA-256 digest (hex) of the repr of each of `parts`, one a line: of values whose
    repr is stable (strings, numbers, tuples and lists of them, None)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(repr(part).encode("utf-8", "surrogateescape"))
        hashed.update(b"\n")
    return hashed.hexdigest()


def stat_of(path: Path) -> tuple:
    """What a change of the file at `path` changes, following links; the link's target
    too. ('missing',) when there is nothing there."""
    try:
        found = os.stat(path)
    except OSError as exc:
        return ("missing", str(path), exc.errno)
    return (*fields(found), link_target(str(path)) if os.path.islink(path) else None)


def fields(found: os.stat_result) -> tuple[int, ...]:
    """The stat fields a change of a file changes: mode, size, modification and change
    times in ns, inode, device."""
    return (
        found.st_mode,
        found.st_size,
        found.st_mtime_ns,
        found.st_ctime_ns,
        found.st_ino,
        found.st_dev,
    )


def walk(top: Path, name: str, follow: bool) -> Iterator[tuple[str, bool]]:
    """(name, whether a folder) of `top` and of every file and folder under it, the names
    relative to `top`'s parent and starting with `name`, in a stable order; with `follow`,
    links are followed (once each: a link back up is not walked again)."""
    seen: set[tuple[int, int]] = set()
    pending = [(str(top), name)]
    while pending:
        path, relative = pending.pop()
        try:
            if follow:
                found = os.stat(path)
                if (found.st_dev, found.st_ino) in seen:
                    continue
                seen.add((found.st_dev, found.st_ino))
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name, reverse=True)
        except OSError:
            yield relative, False  # a file, or unreadable: its stat says which
            continue
        yield relative, True
        for entry in entries:
            inner = f"{relative}/{entry.name}" if relative else entry.name
            try:
                folder = entry.is_dir(follow_symlinks=follow)
            except OSError:
                folder = False
            if folder:
                pending.append((entry.path, inner))
            else:
                yield inner, False


def stat_digest(base: Path, names: str, follow: bool) -> str:
    """A digest (hex) of the stat of each of the "\\n"-joined `names` under `base` (see
    `stats`)."""
    return digest_of(names, stat_numbers(base, names, follow))


def stat_numbers(base: Path, names: str, follow: bool) -> array:
    """The stat of each of the "\\n"-joined `names` under `base` (see `stats`) as
    numbers: 6 a name, and with `follow` 2 more for a link (its target's hash)."""
    numbers = array("q")
    for fields in stats(base, names, follow):
        numbers.extend(fields[:6])
        if len(fields) > 6:
            numbers.extend(hash_text(str(fields[6])))
    return numbers


def digest_of(names: str, numbers: array) -> str:
    """A SHA-256 digest (hex) of the "\\n"-joined `names` and their `stat_numbers`."""
    hashed = hashlib.sha256(names.encode("utf-8", "surrogateescape"))
    hashed.update(numbers.tobytes())
    return hashed.hexdigest()


def hash_text(text: str) -> tuple[int, int]:
    """Two numbers standing for `text` (from its SHA-256), to go with stat fields."""
    raw = hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(raw[:8], "little", signed=True), int.from_bytes(
        raw[8:16], "little", signed=True
    )


def stats(base: Path, names: str, follow: bool) -> Iterator[tuple]:
    """The stat (mode, size, modification and change times in ns, inode, device) of each
    of the "\\n"-joined `names` under `base`, and with `follow` the target of each link
    (as a seventh field); (-1, errno, 0, 0, 0, 0) for a name that cannot be read."""
    stat_of = os.stat if follow else os.lstat
    prefix = f"{base}/"
    for name in names.split("\n"):
        path = prefix + name if name else str(base)
        try:
            found = stat_of(path)
        except OSError as exc:
            yield (-1, exc.errno or 0, 0, 0, 0, 0)
            continue
        if follow and os.path.islink(path):
            yield (*fields(found), link_target(path) or "")
        else:
            yield fields(found)


def link_target(path: str) -> str | None:
    """The target a link names (None: not a link)."""
    try:
        return os.readlink(path)
    except OSError:
        return None


def read_capped(file: BinaryIO, limit: int) -> bytes:
    """At most `limit` + 1 bytes (the +1 says the file is larger than `limit`) of the open
    binary `file`, from where it stands. Asks for as many bytes as fstat says the file has,
    then reads on when it had more (it grew, or its size is not known: /proc, a pipe):
    `file.read(limit + 1)` first makes a buffer of that many bytes, 2 MB for a 3 KB
    source file, which cost ~40 us a file."""
    size = os.fstat(file.fileno()).st_size
    wanted = min(size, limit) + 1
    data = file.read(wanted)
    if len(data) < wanted or len(data) > limit:
        return data
    return data + file.read(limit + 1 - len(data))
