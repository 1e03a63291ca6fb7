"""site.yaml's str.format patterns (title patterns, permalinks): they may only name
fields. `{site:>100000000}` would make 100 MB titles, `{site!r}` shows Python's quotes,
`{site[0]}` and `{site.attr}` reach inside values; none of it is for editors."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_DOUBLE = re.compile(r"\{\{\s*([a-z_]*)\s*\}\}|\{\{|\}\}")


@dataclass(frozen=True)
class PatternField:
    """One `{...}` of a pattern: its `name` (as written, before any [ or .), its 0-based
    `offset` in the pattern, and why it is refused (`problem`, None when it only names a
    field)."""

    name: str
    offset: int
    problem: str | None = None


def pattern_fields(pattern: str) -> list[PatternField]:
    """Every field of `pattern`, in order. Raises ValueError when its braces do not pair up
    (string.Formatter's message). Double braces (`{{ program }}`, as content text writes a
    variable) would be shown as written, single braces and all: each is a field with a
    problem, before the others."""
    fields = [
        PatternField(
            match.group(1) or "name",
            match.start(),
            "double braces ('{{'): a name in a site.yaml pattern takes one pair of braces",
        )
        for match in _DOUBLE.finditer(pattern)
    ]
    offset = 0
    for literal, name, spec, conversion in string.Formatter().parse(pattern):
        offset += len(literal) + literal.count("{") + literal.count("}")  # {{ }} read as one
        if name is None:
            continue
        written = "{" + name + (f"!{conversion}" if conversion else "")
        written += (f":{spec}" if spec is not None and spec != "" else "") + "}"
        problem = None
        if conversion:
            problem = f"'!{conversion}' (a conversion)"
        elif spec:
            problem = f"':{spec}' (a format specification)"
        elif "[" in name or "." in name:
            problem = "an index or attribute ([ ] or .)"
        elif not name or not set(name) <= _NAME_CHARS:
            problem = "a name other than lowercase letters, digits and _"
        base = name.split("[")[0].split(".")[0]
        if problem is None and any(field.name == base for field in fields):
            problem = "a name it already has (each name once: a value repeated multiplies a page)"
        fields.append(PatternField(base, offset, problem))
        offset += len(written)
    return fields
