"""Which file of the served folder answers a request path: never one outside it, whatever
the path says (`..`, encoded dots, backslashes) or wherever a symlink points."""

from __future__ import annotations

import os
from dataclasses import dataclass

INDEX = "index.html"


@dataclass(frozen=True)
class Answer:
    """How to answer a request: send `file` (200), redirect to `location` (301), refuse
    (403) or not found (404)."""

    status: int  # 200, 301 (add a slash), 403 (refused), 404
    file: str | None = None  # the real path of the file to send
    location: str | None = None  # for 301


def resolve(folder: str, path: str) -> Answer:
    """`path` is the request's path, percent-decoded (tornado decodes it), without the query.
    `folder` must be a real path (os.path.realpath). Where a path leads is settled (symlinks
    followed) before anything else is looked at, so no answer tells about a place outside."""
    if "\0" in path or "\\" in path or not path.startswith("/"):
        return Answer(403)
    parts = [p for p in path.split("/")[1:] if p]
    if any(part in (".", "..") for part in parts):
        return Answer(403)
    real = os.path.realpath(os.path.join(folder, *parts))
    if not _inside(real, folder):
        return Answer(403)  # a symlink (or a name) that leads out of the served folder
    if path.endswith("/"):
        real = os.path.realpath(os.path.join(real, INDEX))
        if not _inside(real, folder):
            return Answer(403)
    elif os.path.isdir(real):
        if os.path.isfile(os.path.join(real, INDEX)):
            # as Netlify does for a folder's page; one leading slash, so that "//name" cannot
            # turn into a redirect to the host "name"
            return Answer(301, location="/" + "/".join(parts) + "/")
        return Answer(404)
    if not os.path.isfile(real):
        return Answer(404)
    return Answer(200, real)


def _inside(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder + os.sep)
