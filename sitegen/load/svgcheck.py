"""Whether an SVG of assets/ would run anything when a browser opens it on the site's own
address (docs/threat-model.md: editors' files are data). An SVG opened by itself is an XML
document that may hold scripts, event handlers, HTML and javascript: links, which run with
the site's origin, under its own CSP if the script is one of the site's files.

The file is parsed as XML (lxml, which reads its encoding as a browser does: UTF-8, UTF-16
by its byte order mark) and every element, attribute and processing instruction judged,
rather than searched with a pattern over its bytes: a namespace prefix with a digit
(`<s1:script>`), a character reference (`&#106;avascript:`), an entity that expands to a
`<script>`, an animation that sets an `href` or a file in UTF-16 each got past such a
pattern. What a browser would read differently is refused: a document that is not
well-formed XML, and one with a DOCTYPE that declares entities."""

from __future__ import annotations

import itertools
import re
from typing import Any

from lxml import etree

from sitegen.model.limits import MAX_SVG_ATTRIBUTES, MAX_SVG_BYTES, MAX_SVG_TAGS

TOO_LARGE = "more than a drawing needs"  # ends each problem of a limit (size, tags, attributes)

# elements that run script, embed a document or HTML, or listen for events
_ACTIVE_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "frame"}
)
_ANIMATIONS = frozenset({"set", "animate", "animatemotion", "animatetransform", "animatecolor"})
_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:")
_HTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
# encodings a browser reads as lxml does (the bytes that make markup are the same)
_READ_ALIKE = frozenset(
    {"UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "US-ASCII", "ASCII", "ISO-8859-1", "LATIN1"}
)
# a picture embedded in an <image> (Inkscape's and Figma's exports): data a browser shows
_PICTURE_DATA = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp);base64,", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "src", "to", "from", "by", "values", "style"})
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")  # what a URL parser drops or skips in a scheme


def svg_problem(data: bytes) -> str | None:
    """What in the SVG `data` a browser would run or embed (None: nothing): a script, an
    event handler (an `on...` attribute), embedded HTML (foreignObject, an element in
    HTML's namespace), a javascript:, vbscript: or data: address, an animation that sets
    an address or a handler, a processing instruction (an XSLT stylesheet), a DOCTYPE
    that declares entities or attributes (an external one, as Illustrator writes, is
    fine), an encoding browsers read otherwise (UTF-7), or a file that is not well-formed
    XML or is over MAX_SVG_BYTES, MAX_SVG_TAGS or MAX_SVG_ATTRIBUTES (an element's). A
    PNG, JPEG, GIF or WebP embedded in an <image> as a data: address is a picture, and
    fine."""
    if len(data) > MAX_SVG_BYTES:
        return f"it is over {MAX_SVG_BYTES // (1024 * 1024)} MB, {TOO_LARGE}"
    if data.count(b"<") > MAX_SVG_TAGS:
        return f"it has over {MAX_SVG_TAGS:,} tags, {TOO_LARGE}"
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        first = (str(exc).splitlines() or [""])[0][:120]
        return f"it is not well-formed XML ({first}): a browser may read it otherwise"
    tree = root.getroottree()
    encoding = (tree.docinfo.encoding or "UTF-8").upper()
    if encoding not in _READ_ALIKE:  # UTF-7: a browser reads the bytes as UTF-8 instead
        return f"it is in the encoding {encoding}, which browsers read otherwise: save it as UTF-8"
    if tree.docinfo.internalDTD is not None:  # an internal subset: `<!DOCTYPE svg [ ... ]>`
        doctype = etree.tostring(tree).split(b"<!DOCTYPE", 1)[-1].split(b">", 1)[0]
        if b"[" in doctype:
            return "its DOCTYPE declares entities or attributes, which a browser applies"
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]
    for node in itertools.chain(outside, root.iter()):  # one element's proxy at a time
        if node.tag is etree.PI:
            return f"it has a processing instruction (<?{node.target} ...?>), such as a stylesheet"
        if node.tag is etree.Entity:
            return "it uses an entity (&name;), which a browser expands into elements"
        if not isinstance(node.tag, str):  # a comment
            continue
        problem = _element_problem(node)
        if problem:
            return problem
    return None


def _element_problem(element: Any) -> str | None:
    """What in one element (lxml's) a browser would run, or None."""
    qualified = etree.QName(element)
    name = qualified.localname.lower()
    if name in _ACTIVE_ELEMENTS:
        return f"it has a <{qualified.localname}> element, which runs or embeds a document"
    if qualified.namespace == _HTML_NAMESPACE:
        return f"it embeds HTML (<{qualified.localname}>)"
    if len(element.keys()) > MAX_SVG_ATTRIBUTES:  # counted before lxml reads any value
        return (
            f"a <{qualified.localname}> element has over {MAX_SVG_ATTRIBUTES} attributes, "
            + TOO_LARGE
        )
    for attribute, value in element.attrib.items():
        local = etree.QName(attribute).localname.lower()
        if local.startswith("on"):
            return f"it has an event handler ({etree.QName(attribute).localname}=...)"
        plain = _IGNORED.sub("", value).lower()
        if name == "image" and local == "href" and _PICTURE_DATA.match(plain):
            continue  # an embedded PNG, JPEG, GIF or WebP
        if plain.startswith(_ACTIVE_SCHEMES) or (
            local in _URL_ATTRIBUTES and ("javascript:" in plain or "vbscript:" in plain)
        ):
            return f"it has a javascript:, vbscript: or data: address ({local}=...)"
    if name in _ANIMATIONS:
        target = element.get("attributeName", "").strip().lower()
        if target.endswith("href") or target.startswith("on"):
            return f"it has an animation that sets {target or 'an address'}"
    return None
