"""Fields published as written: a variable in one would reach the page as typed.

Only some fields of a content file are rendered with variables (variables.TEMPLATE_FIELDS
and the bodies); a title, a summary, an alt text, a benefit, a quote or a location's
description is shown as written. `{{ city }}` or `{city}` in one of them is an error at
its line, naming the fields of that file that do take variables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from sitegen.errors import SiteError, SourceRef
from sitegen.memo import RecordMemo, no_key, per_record
from sitegen.model.records import LocalText, Location, Page, Program, SiteContent, text_at
from sitegen.text.template import content_at
from sitegen.text.variables import LOCATION, PROGRAM, SITE, TEMPLATE_FIELDS

_TAG = re.compile(r"\{\{.*?(?:\}\}|$)|\{%.*?(?:%\}|$)", re.DOTALL)
_SINGLE = re.compile(r"(?<!\{)\{\s*(" + "|".join(sorted(SITE | LOCATION | PROGRAM)) + r")\s*\}")

Record = Program | Location | LocalText | Page


Findings = RecordMemo[Record, list[SiteError]]
"""The findings of each record, kept from one call to the next (pipeline.Reuse.literal)."""


def literal_text_errors(content: SiteContent, kept: Findings | None = None) -> list[SiteError]:
    """An error at the place of each tag (`{{ }}`, `{% %}`) or single-braced variable name
    (`{city}`) in a field of `content` that is published without being rendered. `kept`:
    the findings of the last call, taken over for each record that is the same object
    (sitegen.memo: a resident process or the dev server keeps the records of unchanged
    files), and replaced by this call's."""
    records: list[Record] = [
        *content.programs.values(),
        *content.locations.values(),
        *content.local_texts.values(),
        *content.pages.values(),
    ]
    found = per_record(kept, records, no_key, _record_errors)
    return [error for errors in found for error in errors]


def _record_errors(record: Record) -> list[SiteError]:
    errors: list[SiteError] = []
    rendered = TEMPLATE_FIELDS[type(record)]
    for path, value in _strings(record.fields, ()):
        if "{" not in value or _dotted(path) in rendered:
            continue
        found = _TAG.search(value) or _SINGLE.search(value)
        if found:
            errors.append(_error(record, path, value, found, rendered))
    return errors


def _strings(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple, str]]:
    """Every string of a validated record's fields, with its path (("faq", 0, "question"))."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), (*path, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _dotted(path: tuple) -> str:
    return ".".join(str(part) for part in path if not isinstance(part, int))


def _error(
    record: Record, path: tuple, value: str, found: re.Match[str], rendered: frozenset[str]
) -> SiteError:
    where = _place(record, path, value, found.start())
    written = found.group().split("\n", 1)[0]
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    body = [] if isinstance(record, Location) else ["the body"]
    takes = ", ".join(body + sorted(f.replace(".", " ") for f in rendered))
    return SiteError(
        f"'{written}' would be shown as written: {field} is published as it is, without variables",
        where,
        f"write the words themselves (the name, the number); in this file variables work in: "
        f"{takes}",
    )


def _place(record: Record, path: tuple, value: str, offset: int) -> SourceRef:
    """The file, line and (for a plain value on one line) column of `offset` in `value`."""
    doc = record.doc
    text = text_at(record, path, value)
    where = content_at(text, offset)
    line, column, style = doc.value_marks.get(path, (0, 0, "?"))
    if not style and not text.line_starts and where.line == line and "\n" not in value:
        return doc.source.at(line, column + offset)
    return where
