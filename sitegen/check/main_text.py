"""The sketch of a page's main text, which the near-duplicate and doorway rules across
pages compare (sitegen.check.similarity says how)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from sitegen.check import similarity
from sitegen.rules.data_rules import MAX_PLACES
from sitegen.rules.model import PageContext, PageFacts
from sitegen.rules.tree import NOT_MAIN, NOT_SHOWN, Element, remove, text_of

# Elements whose end ends a block of text: no word shingle reaches past them, so the
# order of paragraphs, list items or cells does not change the sketch.
BLOCKS = (
    *("p", "li", "dt", "dd", "blockquote", "pre", "td", "th", "caption", "div", "br"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "summary", "address", "hr"),
)

# schema.org types whose name, address and telephone are a place's own (LocalBusiness
# and its medical subtypes, Place): what a page about one location says of it.
PLACE_TYPES = frozenset(
    {"LocalBusiness", "MedicalBusiness", "MedicalClinic", "MedicalOrganization", "Hospital",
     "Physician", "Dentist", "Pharmacy", "Optician", "Place", "CivicStructure", "PostalAddress"}
)  # fmt: skip
PLACE_FIELDS = ("name", "addressLocality", "addressRegion", "streetAddress", "postalCode")


def sketch(root: Element, facts: PageFacts, ctx: PageContext, blocks: Iterable[str] = ()) -> None:
    """Set facts.sketch from the text of <main> (else <body>) without navigation, header,
    footer, asides and forms; or instead facts.masked_sketch, with the location's names
    masked: the names the build recorded, or on a site that is not ours the place names
    its JSON-LD `blocks` (script texts) state. Only pages that are compared with siblings
    need one: on our site, pages with a group. `root` must already lack what a reader
    does not see (tree.NOT_SHOWN), and loses the parts outside the main text and gets
    block marks: call this last."""
    if ctx.source is not None and ctx.source.group is None:
        return
    main = root.find(".//main")
    main = main if main is not None else root.find("body")
    if main is None:
        return
    remove(main, NOT_MAIN - NOT_SHOWN)
    mark = similarity.BLOCK_MARK
    for element in main.iter(*BLOCKS):  # one assignment each: the cheapest mark we found
        element.tail = mark + (element.tail or "")
    text = text_of(main)
    terms = ctx.source.terms if ctx.source else place_terms(blocks)
    if terms:
        facts.masked_sketch = similarity.masked_sketch(text, terms)
    else:
        facts.sketch = similarity.sketch(text)


def place_terms(blocks: Iterable[str]) -> tuple[str, ...]:
    """The place names stated in JSON-LD script texts: of each item of a PLACE_TYPES type
    (at any depth, in @graph or nested) its name, telephone and the PLACE_FIELDS of its
    address (an object, or a text taken whole), each
    phone also in the forms pages show it in (+1-323-555-0100, (323) 555-0100,
    323-555-0100). Texts that are not JSON are skipped (the structured-data rules
    report them); of at most data_rules.MAX_PLACES places. () when there are none."""
    terms: dict[str, None] = {}
    places = 0
    for block in blocks:
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):  # RecursionError: [[[[... nested too deeply
            continue
        for item in _items(data):
            types = item.get("@type")
            if not PLACE_TYPES.intersection(types if isinstance(types, list) else [types]):
                continue
            places += 1
            if places > MAX_PLACES:  # a page is about one place or a few; the mask of
                return tuple(terms)  # 20,000 places' names took 80 s on one 2 MB page
            address = item.get("address")
            fields = address if isinstance(address, dict) else {"streetAddress": address}
            for value in [*(item.get(key) for key in PLACE_FIELDS), *map(fields.get, PLACE_FIELDS)]:
                if isinstance(value, str) and value.strip():
                    terms[value.strip()] = None
            phone = item.get("telephone")
            if isinstance(phone, str):
                terms.update(dict.fromkeys(phone_forms(phone)))
    return tuple(terms)


def phone_forms(phone: str) -> list[str]:
    """`phone` as given and, for a North American number (10 digits, or 11 starting
    with 1), its digits as pages write them: 323 555 0100 (which masks (323) 555-0100,
    323-555-0100 and 323.555.0100: masking reads words) and 3235550100."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    forms = [phone.strip()] if phone.strip() else []
    if len(digits) == 10:
        forms += [f"{digits[:3]} {digits[3:6]} {digits[6:]}", digits]
    return forms


def _items(data: object) -> Iterator[dict[str, object]]:
    """Every JSON object in `data`, depth first."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            yield value
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
