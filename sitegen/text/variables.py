"""The variables editors may use in content text: which kind of text may use which, their
values for a page, and every text of a site with the names it may use (for the check).

A FAQ answer, for one, shows on the program's hub page too, which has no location, so it
may not use location variables; only program and page bodies may place components. The
other fields of a content file are published as written (TEMPLATE_FIELDS says which take
variables; literal.py reports a variable in any other).
"""

from __future__ import annotations

from sitegen.model.facts import phone_href
from sitegen.model.records import (
    ContentText,
    LocalText,
    Location,
    Page,
    Program,
    SiteConfig,
    SiteContent,
    text_at,
)
from sitegen.model.schema import FaqItem, LocalFields, ProgramFields
from sitegen.text.tags import COMPONENT

SITE = frozenset(
    {
        "site_name",
        "phone",
        "phone_href",
        "text_phone",
        "text_phone_href",
        "admissions_phone",
        "admissions_phone_href",
        "insurance_networks",
        "accepted_plans",
    }
)
"""The site's names (facts.site_facts): every text may use them."""
LOCATION = frozenset({"city", "state", "state_name", "location_name"})
PROGRAM = frozenset({"program", "short_name"})


TEMPLATE_FIELDS: dict[type, frozenset[str]] = {
    Program: frozenset({"description", "banner", "faq.question", "faq.answer"}),
    LocalText: frozenset({"description", "banner", "faq.question", "faq.answer"}),
    Location: frozenset({"about"}),
    Page: frozenset({"description"}),
}
"""The fields of each kind of record whose text is rendered with variables (besides a
program's, local text's and page's body), as dotted names without list indexes."""


def allowed_names(*, program: bool, location: bool, components: bool = False) -> frozenset[str]:
    """The names a text may use: the site's, plus the program's, the location's and
    `component` as asked."""
    names = set(SITE)
    if program:
        names |= PROGRAM
    if location:
        names |= LOCATION
    if components:
        names.add(COMPONENT)
    return frozenset(names)


def content_variables(
    config: SiteConfig, program: Program | None, location: Location | None
) -> dict[str, object]:
    """The values of the variables for a page of `program` at `location` (either may be
    None): {name: value}. A location's own phone number replaces the organisation's in
    `phone` and `phone_href`; `admissions_phone` stays the organisation's."""
    variables: dict[str, object] = dict(config.facts)
    if location:
        f = location.fields
        variables.update(
            city=f.city,
            state=f.state,
            state_name=location.state_name,
            location_name=f.name,
        )
        if f.phone:
            variables.update(phone=f.phone, phone_href=phone_href(f.phone))
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
        description = text_at(page, ("description",), page.fields.description)
        found.append((description, allowed_names(program=False, location=False)))
    return found


def markdown_texts(content: SiteContent) -> list[ContentText]:
    """Every editor text of `content` that is Markdown: the bodies of programs, local texts
    and pages, locations' `about` and FAQ answers."""
    found: list[ContentText] = []
    records: list[Program | LocalText] = [*content.programs.values()]
    records += content.local_texts.values()
    for record in records:
        found.append(record.body)
        found += [
            text_at(record, ("faq", i, "answer"), item.answer)
            for i, item in enumerate(record.fields.faq)
        ]
    for location in content.locations.values():
        if location.fields.about:
            found.append(text_at(location, ("about",), location.fields.about))
    found += [page.body for page in content.pages.values()]
    return found


def _texts(fields: ProgramFields | LocalFields, *names: str) -> list[tuple[str, str]]:
    return [(name, getattr(fields, name)) for name in names if getattr(fields, name)]


def _faq(
    record: Program | LocalText, items: list[FaqItem]
) -> list[tuple[ContentText, frozenset[str]]]:
    """FAQ questions and answers show on the program's hub page too, so they get no
    location variables."""
    names = allowed_names(program=True, location=False)
    return [
        (text_at(record, ("faq", i, part), getattr(item, part)), names)
        for i, item in enumerate(items)
        for part in ("question", "answer")
    ]
