"""Permalink patterns of site.yaml (/{location}/{program}/): which names each kind of page
fills in, and whether every URL a pattern can make is safe."""

from __future__ import annotations

from sitegen.errors import SiteError
from sitegen.model.patterns import pattern_fields
from sitegen.model.records import SiteConfig
from sitegen.model.urls import url_problem

KIND_PLACEHOLDERS = {
    "program_at_location": {"program", "location"},
    "location": {"location"},
    "program": {"program"},
    "page": {"slug"},
}


def placeholders(pattern: str) -> set[str]:
    """The names in braces of a pattern: /{location}/{program}/ -> {"location", "program"}.
    Raises ValueError when the braces do not pair up ("/{location/") or a field does more
    than name (patterns.pattern_fields: `{location:>99}`, `{location!r}`)."""
    names = set()
    for field in pattern_fields(pattern):
        if field.problem is not None:
            raise ValueError(f"{field.problem} in a field; a permalink only names fields")
        names.add(field.name)
    return names


def expand(pattern: str, values: dict[str, str]) -> str:
    """The URL a pattern makes: ("/{location}/", {"location": "austin"}) -> /austin/.
    Raises KeyError for a name that `values` lacks (check_permalinks rules that out)."""
    return pattern.format_map(values)


def check_permalinks(config: SiteConfig) -> list[SiteError]:
    """Errors in site.yaml's permalinks, at their line: a pattern that does not parse, that
    does not use exactly the names of its kind of page (KIND_PLACEHOLDERS), or that makes
    an unsafe URL (url_problem)."""
    errors = []
    permalinks = config.fields.permalinks.model_dump()
    for kind, wanted in KIND_PLACEHOLDERS.items():
        pattern = permalinks[kind]
        ref = config.doc.value_ref(("permalinks", kind))
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
