#!/usr/bin/env python3
"""Make the PNG pictures that search engines need from the site's SVG illustrations (the
organisation's logo), drawn by headless Chromium so that they match the SVGs exactly.

    python tools/raster_images.py            # writes the PNGs listed in RASTERS

A PNG logo is the safe choice for the organisation's structured data. The shared-link
picture (og:image, social networks do not show SVG) is a JPEG that
tools/make_example_photos.py makes with the example's other photo-like pictures.
Run it after changing the SVG and commit the PNG; the build itself never runs a browser.
Needs the test extra (Playwright) and Debian's chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project's own package, installed or not
from sitegen.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

IMAGES = ROOT / "assets" / "images"
# (source SVG, PNG to write, width, height)
RASTERS = [
    ("favicon.svg", "logo.png", 512, 512),
]


def main() -> int:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for source, target, width, height in RASTERS:
            page = browser.new_page(viewport={"width": width, "height": height})
            svg = (IMAGES / source).read_text(encoding="utf-8")
            page.set_content(
                "<!doctype html><style>html,body{margin:0;padding:0;overflow:hidden}"
                f"svg{{display:block;width:{width}px;height:{height}px}}</style>{svg}"
            )
            page.screenshot(path=str(IMAGES / target), omit_background=False)
            page.close()
            print(f"wrote assets/images/{target} ({width}x{height}) from {source}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
