"""Turning pydantic's validation errors into SiteErrors at the line of the field."""

from __future__ import annotations

import difflib
import types
import typing
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from sitegen.errors import BuildFailed, SiteError
from sitegen.model.document import YamlDoc
from sitegen.model.schema import FIX

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "list_type": "must be a list (lines starting with '- ')",
    "model_type": "must be a group of 'field: value' lines",
    "dict_type": "must be a group of 'field: value' lines",
    "string_too_short": "must not be empty",
    "too_short": "must list at least one entry",
}


def validate(model: type[M], doc: YamlDoc, what: str) -> M:
    """Validate `doc.data` against `model`; raise every problem as a SiteError with its line."""
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise SiteError(f"{what} must be a list of 'field: value' lines", doc.ref())
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = _merge_misspelled(exc.errors())
        raise BuildFailed([_to_site_error(model, doc, err) for err in problems]) from None


def _merge_misspelled(problems: list) -> list:
    """A required field reported missing because it was misspelled ('cty' for 'city') is one
    mistake, not two: keep the unknown field, whose hint names the right spelling."""
    unknown = {tuple(p["loc"]) for p in problems if p["type"] == "extra_forbidden"}
    kept = []
    for problem in problems:
        loc = tuple(problem["loc"])
        if problem["type"] == "missing":
            siblings = [str(u[-1]) for u in unknown if u[:-1] == loc[:-1]]
            if difflib.get_close_matches(str(loc[-1]), siblings, n=1, cutoff=0.6):
                continue
        kept.append(problem)
    return kept


def _to_site_error(model: type[BaseModel], doc: YamlDoc, err: dict) -> SiteError:
    loc = tuple(err["loc"])
    name = _dotted(loc)
    kind = err["type"]
    if kind == "missing":
        return SiteError(
            f"missing required field '{name}'",
            doc.ref(loc[:-1]),
            f"add a line '{loc[-1]}: ...'" + (f" under '{_dotted(loc[:-1])}'" if loc[:-1] else ""),
        )
    if kind == "extra_forbidden":
        known = sorted(_fields_at(model, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(known)}"
        return SiteError(f"unknown field '{name}'", doc.ref(loc), hint)
    if kind == "value_error":  # a validator's "what is wrong; what to write instead"
        message, _, fix = str(err["msg"]).removeprefix("Value error, ").partition(FIX)
        return SiteError(f"'{name}': {message}", doc.value_ref(loc), fix or None)
    msg = str(err["msg"])
    message = _MESSAGES.get(kind, msg[:1].lower() + msg[1:])
    return SiteError(f"'{name}' {message}", doc.value_ref(loc), _got(kind, err.get("input")))


def _got(kind: str, value: object) -> str | None:
    """What was read instead, and for a text field given a number, date or yes/no, the fix."""
    if isinstance(value, dict | list) or value is None:
        return None
    if kind == "string_type":
        if isinstance(value, int) and not isinstance(value, bool):
            return (
                f'it is {value!r}; put text in quotes if it looks like a number ("01234": '
                "unquoted, YAML reads a number with a leading 0 as another number, 01234 as 668)"
            )
        return f"it is {value!r}; put text in quotes if it looks like a number, date or yes/no"
    if isinstance(value, str) and kind.startswith("string_"):
        return None
    if kind.startswith(("int_", "float_")):
        return f"it is {value!r}; write a number, e.g. 1"
    return f"it is {value!r}"


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _fields_at(model: type[BaseModel], loc: tuple) -> set[str]:
    """The field names of the (nested) model found at `loc`, for "did you mean"."""
    current: object = model
    for part in loc:
        current = _model_in(current)
        if current is None:
            return set()
        if isinstance(part, str):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            current = _list_item(current)
    found = _model_in(current)
    return set(found.model_fields) if found else set()


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _list_item(annotation: object) -> object:
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return arg
    return annotation
