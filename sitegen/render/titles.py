"""Document titles (<title>) from the patterns in site.yaml's `seo.titles`."""

from __future__ import annotations

from sitegen.errors import SiteError, SourceRef
from sitegen.model.document import Path_, YamlDoc
from sitegen.model.patterns import pattern_fields
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
    """Names a title pattern may not use, fields that do more than name (a format
    specification such as `{site:>100000000}`, a conversion, an index or attribute:
    patterns.pattern_fields), and patterns Python cannot read, at their line and column."""
    errors: list[SiteError] = []
    titles = config.fields.seo.titles
    for kind, allowed in TITLE_NAMES.items():
        pattern = getattr(titles, kind)
        path = ("seo", "titles", kind)
        ref = config.doc.value_ref(path)
        hint = "names you can use here: " + ", ".join("{" + n + "}" for n in sorted(allowed))
        try:
            fields = pattern_fields(pattern)
        except ValueError as exc:
            errors.append(SiteError(f"title pattern '{pattern}' cannot be read: {exc}", ref, hint))
            continue
        for field in fields:
            where = field_place(config.doc, path, field.offset)
            if field.problem is not None:
                errors.append(
                    SiteError(
                        f"the title pattern of {PAGES_OF[kind]} uses {field.problem}: a title "
                        "pattern only names fields",
                        where,
                        f"write {{{field.name}}} alone; " + hint,
                    )
                )
            elif field.name not in allowed:
                errors.append(
                    SiteError(
                        f"the title pattern of {PAGES_OF[kind]} uses '{{{field.name}}}', which "
                        "they do not have",
                        where,
                        hint,
                    )
                )
    return errors


def field_place(doc: YamlDoc, path: Path_, offset: int) -> SourceRef:
    """The place in the file of the character at `offset` of the one-line string value at
    `path` (its key's place when the value is a block or not known)."""
    mark = doc.value_marks.get(tuple(path))
    if mark is None or mark[2] not in (None, "'", '"'):
        return doc.ref(path)
    line, column, style = mark
    return doc.source.at(line, column + offset + (1 if style else 0))


def document_title(config: SiteConfig, kind: str, values: dict[str, str]) -> str:
    """The <title> of one page; `kind` is a route kind, or "home" for the home page."""
    titles = config.fields.seo.titles
    common = {"site": config.fields.name, "organization": config.fields.organization.name}
    pattern: str = getattr(titles, kind)
    return pattern.format_map({**common, **values})
