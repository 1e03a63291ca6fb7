"""rules.page_scan: what the build reads from a page's HTML by string search."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.rules.page_scan import JSON_LD_START, h1_and_json_ld


def without_comments(html: str) -> str:
    """`html` with each comment a space, ended as a browser ends it (WHATWG HTML's
    tokenizer): "<!-->" and "<!--->" are empty comments, "-->" or "--!>" ends one, and
    the end of the text ends one left open."""
    out, at = [], 0
    while (start := html.find("<!--", at)) >= 0:
        out.append(html[at:start])
        rest = start + 4
        if html.startswith(">", rest) or html.startswith("->", rest):
            at = html.index(">", rest) + 1
        else:
            ends = [i for i in (html.find("-->", rest), html.find("--!>", rest)) if i >= 0]
            end = min(ends) if ends else len(html)
            at = len(html) if not ends else end + (3 if html.startswith("-->", end) else 4)
        out.append(" ")
    return "".join(out) + html[at:]


def reference(html: str) -> tuple[int, list[str]]:
    """The definition, by counting and splitting: each "<h1" outside comments, and the text
    between each JSON-LD start and the first </script> (else the next start, or the end)."""
    h1 = without_comments(html).count("<h1")
    parts = html.split(JSON_LD_START)[1:]
    return h1, [part.partition("</script>")[0] for part in parts]


PIECES = ["<h1", "<h1>", "<!--", "-->", JSON_LD_START, "</script>", "<", "h1", "x", " ", '"']
PIECES += ["-", ">", "!", "--!>"]
PIECES += [JSON_LD_START[:-1], "<script>", '{"@type": "Thing"}']


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
@example([JSON_LD_START, "x", JSON_LD_START, "y", "</script>"])  # a block left open
@example(["<!--", "<h1", "-->", "<h1>", "<h1>"])  # a heading in a comment
@example(["<!--", "<h1>", "-->"])  # the only one: none (it was counted as one)
@example(["<!--", "<h1>"])  # a comment left open runs to the end: no heading
@example(["<!--", ">", "<h1>", "<h1>"])  # "<!-->" is a whole comment (a tester's find)
@example(["<!--", "-", ">", "<h1>"])  # so is "<!--->"
@example(["<!--", "x", "--!>", "<h1>"])  # "--!>" ends one
@example(["<", "<!--", "-->", "h1"])  # what is around a comment is not joined
def test_one_search_finds_what_counting_and_splitting_find(pieces):
    html = "".join(pieces)
    assert h1_and_json_ld(html) == reference(html)


def test_a_page_with_its_heading_and_blocks():
    page = (
        '<html><head><script type="application/ld+json">{"a": 1}</script>'
        '<script type="application/ld+json">{"b": 2}</script></head>'
        "<body><!-- <h1>old</h1> --><h1>Title</h1><h2>More</h2></body></html>"
    )
    assert h1_and_json_ld(page) == (1, ['{"a": 1}', '{"b": 2}'])
    assert h1_and_json_ld(page.replace("<h1>Title</h1>", "")) == (0, ['{"a": 1}', '{"b": 2}'])
