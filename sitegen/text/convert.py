"""Markdown -> HTML, once per text, with the content template tags left as they were.

A program's body is shown at every location, so converting its Markdown per page would cost
one conversion per page (~2 ms each). Instead every `{{ }}`/`{% %}`/`{# #}` tag is set aside
behind a placeholder, the Markdown is converted once (by plain.py's fast path where it
applies, else by Python-Markdown), and the tags are put back into the HTML, each followed by
a line mark (tags.line_mark) with its line in the text. The result is the source of a
template (template.py), compiled once and run per page; the marks let a runtime error be
reported at the content file's line although Markdown moved the tag.

A value filled in per page is therefore never read as Markdown (`*Star*` stays as typed).
Braces that are not an attribute list are set aside the same way, so that text such as
`## Our team in {city}` is never taken for attributes and lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import markdown

from sitegen.text.plain import REWRITTEN_BY_POLICY, plain_markdown
from sitegen.text.tags import TAG, line_mark

# No "smarty": it more than doubles the cost of a conversion; editors type curly quotes.
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]
"""Python-Markdown's extensions for editors' text (plain.py must give the same HTML)."""

_PLACEHOLDER = "sgtag{}z"  # letters and digits: plain text to Markdown (and to policy.py)
_PLACED = re.compile(r"<p>sgtag(\d+)z</p>|sgtag(\d+)z")  # a placeholder alone in a <p>, or one

Clean = Callable[[str, Sequence[str]], str]
"""What `convert` may do to the HTML while its tags are set aside: (html, tags) -> html,
where placeholder n (removals.PLACEHOLDER) stands for tags[n] (with its line mark)."""
# Private-use characters: no Markdown syntax, no word characters (so `{_x_}` keeps its
# emphasis), and nothing an editor types.
_OPEN, _CLOSE = "\ue000", "\ue001"
_BRACES = re.compile(r"\{([^{}\n]*)\}")


def _is_attribute_list(inner: str) -> bool:
    """Whether `{inner}` is meant as an attribute list of Python-Markdown's attr_list
    (`{: .note }`, `{#intro}`, `{.wide}`, `{target=_blank}`), which the extension
    turns into attributes. Any other braces are text (a `{city}` copied from a title
    pattern), which attr_list would take for an attribute and drop from the page
    (https://python-markdown.github.io/extensions/attr_list/)."""
    inner = inner.strip()
    return inner.startswith((":", "#", ".")) or "=" in inner


def _braces_aside(source: str) -> str:
    """`source` with every brace set behind a placeholder, but those of deliberate
    attribute lists; one pass, however deeply braces nest (`{a {b} c}`)."""
    pieces: list[str] = []
    position = 0
    for match in _BRACES.finditer(source):
        if _is_attribute_list(match.group(1)):
            pieces.append(_as_text(source[position : match.start()]))
            pieces.append(match.group())
            position = match.end()
    pieces.append(_as_text(source[position:]))
    return "".join(pieces)


def _as_text(part: str) -> str:
    return part.replace("{", _OPEN).replace("}", _CLOSE)


class MarkdownConverter:
    """Converts Markdown texts to HTML with their tags kept. One Python-Markdown instance,
    reset between texts (building one costs more than converting a text)."""

    def __init__(self) -> None:
        self._markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")

    def convert(self, text: str, clean: Clean | None = None) -> str:
        """The HTML of the Markdown `text`, with each tag back as written and followed by its
        line mark. A tag that was a paragraph of its own (a `{% if %}` line, a component)
        loses the <p> Markdown put around its placeholder. `clean` (the HTML policy) is
        applied before the tags are put back: they are data, not HTML."""
        tags: list[str] = []
        line, counted = 1, 0  # the line of offset `counted`: one pass over the text

        def set_aside(match: re.Match[str]) -> str:
            nonlocal line, counted
            line += text.count("\n", counted, match.start())
            counted = match.start()
            tags.append(match.group() + line_mark(line))
            return _PLACEHOLDER.format(len(tags) - 1)

        source = TAG.sub(set_aside, text)
        if "{" in source or "}" in source:  # text braces, kept from attr_list
            source = _braces_aside(source)
        html = plain_markdown(source)
        kept_as_is = html is not None and not REWRITTEN_BY_POLICY.search(html)  # (text.plain)
        if html is None:
            self._markdown.reset()
            html = self._markdown.convert(source)
        if _OPEN in html or _CLOSE in html or "&#5734" in html:  # last: an encoded e-mail
            html = html.replace(_OPEN, "{").replace(_CLOSE, "}")
            html = html.replace("&#57344;", "&#123;").replace("&#57345;", "&#125;")
        if clean is not None and not kept_as_is:  # on the text's own braces (JSON-LD is
            html = clean(html, tags)  # read), tags still aside
        if not tags:
            return html

        def put_back(match: re.Match[str]) -> str:
            index = int(match.group(1) or match.group(2))
            return tags[index] if index < len(tags) else match.group()

        return _PLACED.sub(put_back, html)  # one pass, however many tags
