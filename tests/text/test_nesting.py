"""sitegen.text.nesting: Markdown nested too deeply is found by one pass over the lines,
before Python-Markdown recurses into it; and text.deadline stops a conversion that runs
too long."""

from __future__ import annotations

import contextlib
import time

import pytest

from sitegen.errors import SourceRef
from sitegen.model.records import ContentText
from sitegen.text import deadline as deadline_module
from sitegen.text.deadline import TooSlow, deadline
from sitegen.text.nesting import too_deep
from sitegen.text.renderer import ContentRenderer


def nested_list(levels: int, indent: str = "    ") -> str:
    return "".join(indent * i + "- item\n" for i in range(levels))


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("Text.\n\n" + nested_list(40), (3 + 32, 33, "lists and quotes")),
        ("".join(">" * i + " q\n" for i in range(1, 40)), (33, 33, "lists and quotes")),
        (">" * 40 + " q\n", (1, 40, "lists and quotes")),
        ("- " * 40 + "x\n", (1, 40, "lists and quotes")),
        ("1. " * 40 + "x\n", (1, 40, "lists and quotes")),
        ("> " * 20 + "- " * 20 + "x\n", (1, 40, "lists and quotes")),
        ("<div>" * 100_000 + "x" + "</div>" * 100_000, (1, 33, "HTML elements")),
        ("A\n" + "<section>\n" * 40, (2 + 32, 33, "HTML elements")),
    ],
)
def test_nesting_past_the_limit_is_found_at_its_line(source, found):
    assert too_deep(source, limit=32) == found


@pytest.mark.parametrize(
    "source",
    [
        nested_list(32),
        "```\n" + nested_list(100) + "```\n",  # code is not nested
        "<p>One<p>Two<br><li>x" * 100,  # end tags that may be left out, void elements
        "<div><div></div></div>\n" * 1000,
        "<div><span>a</div>" * 100,  # an end tag closes what is open inside it
        "Text with a < sign and a > sign.\n" * 100,
    ],
)
def test_ordinary_texts_are_not_too_deep(source):
    assert too_deep(source, limit=32) is None


def test_too_deep_markdown_is_an_error_before_conversion():
    body = "Intro.\n\n" + nested_list(300)  # Python-Markdown: RecursionError
    errors = ContentRenderer(set()).outline(ContentText(body, SourceRef("p.md", 10)))
    assert [(e.source, e.message) for e in errors] == [
        (
            SourceRef("p.md", 10 + 2 + 32),
            "lists and quotes nest 33 levels deep here, more than the 32 a text may",
        )
    ]


def test_a_deadline_stops_python_code_that_runs_too_long():
    started = time.process_time()
    with pytest.raises(TooSlow), deadline(0.2):
        while True:
            pass
    assert time.process_time() - started < 2


def test_a_deadline_inside_another_shares_it_and_work_within_it_is_untouched():
    with deadline(5):
        with deadline(0.01):
            total = sum(range(100_000))
        assert deadline_module._armed
    assert total == 4999950000 and not deadline_module._armed


def test_a_conversion_past_its_deadline_is_an_error_of_the_text(monkeypatch):
    monkeypatch.setattr("sitegen.text.renderer.MAX_TEXT_SECONDS", 0.2)
    body = "Intro.\n\n" + "[" * 20_000  # minutes in Python-Markdown
    errors = ContentRenderer(set()).outline(ContentText(body, SourceRef("p.md", 10)))
    assert [(e.source, e.message) for e in errors] == [
        (
            SourceRef("p.md", 10),
            "converting this Markdown text took more than 0.2 s of CPU time, the most a "
            "text may take",
        )
    ]


def test_a_build_s_markdown_texts_share_a_budget_of_time(monkeypatch):
    """Many texts each under the limit still cannot make the build run long; the next
    build has the whole budget again."""
    monkeypatch.setattr("sitegen.text.renderer.MAX_BUILD_MARKDOWN_SECONDS", 0.3)
    renderer = ContentRenderer(set())
    slow = [
        ContentText(f"Slow {n}.\n\n" + "[" * 20_000, SourceRef(f"p{n}.md", 3)) for n in range(5)
    ]
    messages = [e.message for text in slow for e in renderer.outline(text)]
    assert messages[-1].startswith("the build's Markdown texts took more than 0.3 s of CPU time")
    renderer.start_build()
    quick = ContentText("Quick.", SourceRef("q.md", 3))
    assert renderer.outline(quick) == []


@pytest.mark.parametrize(
    "tag", ['<div title="<">', "<div title='>'>", '<div data-a="x > y" class=a>']
)
def test_a_quoted_angle_bracket_does_not_hide_a_tag(tag):
    """`<div title="<">` was not seen as a tag (the attributes stopped at the `<`), so
    45,000 nested elements reached nh3, whose cleaning takes the square of the depth."""
    found = too_deep(tag * 40 + "x")
    assert found is not None and found[2] == "HTML elements" and found[1] == 33


def test_a_long_line_of_unclosed_quotes_is_read_in_linear_time():
    started = time.process_time()
    assert too_deep('<a x="' * 200_000) is None
    assert time.process_time() - started < 2


def test_a_deadline_swallowed_by_a_callback_is_raised_when_the_block_ends():
    """nh3 calls the policy's attribute filter from Rust: a TooSlow raised there is printed
    ("Exception ignored") and dropped, and the cleaning went on. The deadline raises it
    again once the block ends."""

    def swallowing_work() -> None:  # as nh3 does with an exception in its callback
        end = time.process_time() + 0.5
        with contextlib.suppress(TooSlow):
            while time.process_time() < end:
                sum(range(1000))

    started = time.process_time()
    with pytest.raises(TooSlow), deadline(0.05):
        swallowing_work()
    assert time.process_time() - started < 2
