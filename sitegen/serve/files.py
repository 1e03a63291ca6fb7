"""Which file of the served folder answers a request path: never one outside it, whatever
the path says (`..`, encoded dots, backslashes) or wherever a symlink points."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    status: int  # 200, 301 (add a slash), 403 (refused), 404
    file: str | None = None  # the real path of the file to send
    location: str | None = None  # for 301


def resolve(folder: str, path: str) -> Answer:
    """`path` is the request's path, percent-decoded (tornado decodes it), without the query.
    `folder` must be a real path (os.path.realpath)."""
    if "\0" in path or "\\" in path or not path.startswith("/"):
        return Answer(403)
    parts = path.split("/")[1:]
    if any(part in (".", "..") for part in parts):
        return Answer(403)
    candidate = os.path.join(folder, *[p for p in parts if p])
    if path.endswith("/"):
        candidate = os.path.join(candidate, "index.html")
    elif os.path.isdir(candidate):
        if os.path.isfile(os.path.join(candidate, "index.html")):
            # as Netlify does for a folder's page; one leading slash, so that "//name" cannot
            # turn into a redirect to the host "name"
            return Answer(301, location="/" + "/".join(p for p in parts if p) + "/")
        return Answer(404)
    real = os.path.realpath(candidate)
    if not real.startswith(folder + os.sep):
        return Answer(403)  # a symlink (or a name) that leads out of the served folder
    if not os.path.isfile(real):
        return Answer(404)
    return Answer(200, real)
