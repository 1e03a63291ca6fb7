"""The version of everything that can change a finding, which keys the checker's cache:
every Python source file of the sitegen package, and the versions of Python, lxml and
libxml2. A cache written under any other version is not read."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

PACKAGE = Path(__file__).parent.parent  # sitegen/


def code_version(package: Path, runtime: Iterable[str]) -> str:
    """A hex digest of each .py file under `package` (its path relative to `package`, then
    its bytes, in the order of those paths) and of the `runtime` version strings. Renaming
    a file changes it as much as changing a byte does. Raises OSError when a file cannot
    be read."""
    digest = hashlib.sha256()
    for line in runtime:
        digest.update(f"{line}\n".encode())
    for name, path in _sources(package):
        with open(path, "rb") as file:
            data = file.read()
        # the path and the length first: no two sets of files hash the same bytes
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _sources(package: Path) -> list[tuple[str, str]]:
    """(path relative to `package` with forward slashes, full path) of each .py file under
    it, sorted by the relative path (os.walk: a third of the time Path.rglob takes)."""
    base = str(package)
    start = len(os.path.join(base, ""))  # where a relative path starts in a full one
    found: list[tuple[str, str]] = []
    for folder, folders, names in os.walk(base):
        folders[:] = [f for f in folders if f != "__pycache__"]
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                found.append((path[start:].replace(os.sep, "/"), path))
    return sorted(found)


def runtime_versions() -> tuple[str, ...]:
    """The versions of what runs the rules besides our code: Python (its hash width too:
    the main-text sketches hash tuples of ints), lxml, and the libxml2 it parses with."""
    return (
        f"python {sys.implementation.name} {sys.version} {sys.hash_info.width}",
        f"lxml {etree.__version__}",
        f"libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}",
    )


@functools.cache
def cache_version() -> str:
    """code_version of this sitegen package and runtime, worked out once per process."""
    return code_version(PACKAGE, runtime_versions())
