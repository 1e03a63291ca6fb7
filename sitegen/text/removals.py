"""What the HTML policy (policy.py) takes out of an editor's text, as findings an editor can
act on: each removed tag, attribute or address, named, at the content file's line.

nh3 cleans but does not say what it removed, so the converted HTML is read again here with
the standard library's parser (html.parser, which decodes character references in
attribute values as browsers do: `&#106;avascript:` is javascript:), only when the
cleaning changed something. The findings explain; nh3's output is what is published,
whatever this reading misses.

Active content (a script, an on* handler, a javascript: or data: address, an iframe from a
host not listed, a form, a plugin, <style>, <base>, <meta>) is an error that stops the
build; markup the policy merely does not allow (a <font>, a style attribute, an ftp:
link) is a warning, and the page is built without it. A template tag that a table would
move out of place (text between rows is put before the table by HTML's parser) is an
error too.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sitegen.errors import SourceRef
from sitegen.model.records import ContentText
from sitegen.model.schemes import ACTIVE_SCHEMES, scheme_of, scheme_problem
from sitegen.text.policy import (
    CONTENT_TAGS,
    GENERIC_PREFIXES,
    TAGS,
    URL_ATTRIBUTES,
    allowed_attributes,
    iframe_host_allowed,
    json_ld_aside,
    kept_value,
    srcset_urls,
)
from sitegen.text.tags import blank_code
from sitegen.text.template import content_at

ACTIVE_TAGS = frozenset(
    {
        *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet"),
        *("base", "meta", "link", "form", "input", "button", "textarea", "select"),
        *("svg", "math", "template", "noscript", "portal"),
    }
)
"""Tags whose removal is an error: they run code, load other documents, post data or change
the page around them."""

ACTIVE_ATTRIBUTES = frozenset({"srcdoc", "formaction", "action", "xmlns", "is"})
"""Attributes whose removal is an error (with every on* handler)."""

_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_LD_TYPE = "application/ld+json"
PLACEHOLDER = re.compile(r"sgtag(\d+)z")
"""A tag set aside by convert.py (its index in the text's tags)."""

HINT = "see the README's 'HTML policy' for the tags, attributes and addresses a text may have"


@dataclass(frozen=True)
class Removal:
    """One thing the policy removes: what, why, whether it stops the build (`active`), and
    patterns that find it in the editor's text (the first that matches places it)."""

    message: str
    hint: str
    active: bool
    patterns: tuple[str, ...] = ()
    placeholder: int | None = None  # a tag set aside, which gives its own line


def removals(html: str, iframe_hosts: Collection[str]) -> list[Removal]:
    """What the policy removes from `html` (converted Markdown, tags set aside), in order."""
    reader = _Reader(frozenset(iframe_hosts))
    reader.feed(json_ld_aside(html)[0])
    reader.close()
    return reader.found


class _Reader(HTMLParser):
    def __init__(self, hosts: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.hosts = hosts
        self.found: list[Removal] = []
        self.stack: list[str] = []
        self.skipping = 0  # inside a tag removed with its content
        self.raw = ""  # the start tag being read, as written

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in CONTENT_TAGS:
                self.skipping += 1
            return
        self.raw = self.get_starttag_text() or ""  # as written: found in the source if raw HTML
        allowed = tag in TAGS or (tag == "iframe" and bool(self.hosts))
        if not allowed:
            self._tag(tag, attrs)
            for name, value in attrs:  # gone with the tag, but said: a handler is no accident
                if name.startswith("on") or scheme_of(value or "") in ACTIVE_SCHEMES:
                    self._attribute(tag, name, value or "")
        else:
            for name, value in attrs:
                self._attribute(tag, name, value or "")
        if tag in CONTENT_TAGS:
            self.skipping = 1
        elif tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if not self.skipping and self.stack and self.stack[-1] == tag:
            self.stack.pop()
        elif self.skipping and tag in CONTENT_TAGS:
            self.skipping -= 1

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in CONTENT_TAGS:
                self.skipping -= 1
            return
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.skipping or not self.stack or self.stack[-1] not in _TABLE_PARTS:
            return
        for match in PLACEHOLDER.finditer(data):
            self.found.append(
                Removal(
                    f"a tag between the rows of a <{self.stack[-1]}> is moved before the "
                    "table (HTML's parser does so, in browsers too)",
                    "put the tag inside a cell (<td>), or around the whole table",
                    True,
                    placeholder=int(match.group(1)),
                )
            )

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        active = tag in ACTIVE_TAGS
        patterns = (_loose(self.raw), rf"<\s*{re.escape(tag)}\b")
        if tag == "iframe":
            src = dict(attrs).get("src") or ""
            self.found.append(
                Removal(
                    f"<iframe src={src!r}> is not allowed: site.yaml lists no host whose "
                    "pages a text may show (html.iframe_hosts)",
                    "a developer may add the host to site.yaml's html: {iframe_hosts: [...]}",
                    True,
                    patterns,
                )
            )
        elif tag == "script" and (dict(attrs).get("type") or "").lower() == _LD_TYPE:
            self.found.append(
                Removal(
                    "jsonld-invalid: JSON-LD does not parse, so the block is no data block "
                    "and is removed as a script",
                    "write the block's text as JSON (quoted names and text, no trailing "
                    'commas), between <script type="application/ld+json"> and </script>',
                    True,
                    patterns,
                )
            )
        elif active:
            self.found.append(
                Removal(
                    f"<{tag}> is not allowed in a text: it runs code, loads another "
                    "document, sends data or changes the page around the text",
                    "remove it; a script, form or embed belongs in a layout (layouts/), "
                    "which developers review",
                    True,
                    patterns,
                )
            )
        else:
            self.found.append(
                Removal(
                    f"<{tag}> is not allowed in a text; the page shows what it holds without it",
                    HINT,
                    False,
                    patterns,
                )
            )

    def _attribute(self, tag: str, name: str, value: str) -> None:
        where = (
            *_with_value(name, value),
            rf"<\s*{re.escape(tag)}\b[^>]*?\b({re.escape(name)})\b",
            rf"\b({re.escape(name)})\s*=",
        )
        if name not in allowed_attributes(tag, bool(self.hosts)) and not name.startswith(
            tuple(GENERIC_PREFIXES)
        ):
            active = name.startswith("on") or name in ACTIVE_ATTRIBUTES
            active = active or scheme_of(value) in ACTIVE_SCHEMES
            message = f"{name}= on <{tag}> is not allowed in a text"
            if active:
                message += ": it runs code or sends data"
            elif name == "style":
                message += " (the site's stylesheet styles the text); it is left out"
            else:
                message += "; it is left out"
            self.found.append(Removal(message, "remove it" if active else HINT, active, where))
            return
        if name in URL_ATTRIBUTES:
            urls = srcset_urls(value) if name == "srcset" else [value]
            for url in urls:
                problem = scheme_problem(url)
                written = (rf"({re.escape(url.strip())})", *where)
                if problem is not None:
                    active = scheme_of(url) in ACTIVE_SCHEMES
                    self.found.append(
                        Removal(
                            f"<{tag}> points at '{_short(url)}': "
                            + problem.replace("its scheme", "the scheme", 1)
                            + ("; it would run code or make a document" if active else ""),
                            "link to a page of the site (/contact/) or to an https:// address",
                            active,
                            written,
                        )
                    )
                    return
                if not is_address(url):
                    self.found.append(
                        Removal(
                            f"<{tag}> points at '{_short(url)}', which is no address",
                            "check the address: an https:// address has a host name after //",
                            True,
                            written,
                        )
                    )
                    return
        if tag == "iframe" and name == "src" and not iframe_host_allowed(value, self.hosts):
            self.found.append(
                Removal(
                    f"<iframe src={value!r}> is not allowed: its host is not listed in "
                    "site.yaml's html.iframe_hosts (or it is not https)",
                    "use an https:// address on one of the hosts listed, or ask a developer "
                    "to list the host",
                    True,
                    (rf"({re.escape(value.strip())})", *where),
                )
            )
        elif kept_value(tag, name, value, self.hosts) is None:
            self.found.append(
                Removal(
                    f"{name}={value!r} on <{tag}> is not allowed; it is left out",
                    HINT,
                    False,
                    where,
                )
            )


_HOST = re.compile(r"(?:[^@/]*@)?(?:[\w.~%!$&'()*+,;=-]+|\[[0-9a-fA-F:.]+\])(?::\d*)?")


def is_address(url: str) -> bool:
    """Whether `url` reads as an address (`http://[oops/`, `https://a b/` and `https://` do
    not; nh3 drops them, as their URL parser fails)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme.lower() in ("http", "https") and not parts.netloc + parts.path.strip("/"):
        return False  # `https://`: no host at all, which nh3 drops silently
    return not parts.netloc or _HOST.fullmatch(parts.netloc) is not None


def _in_raw(raw: str, name: str) -> tuple[str, ...]:
    """A pattern that finds the start tag `raw` as written, its group the attribute `name`
    in it; none when the attribute is not found in it."""
    match = re.search(rf"[\s\"'/]({re.escape(name)})(?=[\s=/>])", raw, re.IGNORECASE)
    if match is None:
        return ()
    return (_loose(raw[: match.start(1)]) + "(" + _loose(raw[match.start(1) :]) + ")",)


def _loose(written: str) -> str:
    """A pattern of `written` whose runs of white space match any (Markdown expands tabs)."""
    return r"\s+".join(re.escape(part) for part in re.split(r"\s+", written))


def _short(url: str) -> str:
    url = url.strip()
    return url if len(url) <= 80 else url[:77] + "..."


def _with_value(name: str, value: str) -> tuple[str, ...]:
    """A pattern of the attribute `name` written with `value` (quoted or not), its group the
    name; none for an empty value (it would match every such attribute)."""
    if not value.strip():
        return ()
    return (rf"\b({re.escape(name)})\s*=\s*[\"']?{_loose(value.strip()[:200])}",)


class Placer:
    """Places the removals of one editor's `text`, given in the order of the HTML, at the
    content file's line and column: each at the first of its patterns found after where
    that pattern was last found and after the removal before it (so the second of two
    identical links is placed at the second), else the text's first line. The text's prose
    (tags.blank_code) is made once, and each pattern searches on from its last match:
    placing n removals reads the text about once per pattern, not n times."""

    def __init__(self, text: ContentText):
        self.text = text
        self._blank: str | None = None
        self._after: dict[str, int] = {}  # each pattern: the end of its last match
        self._last = 0  # where the last removal was placed: the next is after it, mostly

    def place(self, removal: Removal) -> SourceRef:
        """Where `removal` is in the text (a SourceRef with line and column, or the text's
        own line when no pattern finds it)."""
        if self._blank is None:
            self._blank = blank_code(self.text.text)
        for pattern in removal.patterns:
            compiled = re.compile(pattern, re.IGNORECASE)
            after = self._after.get(pattern, 0)
            match = compiled.search(self._blank, max(after, self._last))
            if match is None:  # out of order (a footnote moved to the end), or found again
                match = compiled.search(self._blank, after) or compiled.search(self._blank)
            if match is not None:
                self._after[pattern] = match.end()
                self._last = match.start()
                return _at(self.text, match.start(match.lastindex or 0))
        return self.text.source


def _at(text: ContentText, offset: int) -> SourceRef:
    if text.line_starts:
        return content_at(text, offset)
    line = (text.source.line or 1) + text.text.count("\n", 0, offset)
    return text.source.at(line, offset - text.text.rfind("\n", 0, offset))
