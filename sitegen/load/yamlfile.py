"""YAML loading that keeps the line and column of every key and value.

PyYAML's node marks are thrown away by `yaml.safe_load`; we compose the node tree
ourselves so that validation errors can point at the line of the field they are about.

Composing shares an alias's node with its anchor, so it costs the text's size; building the
data from the tree is where aliases expand. The builder refuses a recursive alias
(`&a [*a]`), more than limits.MAX_YAML_ALIAS_NODES values made through aliases (an alias
bomb), and nesting deeper than limits.MAX_YAML_DEPTH, each at the place in the file that
does it. (libyaml itself stops at 1,000 levels of brackets with an error of its own.)
"""

from __future__ import annotations

import re
from typing import Any, cast

import yaml

from sitegen.errors import BuildFailed, SiteError, SourceRef, inert
from sitegen.model.document import LineStarts, Path_, YamlDoc
from sitegen.model.limits import MAX_YAML_ALIAS_NODES, MAX_YAML_DEPTH, MAX_YAML_VALUES


class _PyLoader(yaml.SafeLoader):
    """PyYAML's own loader, whose composer recurses once per level: stopped past
    MAX_YAML_DEPTH levels with a ComposerError at the value that goes too deep (the Python
    stack would end in a RecursionError at about 330 levels of brackets)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"values nest more than {MAX_YAML_DEPTH} levels deep",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# libyaml's parser is ~25x faster and keeps the same marks; PyYAML's own is the fallback.
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", _PyLoader)
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

_HINTS = {
    "mapping values are not allowed": "a value that contains ': ' must be put in quotes",
    "found character '\\t'": "indent with spaces, not tabs",
    "found a tab character": "indent with spaces, not tabs",  # libyaml's words
    "could not find expected ':'": "each line needs 'key: value'; check the indentation and quotes",
    "found undefined alias": "an '*' starts a YAML alias; put the value in quotes",
    "while scanning an alias": "a value starting with '*' must be put in quotes",
    "expected <block end>": "check that the lines of this block are indented the same",
    "found unexpected end of stream": "a quote or bracket is not closed",
    "while parsing a flow": "a [ or { opened here is not closed; put text with brackets in quotes",
    "while scanning a quoted scalar": "a quote is not closed",
    "levels deep": "nest lists and mappings less deeply",
    "maximum nesting depth": "nest lists and mappings less deeply",
}


_CUT_BY_COMMENT = re.compile(r"[ \t]+(#+[^\s#][^\r]*)")  # a comment glued to its first word
# `#draft: true`, `#- iop`: a key or a list item made a comment, not text that was cut
_PUT_OUT_OF_USE = re.compile(r"#(?:-(?:\s|$)|[A-Za-z_][\w-]*:(?:\s|$))")
_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML 1.1's line breaks
_ONLY_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")  # lines to YAML, not to an editor


class EditorPlaces:
    """YAML's places as an editor shows them. YAML 1.1 ends a line at NEL (U+0085) and at
    the line and paragraph separators (U+2028, U+2029) too, and PyYAML's marks count
    them (https://yaml.org/spec/1.1/#id871136); an editor ends lines at newlines only
    (the text's newlines are all '\n' by then: sitegen.load.textfiles). `at(line, column)`
    takes a mark's line and column (from 0, YAML's) and gives the editor's (from 1, with
    the lines before the text, `offset`, added): the same numbers shifted when the text
    has none of those characters, which is nearly always."""

    def __init__(self, text: str, offset: int = 0) -> None:
        self.offset = offset
        self._starts: list[tuple[int, int]] | None = None  # YAML line -> (line, column)
        if _ONLY_YAML_BREAKS.search(text):
            self._starts = []
            for number, line in enumerate(text.split("\n")):
                column = 0
                for part in _ONLY_YAML_BREAKS.split(line):
                    self._starts.append((number, column))
                    column += len(part) + 1

    def at(self, line: int, column: int) -> tuple[int, int]:
        """The editor's (line, column), from 1, of YAML's `line` and `column`, from 0."""
        starts = self._starts
        if starts is not None and line >= 0:
            if line < len(starts):
                line, start = starts[line]
                column += start
            else:  # past the last line (YAML's end of the text)
                line += starts[-1][0] - (len(starts) - 1)
        return line + 1 + self.offset, column + 1

    def line(self, line: int) -> int:
        """The editor's line, from 1, of YAML's `line`, from 0."""
        return self.at(line, 0)[0]

    def break_before(self, line: int) -> tuple[int, int] | None:
        """Where the character that YAML took for the end of the line before its `line`
        is, when an editor shows no line end there (a U+2028 inside a line): the editor's
        (line, column), from 1; None when YAML's line starts an editor's line."""
        starts = self._starts
        if starts is None or not 0 <= line < len(starts) or starts[line][1] == 0:
            return None
        number, start = starts[line]
        return number + 1 + self.offset, start


# spaces that YAML reads as letters, after a ':' or '-' or as indentation (an editor shows
# them as spaces): no-break, the widths of U+2000 to U+200A, narrow, medium, ideographic
_ODD_SPACES = "[\u00a0\u2000-\u200a\u202f\u205f\u3000]"
# where YAML needs a separator: in the indentation, after a list item's '-', after the
# ':' of a key at the start of the line (an odd space inside a value is just a letter)
# (the list items' dashes taken possessively: a line of 40,000 `- ` backtracked for 24 s)
_ODD_SPACE = re.compile(f"^[ \t]*+(?:-[ \t]+)*+(?:-|[^\\s:#'\"\\[{{][^:#]*?:)?({_ODD_SPACES})")
_SPACE_NAMES = {"\u00a0": "non-breaking space (U+00A0)", "\u3000": "full-width space (U+3000)"}
_BREAK_NAMES = {
    "\x85": "an invisible next-line character (U+0085)",
    "\u2028": "an invisible line separator (U+2028)",
    "\u2029": "an invisible paragraph separator (U+2029)",
}
# A failing text is read again to word its error well, on the error path only. Each text
# is judged by its own length, so that a build prints the same whichever process read it
# (the resident process and the preview read only changed files): past these lengths,
# libyaml's own words, at the same place.
# - PyYAML's own parser names the character ("found character '\t'"), at about 1 s a
#   megabyte of plain YAML and 7 s of hostile YAML (runs of '[', then 'x, ' repeated),
#   150 to 350 times libyaml's: texts up to _REWORD_TEXT characters, at most about 0.5 s
#   a file, some 8 times what libyaml takes to read such a file at all;
# - libyaml's scanner finds the bracket left open above the error (_unclosed_bracket), at
#   about 0.5 s a megabyte: texts up to _SCAN_TEXT.
_REWORD_TEXT = 64 * 1024
_SCAN_TEXT = 1024 * 1024


def parse_yaml(text: str, source: SourceRef, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document; `line_offset` shifts lines (for front matter inside a file)."""
    loader = _PyLoader if _deep_brackets(text) else _Loader
    try:
        too_many = _too_many_values(text)
        if too_many is not None:
            raise SiteError(
                f"this YAML has more than {MAX_YAML_VALUES:,} values",
                source.at(*EditorPlaces(text, line_offset).at(too_many.line, too_many.column)),
                "a file of the site holds hundreds; write long lists as text, or split them",
            )
        return _parse(loader, text, source, line_offset)
    except yaml.MarkedYAMLError as exc:
        error = exc
    if _Loader is not _PyLoader and len(text) <= _REWORD_TEXT:
        try:  # PyYAML's own parser words its errors better ("found character '\t'")
            _parse(_PyLoader, text, source, line_offset)
        except yaml.MarkedYAMLError as exc:
            error = exc
    raise _syntax_error(error, source, line_offset, text) from None


