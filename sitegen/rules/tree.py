"""A page's tree: parsing HTML with lxml (the parser beautifulsoup4 drives, but without
building a BeautifulSoup tree: 0.2 ms instead of 5.6 ms for a 20 KB page, which is what
makes a 10,000-page check take seconds), and the helpers that read text, attributes and
start tags out of it, or take parts of it away. Everything here runs in libxml2 (C)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from lxml import etree

Element = etree._Element  # an element of a parsed page (lxml has no public name for it)

NOT_SHOWN = {"script", "style", "noscript", "template"}  # what a reader never sees
NOT_MAIN = {"nav", "header", "footer", "aside", "form", *NOT_SHOWN}  # not the main text

_PARSER = etree.HTMLParser(remove_comments=True, collect_ids=False)
_NORMALIZED_TEXT = etree.XPath("normalize-space()", smart_strings=False)
_IDS = etree.XPath("//@id", smart_strings=False)  # plain str, for the cache
_TEL_HREFS = etree.XPath("//a/@href[starts-with(normalize-space(), 'tel:')]", smart_strings=False)


def parse(html: bytes) -> Element:
    """The root (<html>) of a page's tree. libxml2 repairs what it can of broken HTML;
    raises ValueError for a file without an element (empty, or only whitespace, comments
    or a doctype), etree.ParserError or etree.XMLSyntaxError for one it cannot read at all."""
    root = etree.fromstring(html, _PARSER)
    if root is None:
        raise ValueError(
            "it has no element: it is empty, or only whitespace, comments or a doctype"
        )
    return root


def text(element: Element) -> str:
    """The element's text with its whitespace collapsed (by libxml2, in C)."""
    return str(_NORMALIZED_TEXT(element))


def ids(root: Element) -> list[str]:
    """Every id attribute's value in the tree, as plain str (not lxml's smart strings)."""
    return cast("list[str]", _IDS(root))


def tel_hrefs(root: Element) -> list[str]:
    """The href of every <a> whose href starts with tel: (after leading whitespace)."""
    return cast("list[str]", _TEL_HREFS(root))


def text_of(element: Element) -> str:
    """All the text in `element`, whitespace as it is (serialised by libxml2: far faster
    than itertext)."""
    return str(etree.tostring(element, method="text", encoding="unicode", with_tail=False))


def shows(text: str, value: str) -> bool:
    """Whether lower-case page `text` holds `value`, whatever whitespace is between words."""
    words = value.lower().split()
    if " ".join(words) in text:  # the usual case, without a regular expression
        return True
    if len(words) == 1:
        return False
    return re.search(r"\s+".join(map(re.escape, words)), text) is not None


def remove(element: Element, tags: Iterable[str]) -> None:
    """Take the subtrees with these tags out of `element`'s tree (in C), leaving a space
    where each was, so that the words on either side stay apart."""
    tags = tuple(tags)
    for child in element.iter(*tags):
        child.tail = " " + child.tail if child.tail else " "
    etree.strip_elements(element, *tags, with_tail=False)


def metas(root: Element) -> dict[str, str]:
    """The content of each <meta name=...> by lower-case name (the first of a name counts)."""
    found: dict[str, str] = {}
    for element in root.iter("meta"):
        name = (element.get("name") or "").lower()
        if name and name not in found:
            found[name] = element.get("content") or ""
    return found


def start_tag(element: Element) -> str:
    """The element's start tag as HTML, cut to 140 characters (what a finding shows)."""
    html = etree.tostring(element, encoding="unicode", method="html", with_tail=False)
    tag = html.split(">", 1)[0] + ">"
    return tag if len(tag) <= 140 else tag[:137] + "...>"
