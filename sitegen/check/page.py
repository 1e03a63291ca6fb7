"""Checking one page: parse its HTML once, run the rules that need only this page (head,
content, structured data), and keep the facts the rules across pages need."""

from __future__ import annotations

from lxml import etree

from sitegen.check import main_text
from sitegen.check.cap import capped
from sitegen.rules import content_rules, data_rules, head_rules
from sitegen.rules.model import Finding, PageContext, PageFacts
from sitegen.rules.tree import NOT_SHOWN, ids, parse, remove, tel_hrefs


def read_page(html: bytes, url: str, ctx: PageContext) -> tuple[PageFacts, list[Finding]]:
    """The facts of the page at `url` (its path, e.g. /springfield/) and the findings of the
    rules of one page, severities not yet set. A file that cannot be parsed at all gives
    one page-unparseable finding that says why, and its facts stay empty (it raises
    nothing); at most cap.MAX_PER_RULE findings of a rule are listed, then how many
    more; a page whose file name starts with 404 is the not-found page, which search
    engines never show."""
    facts = PageFacts(url=url, not_found=url.rsplit("/", 1)[-1].startswith("404"))
    try:
        root = parse(html)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        facts.not_found = True  # no page search engines can show (a soft 404): one cause,
        # not also sitemap-missing or preview-indexable for a file that is not a page
        return facts, [unparseable(exc, url)]
    findings = [
        *head_rules.rules(root, facts, ctx),
        *content_rules.rules(root, facts, ctx),
    ]
    facts.ids = frozenset(ids(root))
    blocks = [s.text or "" for s in root.iter("script") if s.get("type") == data_rules.JSON_LD]
    tels = {href.strip()[4:] for href in tel_hrefs(root)} if blocks else set()
    remove(root, NOT_SHOWN)  # from here on, the tree holds only what a reader sees
    findings += data_rules.rules(root, blocks, tels, url, ctx, facts.nodes)
    main_text.sketch(root, facts, ctx, blocks)  # last: it takes the parts outside main away
    return facts, capped(findings)


def unparseable(exc: Exception, url: str) -> Finding:
    """page-unparseable: the file of the page at `url` is no HTML that lxml can read
    (`exc` says why, e.g. tree.parse's ValueError for a file without an element), so no
    other rule could check it, and search engines see an empty page: a soft 404
    (https://developers.google.com/search/docs/crawling-indexing/http-network-errors)."""
    return Finding(
        "page-unparseable",
        f"the file cannot be read as HTML ({exc}), so no other rule could check it and "
        "search engines see an empty page: write the page again (a build or upload cut "
        "short leaves empty files), or delete the file if it is not a page",
        url,
    )
