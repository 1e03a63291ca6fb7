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


@dataclass
class Statement:
    """The first statement of an @id: its page, and its facts (as written, normalised)."""

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
    telephone (normalised; and no fact of those two that differs), on two pages or on one:
    one thing under two @ids, which search engines take for two things. Each @id is read
    from its first statement (its first page by URL); each one is reported once, on its
    first page, against the first @id before it that it repeats."""
    first: dict[str, Statement] = {}
    for url in sorted(site.pages):
        for ident, facts in site.pages[url].nodes:
            if ident not in first:
                first[ident] = Statement(
                    url, {n: s for n, s, _ in facts}, {n: v for n, _, v in facts}
                )
    by_name: dict[str, list[tuple[str, Statement]]] = {}
    for ident, statement in first.items():
        name = statement.normal.get(NAME)
        if name and any(statement.normal.get(fact) for fact in WHERE):
            by_name.setdefault(name, []).append((ident, statement))
    for named in by_name.values():
        for index, (ident, statement) in enumerate(named):
            earlier = next(((i, s) for i, s in named[:index] if _same(s, statement)), None)
            if earlier is not None:
                yield _split(ident, statement, *earlier)


def _same(one: Statement, other: Statement) -> bool:
    """Whether two statements of one name say the same address or telephone, and none of
    the two differently."""
    shared = [f for f in WHERE if one.normal.get(f) and other.normal.get(f)]
    return bool(shared) and all(one.normal[f] == other.normal[f] for f in shared)


def _split(ident: str, statement: Statement, other: str, earlier: Statement) -> Finding:
    """The jsonld-id-split finding of `ident`, which repeats the earlier @id `other`."""
    same = [
        f"{fact} '{statement.shown[fact]}'"
        for fact in WHERE
        if statement.normal.get(fact) and statement.normal.get(fact) == earlier.normal.get(fact)
    ]
    where = "on this page" if earlier.url == statement.url else f"on {earlier.url}"
    return Finding(
        "jsonld-id-split",
        f"the JSON-LD @id {ident} states the same name '{statement.shown[NAME]}' and "
        f"{' and '.join(same)} as the @id {other} {where}: one thing under two @ids is two "
        f"things to search engines. Use one @id for it on every page",
        statement.url,
        subject=statement.shown[NAME],
    )
