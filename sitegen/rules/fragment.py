"""The rules of one page's elements run on one editor text's HTML (a Markdown body, a FAQ
answer) instead of a whole page: its images, its links and where each address leads in
the build, its structured data; and the #fragments it links to on its own page, which
only the page can answer. The build runs this once per text (sitegen.render.gate)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from sitegen.rules import content_rules, data_rules
from sitegen.rules.content_rules import normal_path, same_site, shortened, valid
from sitegen.rules.links import judge, resolve
from sitegen.rules.model import Finding, PageContext, PageFacts
from sitegen.rules.tree import ids, parse

ADDRESSES = ("href", "src", "poster")  # the attributes that hold one address
# HTML of paragraphs and headings (each with an id at most) around text and character
# references: no address, image, link or script, nothing these rules read but the ids
# (ids of letters, digits, "-", "_", ".", ":" only: an HTML parser keeps them as written;
# no control character but tab and line ends: lxml 5.0 ends a tree at a NUL)
_PLAIN = re.compile(
    r'(?:[^<\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]++|</?p>|<h[1-6](?: id="[-\w.:]*+")?>|</h[1-6]>)*+'
)
_HEADING_ID = re.compile(r'<h[1-6] id="([-\w.:]*)">')
TOP = ("#", "#top")  # https://html.spec.whatwg.org/multipage/browsing-the-web.html#scroll-to-fragid


@dataclass
class TextFindings:
    """What the rules found in one text: findings (subject: the address, id or words it
    is about), the links to #ids of its own page (a broken-fragment finding each, kept
    when the page lacks the id), every id the text gives, as HTML parsers read them, and
    the paths of the site it links to."""

    findings: list[Finding] = field(default_factory=list)
    fragments: list[Finding] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # the URL paths of this site it links to


def text_findings(
    html: str, ctx: PageContext, files: Collection[str], redirected: Collection[str]
) -> TextFindings:
    """The findings of the text whose HTML is `html` (tags of the content template language
    may still be in it: an address holding one is left alone). `files` are the URL paths
    of the build's files, `redirected` the sources of its redirect rules. A text of
    paragraphs and headings only (most texts: text.plain's) has no element these rules
    read, and only its headings' ids: read by a regular expression, not parsed (0.2 ms
    with lxml, a location's about text); what tree_findings would find."""
    if _PLAIN.fullmatch(html):
        return TextFindings(ids=_HEADING_ID.findall(html))
    return tree_findings(html, ctx, files, redirected)


def tree_findings(
    html: str, ctx: PageContext, files: Collection[str], redirected: Collection[str]
) -> TextFindings:
    """text_findings, from the text's tree as lxml parses it."""
    # the charset said: lxml would read the bytes as Latin-1 and garble é into Ã©
    root = parse(f'<html><head><meta charset="utf-8"></head><body>{html}</body></html>'.encode())
    facts = PageFacts(url="")
    found = TextFindings(ids=ids(root))
    found.findings = [
        *content_rules.images(root, facts, ctx),
        *content_rules.links(root, facts, ctx),
    ]
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        values = [element.get(name) or "" for name in ADDRESSES]
        srcset = element.get("srcset")
        if srcset:
            values += [part.split()[0] for part in srcset.split(",") if part.split()]
        for value in (v.strip() for v in values):
            if value.startswith("#"):
                if value.lower() in TOP:
                    continue  # the top of the page (WHATWG HTML: "#" and "#top" need no id)
                found.fragments.append(
                    Finding("broken-fragment", f"{value} is not an id on the page", "", tag, value)
                )
            elif value and "{" not in value:
                finding = address(value, tag, ctx, files, redirected)
                if finding is not None:
                    found.findings.append(finding)
        if tag == "script" and element.get("type") == data_rules.JSON_LD:
            problems = data_rules.read_block(element.text or "", "")[1]
            found.findings += [
                Finding(p.rule, p.message, "", None, (element.text or "").strip()[:60])
                for p in problems
            ]
    found.paths = [path for path, _fragment, _tag in facts.links]
    broken = {f.subject for f in found.findings if f.rule == "broken-link"}
    found.findings = [  # an image that is not there: its size is the least of it
        f for f in found.findings if not (f.rule == "img-dimensions" and f.subject in broken)
    ]
    return found


def address(
    value: str, tag: str, ctx: PageContext, files: Collection[str], redirected: Collection[str]
) -> Finding | None:
    """broken-link or redirect-link for one address of an editor's text (not a #fragment),
    or None when it leads straight to a file of the build or out of the site. An address
    relative to the page is broken: a text is on pages at several URLs, and it would lead
    somewhere else from each. Percent-escapes are decoded, as Netlify decodes them."""
    if not valid(value):
        return None  # content_rules.links reports it
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        if not (ctx.origin and same_site(parts.scheme, parts.netloc, ctx.origin)):
            return None  # another site, or mailto:, tel: ...
    elif not value.startswith("/"):
        return Finding(
            "broken-link",
            f"<{tag}> points at '{shortened(value)}', relative to each page it is on "
            "(a text is on pages at several URLs)",
            "",
            tag,
            value,
        )
    path = normal_path(unquote(parts.path) or "/")
    finding = judge(path, tag, "", resolve(path, files), redirected)
    if finding is None:
        return None
    return Finding(finding.rule, shortened(finding.message, 200), "", tag, value)
