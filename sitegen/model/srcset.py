"""The `srcset` attribute of <img> and <source>: its image candidates, read as a browser
reads them (WHATWG HTML, "parse a srcset attribute",
https://html.spec.whatwg.org/multipage/images.html#parsing-a-srcset-attribute).

A candidate is a URL and at most one descriptor: a width (`356w`, in image pixels) or a
pixel density (`2x`); none means 1x. A URL runs to the next whitespace and may hold
commas (`/img,q_80/a.jpg 2x`); commas at its end separate it from the next candidate. A
candidate whose descriptors are not exactly one valid width or density (`0w`, `1.5w`,
`2x 100w`, `big`) is dropped, as browsers drop it; a height descriptor (`100h`, future
syntax) is ignored with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACE = " \t\n\f\r"  # ASCII whitespace (https://infra.spec.whatwg.org/#ascii-whitespace)
_WIDTH = re.compile(r"^[0-9]+$")
_DENSITY = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


@dataclass(frozen=True)
class Candidate:
    """One image candidate: its URL as written, and its width in image pixels (a `w`
    descriptor) or else its pixel density (`x`; 1.0 when it has no descriptor)."""

    url: str
    width: int | None = None
    density: float | None = None


def candidates(srcset: str) -> list[Candidate]:
    """The valid image candidates of a srcset value, in order."""
    found: list[Candidate] = []
    at, end = 0, len(srcset)
    while True:
        while at < end and (srcset[at] in _SPACE or srcset[at] == ","):
            at += 1
        if at >= end:
            return found
        start = at
        while at < end and srcset[at] not in _SPACE:
            at += 1
        url = srcset[start:at]
        descriptors: list[str] = []
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            descriptors, at = _descriptors(srcset, at)
        candidate = _candidate(url, descriptors)
        if candidate is not None:
            found.append(candidate)


def _descriptors(srcset: str, at: int) -> tuple[list[str], int]:
    """The descriptor tokens that follow a URL ending at `at`, up to the comma that ends the
    candidate (a comma inside parentheses does not), and where reading stopped."""
    tokens: list[str] = []
    current = ""
    depth = 0
    end = len(srcset)
    while at < end:
        char = srcset[at]
        at += 1
        if depth:
            current += char
            depth -= char == ")"
        elif char in _SPACE:
            if current:
                tokens.append(current)
                current = ""
        elif char == ",":
            break
        else:
            current += char
            depth += char == "("
    if current:
        tokens.append(current)
    return tokens, at


def _candidate(url: str, descriptors: list[str]) -> Candidate | None:
    """The candidate of `url` with these descriptor tokens, None when they are invalid."""
    if not url:
        return None
    width: int | None = None
    density: float | None = None
    height = False
    for token in descriptors:
        number, kind = token[:-1], token[-1:].lower()
        if kind == "w" and width is None and density is None and _WIDTH.match(number):
            width = int(number)
            if width <= 0:
                return None
        elif kind == "x" and width is None and density is None and _DENSITY.match(number):
            density = float(number)
            if density < 0:
                return None
        elif kind == "h" and not height and _WIDTH.match(number) and int(number) > 0:
            height = True
        else:
            return None
    if height and width is None:
        return None  # a height only goes with a width
    return Candidate(url, width, density if width is not None or density is not None else 1.0)
