"""The generator's code, as the build cache's key and the resident build process see it:
a digest of the stat of every file of the sitegen package and of each library it renders
with, found without importing them."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

from sitegen import __version__
from sitegen.filestats import digest, stat_digest, stat_of, walk

PACKAGE = Path(__file__).resolve().parent  # the generator's code

# The libraries whose code shapes the output (pyproject's dependencies that a build uses):
# an upgrade of one makes a full build. tests/test_build_cache.py keeps this list complete.
LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown",
    "yaml",
    "lxml",
    "pydantic",
    "pydantic_core",
    "phonenumbers",
    "PIL",
    "nh3",
)


def code_digest() -> str:
    """A digest (hex) of the generator's code: Python's version, sitegen's version and
    the stat of every file of the sitegen package and of each library it renders with."""
    return digest([__version__, sys.version, *_code_stats()])


def _code_stats() -> Iterator[tuple]:
    """The stat of every file of the sitegen package and of each library's package file
    (found without importing it)."""
    names = "\n".join(  # files only: a folder changes when __pycache__ is made in it
        name
        for name, folder in walk(PACKAGE, "", follow=True)
        if not folder and "__pycache__" not in name.split("/")  # compiled on first import
    )
    yield ("sitegen", stat_digest(PACKAGE, names, follow=True))
    for name in LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        if origin is None:
            yield (name, None)
            continue
        yield (name, origin, stat_of(Path(origin)), stat_of(Path(origin).parent))
