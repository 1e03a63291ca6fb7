"""The rules of a page's structured data (JSON-LD): it parses and has @context and @type;
a clinic's name, phone and address are shown on the page; breadcrumbs run 1..n over the
site's canonical URLs; FAQ markup asks only questions the page shows.

Why each rule matters, with its source, is in sitegen.model.check_rules.RULES."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from sitegen.rules import jsonld_nodes
from sitegen.rules.model import Finding, PageContext
from sitegen.rules.tree import Element, shows, text, text_of

JSON_LD = "application/ld+json"
CLINIC_TYPES = {"MedicalClinic", "LocalBusiness", "MedicalBusiness", "MedicalOrganization"}
# Clinics of one page checked against its text: a page about one place states one or a
# few; each check searches the whole text, so 20,000 items on a 2 MB page took 114 s.
MAX_PLACES = 20
QUESTION_TAGS = ("summary", "dt", "h2", "h3", "h4")  # where a page shows an FAQ's question


def rules(
    root: Element,
    blocks: list[str],
    tels: set[str],
    url: str,
    ctx: PageContext,
    nodes: list[jsonld_nodes.Node] | None = None,
) -> Iterator[Finding]:
    """jsonld-invalid (https://developers.google.com/search/docs/appearance/structured-data/
    intro-structured-data) for each JSON-LD block's text in `blocks`, then the rules of
    each item by its @type: clinic, BreadcrumbList, FAQPage. `root` is the page without
    what a reader does not see (scripts and styles taken out), `tels` the numbers of its
    tel: links. The nodes that state facts under an @id (jsonld_nodes.nodes, for the rules
    across pages) are added to `nodes` when it is given, from the JSON parsed here."""
    if not blocks:
        return
    yield from repeated(blocks, url)
    body = root.find("body")
    # not collapsed: a value is looked for with any whitespace between its words
    shown = text_of(body if body is not None else root).lower()
    shown_questions: set[str] | None = None
    places = 0  # clinics checked against the page's text, at most MAX_PLACES
    for block in blocks:
        items, problems = read_block(block, url)
        yield from problems
        if nodes is not None:
            base = (ctx.origin or "") + url
            for item in items:
                nodes += jsonld_nodes.nodes(item, base)
        for item in items:
            kind = kind_of(item)
            if kind in CLINIC_TYPES:
                places += 1
                if places <= MAX_PLACES:
                    yield from clinic(item, url, shown, tels)
            elif kind == "BreadcrumbList":
                yield from breadcrumbs(item, url, ctx)
            elif kind == "FAQPage":
                if shown_questions is None:
                    shown_questions = {text(e) for e in root.iter(*QUESTION_TAGS)}
                yield from faq(item, url, shown_questions)


def read_block(block: str, url: str) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The items of one JSON-LD block's text that have @context and @type, and a
    jsonld-invalid finding for a block that does not parse or an item without them. The
    items of a graph ({"@context": ..., "@graph": [...]}) are its nodes that have a @type
    (https://www.w3.org/TR/json-ld11/#named-graphs)."""
    try:
        data = json.loads(block)
    except ValueError as exc:
        return [], [Finding("jsonld-invalid", f"JSON-LD does not parse: {exc}", url)]
    except RecursionError:  # [[[[... deeper than the parser's recursion limit
        return [], [Finding("jsonld-invalid", "JSON-LD nested too deeply to read", url)]
    items: list[dict[str, Any]] = []
    problems: list[Finding] = []
    for item in data if isinstance(data, list) else [data]:
        if _graph(item):
            items += [n for n in item["@graph"] if isinstance(n, dict) and "@type" in n]
        elif not isinstance(item, dict) or "@context" not in item or "@type" not in item:
            problems.append(Finding("jsonld-invalid", "JSON-LD without @context and @type", url))
        else:
            items.append(item)
    return items, problems


