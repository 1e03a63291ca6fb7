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
