"""Document titles (<title>) from the patterns in site.yaml's `seo.titles`."""

from __future__ import annotations

import string

from sitegen.errors import SiteError
from sitegen.model.records import SiteConfig

_COMMON = {"heading", "site", "organization"}
TITLE_NAMES: dict[str, set[str]] = {
    "home": _COMMON | {"title"},
    "page": _COMMON | {"title"},
    "program_at_location": _COMMON | {"program", "short_name", "city", "state", "location"},
    "location": _COMMON | {"city", "state", "location"},
    "program": _COMMON | {"program", "short_name"},
}


PAGES_OF = {  # the pages each pattern of site.yaml's seo.titles names, in editors' words
    "home": "the home page",
    "page": "ordinary pages",
    "program_at_location": "program pages at a location",
    "location": "location pages",
    "program": "program pages",
}


def title_template_errors(config: SiteConfig) -> list[SiteError]:
    """Names a title pattern may not use, and patterns Python cannot read, at their line."""
    errors: list[SiteError] = []
    titles = config.fields.seo.titles
    for kind, allowed in TITLE_NAMES.items():
        pattern = getattr(titles, kind)
        ref = config.doc.ref(("seo", "titles", kind))
        hint = "names you can use here: " + ", ".join("{" + n + "}" for n in sorted(allowed))
        try:
            fields = [f for _, f, spec, conv in string.Formatter().parse(pattern) if f is not None]
        except ValueError as exc:
            errors.append(SiteError(f"title pattern '{pattern}' cannot be read: {exc}", ref, hint))
            continue
        for name in fields:
            if name not in allowed:
                errors.append(
                    SiteError(
                        f"the title pattern of {PAGES_OF[kind]} uses '{{{name}}}', which they do "
                        "not have",
                        ref,
                        hint,
                    )
                )
    return errors


def document_title(config: SiteConfig, kind: str, values: dict[str, str]) -> str:
    """The <title> of one page; `kind` is a route kind, or "home" for the home page."""
    titles = config.fields.seo.titles
    common = {"site": config.fields.name, "organization": config.fields.organization.name}
    pattern: str = getattr(titles, kind)
    return pattern.format_map({**common, **values})
