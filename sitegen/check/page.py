"""Checking one page: parse its HTML once, run the rules that need only this page (head,
content, structured data), and keep the facts the rules across pages need."""

from __future__ import annotations

from lxml import etree

from sitegen.check import main_text
from sitegen.rules import content_rules, data_rules, head_rules
from sitegen.rules.model import Finding, PageContext, PageFacts
from sitegen.rules.tree import NOT_SHOWN, ids, parse, remove, tel_hrefs


def read_page(html: bytes, url: str, ctx: PageContext) -> tuple[PageFacts, list[Finding]]:
    """The facts of the page at `url` (its path, e.g. /springfield/) and the findings of the
    rules of one page, severities not yet set. A file that cannot be parsed at all gives
    one h1-count finding that says why (it raises nothing); a page whose file name starts
    with 404 is the not-found page, which search engines never show."""
    facts = PageFacts(url=url, not_found=url.rsplit("/", 1)[-1].startswith("404"))
    try:
        root = parse(html)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        return facts, [Finding("h1-count", f"the page cannot be parsed: {exc}", url)]
    findings = [
        *head_rules.rules(root, facts, ctx),
        *content_rules.rules(root, facts, ctx),
    ]
    facts.ids = frozenset(ids(root))
    blocks = [s.text or "" for s in root.iter("script") if s.get("type") == data_rules.JSON_LD]
    tels = {href.strip()[4:] for href in tel_hrefs(root)} if blocks else set()
    remove(root, NOT_SHOWN)  # from here on, the tree holds only what a reader sees
    findings += data_rules.rules(root, blocks, tels, url, ctx)
    main_text.sketch(root, facts, ctx, blocks)  # last: it takes the parts outside main away
    return facts, findings
