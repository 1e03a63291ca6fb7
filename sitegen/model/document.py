"""A parsed YAML document with the line and column of every key and value it holds, and
where the lines of its multi-line texts were written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitegen.errors import SourceRef

Path_ = tuple[str | int, ...]
LineStarts = tuple[tuple[int, int], ...]
"""(offset in a text, 1-based file line) where each written line of the text begins, by
offset: YAML folds a `>` block or a plain or quoted value over several lines into one line
of text, so a text's own lines are not the file's."""


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML plus where each key (and value) was written."""

    data: Any
    source: SourceRef
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    value_marks: dict[Path_, tuple[int, int, str | None]] = field(default_factory=dict)
    text_lines: dict[Path_, LineStarts] = field(default_factory=dict)
    """Of each string value written over several lines: where its lines begin in the
    value with surrounding whitespace stripped (as validation keeps it)."""
    memo: dict[object, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    """What is worked out from the document once (records.text_at): the dev server and
    the resident build process keep the document of an unchanged file between builds."""

    def ref(self, path: Path_ = ()) -> SourceRef:
        """The position of the deepest known part of `path` (the file's first line at worst)."""
        for end in range(len(path), 0, -1):
            mark = self.key_marks.get(tuple(path[:end]))
            if mark:
                return self.source.at(*mark)
        return self.source.at(self.source.line or 1, self.source.column)

    def value_ref(self, path: Path_) -> SourceRef:
        """The position of the value at the deepest known part of `path`, where a wrong
        value is reported (a key's own mistakes, unknown or missing, are at the key): the
        first character of `Californa` in `state: Californa`, the `|` of a block."""
        for end in range(len(path), 0, -1):
            mark = self.value_marks.get(tuple(path[:end]))
            if mark:
                return self.source.at(mark[0], mark[1])
        return self.ref(path)

    def text_start_line(self, path: Path_) -> int:
        """The line where the text of a string value begins (block scalars start a line later)."""
        line, _col, style = self.value_marks.get(tuple(path), (self.ref(path).line or 1, 1, None))
        return line + 1 if style in ("|", ">") else line

    def line_starts(self, path: Path_) -> LineStarts:
        """Where the written lines of the text at `path` begin (see LineStarts); () for a
        value on one line, or one whose text lines are the file's."""
        return self.text_lines.get(tuple(path), ())
