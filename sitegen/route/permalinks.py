"""Permalink patterns of site.yaml (/{location}/{program}/): which names each kind of page
fills in, and whether every URL a pattern can make is safe."""

from __future__ import annotations

import string

from sitegen.errors import SiteError
from sitegen.model.records import SiteConfig
from sitegen.model.urls import url_problem

KIND_PLACEHOLDERS = {
    "program_at_location": {"program", "location"},
    "location": {"location"},
    "program": {"program"},
    "page": {"slug"},
}


def placeholders(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}


def expand(pattern: str, values: dict[str, str]) -> str:
    return pattern.format_map(values)


def check_permalinks(config: SiteConfig) -> list[SiteError]:
    errors = []
    permalinks = config.fields.permalinks.model_dump()
    for kind, wanted in KIND_PLACEHOLDERS.items():
        pattern = permalinks[kind]
        ref = config.doc.ref(("permalinks", kind))
        try:
            used = placeholders(pattern)
        except ValueError as exc:
            errors.append(SiteError(f"permalink '{pattern}' is not a valid pattern: {exc}", ref))
            continue
        if used - wanted or not wanted <= used:
            errors.append(
                SiteError(
                    f"permalink '{pattern}' for {kind} pages must use exactly "
                    + " and ".join("{" + w + "}" for w in sorted(wanted)),
                    ref,
                    f"for example {getattr(type(config.fields.permalinks)(), kind)}",
                )
            )
            continue
        sample = expand(pattern, dict.fromkeys(wanted, "x"))
        problem = url_problem(sample)
        if problem:
            errors.append(SiteError(f"permalink '{pattern}' is not a safe URL: {problem}", ref))
    return errors
