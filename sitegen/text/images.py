"""Width and height for the images editors place in Markdown, so the browser reserves
their space before they load (no layout shift, one of Core Web Vitals)."""

from __future__ import annotations

import re
from collections.abc import Callable

_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_SRC = re.compile(r'\bsrc="([^"]+)"')
_SIZED = re.compile(r"\b(?:width|height)=")

SizeOf = Callable[[str], "tuple[int, int] | None"]
"""(width, height) of an image of the site by its URL, None if not known."""


def sized_images(html: str, size_of: SizeOf) -> str:
    """`html` with width, height and loading="lazy" on each <img> whose file size_of knows
    and that has no size yet (an editor's own width/height is kept)."""

    def add(match: re.Match[str]) -> str:
        attributes = match.group(1)
        src = _SRC.search(attributes)
        if src is None or _SIZED.search(attributes):
            return match.group()
        size = size_of(src.group(1))
        if size is None:
            return match.group()
        width, height = size
        lazy = "" if "loading=" in attributes else ' loading="lazy"'
        return f'<img{attributes} width="{width}" height="{height}"{lazy}>'

    return _IMG.sub(add, html)