_VALUE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _too_many_values(text: str) -> yaml.Mark | None:
    """Where `text`'s value past MAX_YAML_VALUES starts, read from the parser's events
    (libyaml's where PyYAML has it) before any value is made: made, 2 MB of nested lists
    took 31 s; the events stop at the limit. None when there are not that many, or when
    the text fails or nests past MAX_YAML_DEPTH first (the parse then says why: libyaml
    0.2.5's parser and PyYAML's own slow down with the depth). Each value but the first
    follows one of `[{,:-?*` or a line break, and a pair in a flow list makes two of one
    `:`: a text with fewer of those than half the limit is not read twice."""
    signs = sum(map(text.count, "[{,:-?*\n"))
    if 2 * signs + 1 <= MAX_YAML_VALUES:
        return None
    loader = _Loader(text)
    try:
        count = depth = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _VALUE_EVENTS):
                count += 1
                if count > MAX_YAML_VALUES:
                    return cast("yaml.Mark", event.start_mark)  # libyaml's has the same fields
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_YAML_DEPTH:  # the composer stops there, with its error;
                        return None  # (libyaml 0.2.5's parser slows with the depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


_DEEP_BLOCK = re.compile(f"^[ \t]*+(?:[-?][ \t]++){{{MAX_YAML_DEPTH + 1}}}", re.MULTILINE)


