"""The HTML policy on its own: what stays of the HTML editors' Markdown makes (footnotes,
tables, attribute lists, images with srcset, links of the allowed schemes), what goes, and
what the removals say; the scheme reading of model/schemes.py."""

from __future__ import annotations

import json

import pytest

from conftest import PROJECT
from sitegen.errors import ErrorList, SourceRef
from sitegen.load.content import load_content
from sitegen.load.kept import Records
from sitegen.model.records import ContentText
from sitegen.model.schemes import scheme_of, scheme_problem, setting_url_problem
from sitegen.text.convert import MarkdownConverter
from sitegen.text.policy import IFRAME_SANDBOX, HtmlPolicy, json_ld_aside
from sitegen.text.removals import is_address, removals
from sitegen.text.renderer import ContentRenderer
from sitegen.text.variables import markdown_texts

POLICY = HtmlPolicy()


def rendered(markdown: str, policy: HtmlPolicy = POLICY, **variables: object) -> str:
    renderer = ContentRenderer({"faq"}, policy=policy)
    text = ContentText(markdown, SourceRef("content/pages/x.md", 5))
    assert renderer.outline(text) == []
    return renderer.markdown(text, dict(variables)).html


def problems(markdown: str, policy: HtmlPolicy = POLICY) -> tuple[list[str], list[str]]:
    renderer = ContentRenderer({"faq"}, policy=policy)
    text = ContentText(markdown, SourceRef("content/pages/x.md", 5))
    return [str(e) for e in renderer.outline(text)], [
        str(w) for w in renderer.policy_warnings(text)
    ]


# --- what stays ----------------------------------------------------------------------------


def test_footnotes_keep_their_ids_classes_and_links():
    html = rendered("Text[^1].\n\n[^1]: A note.")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<div class="footnote">' in html and '<li id="fn:1">' in html
    assert 'class="footnote-backref" href="#fnref:1"' in html


def test_tables_keep_their_alignment_and_nothing_else_of_style():
    html = rendered("| a | b |\n|:-:|--:|\n| 1 | 2 |")
    assert '<th style="text-align: center;">a</th>' in html
    assert '<td style="text-align: right;">2</td>' in html
    assert "style" not in rendered('<table><tr><td style="color: red">x</td></tr></table>')


def test_attribute_lists_keep_ids_and_classes():
    html = rendered("## Costs {: #costs .wide }\n\nA paragraph.\n{: .lead }")
    assert 'id="costs"' in html and 'class="wide"' in html and '<p class="lead">' in html


def test_images_keep_srcset_sizes_loading_and_sizes():
    source = (
        '<picture><source srcset="/a.webp 1x, /a@2x.webp 2x" type="image/webp">'
        '<img src="/a.png" srcset="/a.png 1x, /a@2x.png 2x" sizes="50vw" alt="A room" '
        'width="4" height="3" loading="lazy"></picture>'
    )
    assert source in rendered(source)


def test_links_of_the_allowed_schemes_and_relative_ones_stay():
    links = [
        "/contact/",
        "../a/",
        "#top",
        "https://www.example.com/",
        "http://example.org/",
        "mailto:a@example.com",
        "tel:+13234578208",
        "sms:+14243022598",
        "//cdn.example.com/x",
    ]
    html = rendered(" ".join(f'<a href="{link}">x</a>' for link in links))
    for link in links:
        assert f'href="{link}"' in html


def test_figures_quotes_abbreviations_details_and_code_stay():
    source = (
        '<figure><img src="/a.png" alt="a"><figcaption>A</figcaption></figure>\n\n'
        '<blockquote cite="https://example.org/">Q</blockquote>\n\n'
        "<details><summary>More</summary><p>Text</p></details>\n\n"
        '<p><abbr title="Intensive Outpatient Program">IOP</abbr> H<sub>2</sub>O x<sup>2</sup>'
        '</p>\n\n<pre><code class="language-text">a &lt; b</code></pre>'
    )
    html = rendered(source)
    for part in (
        "<figcaption>A</figcaption>",
        'cite="https://example.org/"',
        "<summary>More",
        '<abbr title="Intensive Outpatient Program">',
        "<sub>2</sub>",
        'class="language-text"',
        "a &lt; b",
    ):
        assert part in html


def test_a_tag_in_an_address_is_kept_and_filled():
    html = rendered("[Call us]({{ phone_href }})", phone_href="tel:+13234578208")
    assert '<a href="tel:+13234578208">Call us</a>' in html