def kind_of(item: dict[str, Any]) -> str:
    """An item's @type as one name: a node may have several (["MedicalClinic",
    "LocalBusiness"]), and then the first a rule here knows is its kind (else its first)."""
    kind = item["@type"]
    if isinstance(kind, list):
        names = [k for k in kind if isinstance(k, str)]
        known = CLINIC_TYPES | {"BreadcrumbList", "FAQPage"}
        return next((k for k in names if k in known), names[0] if names else "")
    return kind if isinstance(kind, str) else ""


def _graph(item: object) -> bool:
    """Whether a top-level JSON-LD item is a graph: @context and a list @graph, no @type."""
    return (
        isinstance(item, dict)
        and "@context" in item
        and "@type" not in item
        and isinstance(item.get("@graph"), list)
    )


def repeated(blocks: list[str], url: str) -> Iterator[Finding]:
    """jsonld-repeated: the same JSON-LD block (its text, stripped) twice on a page,
    e.g. a partial with the structured data included twice: search engines then see two
    of each item (https://developers.google.com/search/docs/appearance/structured-data/
    sd-policies). One finding per repeated block."""
    if len(blocks) < 2:
        return
    seen: set[str] = set()
    for block in blocks:
        key = block.strip()
        if key in seen:
            kind = re.search(r'"@type"\s*:\s*"([^"]+)"', key)
            what = f"{kind.group(1)} " if kind else ""
            yield Finding(
                "jsonld-repeated",
                f"the same {what}JSON-LD block is on the page twice",
                url,
                subject=key[:60],  # its start: where to look for it
            )
            seen.discard(key)  # once per block, however often it repeats
            seen.add("\0" + key)
        elif "\0" + key not in seen:
            seen.add(key)


def clinic(item: dict[str, Any], url: str, shown: str, tels: set[str]) -> Iterator[Finding]:
    """clinic-required: name, address and a unique @id (https://developers.google.com/search/
    docs/appearance/structured-data/local-business); clinic-mismatch: the name, telephone
    and address parts are what the page shows (`shown`, its text in lower case; `tels`, its
    tel: numbers; .../structured-data/sd-policies); clinic-recommended: street address, geo
    and opening hours. A MedicalOrganization (the organisation, not a place) is skipped."""
    kind = kind_of(item)
    if kind == "MedicalOrganization":
        return
    missing = [k for k in ("name", "address", "@id") if not item.get(k)]
    if missing:
        yield Finding(
            "clinic-required", f"{kind} without {', '.join(missing)}", url, subject="name:"
        )
    name = str(item.get("name", ""))
    if name and not _shows_name(shown, name):
        yield Finding(
            "clinic-mismatch",
            f"the page does not show the {kind}'s name '{name}'",
            url,
            subject="name:",
        )
    phone = item.get("telephone")
    dialled = {re.sub(r"\D", "", tel) for tel in tels}  # +1-323-555-0100 is +13235550100
    digits = re.sub(r"\D", "", str(phone))
    if (
        phone
        and str(phone) not in tels
        and digits not in dialled
        and not _shows_number(shown, digits)
    ):
        yield Finding(
            "clinic-mismatch",
            f"the {kind}'s telephone {phone} is neither a tel: link nor shown on the page",
            url,
            subject="phone:",
        )
    address = item.get("address") or {}
    if isinstance(address, dict):
        for key in ("streetAddress", "addressLocality", "addressRegion", "postalCode"):
            value = address.get(key)
            if value and not shows(shown, str(value)):
                yield Finding(
                    "clinic-mismatch",
                    f"the page does not show the address part '{value}'",
                    url,
                    subject=str(value),
                )
        lacking = [
            (what, key)
            for what, key, present in (
                (
                    "streetAddress (local results show no map pin or directions)",
                    "address:",
                    address.get("streetAddress"),
                ),
                ("geo (maps place it less precisely)", "geo:", item.get("geo")),
                (
                    "openingHours (results show no hours)",
                    "hours:",
                    item.get("openingHours") or item.get("openingHoursSpecification"),
                ),
            )
            if not present
        ]
        if lacking:
            yield Finding(
                "clinic-recommended",
                f"the {kind} lacks " + "; ".join(what for what, _key in lacking),
                url,
                subject=lacking[0][1],
            )


