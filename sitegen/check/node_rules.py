"""Structured data across pages: one JSON-LD @id names one thing, with one set of facts,
on every page where it appears; one thing has one @id (https://www.w3.org/TR/json-ld11/
#node-identifiers; https://developers.google.com/search/docs/appearance/structured-data/
sd-policies). Each rule reads the nodes the pages state (PageFacts.nodes, collected by
sitegen.rules.jsonld_nodes from the JSON-LD their data rules parsed)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sitegen.check.site_rules import Site
from sitegen.rules.jsonld_nodes import Fact
from sitegen.rules.model import Finding

NAME, TELEPHONE, ADDRESS = "name", "telephone", "address"
WHERE = (ADDRESS, TELEPHONE)  # with the name, what tells that two nodes are one thing
Key = tuple[str, ...]  # what an @id is filed under to find its repeats (see _lookups)


@dataclass
class Statement:
    """What an @id states: its first page, and of each fact the first value it is given
    (as written, and normalised: jsonld_nodes.normal)."""

    url: str
    shown: dict[str, str]
    normal: dict[str, str]


def conflicts(site: Site) -> Iterator[Finding]:
    """jsonld-id-conflict: an @id whose fact (@type, name, telephone, address or url) has
    different values (normalised: jsonld_nodes.normal) on different pages, or twice on
    one page. The value most pages state (on a tie, the first page's by URL) is taken as
    the @id's; each page that states another gets one finding per @id, naming each fact
    that differs with both values and the first page that states the @id's value. A fact
    one page leaves out is no conflict."""
    # @id -> its facts as stated -> the pages that state them so, in URL order: most
    # pages state what others do, and only what differs is compared fact by fact
    statements: dict[str, dict[tuple[Fact, ...], list[str]]] = {}
    for url in sorted(site.pages):
        for ident, facts in site.pages[url].nodes:
            statements.setdefault(ident, {}).setdefault(facts, []).append(url)
    # (page, @id) -> ("fact 'here' here but 'there' on /first/", here) for each that differs
    differences: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for ident, variants in statements.items():
        if len(variants) > 1:
            for url, text, here in _differences(variants):
                differences.setdefault((url, ident), []).append((text, here))
    for (url, ident), what in sorted(differences.items()):
        yield Finding(
            "jsonld-id-conflict",
            f"the JSON-LD @id {ident} names one thing, but its facts differ: "
            f"{'; '.join(text for text, _here in what)}. Give it the same facts on every "
            "page (or give a different thing an @id of its own)",
            url,
            subject=what[0][1],  # the value here: where to look for it
        )


def _differences(
    variants: dict[tuple[Fact, ...], list[str]],
) -> Iterator[tuple[str, str, str]]:
    """(page, "fact 'here' here but 'there' on /first/", here) for each fact of one @id
    that a page states otherwise than most pages do; `variants` are its facts as stated,
    each with its pages, in the order of their first page."""
    # fact -> normalised value -> {page: the value as written there}
    by_fact: dict[str, dict[str, dict[str, str]]] = {}
    for facts, urls in variants.items():
        for name, shown, normal in facts:
            pages = by_fact.setdefault(name, {}).setdefault(normal, {})
            for url in urls:
                pages.setdefault(url, shown)
    for name, values in by_fact.items():
        if len(values) < 2:
            continue
        right = max(values.values(), key=len)  # the first of the most stated
        first = min(right)
        there = right[first]
        for pages in values.values():
            if pages is not right:
                for url, here in pages.items():
                    where = "elsewhere on this page" if url == first else f"on {first}"
                    yield url, f"{name} '{here}' here but '{there}' {where}", here


def splits(site: Site) -> Iterator[Finding]:
    """jsonld-id-split: two @ids whose nodes state the same name and the same address or
    telephone (normalised; and neither of those two differently), on two pages or on one:
    one thing under two @ids, which search engines take for two things. A chain's
    locations (one name and phone, each its own address) are not one thing. Each @id's
    facts are the first it is given of each (pages in URL order); each @id is reported
    once, on its first page, against the first @id before it that it repeats. Linear in
    the @ids: an @id is looked up by the keys it matches (`_lookups`), not compared with
    every @id of its name."""
    seen: dict[Key, tuple[int, str, Statement]] = {}  # key -> the first @id filed under it
    for index, (ident, statement) in enumerate(_first_statements(site).items()):
        name = statement.normal.get(NAME)
        address, phone = statement.normal.get(ADDRESS), statement.normal.get(TELEPHONE)
        if not name or not (address or phone):
            continue
        lookups, keys = _lookups(name, address, phone)
        earlier = [seen[key] for key in lookups if key in seen]
        if earlier:
            _index, other, first = min(earlier, key=lambda found: found[0])
            yield _split(ident, statement, other, first)
        for key in keys:
            seen.setdefault(key, (index, ident, statement))


def _lookups(name: str, address: str | None, phone: str | None) -> tuple[list[Key], list[Key]]:
    """The keys under which the earlier @ids that a node with this name, address and
    phone repeats are filed, and the keys to file it under. Two nodes of one name are one
    thing when they share an address or a phone and differ in neither: with both, the
    other has both the same, or the same one and not the other; with one, the other has
    the same one, whatever else it has."""
    lookups: list[Key]
    kind: Key
    if address and phone:
        lookups = [("both", name, address, phone), ("address only", name, address)]
        lookups.append(("phone only", name, phone))
        kind = ("both", name, address, phone)
    elif address:
        lookups = [("address", name, address)]
        kind = ("address only", name, address)
    else:
        lookups = [("phone", name, phone or "")]
        kind = ("phone only", name, phone or "")
    keys: list[Key] = [kind]
    keys += [("address", name, address)] if address else []
    keys += [("phone", name, phone)] if phone else []
    return lookups, keys


def _first_statements(site: Site) -> dict[str, Statement]:
    """Each @id's statement: its first page (pages in URL order), and of each fact the
    first value it is given, in the order of the @ids' first pages."""
    first: dict[str, Statement] = {}
    for url in sorted(site.pages):
        for ident, facts in site.pages[url].nodes:
            statement = first.get(ident)
            if statement is None:
                statement = first[ident] = Statement(url, {}, {})
            for name, shown, normal in facts:
                if name not in statement.normal:
                    statement.shown[name], statement.normal[name] = shown, normal
    return first


def _split(ident: str, statement: Statement, other: str, earlier: Statement) -> Finding:
    """The jsonld-id-split finding of `ident`, which repeats the earlier @id `other`."""
    same = [
        f"{fact} '{statement.shown[fact]}'"
        for fact in WHERE
        if statement.normal.get(fact) and statement.normal.get(fact) == earlier.normal.get(fact)
    ]
    where = "on this page" if earlier.url == statement.url else f"on {earlier.url}"
    fragment = _relative_fragment(ident, statement.url, other, earlier.url)
    if fragment is not None:  # one template's relative @id: one cause, whatever the page
        return Finding(
            "jsonld-id-split",
            f"the JSON-LD @id {fragment} is relative, so each page that states it names "
            f"another thing: the same name '{statement.shown[NAME]}' and {' and '.join(same)} "
            f"as the @id {other} {where}. Write one absolute @id (such as {other}) on every "
            "page",
            statement.url,
            subject=fragment,
        )
    return Finding(
        "jsonld-id-split",
        f"the JSON-LD @id {ident} states the same name '{statement.shown[NAME]}' and "
        f"{' and '.join(same)} as the @id {other} {where}: one thing under two @ids is two "
        "things to search engines. Use one @id for it on every page",
        statement.url,
        subject=statement.shown[NAME],
    )


def _relative_fragment(ident: str, url: str, other: str, other_url: str) -> str | None:
    """The fragment (#organization) when the @ids `ident` (of the page at `url`) and
    `other` (of the page at `other_url`) are that one relative @id resolved against
    each page's URL (jsonld_nodes.nodes), else None."""
    at = ident.find("#")
    fragment = ident[at:] if at > 0 else ""
    if not fragment or not other.endswith(fragment) or url == other_url:
        return None
    here, there = ident.removesuffix(fragment), other.removesuffix(fragment)
    if not (here.endswith(url) and there.endswith(other_url)):
        return None
    return (
        fragment if here[: len(here) - len(url)] == there[: len(there) - len(other_url)] else None
    )
