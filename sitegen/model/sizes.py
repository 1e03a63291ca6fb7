"""The `sizes` attribute of a responsive image, evaluated the way a browser does: the width
(in CSS pixels) the image takes at a given viewport width, so the build can choose which
widths to encode and `check` can tell an oversized image.

Grammar (WHATWG HTML, "Parsing a sizes attribute"; CSS Media Queries 4; CSS Values 4):

    sizes      = [ media-condition length , ]* length
    condition  = "(" feature ")" | "not" condition | condition ("and" | "or") condition
    feature    = (min-width|max-width|width) ":" length | width (<|<=|>|>=|=) length
                 | length (<|<=|>|>=) width [(<|<=) length]
    length     = number (px | em | rem | vw | vh | vmin | vmax | %) | 0
                 | calc( sum ) | min( sum, ... ) | max( sum, ... ) | clamp( sum, sum, sum )

em and rem are 16 px (the browser's default font size: media queries always use it).
Height features (vh in a condition, orientation...) are judged for a phone-shaped
viewport (height = 2 x width) only where a length needs one. `auto` (HTML's
sizes=auto for lazy images) cannot be evaluated without layout: SizesError.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

VIEWPORTS = (375, 768, 1280)
"""The viewport widths (CSS px) images are planned and judged at: a phone, a tablet, a
laptop (Lighthouse's mobile run is 412 px wide; 375 is the narrowest common phone)."""

FONT_SIZE = 16.0  # px; media queries' em is the initial font size, not the page's

MAX_LENGTH = 2_000
"""Characters a `sizes` or `media` value may have to be judged: a real one has a few
hundred at most (the example's longest, 170). A longer one is a SizesError, so that a
hostile value of a megabyte costs neither the build nor `check` seconds per evaluation."""
MAX_WIDTH = 100_000.0
"""CSS px: a size wider than this is a SizesError (no screen is; the build would plan,
and `check` judge, widths from it)."""
MAX_DEPTH = 32
"""Levels of parentheses (functions, groups, conditions) a value may nest: the parser
recurses once or more per level, and `max(` 10,000 deep would exhaust Python's stack."""

_TOKEN = re.compile(
    r"\s*(?:(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(?P<unit>[a-z%]*)"
    r"|(?P<op><=|>=|[()<>=,:*/+-])|(?P<word>[a-z-]+))",
    re.IGNORECASE,
)


class SizesError(ValueError):
    """A `sizes` value this evaluator cannot read (a syntax error, or a feature or unit it
    does not know); the message names the part."""


@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "op", "word"
    text: str
    unit: str = ""


def _tokens(text: str) -> list[_Token]:
    """The tokens of `text`. Raises SizesError for what is not a token, a value longer than
    MAX_LENGTH or parentheses nested deeper than MAX_DEPTH (which bounds the parser's
    recursion)."""
    found: list[_Token] = []
    position = 0
    depth = 0
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise SizesError(f"the value has {len(text):,} characters; at most {MAX_LENGTH:,} are read")
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise SizesError(f"cannot read {text[position : position + 20]!r} in sizes")
        position = match.end()
        if match.group("num") is not None:
            found.append(_Token("num", match.group("num"), match.group("unit").lower()))
        elif match.group("op") is not None:
            found.append(_Token("op", match.group("op")))
            depth += {"(": 1, ")": -1}.get(match.group("op"), 0)
            if depth > MAX_DEPTH:
                raise SizesError(f"parentheses nested more than {MAX_DEPTH} deep")
        else:
            found.append(_Token("word", match.group("word").lower()))
    return found


class _Parser:
    """Recursive descent over one source size: an optional media condition, then a length."""

    def __init__(self, tokens: list[_Token], viewport: float):
        self.tokens = tokens
        self.at = 0
        self.viewport = viewport

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, text: str | None = None) -> _Token:
        token = self.peek()
        if token is None or (text is not None and token.text.lower() != text):
            wanted = f"'{text}'" if text else "more"
            raise SizesError(
                f"expected {wanted} in sizes, found {token.text if token else 'the end'!r}"
            )
        self.at += 1
        return token

    # lengths: each value is (number, is_length): a length in CSS px, or a plain number
    # (calc(100vw / 3): CSS Values 4 types each part, https://www.w3.org/TR/css-values-4/
    # #calc-type-checking: lengths add to lengths, a product needs a number on one side,
    # and one divides only by a number)

    def length(self) -> float:
        """The next length, in CSS px (a plain 0 is one too). Raises SizesError for one
        that is no finite number (1e400px, or a calc() that overflows)."""
        token = self.peek()
        if token is None:
            raise SizesError("a size is missing its length")
        value, is_length = self.value()
        if not is_length and value != 0:
            raise SizesError(f"{token.text!r} gives a number, not a length (px, em, vw...)")
        if not math.isfinite(value):
            raise SizesError(f"the length at {token.text!r} is not a finite number")
        return value

    def value(self) -> tuple[float, bool]:
        token = self.peek()
        if token is None:
            raise SizesError("a size is missing its length")
        if token.kind == "num":
            self.at += 1
            if not token.unit:
                return float(token.text), False  # a plain number, as in calc(100vw / 3)
            return self._unit(float(token.text), token.unit), True
        if token.kind == "word" and token.text in _FUNCTIONS and self._next_is("("):
            self.at += 2
            arguments = [self.sum()]
            while (comma := self.peek()) is not None and comma.text == ",":
                self.at += 1
                arguments.append(self.sum())
            self.take(")")
            kinds = {is_length for _, is_length in arguments}
            if len(kinds) > 1:
                raise SizesError(f"{token.text}() mixes lengths and plain numbers")
            return _FUNCTIONS[token.text]([v for v, _ in arguments]), kinds.pop()
        if token.text == "(":
            self.at += 1
            found = self.sum()
            self.take(")")
            return found
        raise SizesError(f"{token.text!r} is not a length")

    def _next_is(self, text: str) -> bool:
        token = self.peek(1)
        return token is not None and token.text == text

    def sum(self) -> tuple[float, bool]:
        value, is_length = self.product()
        while (token := self.peek()) is not None and token.text in ("+", "-"):
            self.at += 1
            other, other_is_length = self.product()
            if other_is_length != is_length:
                raise SizesError(f"'{token.text}' between a length and a plain number")
            value = value + other if token.text == "+" else value - other
        return value, is_length

    def product(self) -> tuple[float, bool]:
        value, is_length = self.value()
        while (token := self.peek()) is not None and token.text in ("*", "/"):
            self.at += 1
            other, other_is_length = self.value()
            if token.text == "/":
                if other_is_length:
                    raise SizesError("a length can only be divided by a plain number")
                if other == 0:
                    raise SizesError("division by zero in sizes")
                value /= other
            else:
                if is_length and other_is_length:
                    raise SizesError("two lengths cannot be multiplied")
                value *= other
                is_length = is_length or other_is_length
        return value, is_length

    def _unit(self, number: float, unit: str) -> float:
        height = 2 * self.viewport
        scale = {
            "px": 1.0, "em": FONT_SIZE, "rem": FONT_SIZE, "vw": self.viewport / 100,
            "vh": height / 100, "vmin": min(self.viewport, height) / 100,
            "vmax": max(self.viewport, height) / 100,
        }  # fmt: skip
        if unit == "" and number == 0:
            return 0.0
        if unit not in scale:
            raise SizesError(
                f"the unit {unit or '(none)'!r} of {number:g}{unit} is not one sizes can use"
            )
        return number * scale[unit]

    # media conditions

    def condition(self) -> bool:
        if self.peek() is not None and self.peek().text == "not":  # type: ignore[union-attr]
            self.at += 1
            return not self.condition_in_parens()
        value = self.condition_in_parens()
        while (token := self.peek()) is not None and token.text in ("and", "or"):
            self.at += 1
            other = self.condition_in_parens()
            value = (value and other) if token.text == "and" else (value or other)
        return value

    def condition_in_parens(self) -> bool:
        self.take("(")
        token = self.peek()
        if token is not None and (token.text in ("not", "(")):
            value = self.condition()
        else:
            value = self.feature()
        self.take(")")
        return value

    def feature(self) -> bool:
        token = self.peek()
        if token is not None and token.kind == "word" and self._next_is(":"):
            name = token.text
            if name not in _WIDTH_FEATURES:
                raise SizesError(f"the media feature '{name}' is not one sizes can be judged by")
            self.at += 2
            return _compare(self.viewport, _WIDTH_FEATURES[name], self.length())
        if token is not None and token.text == "width":  # width >= 768px
            self.at += 1
            operator = self.take().text
            return _compare(self.viewport, operator, self.length())
        low = self.length()  # 768px <= width < 1280px
        first = self.take().text
        self.take("width")
        if not _compare(low, first, self.viewport):
            self._skip_rest()
            return False
        if self.peek() is not None and self.peek().text != ")":  # type: ignore[union-attr]
            second = self.take().text
            return _compare(self.viewport, second, self.length())
        return True

    def _skip_rest(self) -> None:
        while self.peek() is not None and self.peek().text != ")":  # type: ignore[union-attr]
            self.at += 1