def _deep_brackets(text: str) -> bool:
    """Whether `text` may nest flow collections (`[[[...`, `{{{...`), or block lists and
    keys on one line (`- - - x`), past MAX_YAML_DEPTH:
    then the pure-Python parser reads it, whose composer counts depth and stops with an
    error at the limit. LibYAML's composer in PyYAML 6.0.1 (the oldest version allowed)
    recurses in C and crashes the process (SIGSEGV) at about 100,000 levels. A cheap
    count that ignores quotes: it may send a harmless text to the slower parser, never a
    deep one to the fast one."""
    if text.count("- ") + text.count("? ") > MAX_YAML_DEPTH and _DEEP_BLOCK.search(text):
        return True  # `- - - - x`: block lists nested on one line (a crash too)
    if text.count("[") + text.count("{") <= MAX_YAML_DEPTH:
        return False
    depth = deepest = 0
    for character in text:
        if character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth = max(depth - 1, 0)
    return deepest > MAX_YAML_DEPTH


def _parse(
    loader_class: type[yaml.SafeLoader] | type[yaml.CSafeLoader],
    text: str,
    source: SourceRef,
    line_offset: int,
) -> YamlDoc:
    try:  # PyYAML's own reader checks the characters as it is made
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:
        raise _character_error(exc, text, source, line_offset) from None
    try:
        node = loader.get_single_node()
        key_marks: dict[Path_, tuple[int, int]] = {}
        value_marks: dict[Path_, tuple[int, int, str | None]] = {}
        errors: list[SiteError] = []
        builder = _Builder(loader, source, line_offset, key_marks, value_marks, errors, text)
        data = builder.build(node, ()) if node is not None else None
    except yaml.MarkedYAMLError:
        raise
    except yaml.reader.ReaderError as exc:
        raise _character_error(exc, text, source, line_offset) from None
    except yaml.YAMLError as exc:
        raise SiteError(f"YAML error: {inert(str(exc))}", source) from None
    finally:
        loader.dispose()
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildFailed(errors)
    return YamlDoc(data, source, key_marks, value_marks, builder.text_lines)