def _shows_number(shown: str, digits: str) -> bool:
    """Whether the page's text `shown` writes the phone number of `digits` (its last 10,
    the national number of a North American one, with any punctuation or spaces between
    them: (512) 555-0100, 512.555.0100), as a page without tel: links shows it."""
    national = digits[-10:]
    if len(national) < 7:
        return False
    pattern = r"[\s().+-]{0,3}".join(national)
    return re.search(rf"(?<!\d){pattern}(?!\d)", shown) is not None


NAME_WORDS = 32  # the most words of a name looked for one by one (a name is a few words)


def _shows_name(shown: str, name: str) -> bool:
    """Whether the page text `shown` holds each word of `name`: as written (one search),
    else word by word; a name of more than NAME_WORDS distinct words that the page does
    not show as written is not shown (each word is a search of the whole page: a 30,000
    word name on a 2 MB page took 68 s)."""
    if shows(shown, name):
        return True
    words = dict.fromkeys(name.lower().split())
    return len(words) <= NAME_WORDS and all(word in shown for word in words)


def objects(value: Any) -> list[dict[str, Any]] | None:
    """A property's objects: a list of objects, or one object (schema.org allows one value
    where it allows several); [] when it is absent; None when it holds anything else."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    return None


def breadcrumbs(item: dict[str, Any], url: str, ctx: PageContext) -> Iterator[Finding]:
    """breadcrumb-invalid: itemListElement a list of ListItems at positions 1..n, each
    item an absolute URL of the site (a URL, or a Thing whose @id is one), the last one
    this page, whose item may be left out (as Yoast SEO writes it; Google then takes the
    page's URL: https://developers.google.com/search/docs/appearance/structured-data/
    breadcrumb)."""
    items = objects(item.get("itemListElement"))
    if items is None:
        yield Finding(
            "breadcrumb-invalid", "the breadcrumb's itemListElement is not a list of ListItems", url
        )
        return
    positions = [i.get("position") for i in items]
    if positions != list(range(1, len(items) + 1)):
        yield Finding(
            "breadcrumb-invalid", f"breadcrumb positions are {positions}, not 1..{len(items)}", url
        )
    targets = [_target(entry.get("item")) for entry in items]
    if items and ctx.origin and items[-1].get("item") is None:
        targets[-1] = ctx.origin + url  # the last item may leave it out: it is this page
    for target in targets:
        if not re.match(r"^https?://", target) or (
            ctx.origin and not target.startswith(ctx.origin + "/")
        ):
            yield Finding(
                "breadcrumb-invalid",
                f"breadcrumb item '{target}' is not a canonical URL of the site",
                url,
            )
    if targets and ctx.origin and targets[-1] != ctx.origin + url:
        yield Finding("breadcrumb-invalid", "the last breadcrumb item is not this page", url)


def _target(item: Any) -> str:
    """A ListItem's `item` as a URL: the string, or the @id of a Thing."""
    if isinstance(item, dict):
        item = item.get("@id", "")
    return "" if item is None else str(item)


def faq(item: dict[str, Any], url: str, shown_questions: set[str]) -> Iterator[Finding]:
    """faq-not-visible: each question of the FAQPage's mainEntity is the text (whitespace
    collapsed) of a summary, dt or h2-h4 of the page, `shown_questions`
    (https://developers.google.com/search/docs/appearance/structured-data/faqpage)."""
    entries = objects(item.get("mainEntity"))
    if entries is None:
        yield Finding("jsonld-invalid", "the FAQPage's mainEntity is not a list of Questions", url)
        return
    for entry in entries:
        question = " ".join(str(entry.get("name", "")).split())
        if question not in shown_questions:
            yield Finding(
                "faq-not-visible",
                f"FAQ markup asks '{question}', which the page does not show",
                url,
                subject=question,
            )
