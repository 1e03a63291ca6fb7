"""Where in an editor's text a finding of the page rules is: the file, line and column of
its subject (an address, an id), the nth one when the text has several; for an address
made with tags, the line mark the conversion left in it."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from urllib.parse import quote, unquote

from sitegen.errors import SourceRef
from sitegen.model.images import RASTER_SOURCES, VARIANTS_URL
from sitegen.model.project import ASSETS_URL
from sitegen.model.records import ContentText
from sitegen.rules.attribution import find
from sitegen.text.tags import LINE_MARK, TAG, blank_code
from sitegen.text.template import content_at, content_line

Tagged = tuple[list[str], SourceRef]
"""An address of a text made with tags: its fixed parts, and its place in the file."""

_ADDRESS_START = re.compile(r'(?:href|src)="')
_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}


def tagged_addresses(text: ContentText, source: str) -> list[Tagged]:
    """The addresses (href, src) of a prepared text (`source`) that are made with tags,
    each with the place in the content file its line mark gives."""
    found = []
    for address in _addresses_with_tags(source):
        mark = LINE_MARK.search(address)
        if mark is None:
            continue
        parts = [part for part in TAG.split(address) if part]
        found.append((parts, content_line(text, int(mark.group(1)))))
    return found


def _addresses_with_tags(source: str) -> list[str]:
    """The value of each href and src of `source` that holds a tag; a tag may hold quotes
    (`{{ city | replace(" ", "-") }}`), so the value ends at the first quote outside one."""
    found = []
    for start in _ADDRESS_START.finditer(source):
        i = start.end()
        while i < len(source) and source[i] != '"':
            close = _CLOSE.get(source[i : i + 2])
            if close is None:
                i += 1
                continue
            end = source.find(close, i + 2)
            if end < 0:
                break
            i = end + 2
        value = source[start.end() : i]
        if "{{" in value or "{%" in value:
            found.append(value)
    return found


def place_in(
    text: ContentText, subject: str | None, nth: int = 0, tagged: Sequence[Tagged] = ()
) -> SourceRef:
    """Where the `nth` `subject` is in the editor's `text`: file, line and column (a YAML
    text's line only: its lines were folded or indented). Else, for an address made with
    tags, the place of the one whose fixed parts it has; else the text's first line."""
    # code spans and blocks blanked: an address shown as code is no link
    offset = find(subject, _blank(text.text), nth) if subject else None
    if offset is None and subject:
        offset = find(subject, text.text, nth)
    if offset is None and subject:
        offset = _picture_source(subject, _blank(text.text), nth)
    if offset is None:
        for parts, place in tagged:
            # an address that is all tag matches anything: only when it is the only one
            if subject and (parts or len(tagged) == 1) and _has_in_order(subject, parts):
                return place
        return text.source
    return _at_offset(text, offset)


_VARIANT = re.compile(re.escape(VARIANTS_URL) + r"(.+)-(?:\d+|og)\.[0-9a-f]{10}\.[a-z]+")
_SOURCE_SUFFIX = "|".join(re.escape(suffix) for suffix in RASTER_SOURCES)


def _picture_source(subject: str, text: str, nth: int) -> int | None:
    """Where `text` names the source of the picture whose variant is `subject`: a Markdown
    image becomes a <picture> of files in /assets/variants/ (render.pictures), so a
    finding about it names /assets/variants/images/room-728.1a2b3c4d5e.jpg where the editor
    wrote /assets/images/room.jpg (or its name percent-encoded). None when `subject` is no
    variant or its source is not named."""
    match = _VARIANT.fullmatch(unquote(subject))
    if match is None:
        return None
    stem = ASSETS_URL + match.group(1)
    forms = "|".join(re.escape(form) for form in dict.fromkeys((stem, quote(stem, safe="/"))))
    found = [
        m.start()
        for m in re.finditer(rf"(?:{forms})(?:{_SOURCE_SUFFIX})(?![\w.%-])", text, re.IGNORECASE)
    ]
    return found[min(nth, len(found) - 1)] if found else None


def place_of_id(text: ContentText, value: str) -> SourceRef:
    """Where the editor's `text` gives the id `value`: an id attribute in any of HTML's
    forms (outside code), else a heading or footnote that makes it, else its first line."""
    blank = _blank(text.text)
    given = re.search(rf"""\bid\s*=\s*["']?{re.escape(value)}(?=["'\s>/])""", blank, re.I)
    if given is not None:
        return _at_offset(text, given.start())
    return place_in(text, value)


def _at_offset(text: ContentText, offset: int) -> SourceRef:
    """The place in the file of the character at `offset` in `text`."""
    if text.line_starts:
        return content_at(text, offset)
    line = (text.source.line or 1) + text.text.count("\n", 0, offset)
    return text.source.at(line, offset - text.text.rfind("\n", 0, offset))


@functools.lru_cache(maxsize=64)
def _blank(text: str) -> str:
    """blank_code(text), worked out once for the many findings a text may have."""
    return blank_code(text)


def _has_in_order(value: str, parts: list[str]) -> bool:
    """Whether `value` holds each of `parts`, in their order."""
    position = 0
    for part in parts:
        position = value.find(part, position)
        if position < 0:
            return False
        position += len(part)
    return True
