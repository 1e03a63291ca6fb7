"""Drafts (`draft: true`): left out of a build unless it asks for them (--drafts, and the
preview), with a note for each page that goes with them."""

from __future__ import annotations

from dataclasses import replace

from sitegen.errors import SiteError
from sitegen.model.records import SiteContent


def without_drafts(content: SiteContent) -> tuple[SiteContent, list[SiteError]]:
    """The content without drafts, and a note for each page left out because of one."""
    notes: list[SiteError] = []
    programs = {s: p for s, p in content.programs.items() if not p.fields.draft}
    locations = {s: loc for s, loc in content.locations.items() if not loc.fields.draft}
    for location in locations.values():
        for index, slug in enumerate(location.fields.programs):
            if slug in content.programs and slug not in programs:
                notes.append(
                    SiteError(
                        f"program '{slug}' is a draft, so it is left out (build with --drafts)",
                        location.doc.ref(("programs", index)),
                    )
                )
    if len(programs) != len(content.programs):
        for location in locations.values():
            kept = [
                s for s in location.fields.programs if s in programs or s not in content.programs
            ]
            if kept != location.fields.programs:
                fields = location.fields.model_copy(update={"programs": kept})
                locations[location.slug] = replace(location, fields=fields)
    local_texts = {
        key: text
        for key, text in content.local_texts.items()
        if (key[0] in locations and key[1] in programs)
        or key[0] not in content.locations
        or key[1] not in content.programs
    }
    pages = {s: p for s, p in content.pages.items() if not p.fields.draft}
    return SiteContent(programs, locations, local_texts, pages, content.broken), notes
