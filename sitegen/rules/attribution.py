"""Which file and line a finding sends an editor to: the first of the page's texts (its
local text, its program or page file, its location's data) that holds what the finding
is about, at the line where it is. The build knows each text it rendered; `check` reads
the files the build's manifest names. Both look the subject up here."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape, unescape

DATA_RULES = frozenset({"clinic-required", "clinic-mismatch", "clinic-recommended"})
"""Rules about a location's data (name, address, phone, hours): its YAML file is to blame."""
LOCAL_TEXT_RULES = frozenset({"doorway", "near-duplicate"})
"""Rules whose remedy is more text of the page's own: its local text file is to blame."""


@dataclass(frozen=True)
class SourceText:
    """A text an editor wrote: its file (relative to the project), the text, and the file
    line its first line is on (1 for a whole file)."""

    path: str
    text: str
    first_line: int = 1


def locate(subject: str | None, texts: Iterable[SourceText]) -> tuple[str, int, int] | None:
    """(file, 1-based line, 1-based column) of the first of `texts` that holds `subject`;
    None when none does, or there is no subject. A subject that is a word and a colon is
    a YAML key (`hours:`), found at the start of a line; any other is found as written, or
    HTML-unescaped, or with its whitespace and case loosened."""
    if not subject:
        return None
    for source in texts:
        offset = find(subject, source.text)
        if offset is not None:
            line = source.first_line + source.text.count("\n", 0, offset)
            column = offset - source.text.rfind("\n", 0, offset)
            return source.path, line, column
    return None


def find(subject: str, text: str, nth: int = 0) -> int | None:
    """The offset in `text` where `subject` is (see `locate`), or None. An address is looked
    for where Markdown or HTML writes one first (after `(`, a quote, `<` or `]: `), then
    anywhere; `nth` picks a later one of several (the last when there are fewer)."""
    if _YAML_KEY.fullmatch(subject):
        key = re.search(rf"^[ \t-]*{re.escape(subject)}", text, re.MULTILINE)
        return key.start() if key else None
    for form in dict.fromkeys((subject, unescape(subject), escape(subject, quote=False))):
        chosen = _candidates(form, text)
        if chosen:
            return chosen[min(nth, len(chosen) - 1)]
    words = subject.split()
    if not words:
        return None
    loose = re.search(r"\s+".join(map(re.escape, words)), text, re.IGNORECASE)
    return loose.start() if loose else None


_YAML_KEY = re.compile(r"[A-Za-z_][\w-]*:")  # `hours:`: a key, found at a line's start
_OPENERS = ("(", '"', "'", "<", ": ", "=")  # what comes before an address in Markdown/HTML
_CLOSERS = {"", ")", '"', "'", ">", " ", "\t", "\n", "#", "?"}  # and what comes after it


@functools.lru_cache(maxsize=256)
def _candidates(form: str, text: str) -> tuple[int, ...]:
    """The offsets of `form` in `text` where an address is written (else all of them),
    worked out once for the many findings one text may have."""
    offsets = _all(form, text)
    end = len(form)
    written = [
        o
        for o in offsets
        if text[max(0, o - 2) : o].endswith(_OPENERS) and text[o + end : o + end + 1] in _CLOSERS
    ]
    return tuple(written or offsets)


def _all(form: str, text: str) -> list[int]:
    """Every offset of `form` in `text` (at most 100,000)."""
    found: list[int] = []
    offset = text.find(form)
    while offset >= 0 and len(found) < 100_000:
        found.append(offset)
        offset = text.find(form, offset + 1)
    return found
