"""The variables editors may use in content text, and which texts may use which."""

from __future__ import annotations

from sitegen.errors import SiteError
from sitegen.model.records import ContentText, Location, Program, SiteConfig, SiteContent, text_at
from sitegen.text.markup import ContentRenderer

SITE = frozenset({"site_name", "phone", "text_phone"})
LOCATION = frozenset({"city", "state", "state_name", "location_name"})
PROGRAM = frozenset({"program", "short_name"})


def allowed_names(*, program: bool, location: bool, components: bool = False) -> frozenset[str]:
    names = set(SITE)
    if program:
        names |= PROGRAM
    if location:
        names |= LOCATION
    if components:
        names.add("component")
    return frozenset(names)


def content_variables(
    config: SiteConfig, program: Program | None, location: Location | None
) -> dict[str, object]:
    org = config.fields.organization
    variables: dict[str, object] = {
        "site_name": config.fields.name,
        "phone": org.phone,
        "text_phone": org.text_phone or org.phone,
    }
    if location:
        f = location.fields
        variables.update(
            city=f.city,
            state=f.state,
            state_name=location.state_name,
            location_name=f.name,
            phone=f.phone or org.phone,
        )
    if program:
        variables.update(program=program.fields.title, short_name=program.fields.short_name)
    return variables


def content_texts(content: SiteContent) -> list[tuple[ContentText, frozenset[str]]]:
    """Every editor text with the variables it may use (for the check before rendering)."""
    both = allowed_names(program=True, location=True)
    found: list[tuple[ContentText, frozenset[str]]] = []
    for program in content.programs.values():
        f = program.fields
        found.append((program.body, allowed_names(program=True, location=True, components=True)))
        found += [(text_at(program, (k,), v), both) for k, v in _texts(f, "description", "banner")]
        found += _faq(program, f.faq)
    for location in content.locations.values():
        if location.fields.about:
            about = text_at(location, ("about",), location.fields.about)
            found.append((about, allowed_names(program=False, location=True)))
    for local in content.local_texts.values():
        found.append((local.body, both))
        found += [
            (text_at(local, (k,), v), both)
            for k, v in _texts(local.fields, "description", "banner")
        ]
        found += _faq(local, local.fields.faq)
    for page in content.pages.values():
        found.append((page.body, allowed_names(program=False, location=False, components=True)))
    return found


def _texts(fields, *names: str) -> list[tuple[str, str]]:
    return [(name, getattr(fields, name)) for name in names if getattr(fields, name)]


def _faq(record, items) -> list[tuple[ContentText, frozenset[str]]]:
    """FAQ answers show on the program's hub page too, so they get no location variables."""
    names = allowed_names(program=True, location=False)
    return [
        (text_at(record, ("faq", i, "answer"), item.answer), names) for i, item in enumerate(items)
    ]


def content_text_errors(content: SiteContent, renderer: ContentRenderer) -> list[SiteError]:
    """Syntax errors, unknown variables and components in every editor text."""
    return [
        error for text, names in content_texts(content) for error in renderer.check(text, names)
    ]