def test_structured_data_stays_as_data():
    """A JSON-LD block is kept with its data, written anew so that no text in it can end
    the script early or be read as markup."""
    block = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"name": "A < B & C\'s"}</script>'
    )
    html = rendered(block)
    opening = '<script type="application/ld+json">'
    start = html.index(opening) + len(opening)
    data = html[start : html.index("</script>", start)]
    assert json.loads(data) == {"@context": "https://schema.org", "name": "A < B & C's"}
    assert not set("<>&'") & set(data)


@pytest.mark.parametrize(
    "block",
    [
        # browsers end a script at </script x> and </script/>: what follows would be markup
        '<script type="application/ld+json">{"a": 1}</script x><img src="/a.svg" alt="x" '
        'onload="alert(1)"></script>',
        '<script type="application/ld+json">{"a": 1}</script/><meta http-equiv="refresh" '
        'content="0; url=https://evil.example/"></script>',
    ],
    ids=["end tag with an attribute", "end tag with a slash"],
)
def test_a_json_ld_block_that_ends_early_is_refused_not_kept(block):
    renderer = ContentRenderer(set(), policy=POLICY)
    text = ContentText(block, SourceRef("content/pages/x.md", 5))
    assert any("JSON-LD does not parse" in error.message for error in renderer.outline(text))


def test_a_json_ld_block_inside_an_attribute_is_never_put_back():
    html = POLICY.clean(
        '<p title=\'<script type="application/ld+json">'
        '{"name":"<img src=/a.svg alt=x onload=alert(1)>"}</script>\'>t</p>'
    )
    assert "<script" not in html and "onload" not in html and "<img" not in html


def test_aria_attributes_stay_and_comments_go():
    html = rendered('<!-- a note -->\n\n<p aria-label="x" role="note">y</p>')
    assert "a note" not in html and 'aria-label="x"' in html and 'role="note"' in html


def test_an_iframe_of_a_listed_host_stays_with_the_sandbox():
    policy = HtmlPolicy(["www.youtube-nocookie.com"])
    html = policy.clean(
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video" allowfullscreen '
        'sandbox="allow-top-navigation" onload="x()"></iframe>'
    )
    assert 'src="https://www.youtube-nocookie.com/embed/x"' in html
    assert f'sandbox="{IFRAME_SANDBOX}"' in html and "onload" not in html
    assert "allow-top-navigation" not in html


# --- what goes, and what is said ----------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="/a.png" alt="a" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="JAVASCRIPT:alert(1)">x</a>',
        '<a href="java&#9;script:alert(1)">x</a>',
        '<img alt="a" src="data:text/html,x">',
        '<img alt="a" src="/a.png" srcset="javascript:alert(1) 1x">',
        "<style>p { color: red }</style>",
        '<form action="/x"><input name="a"></form>',
        '<object data="/x.swf"></object>',
        '<embed src="/x.swf">',
        '<svg onload="alert(1)"></svg>',
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<base href="https://evil.example/">',
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    ],
)
def test_active_content_is_an_error_and_gone(source):
    errors, _ = problems(f"Intro.\n\n{source}\n")
    assert errors, source
    assert errors[0].startswith("content/pages/x.md:7:"), errors
    cleaned = HtmlPolicy().clean(source).lower()
    for bad in (
        "<script",
        "onerror",
        "javascript",
        "data:",
        "<style",
        "<form",
        "<object",
        "<embed",
        "<svg",
        "<math",
        "<meta",
        "<base",
        "<iframe",
    ):
        assert bad not in cleaned, (source, cleaned)


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ('<p style="color: red">x</p>', "style= on <p>"),
        ("<font>x</font>", "<font> is not allowed"),
        ('<a href="ftp://x.example/">x</a>', "'ftp:' is not allowed"),
        ('<p data-x="1">x</p>', "data-x= on <p>"),
        ("<marquee>x</marquee>", "<marquee> is not allowed"),
    ],
)
def test_other_markup_is_a_warning_and_left_out(source, said):
    errors, warnings = problems(f"Intro.\n\n{source}\n")
    assert errors == []
    assert (
        len(warnings) == 1
        and said in warnings[0]
        and warnings[0].startswith("content/pages/x.md:7:")
    )


def test_a_handler_on_a_tag_not_allowed_is_an_error_too():
    errors, warnings = problems('<font onmouseover="alert(1)">x</font>')
    assert any("onmouseover= on <font>" in e for e in errors) and warnings


def test_the_nth_removal_of_a_kind_is_placed_at_the_nth_occurrence():
    errors, _ = problems("<script>a</script>\n\nText.\n\n<script>b</script>")
    assert [e.split(": ", 1)[0] for e in errors] == [
        "content/pages/x.md:5:1",
        "content/pages/x.md:9:1",
    ]


