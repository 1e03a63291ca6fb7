"""The HTML policy of editors' texts: which tags, attributes and address schemes the HTML
converted from their Markdown may keep, enforced by nh3 (the Python binding of ammonia, a
whitelist sanitiser on html5ever, the HTML5 parser of Servo:
https://docs.rs/ammonia, https://nh3.readthedocs.io).

What stays (TAGS, ATTRIBUTES): structured data (`<script type="application/ld+json">`, which
no browser runs, kept as written), what marketing pages are made of, the HTML Python-Markdown's
`extra` writes (tables with their alignment, footnotes with their ids, classes and
attributes from attribute lists, abbreviations) and images with srcset and sizes. Addresses
(href, src, srcset, cite, ...) are relative or http, https, mailto, tel, sms
(model/schemes.py). An <iframe> stays only for a host listed in site.yaml's
`html.iframe_hosts`, over https, and always sandboxed (IFRAME_SANDBOX).

Left out, and why:
- script, on* attributes, javascript:/vbscript:/data: addresses: they run code in the
  site's origin (a deploy preview runs with the site's secrets in its build, and its pages
  on the site's domain);
- <style> and the style attribute: CSS can lay a fake form over the page (position: fixed)
  or read attribute values out (attribute selectors with background-image); the layouts'
  stylesheet styles the text. Only the alignment Markdown tables write (`text-align`) is
  kept on cells;
- form, input, button, object, embed, base, meta, link: a form in a text posts wherever it
  says (phishing); plugins and <base>/<meta http-equiv> change what the page loads or
  where its links go;
- svg and math: ammonia keeps no foreign content safely (it drops it); an SVG picture goes
  in assets/ and is shown with ![alt](/assets/images/x.svg).

The tags of the content template language are set aside while the HTML is cleaned
(convert.py puts placeholders of letters and digits in their place), so `{{ phone_href }}`
inside an href is kept, as a relative address, and a filled-in value is checked per page
(renderer.py). What a cleaning removes is reported by removals.py, at the text's line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from urllib.parse import urlsplit

import nh3

from sitegen.model.schemes import scheme_problem

TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "section"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "q", "cite"),
        *("code", "pre", "kbd", "samp", "var", "abbr", "time", "sup", "sub", "wbr"),
        *("img", "picture", "source", "figure", "figcaption", "blockquote"),
        *("details", "summary"),
    }
)
"""The tags an editor's text may have (<iframe> too, for the hosts site.yaml lists)."""

GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role"})
"""Attributes any allowed tag may have; `aria-*` too (GENERIC_PREFIXES)."""
GENERIC_PREFIXES = frozenset({"aria-"})

ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "rel", "target", "hreflang"}),
    "img": frozenset({"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"}),
    "source": frozenset({"srcset", "sizes", "media", "type", "width", "height"}),
    "th": frozenset({"colspan", "rowspan", "scope", "abbr", "style"}),
    "td": frozenset({"colspan", "rowspan", "style"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}
"""The attributes each tag may have besides GENERIC_ATTRIBUTES."""

IFRAME_ATTRIBUTES = frozenset(
    {"src", "title", "width", "height", "loading", "allow", "allowfullscreen", "referrerpolicy"}
)
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"
"""The sandbox every <iframe> gets, whatever the text says: the embed (a map, a video) runs
in its own origin and may open a new tab, but cannot navigate the page away, submit forms
or open dialogs in it (https://html.spec.whatwg.org/multipage/iframe-embed-object.html#attr-iframe-sandbox)."""

CONTENT_TAGS = frozenset({"script", "style", "template", "svg", "math", "object", "noscript"})
"""Tags removed with everything in them (a script's code is no text to show)."""

URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "cite", "poster", "action", "formaction", "data", "background"}
)
"""Attributes whose value is an address (srcset: a list of them), in any tag."""

