"""Components in a body: the placeholder each `{{ component("x") }}` leaves when a text is
rendered, then the rendered components put in their place; and where a body's introduction
ends (its first <h2>), where a local text is placed.

Components are layouts (layouts/components/), rendered with the page's context, which text/
does not have: rendering a text records the calls, and the page renderer fills them in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from sitegen.text.names import suggest
from sitegen.text.template import ContentProblem

_TOKEN = "sitegencomponent{}x"
_PLACEHOLDER = re.compile(r"(?:<p>)?sitegencomponent\d+x(?:</p>)?")  # as fill_components finds it
_H2 = re.compile(r"<h2[\s>]")


@dataclass(frozen=True)
class ComponentCall:
    """One `{{ component(name) }}` of a rendered text, standing in the HTML as `token`."""

    token: str
    name: str


class ComponentCalls:
    """The `component` function of one render of a text: each call is recorded in `calls`
    and returns its placeholder token. Raises ContentProblem (with a suggestion) for a name
    not in `names`."""

    def __init__(self, names: Collection[str]) -> None:
        self.names = names
        self.calls: list[ComponentCall] = []

    def __call__(self, name: str) -> str:
        if name not in self.names:
            raise ContentProblem(
                f"unknown component '{name}'", suggest(name, self.names, "components")
            )
        call = ComponentCall(_TOKEN.format(len(self.calls)), name)
        self.calls.append(call)
        return call.token


def unfilled_parts(html: str) -> list[str]:
    """The parts of a rendered text's `html` between its component placeholders (a
    placeholder alone in its <p> taken with it): what a page that fills the components in
    shows of the text as it is."""
    return _PLACEHOLDER.split(html)


def fill_components(html: str, calls: list[ComponentCall], render: Callable[[str], str]) -> str:
    """`html` with the placeholder of each of `calls` replaced by `render(name)` (and the
    <p> Markdown put around a placeholder alone on its line removed). A placeholder no
    longer in `html` is skipped. Components are rendered in the order of `calls`, and the
    page is put together once (not copied again for each component)."""
    places: list[tuple[int, int, str]] = []
    for call in calls:
        start = html.find(call.token)
        if start < 0:
            continue
        end = start + len(call.token)
        if html.startswith("<p>", start - 3) and html.startswith("</p>", end):
            start, end = start - 3, end + 4
        places.append((start, end, str(render(call.name))))  # str: Markup would escape
    if not places:
        return html
    places.sort()
    parts: list[str] = []
    position = 0
    for start, end, filled in places:
        parts += (html[position:start], filled)
        position = end
    parts.append(html[position:])
    return "".join(parts)


def split_intro(html: str) -> tuple[str, str]:
    """(introduction, rest): the HTML before the first <h2> (right-stripped) and from it
    on; (html, "") when there is no <h2>."""
    match = _H2.search(html)
    if not match:
        return html, ""
    return html[: match.start()].rstrip(), html[match.start() :]
