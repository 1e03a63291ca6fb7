"""Blocks of a program's front matter that no page shows: `faq`, `benefits`, `quote` and
`banner` appear on a program's pages at locations only where its body places their
component (`{{ component("faq") }}`) or the layout shows them itself. Set but shown
nowhere there, they are a warning at the field's line."""

from __future__ import annotations

import re

from sitegen.errors import SiteError
from sitegen.model.records import LocalText, Program, SiteConfig, SiteContent
from sitegen.render.layouts import Layouts

PLACED_BLOCKS = ("banner", "benefits", "quote", "faq")
"""Front-matter fields shown by the component of the same name."""


def unplaced_blocks(config: SiteConfig, content: SiteContent, layouts: Layouts) -> list[SiteError]:
    """A warning for each block a program (or a location's text for it) sets that neither
    the program's body places nor the program-at-location layout shows."""
    layout = f"{config.fields.layouts.program_at_location}.html"
    shown_by_layout = layouts.attributes_read(layout, "program")
    warnings: list[SiteError] = []
    placed = {slug: _placed(p) | shown_by_layout for slug, p in content.programs.items()}
    for slug, program in content.programs.items():
        warnings += _unplaced(program, placed[slug], program.doc.source.path)
    for local in content.local_texts.values():
        offered = content.programs.get(local.program)
        if offered is not None:
            warnings += _unplaced(local, placed[local.program], offered.doc.source.path)
    return warnings


def _placed(program: Program) -> set[str]:
    """The components the program's body places (anywhere, conditionally or not)."""
    return {
        name
        for name in PLACED_BLOCKS
        if re.search(rf"component\(\s*[\"']{name}[\"']\s*\)", program.body.text)
    }


def _unplaced(record: Program | LocalText, placed: set[str], body_file: str) -> list[SiteError]:
    warnings = []
    for name in PLACED_BLOCKS:
        if name in placed or not getattr(record.fields, name, None):
            continue
        warnings.append(
            SiteError(
                f"'{name}' is set, but the body of {body_file} never places it, so the "
                "program's pages at locations do not show it",
                record.doc.ref((name,)),
                f'add {{{{ component("{name}") }}}} to that body where it should appear, or '
                "remove the field",
            )
        )
    return warnings