_WIDTH_FEATURES = {"min-width": ">=", "max-width": "<=", "width": "="}  # viewport op length


def _clamp(values: list[float]) -> float:
    if len(values) != 3:
        raise SizesError("clamp() takes three lengths")
    return max(values[0], min(values[1], values[2]))


_FUNCTIONS: dict[str, Callable[[list[float]], float]] = {
    "calc": lambda values: values[0] if len(values) == 1 else _too_many("calc"),
    "min": min,
    "max": max,
    "clamp": _clamp,
}


def _too_many(name: str) -> float:
    raise SizesError(f"{name}() takes one expression")


def _compare(left: float, operator: str, right: float) -> bool:
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    if operator == ">=":
        return left >= right
    if operator == "=":
        return left == right
    raise SizesError(f"'{operator}' is not a comparison")


def _split(tokens: list[_Token]) -> list[list[_Token]]:
    """The comma-separated source sizes (commas inside parentheses belong to functions)."""
    parts: list[list[_Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        if token.text == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def slot_width(sizes: str, viewport: float) -> float:
    """The width in CSS px an image with this `sizes` takes at a viewport `viewport` px
    wide: the length of the first source size whose media condition matches (a size
    without a condition always matches), else 100vw, as a browser does (WHATWG HTML,
    "parse a sizes attribute"). Raises SizesError for what it cannot read, `auto`
    included (it depends on the layout), and for a width over MAX_WIDTH."""
    if not sizes.strip():
        raise SizesError("sizes is empty")
    if sizes.strip().lower() == "auto":
        raise SizesError("sizes=auto depends on the layout and cannot be judged from the HTML")
    for part in _split(_tokens(sizes)):
        if not part:
            raise SizesError("an empty entry in sizes (two commas, or one at the end)")
        parser = _Parser(part, viewport)
        matches = parser.condition() if part[0].text in ("(", "not") else True
        width = parser.length()
        if parser.peek() is not None:
            raise SizesError(f"unexpected {parser.peek().text!r} after a size")  # type: ignore[union-attr]
        if matches:
            if width < 0:
                raise SizesError("a size cannot be negative")
            if width > MAX_WIDTH:
                raise SizesError(f"a size of {width:g} px is wider than any screen")
            return width
    return float(viewport)


def media_matches(media: str, viewport: float) -> bool:
    """Whether the media query list `media` (a <source media> value: "(min-width: 600px)",
    "screen and (max-width: 40em)", "(a), (b)") holds at a viewport `viewport` px wide, on
    a screen (WHATWG HTML, "the source element, media"; CSS Media Queries 4). An empty
    list matches. Raises SizesError for what it cannot read."""
    parts = _split(_tokens(media))
    if parts == [[]]:
        return True
    for part in parts:
        if not part:
            raise SizesError("an empty media query (two commas, or one at the end)")
        words = [t.text for t in part[:3] if t.kind == "word"]
        at = 1 if words[:1] == ["only"] else 0
        kind = part[at].text if at < len(part) and part[at].kind == "word" else ""
        if kind in ("all", "screen", "print"):
            at += 1
            if at < len(part):
                if part[at].text != "and":
                    raise SizesError(f"expected 'and' after '{kind}' in media")
                at += 1
            elif kind != "print":
                return True
            if kind == "print":
                continue
        parser = _Parser(part[at:], viewport)
        matches = parser.condition()
        if parser.peek() is not None:
            raise SizesError(f"unexpected {parser.peek().text!r} in media")  # type: ignore[union-attr]
        if matches:
            return True
    return False