_ALIGN = re.compile(r"\s*text-align:\s*(left|right|center);?\s*")
_JSON_LD = re.compile(
    r"""<script\s+type\s*=\s*(["']?)application/ld\+json\1\s*>(.*?)</script\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}
_JSON_LD_MARK = '<span id="sgjsonld{}z"></span>'


def json_ld_aside(html: str) -> tuple[str, list[str]]:
    """`html` with each JSON-LD block (`<script type="application/ld+json">`, its only
    attribute) set behind a placeholder, and the blocks. Structured data is no script: a
    browser runs none of it (WHATWG HTML, "data block"). A block is set aside only when its
    text is JSON; it is put back as written when its text has no `<`, else written anew
    with `<`, `>`, `&` and `'` as JSON escapes (\\u003c...), so nothing in it can end the
    script early (`</script x>`) or change the markup around it. Its placeholder is an
    element (`<span id="sgjsonld0z"></span>`): in an attribute value, where a block is no
    block, the sanitiser escapes its quotes and it is never put back. Any other block
    stays in place, and is removed as a script (so is JSON nested too deeply to read)."""
    blocks: list[str] = []

    def aside(match: re.Match[str]) -> str:
        try:  # JSON nested past Python's recursion limit is no structured data either
            data = json.loads(match.group(2))
            if "<" not in match.group(2):  # nothing in it can end the script: as written
                blocks.append(match.group())
                return _JSON_LD_MARK.format(len(blocks) - 1)
            text = json.dumps(data, ensure_ascii=False, indent=2)
        except (ValueError, RecursionError):
            return match.group()
        for character, escape in _JSON_ESCAPES.items():
            text = text.replace(character, escape)
        blocks.append(f'<script type="application/ld+json">{text}</script>')
        return _JSON_LD_MARK.format(len(blocks) - 1)

    return (_JSON_LD.sub(aside, html), blocks) if "<script" in html.lower() else (html, blocks)


def allowed_attributes(tag: str, iframes: bool) -> frozenset[str]:
    """The attributes `tag` may keep (GENERIC_PREFIXES aside)."""
    if tag == "iframe":
        return GENERIC_ATTRIBUTES | IFRAME_ATTRIBUTES if iframes else frozenset()
    return GENERIC_ATTRIBUTES | ATTRIBUTES.get(tag, frozenset())


def srcset_urls(value: str) -> list[str]:
    """The addresses of a srcset value (`a.png 1x, b.png 2x`)."""
    return [part.split()[0] for part in value.split(",") if part.split()]


def iframe_host_allowed(src: str, hosts: Collection[str]) -> bool:
    """Whether `src` is an https address on one of `hosts`."""
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return False
    return parts.scheme.lower() == "https" and (parts.hostname or "") in hosts


def kept_value(tag: str, attribute: str, value: str, hosts: Collection[str]) -> str | None:
    """The value the attribute keeps, or None to drop it: what ammonia does not judge
    itself (the addresses of srcset, an iframe's host, the only style a cell may have)."""
    if attribute == "srcset" and any(scheme_problem(url) for url in srcset_urls(value)):
        return None
    if tag == "iframe" and attribute == "src" and not iframe_host_allowed(value, hosts):
        return None
    if attribute == "style" and not _ALIGN.fullmatch(value):
        return None
    return value


class HtmlPolicy:
    """Cleans editors' HTML by the policy; `iframe_hosts` from site.yaml's `html`."""

    def __init__(self, iframe_hosts: Collection[str] = ()):
        self.iframe_hosts = frozenset(iframe_hosts)
        iframes = bool(self.iframe_hosts)
        tags = TAGS | {"iframe"} if iframes else TAGS
        self._options: dict[str, object] = {
            "tags": set(tags),
            "clean_content_tags": set(CONTENT_TAGS),
            "attributes": {
                tag: set(allowed_attributes(tag, iframes) - GENERIC_ATTRIBUTES)
                for tag in tags
                if allowed_attributes(tag, iframes) - GENERIC_ATTRIBUTES
            }
            | {"*": set(GENERIC_ATTRIBUTES)},
            "generic_attribute_prefixes": set(GENERIC_PREFIXES),
            "url_schemes": {"http", "https", "mailto", "tel", "sms"},
            "link_rel": None,  # rel and target are the editor's to write
            "strip_comments": True,  # editors' notes (a TODO, a word processor's junk) stay theirs
        }
        if iframes:
            self._options["set_tag_attribute_values"] = {"iframe": {"sandbox": IFRAME_SANDBOX}}

    def clean(self, html: str) -> str:
        """`html` with all the policy does not allow left out (JSON-LD blocks kept as
        written: json_ld_aside)."""
        html, blocks = json_ld_aside(html)
        raised: list[BaseException] = []

        def keep(tag: str, attribute: str, value: str) -> str | None:
            try:
                return kept_value(tag, attribute, value, self.iframe_hosts)
            except BaseException as exc:  # nh3 would print it, drop the attribute, go on
                raised.append(exc)  # (a Ctrl+C, a text's deadline: text.deadline)
                return None

        cleaned: str = nh3.clean(html, **self._options, attribute_filter=keep)  # type: ignore[arg-type]
        if raised:  # raised here: nothing is made of a text cleaned half
            raise raised[0]
        for index, block in enumerate(blocks):
            cleaned = cleaned.replace(_JSON_LD_MARK.format(index), block, 1)
        return cleaned