class _Builder:
    def __init__(
        self,
        loader: yaml.SafeLoader | yaml.CSafeLoader,
        source: SourceRef,
        offset: int,
        key_marks: dict[Path_, tuple[int, int]],
        value_marks: dict[Path_, tuple[int, int, str | None]],
        errors: list[SiteError],
        text: str,
    ) -> None:
        self.loader = loader
        self.source = source
        self.offset = offset
        self.key_marks = key_marks
        self.value_marks = value_marks
        self.errors = errors
        self.text = text
        self.text_lines: dict[Path_, LineStarts] = {}
        self._built: set[int] = set()  # ids of the nodes built once (a second time: an alias)
        self._open: set[int] = set()  # ids of the collections being built (a loop: recursion)
        self._through_aliases = 0  # values built again through an alias
        self._alias_at: yaml.Node | None = None  # where the alias being expanded is used
        self._hashes = "#" in text  # else no value can be followed by a comment
        self._lines: list[str] | None = None  # the text's lines, split when needed
        self._editor_lines: list[str] | None = None  # split at "\n" only, as editors do
        self._cut_at: set[SourceRef] = set()  # where a cut by a comment was reported
        self.places = EditorPlaces(text, offset)

    def _cut_by_comment(self, node: yaml.Node, holder: yaml.Node | None) -> None:
        """A plain (unquoted) text that a `#` ends: YAML reads ` #` as the start of a
        comment, so `Rated #1 in Los Angeles` is the value `Rated`, and a next line indented
        as the text's own next line would be (deeper than `holder`, the key or the list)
        that starts with `#1 in care` is left out as a comment too. A comment whose `#` is
        followed by a space (`noindex: true  # why`) is taken as meant, and so is a key
        put out of use on a line of its own (`#draft: true`); one glued to its first word
        (`#1`, `#recovery`) is text that was cut: an error at the `#`."""
        if self._lines is None:  # split where YAML ends a line (its marks count those)
            self._lines = _YAML_LINE_BREAK.split(self.text)
        end = node.end_mark
        line = end.line
        rest = self._lines[line][end.column :] if line < len(self._lines) else ""
        cut = _CUT_BY_COMMENT.match(rest)
        if cut is not None:
            column = end.column + cut.start(1) + 1
            stops = "the text stops at ' #': in YAML it starts a comment, so"
        elif rest.strip(" \t") or holder is None:
            return
        else:  # the text ends its line: is the next line that is not blank a cut line?
            line = end.line + 1
            while line < len(self._lines) and not self._lines[line].strip(" \t"):
                line += 1
            rest = self._lines[line] if line < len(self._lines) else ""
            cut = _CUT_BY_COMMENT.match(rest)
            if (
                cut is None
                or cut.start(1) <= holder.start_mark.column
                or _PUT_OUT_OF_USE.match(cut.group(1))
            ):
                return
            column = cut.start(1) + 1
            stops = "this line starts with '#', so YAML takes it as a comment and"
        shown = cut.group(1)[:40]
        where = self.source.at(*self.places.at(line, column - 1))
        if where in self._cut_at:
            return  # the same text again, through an alias
        self._cut_at.add(where)
        self.errors.append(
            SiteError(
                f"{stops} '{shown}' is left out: the value is "
                f"{_shown_value(node.value) if node.value else 'empty'}",
                where,
                "put the whole value in quotes (\"...\"), or write '# ' with a space after "
                "it if it is meant as a comment",
            )
        )

    def _key_after_a_break(self, node: yaml.Node, key: str) -> None:
        """An error when the key `node` begins a line that YAML began inside an editor's
        line (`title: Contact<U+2028>x: y`): the editor sees one line, YAML two."""
        split = self.places.break_before(node.start_mark.line)
        if split is None:
            return
        if self._editor_lines is None:
            self._editor_lines = self.text.split("\n")
        character = self._editor_lines[split[0] - 1 - self.offset][split[1] - 1]
        self.errors.append(
            SiteError(
                f"{_BREAK_NAMES.get(character, 'a line break')} ends the line here for YAML, "
                f"so '{key}' after it is read as a field of its own",
                self.source.at(*split),
                "delete that character: retype the text around this place, or paste it "
                "again as plain text",
            )
        )

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return self.places.at(node.start_mark.line, node.start_mark.column)

    def build(self, node: yaml.Node, path: Path_, holder: yaml.Node | None = None) -> Any:
        """The Python value of `node` at `path`; `holder` is the node that names it (its key
        in a mapping, or the list it is in), where a problem with an alias is reported (the
        node of an alias is its anchor's, so it has the anchor's place). Raises SiteError
        for a recursive alias, too many values made through aliases, or too deep nesting."""
        if isinstance(node, yaml.CollectionNode):
            where = holder if holder is not None else node
            if id(node) in self._open:
                raise SiteError(
                    "this alias contains itself (a recursive alias)",
                    self.source.at(*self._pos(where)),
                    "write the value out instead of an alias to what contains it",
                )
            if len(path) >= MAX_YAML_DEPTH:
                raise SiteError(
                    f"values nest more than {MAX_YAML_DEPTH} levels deep",
                    self.source.at(*self._pos(node)),
                    "nest lists and mappings less deeply",
                )
            self._open.add(id(node))
            try:
                return self._collection(node, path)
            finally:
                self._open.discard(id(node))
        return self._scalar(node, holder)

    def _count(self, node: yaml.Node, where: yaml.Node) -> bool:
        """Whether `node` is built again (through an alias, used at `where`); counted, and
        SiteError past MAX_YAML_ALIAS_NODES, at the outermost alias being expanded."""
        if id(node) not in self._built:
            self._built.add(id(node))
            return False
        self._through_aliases += 1
        if self._through_aliases > MAX_YAML_ALIAS_NODES:
            raise SiteError(
                f"aliases (*name) make more than {MAX_YAML_ALIAS_NODES:,} values here",
                self.source.at(*self._pos(self._alias_at or where)),
                "write the values out; an alias may repeat a value, not multiply a file",
            )
        return True

    def _child(self, node: yaml.Node, path: Path_, holder: yaml.Node) -> Any:
        """build(node, path, holder), counting it if it comes through an alias."""
        if not self._count(node, holder) or self._alias_at is not None:
            return self.build(node, path, holder)
        self._alias_at = holder
        try:
            return self.build(node, path, holder)
        finally:
            self._alias_at = None

    def _merged_size(self, node: yaml.MappingNode, sizes: dict[int, int], open_: set[int]) -> int:
        """How many pairs `node` has once its merge keys (`<<: *name`) are flattened, at
        most (PyYAML's flatten_mapping repeats a mapping merged twice, before 6.0.2).
        Raises SiteError for a mapping that merges itself, merges nested deeper than
        MAX_YAML_DEPTH, or more than MAX_YAML_ALIAS_NODES pairs."""
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in open_ or len(open_) >= MAX_YAML_DEPTH:
            raise SiteError(
                "this mapping merges itself (<<:), or merges nest too deeply",
                self.source.at(*self._pos(node)),
                "write the values out instead of merging",
            )
        open_.add(id(node))
        size = 0
        for key, value in node.value:
            if key.tag != _MERGE:
                size += 1
                continue
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    size += self._merged_size(source, sizes, open_)
        open_.discard(id(node))
        if size > MAX_YAML_ALIAS_NODES:
            raise SiteError(
                f"merges (<<:) make more than {MAX_YAML_ALIAS_NODES:,} values here",
                self.source.at(*self._pos(node)),
                "write the values out; a merge may repeat values, not multiply a file",
            )
        sizes[id(node)] = size
        return size

    def _collection(self, node: yaml.CollectionNode, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            own: set[int] | None = None  # the keys written here, when some are merged in
            if any(key.tag == _MERGE for key, _ in node.value):
                self._merged_size(node, {}, set())
                own = {id(key) for key, _ in node.value if key.tag != _MERGE}
                self.loader.flatten_mapping(node)
            out: dict[Any, Any] = {}
            merged: set[str] = set()  # keys of `out` that came from a merge (<<: *name)
            for key_node, value_node in node.value:
                key = self._scalar(key_node, None)
                if not isinstance(key, str | int | float | bool) or key is None:
                    raise SiteError(
                        "a key must be a plain word", self.source.at(*self._pos(key_node))
                    )
                key = str(key)
                child = (*path, key)
                if own is not None and id(key_node) not in own:
                    merged.add(key)
                elif key in merged:  # a key written here overrides the merged one (YAML)
                    merged.discard(key)
                    del out[key]
                if key in out and key not in merged:
                    line, _ = self.key_marks[child]
                    self.errors.append(
                        SiteError(
                            f"'{key}' is given twice (first on line {line})",
                            self.source.at(*self._pos(key_node)),
                            "remove one of the two; YAML would silently keep only the last",
                        )
                    )
                    continue
                self._key_after_a_break(key_node, key)
                self.key_marks[child] = self._pos(key_node)
                # a value given through an alias (`state: *name`) is at the key that uses it:
                # its node, shared with the anchor, has the anchor's place
                shown = key_node if id(value_node) in self._built else value_node
                self.value_marks[child] = (*self._pos(shown), _style(value_node))
                out[key] = self._child(value_node, child, key_node)
                self._line_starts(value_node, child)
            return out
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            self.key_marks[child] = self._pos(item)
            self.value_marks[child] = (*self._pos(item), _style(item))
            items.append(self._child(item, child, node))
            self._line_starts(item, child)
        return items

    def _line_starts(self, node: yaml.Node, path: Path_) -> None:
        """Record where the lines of a text written over several lines begin in it."""
        several = node.end_mark.line > node.start_mark.line
        if several and node.tag == _STR and isinstance(node, yaml.ScalarNode):
            if self._lines is None:  # split once: a text of thousands of such values
                self._lines = _YAML_LINE_BREAK.split(self.text)
            starts = line_starts(self.text, node, self.places, self._lines)
            if starts:
                self.text_lines[path] = starts

    def _scalar(self, node: yaml.Node, holder: yaml.Node | None) -> Any:
        if node.tag == _STR:  # nearly every value: skip PyYAML's general constructor
            if self._hashes and isinstance(node, yaml.ScalarNode) and not node.style:
                self._cut_by_comment(node, holder)
            return node.value
        if (
            self._hashes
            and node.tag == _NULL
            and isinstance(node, yaml.ScalarNode)
            and not node.value
            and not node.style
        ):
            self._cut_by_comment(node, holder)  # `color: #fff`: no value at all to YAML
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise
        except Exception as exc:
            # YAML took the value for a date (or a number) by its look or its tag, and it
            # is none: reported here, with the other problems of the file; the text goes on
            self.errors.append(_value_error(node, exc, self.source.at(*self._pos(node))))
            return node.value


def line_starts(
    text: str,
    node: yaml.ScalarNode,
    places: EditorPlaces | None = None,
    lines: list[str] | None = None,
) -> LineStarts:
    """Where each line of the YAML `text` that holds part of the string `node` begins in
    its value, stripped as validation strips it: a literal block keeps its lines, but a
    folded one (`>`) and a plain or quoted value over several lines join them with spaces,
    so each line's words are looked for in the value, in order. A line whose words are not
    found as written (a quoted value's escapes) is left out: its text counts as the line
    before's. Lines are 1-based file lines, as `places` gives them (default: the text's own);
    `lines`: the text split as YAML counts lines (its marks' lines), when the caller has it."""
    value: str = node.value
    lead = len(value) - len(value.lstrip())
    places = places or EditorPlaces(text)
    lines = lines if lines is not None else _YAML_LINE_BREAK.split(text)
    first, last = node.start_mark.line, node.end_mark.line
    if node.end_mark.column == 0:
        last -= 1  # a block ends at the start of the line after it
    block = node.style in ("|", ">")
    starts: list[tuple[int, int]] = []
    position = 0
    for number in range(first + 1 if block else first, min(last, len(lines) - 1) + 1):
        words = lines[number]
        if number == first:
            words = words[node.start_mark.column :].lstrip("\"'")
        words = words.strip().rstrip("\"'")
        if not words:
            continue
        found = value.find(words, position)
        if found == -1:
            continue
        starts.append((max(found - lead, 0), places.line(number)))
        position = found + len(words)
    return tuple(starts)


_TAG_NAMES = {_TIMESTAMP: "a date", "tag:yaml.org,2002:int": "a whole number",
              "tag:yaml.org,2002:float": "a number"}  # fmt: skip


def _value_error(node: yaml.Node, exc: Exception, where: SourceRef) -> SiteError:
    """A value that YAML reads as a date or number by its look (2026-13-45) but that is
    not one (YAML 1.1's implicit types, https://yaml.org/type/timestamp.html)."""
    what = _TAG_NAMES.get(node.tag, "a typed value")
    return SiteError(
        f"'{node.value}' looks like {what}, but is not one ({exc})",
        where,
        "write a real date as YYYY-MM-DD (2026-02-28), or put the value in quotes to keep "
        "it as text"
        if node.tag == _TIMESTAMP
        else "put the value in quotes to keep it as text",
    )


SHOWN_VALUE = 60  # characters of a value quoted in a message


def _shown_value(value: str) -> str:
    """`value` quoted for a message, its start only when it is long."""
    if len(value) <= SHOWN_VALUE:
        return repr(value)
    return f"{value[:SHOWN_VALUE]!r}... ({len(value):,} characters)"


def _style(node: yaml.Node) -> str | None:
    return getattr(node, "style", None) if isinstance(node, yaml.ScalarNode) else None


def _character_error(
    exc: yaml.reader.ReaderError, text: str, source: SourceRef, offset: int
) -> SiteError:
    """A character YAML does not allow (a control character, often pasted in with a text
    and invisible), at its line and column. (libyaml gives its position in bytes, PyYAML
    in characters: the character itself is looked for, the first one stops the reader.)"""
    character = (
        exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    )
    where = source.at(1 + offset)
    found = text.find(chr(character))
    if found >= 0:
        line_start = text.rfind("\n", 0, found) + 1
        where = source.at(text.count("\n", 0, found) + 1 + offset, found - line_start + 1)
    return SiteError(
        f"the character U+{character:04X} is not allowed in YAML (a control character; it "
        "is invisible in most editors)",
        where,
        "delete it: retype the text around this place, or paste it again as plain text",
    )


_OPENED_VALUE = re.compile(r"""(\s*(?:- +)?(?:[^\s:#'"\[{-][^:#]*?: +)?)(["'\[{])""")


def _quote_hint(text: str, mark: yaml.Mark | None) -> str | None:
    """The fix for words after a value that a quote or bracket made whole
    (`title: "Outpatient" Program`, `title: [New] Program`): YAML ends the value at the
    closing quote or bracket, and the words after it are a syntax error on the same line.
    The value written whole in quotes; None for another mistake."""
    if mark is None:
        return None
    lines = _YAML_LINE_BREAK.split(text)  # as YAML counts them: its marks' lines
    line = lines[mark.line] if mark.line < len(lines) else ""
    opened = _OPENED_VALUE.match(line)
    if opened is None or opened.end() > mark.column:
        return None
    lead, value = opened.group(1), line[opened.start(2) :].split(" #")[0].rstrip()
    if opened.group(2) == "'":
        written = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        written = "'" + value.replace("'", "''") + "'"
    kind = "a quote" if opened.group(2) in "'\"" else f"'{opened.group(2)}' (a list or mapping)"
    return (
        f"a value that starts with {kind} ends where it closes: put the whole value in "
        f"quotes: {lead.strip()} {written}".replace("  ", " ").strip()
    )


_OWN_COMMENT = re.compile(r"[ \t]*(#[^\r]*)")  # a line that is only a comment
_VALUE_START = re.compile(r"[ \t]*(?:-[ \t]+)*(?:[^\s#'\"\-][^:]*:[ \t]+)?")  # after key: or -
_ANY_COMMENT = re.compile(r"[ \t](#[^\r]*)")  # ' #' in a plain text starts a comment
_KEY_OR_ITEM = re.compile(r"[ \t]*(?:-(?:[ \t]|$)|[^\s:#'\"][^:]*:(?:[ \t]|$))")
_AFTER_A_CUT = (  # what PyYAML says of the line after a text cut by a comment
    "expected <block end>",
    "did not find expected key",
    "could not find expected ':'",
    "mapping values are not allowed",
)


def _cut_above(text: str, mark: yaml.Mark | None) -> tuple[int, int, str, bool] | None:
    """A plain text cut by ' #' (`rated #1 by clients,`, or a line of its own that starts
    with '#') on the last line that is not blank above `mark`'s line, an indented line
    that went on with the text: YAML read the rest of the line as a comment, and then the
    next line as out of place, which is what PyYAML reports. (line, column) from 0 of the
    '#', the words cut, and whether the line is only a comment; None when the line above
    has no such '#', or its value is
    not plain text (quoted, a list or mapping, a block scalar), or the line is a key or an
    item put out of use (`#draft: true`, `#- iop`)."""
    if mark is None or not text:
        return None
    lines = _YAML_LINE_BREAK.split(text)
    if mark.line >= len(lines) or lines[mark.line][:1] not in (" ", "\t"):
        return None
    if _KEY_OR_ITEM.match(lines[mark.line]):
        return None  # a key or an item out of place: not text that went on
    above = mark.line - 1
    while above >= 0 and not lines[above].strip(" \t"):
        above -= 1
    if above < 0:
        return None
    line = lines[above]
    own = _OWN_COMMENT.match(line)
    if own is not None:  # a line of its own that starts with '#'
        if _PUT_OUT_OF_USE.match(own.group(1)):
            return None  # a key or item put out of use, not cut text
        return above, own.start(1), own.group(1)[:40], True
    start = _VALUE_START.match(line)
    value = start.end() if start else 0
    if line[value : value + 1] in ("'", '"', "[", "{", "|", ">", "&", "!", "*"):
        return None  # quoted, a list or mapping, a block, an anchor, a tag: not plain text
    found = _ANY_COMMENT.search(line, value)
    if found is None:
        return None
    return above, found.start(1), found.group(1)[:40], False


def _odd_space(rows: list[str], line: int) -> tuple[int, re.Match[str]] | None:
    """An odd space (no-break, ideographic...) where YAML needs a separator
    (`_ODD_SPACE`) on the text's `line` (1-based), or on the line above it that is not
    blank (an item indented with one is an error on the next line): (line, match)."""
    above = line - 1
    while above >= 1 and not rows[above - 1].strip():
        above -= 1
    for number in (line, above):
        if 1 <= number <= len(rows):
            found = _ODD_SPACE.match(rows[number - 1])
            if found is not None:
                return number, found
    return None


def _unclosed_bracket(text: str, mark: yaml.Mark, at_end: bool) -> yaml.Mark | None:
    """Where the innermost '[' or '{' still open at YAML's error `mark` opened, when that
    is on a line above the error, or anywhere before it when YAML stopped at the end of
    the text (`at_end`): a value left half-written (`programs: [iop,` with no closing
    bracket), which YAML reads on into the next lines (a `key: |` there becomes "found
    character that cannot start any token") or to the end; None otherwise. The text's
    tokens are read again, up to the error, by libyaml's scanner where PyYAML has it (a
    900 KB text: 1.1 s, PyYAML's own 5.6 s); only on this error path, for texts up to
    _SCAN_TEXT characters, and not for a text nested past MAX_YAML_DEPTH (PyYAML's
    scanner's work grows with the square of the depth)."""
    if not _FLOW_OPENERS.search(text) or len(text) > _SCAN_TEXT or _deep_brackets(text):
        return None
    opened: list[yaml.Mark] = []
    try:
        for token in yaml.scan(text, Loader=_Loader):  # libyaml's: 5 times PyYAML's speed
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                opened.append(token.start_mark)
            elif opened and isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken):
                opened.pop()
    except yaml.YAMLError:
        pass  # the same error, where the tokens stop
    if not opened or (opened[-1].line >= mark.line and not at_end):
        return None  # the error is on the bracket's own line: its own message says it
    return opened[-1]


