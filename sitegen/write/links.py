"""No symbolic link inside the output folder: the build never makes one, and a file
written or removed through one would land outside the output."""

from __future__ import annotations

import os
from pathlib import Path


def remove_links(out: Path) -> int:
    """Remove every symbolic link inside the output folder `out`, so that no file is read
    or written through one (a link to a folder elsewhere would take the pages there). The
    build never makes links, so any link there is not its own; removing one never touches
    what it points at. Returns how many were removed."""
    removed = 0
    pending = [str(out)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:  # the entry's type comes with the listing: no stat each
                if entry.is_symlink():
                    os.unlink(entry.path)
                    removed += 1
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    return removed