def test_code_shown_as_code_is_no_finding():
    assert problems("`<script>alert(1)</script>`\n\n    <script>x</script>") == ([], [])


def test_removals_read_only_what_the_policy_removes():
    assert removals('<p id="a" class="b"><a href="/x">y</a></p>', ()) == []


def test_a_filled_value_cannot_make_an_address_javascript():
    renderer = ContentRenderer({"faq"})
    text = ContentText("[Here]({{ city }})", SourceRef("content/pages/x.md", 5))
    with pytest.raises(Exception, match="'javascript:'"):
        renderer.markdown(text, {"city": " JavaScript:alert(1)"})
    assert 'href="Los Angeles"' in renderer.markdown(text, {"city": "Los Angeles"}).html


# --- schemes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        (" JaVaScRiPt:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("java\nscript:x", "javascript"),
        ("\x01javascript:x", "javascript"),
        ("https://a.example/", "https"),
        ("/a:b", None),
        ("{{ phone_href }}", None),
        ("#x", None),
        ("a/b", None),
        ("1http:x", None),
    ],
)
def test_the_scheme_is_read_as_browsers_read_it(url, scheme):
    assert scheme_of(url) == scheme


def test_scheme_problems():
    assert scheme_problem("/contact/") is None
    assert scheme_problem("mailto:a@example.com") is None
    assert "'javascript:'" in (scheme_problem("JAVASCRIPT:x") or "")
    assert "control character" in (setting_url_problem("/a\tb") or "")


def test_the_example_sites_texts_are_unchanged_by_the_policy():
    """The policy takes nothing from what the example's editors wrote: each text's HTML is
    the same with and without it (so its pages are byte for byte as before)."""
    errors = ErrorList()
    texts = markdown_texts(load_content(PROJECT, errors, Records()))
    assert not errors and len(texts) > 10
    converter = MarkdownConverter()
    for text in texts:
        plain = converter.convert(text.text)
        assert converter.convert(text.text, lambda html, tags: POLICY.clean(html)) == plain


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://www.example.com/x", True),
        ("/insurance/", True),
        ("mailto:a@example.com", True),
        ("https://", False),  # nh3 drops it without a word: the editor must hear of it
        ("http:///", False),
        ("http://[oops/", False),
        ("https://a b/", False),
    ],
)
def test_an_address_without_a_host_is_no_address(url, address):
    assert is_address(url) is address


def test_comments_in_a_text_never_reach_the_page():
    """An editor's <!-- note --> (a TODO for legal, a word processor's conditional comment)
    is theirs: it is not published."""
    converter = MarkdownConverter()
    policy = HtmlPolicy()
    text = (
        "Call us.\n\n<!-- TODO: ask legal about this paragraph -->\n\n"
        "<!--[if gte mso 9]><xml>o</xml><![endif]-->\n\nToday {{ city }}."
    )
    html = converter.convert(text, lambda html, tags: policy.clean(html))
    assert "TODO" not in html and "mso" not in html and "<!--" not in html
    assert "Call us." in html and "{{ city }}" in html


@pytest.mark.parametrize("stop", [KeyboardInterrupt, TimeoutError])
def test_a_stop_while_an_address_is_judged_is_not_swallowed(monkeypatch, stop) -> None:
    """nh3 calls the policy's attribute filter from Rust, and swallows what it raises (it
    prints "Exception ignored" and drops the attribute): a Ctrl+C, or a text's deadline,
    raised there must still stop the cleaning, not publish the link without its address."""
    from sitegen.text import policy

    calls = []

    def interrupted(tag: str, attribute: str, value: str, hosts: object) -> str | None:
        calls.append(value)
        raise stop

    monkeypatch.setattr(policy, "kept_value", interrupted)
    with pytest.raises(stop):
        policy.HtmlPolicy().clean('<p><a href="tel:+13235550100">Call</a></p>')
    assert calls == ["tel:+13235550100"]


@pytest.mark.parametrize("depth", [3_000, 100_000])
@pytest.mark.parametrize("lt", ["", "<"])
def test_json_ld_nested_past_the_recursion_limit_is_no_block_and_no_crash(depth, lt):
    """3,000 nested arrays ended the build in a RecursionError traceback: now it is no
    JSON-LD, and is removed as a script (an error the build reports at its line)."""
    block = f'<script type="application/ld+json">{"[" * depth}"{lt}"{"]" * depth}</script>'
    html, blocks = json_ld_aside(f"<p>a</p>{block}")
    assert blocks == [] and block in html