_FLOW_OPENERS = re.compile(r"[\[{]")
_UNNAMED = "found character that cannot start any token"  # libyaml's words
_NAMED = "found character {!r} that cannot start any token"  # PyYAML's


def _syntax_error(
    exc: yaml.MarkedYAMLError, source: SourceRef, offset: int, text: str = ""
) -> SiteError:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and any(
        w in (exc.context or "") for w in ("quoted scalar", "flow", "simple key")
    ):  # where the unclosed quote or bracket opened, the line missing its ':', not the next
        mark = exc.context_mark
    places = EditorPlaces(text, offset)
    line, column = places.at(mark.line, mark.column) if mark else (source.line, None)
    problem = exc.problem or "invalid YAML"
    stopped = exc.problem_mark or mark  # where YAML stopped reading
    if problem == _UNNAMED and stopped is not None and stopped.index < len(text):
        problem = _NAMED.format(text[stopped.index])  # as PyYAML's own parser says it
    # at the end of the text: PyYAML says "<stream end>", libyaml does not
    at_end = "<stream end>" in problem or (stopped is not None and stopped.index >= len(text))
    opened = _unclosed_bracket(text, stopped, at_end) if text and stopped else None
    if opened is not None and stopped is not None:  # YAML read on past an open [ or {
        opener = _YAML_LINE_BREAK.split(text)[opened.line][opened.column]
        closing = "]" if opener == "[" else "}"
        last = places.line(stopped.line)
        end = "the end of the front matter" if offset else "the end of the file"
        until = end if at_end else f"line {last}"
        return SiteError(
            f"YAML syntax error: a '{opener}' opened here is not closed: YAML read on to "
            f"{until} as part of it ({problem})",
            source.at(*places.at(opened.line, opened.column)),
            f"close it with '{closing}' at the end of the value, or put text with brackets "
            "in quotes",
        )
    split = places.break_before(mark.line) if mark else None
    if split is not None:  # the mistake is on a line YAML began inside an editor's line
        lines = text.split("\n")
        character = lines[split[0] - 1 - offset][split[1] - 1]
        return SiteError(
            f"{_BREAK_NAMES.get(character, 'a line break')} ends the line here for YAML, "
            f"so what follows it is read as a new line: {problem}",
            source.at(*split),
            "delete that character: retype the text around this place, or paste it again "
            "as plain text",
        )
    odd = _odd_space(text.split("\n"), line - offset) if mark and line else None
    if odd is not None:  # `state:<U+00A0>CA`: no space to YAML, so no key either
        number, found = odd
        name = _SPACE_NAMES.get(found.group(1), f"typographic space (U+{ord(found.group(1)):04X})")
        return SiteError(
            f"YAML syntax error: this line has a {name} where YAML needs an ordinary space "
            f"(it reads it as a letter): {problem}",
            source.at(number + offset, found.start(1) + 1),
            "replace it with an ordinary space (retype it)",
        )
    message = f"YAML syntax error: {problem}"
    if exc.context:
        message += f" ({exc.context})"
    hint = None
    if any(w in problem for w in _AFTER_A_CUT):
        cut = _cut_above(text, mark)
        if cut is not None:
            cut_line, cut_column, shown, own = cut
            stops = (
                "this line starts with '#', so YAML takes it as a comment"
                if own
                else "the text stops at ' #': in YAML it starts a comment"
            )
            return SiteError(
                f"{stops}: '{shown}' is left out, and the next line cannot go on with the text",
                source.at(*places.at(cut_line, cut_column)),
                "put the whole value in quotes (\"...\"), or write '# ' with a space after "
                "it if it is meant as a comment",
            )
    if any(w in problem for w in ("expected <block end>", "did not find expected key")):
        hint = _quote_hint(text, exc.problem_mark)
    said = f"{message} {exc}"
    hint = hint or next((h for key, h in _HINTS.items() if key in said), None)
    return SiteError(
        message,
        source.at(line, column),
        hint or "check the indentation and put values containing ':' or '#' in quotes",
    )
