"""The sketch of a page's main text, which the near-duplicate and doorway rules across
pages compare (sitegen.check.similarity says how)."""

from __future__ import annotations

from sitegen.check import similarity
from sitegen.rules.model import PageContext, PageFacts
from sitegen.rules.tree import NOT_MAIN, NOT_SHOWN, Element, remove, text_of


def sketch(root: Element, facts: PageFacts, ctx: PageContext) -> None:
    """Set facts.sketch from the text of <main> (else <body>) without navigation, header,
    footer, asides and forms; or instead facts.masked_sketch, with the location's names
    masked, when the build recorded them. Only pages that are compared with siblings need
    one: on our site, pages with a group. `root` must already lack what a reader does not
    see (tree.NOT_SHOWN), and loses the parts outside the main text: call this last."""
    if ctx.source is not None and ctx.source.group is None:
        return
    main = root.find(".//main")
    main = main if main is not None else root.find("body")
    if main is None:
        return
    remove(main, NOT_MAIN - NOT_SHOWN)
    text = text_of(main)
    if ctx.source and ctx.source.terms:
        facts.masked_sketch = similarity.masked_sketch(text, ctx.source.terms)
    else:
        facts.sketch = similarity.sketch(text)
