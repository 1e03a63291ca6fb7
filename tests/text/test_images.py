"""sitegen.text.images: images placed in Markdown get their width and height from the asset
catalogue."""

from __future__ import annotations

from sitegen.text.images import sized_images

SIZES = {"/assets/images/a.svg": (120, 80)}


def test_a_known_image_gets_its_size_and_lazy_loading():
    html = '<p><img alt="A group" src="/assets/images/a.svg"></p>'
    assert sized_images(html, SIZES.get) == (
        '<p><img alt="A group" src="/assets/images/a.svg" width="120" height="80"'
        ' loading="lazy"></p>'
    )


def test_an_editors_size_an_unknown_file_and_other_sites_are_left_alone():
    for html in (
        '<img alt="A" src="/assets/images/a.svg" width="60">',
        '<img alt="B" src="/assets/images/missing.svg">',
        '<img alt="C" src="https://example.org/c.png">',
    ):
        assert sized_images(html, SIZES.get) == html


def test_markdown_images_of_a_built_page_have_width_and_height(minimal_site, build_cli):
    program = minimal_site / "content/programs/day-program.md"
    program.write_text(
        program.read_text().replace(
            "Text.\n", "Text.\n\n![A plain square](/assets/images/hero.svg)\n"
        )
    )
    run = build_cli(minimal_site)
    assert run.code == 0, run.err
    html = (minimal_site / "public/springfield/day-program/index.html").read_text()
    assert '<img alt="A plain square" src="/assets/images/hero.svg" width="' in html
    assert 'loading="lazy"' in html
