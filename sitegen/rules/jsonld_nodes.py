"""The JSON-LD nodes of a page that state facts about a thing under an @id, nested ones
included (a clinic's parentOrganization, a service's provider, the items of a @graph),
with those facts normalised for comparison across pages: one @id names one thing, with
one set of facts, on every page where it appears (https://www.w3.org/TR/json-ld11/
#node-identifiers; https://developers.google.com/search/docs/appearance/structured-data/
sd-policies). The rules that compare them run across pages (sitegen.check.node_rules)."""

from __future__ import annotations

import re
import sys
from typing import Any
from urllib.parse import urljoin

Fact = tuple[str, str, str]  # (fact, its value as written (whitespace collapsed), normalised)
Node = tuple[str, tuple[Fact, ...]]  # (@id made absolute, its facts in FACTS order)

FACTS = ("@type", "name", "telephone", "address", "url")  # what is compared, in this order
STATING = frozenset(FACTS[1:])  # a node with none of these (only @id, maybe @type) refers
ADDRESS_PARTS = (  # of a PostalAddress, in the order an address is written
    "streetAddress",
    "postOfficeBoxNumber",
    "addressLocality",
    "addressRegion",
    "postalCode",
    "addressCountry",
)


def nodes(item: Any, base: str) -> list[Node]:
    """Every node in the parsed JSON-LD `item` (objects in objects and lists) that has an
    @id and states at least one of name, telephone, address or url. A node that only
    refers to a thing ({"@id": ...}, maybe with its @type) states nothing and is left out,
    and so are blank nodes (_:b0: they name something within one document only).
    Each @id is resolved against `base`, the page's URL: a relative @id such as #clinic
    names a node of that page (https://www.w3.org/TR/json-ld11/#iris). Breadth first and
    without recursion, so a deeply nested item raises nothing."""
    found: list[Node] = []
    queue = [item]
    for value in queue:  # breadth first: the queue grows while it is read
        kind = type(value)
        if kind is list:
            queue += value
        elif kind is dict:
            if "@id" in value:
                node = _node(value, base)
                if node is not None:
                    found.append(node)
            queue += [v for k, v in value.items() if type(v) in _NESTED and k != "@context"]
    return found


_NESTED = (dict, list)  # what JSON values hold other values


def _node(value: dict[str, Any], base: str) -> Node | None:
    """The node of one JSON-LD object, or None when it has no @id or states nothing."""
    ident = value.get("@id")
    if not isinstance(ident, str) or not (ident := ident.strip()) or ident.startswith("_:"):
        return None
    if STATING.isdisjoint(value):
        return None  # a reference, not a statement
    facts: list[Fact] = []
    for name in FACTS:
        written = fact(name, value.get(name))
        if written is not None:
            facts.append((name, *written))
    if not any(name in STATING for name, _shown, _normal in facts):
        return None
    if not ident.startswith(("https://", "http://")):  # absolute, as most are: as it is
        ident = urljoin(base, ident)
    return sys.intern(ident), tuple(facts)


def fact(name: str, value: Any) -> tuple[str, str] | None:
    """(as written, normalised) of one fact's JSON value, or None when it states nothing
    comparable (missing, empty, a reference to another node). A list is its members
    joined ("; "; normalised: sorted, "|"); a value object ({"@value": ...}) its value; a
    PostalAddress its parts (ADDRESS_PARTS) joined with ", "."""
    if isinstance(value, list):
        parts = [p for p in (fact(name, v) for v in value if not isinstance(v, list)) if p]
        if not parts:
            return None
        return "; ".join(p[0] for p in parts), "|".join(sorted({p[1] for p in parts}))
    if isinstance(value, dict):
        if "@value" in value:
            return fact(name, value["@value"])
        if name != "address":
            return None
        value = postal_address(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    shown = " ".join(str(value).split())
    return (shown, normal(name, shown)) if shown else None


def postal_address(value: dict[str, Any]) -> str | None:
    """A PostalAddress's parts, as written, joined with ", " (a country given as an object
    by its name), or None when it has none (a reference to an address node)."""
    parts = []
    for key in ADDRESS_PARTS:
        part = value.get(key)
        if isinstance(part, dict):
            part = part.get("name")
        if isinstance(part, str | int) and not isinstance(part, bool) and str(part).strip():
            parts.append(" ".join(str(part).split()))
    return ", ".join(parts) or None


def normal(name: str, shown: str) -> str:
    """A fact's value as compared: a telephone by its digits (+1 (323) 457-8208 is
    13234578208), a name in any case, an address by its words in any case (punctuation
    aside: "12 Main St., Springfield" is "12 main st springfield"), a url as URLs compare
    (https://Example.com is https://example.com/); @type as written."""
    if name == "telephone":
        return re.sub(r"\D", "", shown) or shown.casefold()
    if name == "name":
        return shown.casefold()
    if name == "address":
        return " ".join(re.findall(r"\w+", shown.casefold()))
    if name == "url":  # scheme and host in any case, no path the root's: one URL
        origin = re.match(r"(?i)(https?://[^/?#]*)(.*)", shown)
        if origin:
            return origin.group(1).lower() + (origin.group(2) or "/")
    return shown
