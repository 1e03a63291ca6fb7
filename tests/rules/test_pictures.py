# ruff: noqa: E501 - hand-written HTML
"""sitegen.rules.pictures and the page rules on <picture>: what a browser chooses a file
from, img-dimensions and img-alt on the <img> of a <picture>, srcset addresses in the
page's links."""

from __future__ import annotations

from sitegen.check.page import read_page
from sitegen.rules.model import PageContext, PageFacts, Thresholds

ORIGIN = "https://www.example.com"
CTX = PageContext(ORIGIN, True, Thresholds())


def read(body: str, url: str = "/a/") -> tuple[PageFacts, list[tuple[str, str | None]]]:
    html = f'<!doctype html><html lang="en"><head><title>Pictures</title></head><body><h1>Care</h1>{body}</body></html>'
    facts, findings = read_page(html.encode(), url, CTX)
    return facts, [(f.rule, f.subject) for f in findings]


PICTURE = (
    '<picture><source type="image/avif" srcset="/i/r-356.avif 356w, /i/r-728.avif 728w" sizes="(min-width: 60em) 50vw, 100vw">'
    '<source type="image/webp" srcset="/i/r-356.webp 356w, /i/r-728.webp 728w" sizes="(min-width: 60em) 50vw, 100vw">'
    '<img src="/i/r-990.jpg" srcset="/i/r-356.jpg 356w, /i/r-728.jpg 728w" sizes="(min-width: 60em) 50vw, 100vw" alt="The room"{size}></picture>'
)


def test_the_img_of_a_picture_with_width_and_height_has_its_dimensions():
    _facts, found = read(PICTURE.format(size=' width="2400" height="1600"'))
    assert [rule for rule, _ in found if rule.startswith("img-")] == []


def test_the_img_of_a_picture_without_them_has_not():
    _facts, found = read(PICTURE.format(size=""))
    assert ("img-dimensions", "/i/r-990.jpg") in found
    _facts, found = read(PICTURE.format(size=' width="2400"'))
    assert ("img-dimensions", "/i/r-990.jpg") in found


def test_the_img_of_a_picture_needs_its_alt():
    _facts, found = read(
        PICTURE.format(size=' width="2400" height="1600"').replace(' alt="The room"', "")
    )
    assert ("img-alt", "/i/r-990.jpg") in found


def test_a_picture_as_a_browser_chooses_from_it():
    facts, _found = read(PICTURE.format(size=' width="2400" height="1600"'))
    sizes = "(min-width: 60em) 50vw, 100vw"
    assert facts.pictures == [
        (
            "/i/r-990.jpg",
            2400,
            True,
            (
                ("", sizes, (("/i/r-356.avif", 356, 0.0), ("/i/r-728.avif", 728, 0.0))),
                ("", sizes, (("/i/r-356.webp", 356, 0.0), ("/i/r-728.webp", 728, 0.0))),
                # with width descriptors, src is no candidate (HTML: the browser never picks it)
                ("", sizes, (("/i/r-356.jpg", 356, 0.0), ("/i/r-728.jpg", 728, 0.0))),
            ),
        )
    ]
    assert facts.images == ["/i/r-990.jpg"]


def test_src_is_the_1x_candidate_unless_srcset_has_one():
    facts, _ = read(
        '<img src="a.jpg" srcset="a@2x.jpg 2x" alt="A" width="300px" height="200">'
        '<img src="b.jpg" srcset="b1.jpg 1x, b2.jpg 2x" alt="B" width="100%" height="200">'
        '<img src="https://cdn.example.org/c.jpg" alt="C" width="10" height="10">'
    )
    assert facts.pictures == [
        ("/a/a.jpg", 300, False, (("", "", (("/a/a@2x.jpg", 0, 2.0), ("/a/a.jpg", 0, 1.0))),)),
        ("/a/b.jpg", 0, False, (("", "", (("/a/b1.jpg", 0, 1.0), ("/a/b2.jpg", 0, 2.0))),)),
        (None, 10, False, (("", "", ((None, 0, 1.0),)),)),
    ]


def test_sources_a_browser_does_not_show_are_left_out_and_media_kept():
    facts, _ = read(
        '<picture><source type="image/jxl" srcset="/r.jxl"><source srcset="/wide.jpg" media="(min-width: 800px)">'
        '<source type="image/avif"><img src="/r.jpg" alt="R" width="10" height="10"></picture>'
    )
    [(_src, _width, modern, choices)] = facts.pictures
    assert not modern  # the AVIF source has no srcset: nothing to download
    assert choices == (
        ("(min-width: 800px)", "", (("/wide.jpg", 0, 1.0),)),
        ("", "", (("/r.jpg", 0, 1.0),)),
    )


def test_a_webp_file_is_a_modern_alternative_without_a_type():
    facts, _ = read('<img src="/r.jpg" srcset="/r.webp 2x" alt="R" width="10" height="10">')
    assert facts.pictures[0][2] is True


def test_an_image_shown_twice_on_a_page_is_kept_once():
    facts, _ = read('<img src="/r.jpg" alt="R" width="10" height="10">' * 3)
    assert len(facts.pictures) == 1


def test_srcset_addresses_are_links_of_the_page():
    facts, found = read(PICTURE.format(size=' width="2400" height="1600"'))
    loaded = {(path, tag) for path, _fragment, tag in facts.links}
    assert {
        ("/i/r-728.avif", "source"),
        ("/i/r-356.webp", "source"),
        ("/i/r-990.jpg", "img"),
        ("/i/r-728.jpg", "img"),
    } <= loaded
    _facts, found = read('<img srcset="http://[oops 1x" alt="A" width="1" height="1">')
    assert ("broken-link", "http://[oops") in found
