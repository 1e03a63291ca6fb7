"""The views layouts receive: the project's own plain objects; phone numbers in E.164."""

from __future__ import annotations

import dataclasses

import phonenumbers
import pytest

from conftest import FIXTURES, PROJECT
from sitegen.errors import ErrorList
from sitegen.pipeline import BuildOptions, load_site, route_site
from sitegen.render import views
from sitegen.render.layouts import Layouts
from sitegen.render.pages import PageRenderer
from sitegen.render.view_parts import phone_view


@pytest.mark.parametrize(
    "number",
    [
        "(323) 457-8208",
        "424-302-2598",
        "323.457.8208",
        "3234578208",
        "1 (323) 457-8208",
        "+1 323 457 8208",
        "(323) 457-8208 ext. 12",
        "1-800-FLOWERS",
    ],
)
def test_e164_is_what_phonenumbers_gives(number: str) -> None:
    expected = phonenumbers.format_number(
        phonenumbers.parse(number, "US"), phonenumbers.PhoneNumberFormat.E164
    )
    view = phone_view(number, "sms")
    assert (view.display, view.e164, view.href) == (number, expected, f"sms:{expected}")


def _walk(value: object, path: str, found: list[str]) -> None:
    """Every value layouts can reach from `value`, checked to be a plain type or one of
    the project's own view classes."""
    if value is None or isinstance(value, str | int | float | bool):
        return
    if isinstance(value, tuple | list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", found)
        return
    if dataclasses.is_dataclass(value) and type(value).__module__ == views.__name__:
        for field in dataclasses.fields(value):
            _walk(getattr(value, field.name), f"{path}.{field.name}", found)
        return
    if callable(value) and path.startswith("component"):
        return
    found.append(f"{path}: {type(value).__module__}.{type(value).__qualname__}")


@pytest.mark.parametrize("root", [PROJECT, FIXTURES / "multi"], ids=["example", "multi"])
def test_layouts_receive_only_the_projects_own_view_objects(monkeypatch, root) -> None:
    """views.py promises that layouts never see the internal model (pydantic fields,
    records): walk everything every page hands to its layouts (the multi fixture has a
    street address, coordinates and hours)."""
    contexts: list[dict] = []
    real_render = Layouts.render

    def spy(self: Layouts, name: str, context: dict) -> str:
        contexts.append(dict(context))
        return real_render(self, name, context)

    monkeypatch.setattr(Layouts, "render", spy)
    errors = ErrorList()
    site = load_site(BuildOptions(root=root, out=root / "unused", drafts=True), [], errors)
    routes, _aliases = route_site(site, errors)
    renderer = PageRenderer(
        site.config, site.content, routes, site.catalog, site.layouts, texts=site.texts
    )
    for route in routes:
        renderer.render(route)
    assert len(contexts) >= len(routes)
    found: list[str] = []
    for context in contexts:
        for name, value in context.items():
            _walk(value, name, found)
    assert found == []
    kinds = {type(v).__name__ for c in contexts for v in c.values()}
    assert {"SiteView", "PageView", "ProgramView", "LocationView"} <= kinds


def _program_lists(root, memo) -> dict[str, tuple]:
    """Each program's location cards, as a renderer with `memo` (a ViewMemo, or None: a
    build of its own) makes them."""
    errors = ErrorList()
    site = load_site(BuildOptions(root=root, out=root / "unused"), [], errors)
    routes, _aliases = route_site(site, errors)
    assert not errors
    renderer = PageRenderer(
        site.config, site.content, routes, site.catalog, site.layouts, texts=site.texts, memo=memo
    )
    return {
        slug: renderer.views.program(program, None).locations
        for slug, program in site.content.programs.items()
    }


def test_a_programs_location_cards_are_taken_over_only_while_equal(tmp_path) -> None:
    """ViewMemo.program_lists (a resident process's, the dev server's): a program's list
    of location cards is the last build's while its cards and pages are equal, and made
    again as a build of its own makes it when a card, a page or the offer changed."""
    import shutil

    from sitegen.render.viewmodels import ViewMemo

    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "multi", root)
    memo = ViewMemo()
    first = _program_lists(root, memo)
    again = _program_lists(root, memo)
    assert all(again[slug] is first[slug] for slug in first)  # equal: the same tuples
    shelbyville = root / "content/locations/shelbyville.yaml"
    text = shelbyville.read_text()
    shelbyville.write_text(text.replace("summary: Our Shelbyville location.", "summary: Ours."))
    changed = _program_lists(root, memo)
    assert changed == _program_lists(root, None)  # what a build of its own makes
    for slug, cards in changed.items():
        assert cards is not first[slug]
        assert [c.summary for c in cards if c.slug == "shelbyville"] == ["Ours."]
    shelbyville.write_text(
        text.replace(
            "programs: [residential, evening-program, day-program]", "programs: [residential]"
        )
    )
    fewer = _program_lists(root, memo)
    assert fewer == _program_lists(root, None)
    assert [c.slug for c in fewer["day-program"]] == [
        c.slug for c in first["day-program"] if c.slug != "shelbyville"
    ]
    assert fewer["residential"] == _program_lists(root, None)["residential"]
