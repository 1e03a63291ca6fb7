"""The generator's cache files: in the user's cache folder, never in the project or its
output, written atomically, holding only plain values."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path


def cache_dir() -> Path:
    """The user's cache folder: $SITEGEN_CACHE, else $XDG_CACHE_HOME/sitegen, else
    ~/.cache/sitegen (the XDG Base Directory Specification's default)."""
    if os.environ.get("SITEGEN_CACHE"):
        return Path(os.environ["SITEGEN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitegen"


def cache_path(out: Path, name: str) -> Path:
    """The cache file `name` of the output folder `out` (keyed by its absolute path)."""
    key = hashlib.sha1(os.fsencode(out.resolve())).hexdigest()[:16]
    return cache_dir() / f"{name}-{key}.marshal"


def save(path: Path, data: object) -> None:
    """Write atomically: a reader never sees half a file. The caches hold only plain values
    (str, int, tuples, lists, dicts, frozensets), which marshal writes and reads several
    times faster than pickle. Raises OSError when the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(marshal.dumps(data))  # type: ignore[arg-type]  # plain values
    os.replace(temporary, path)


def load(path: Path) -> object | None:
    """What `save` wrote, or None when the file is missing or unreadable."""
    try:
        found: object = marshal.loads(path.read_bytes())
        return found
    except (OSError, ValueError, EOFError, TypeError):
        return None
