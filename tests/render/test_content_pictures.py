"""Pictures placed in Markdown: a raster of assets/ becomes a <picture> in the content
slot; an SVG gets its width and height; anything else is left as written."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from sitegen.images.plan import plan_site
from sitegen.load.assets import collect_assets
from sitegen.model.site_schema import ImagesFields
from sitegen.render.pictures import content_pictures

SLOT = "(min-width: 48rem) 720px, calc(100vw - 40px)"


def catalog_of(tmp_path: Path):
    images = tmp_path / "assets/images"
    images.mkdir(parents=True)
    Image.new("RGB", (1600, 900), "teal").save(images / "room.jpg")
    (images / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"/>'
    )
    catalog = collect_assets(tmp_path)
    fields = ImagesFields(slots={"content": SLOT})
    catalog.pictures = plan_site(catalog, fields, [], avif=False)
    return catalog


def test_a_raster_becomes_a_lazy_picture_in_the_content_slot(tmp_path):
    convert = content_pictures(catalog_of(tmp_path))
    html = convert(
        '<p><img alt="A room &amp; a view" src="/assets/images/room.jpg" title="Room"></p>'
    )
    assert html.startswith(
        '<p><picture><source type="image/webp" srcset="/assets/variants/images/room-'
    )
    assert f'sizes="{SLOT}"' in html
    assert 'alt="A room &amp; a view"' in html and 'title="Room"' in html
    assert 'width="1600" height="900" loading="lazy" decoding="async"' in html
    assert html.endswith("</picture></p>")


def test_an_svg_gets_its_size_and_other_images_are_left_alone(tmp_path):
    convert = content_pictures(catalog_of(tmp_path))
    assert convert('<img alt="Map" src="/assets/images/map.svg">') == (
        '<img alt="Map" src="/assets/images/map.svg" width="40" height="30" loading="lazy">'
    )
    for html in (
        '<img alt="Elsewhere" src="https://example.org/x.jpg">',
        '<img alt="Missing" src="/assets/images/none.jpg">',
        '<img alt="Sized" src="/assets/images/map.svg" width="4" height="3">',
    ):
        assert convert(html) == html
