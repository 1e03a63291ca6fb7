#!/usr/bin/env python3
"""Make the example site's raster "photos": the SVG illustrations drawn large by headless
Chromium, then given a photograph's texture with Pillow, saved as JPEG.

    python tools/make_example_photos.py          # writes assets/images/photos/*.jpg

The example site has no real photographs of the provider, and must not pretend to
(alt texts say "Illustration of ..."). But the generator's raster pipeline (responsive
<picture> markup, AVIF/WebP/JPEG variants) and its benchmarks need sources that weigh and
compress like photographs from a camera: large (1800 to 2400 px wide), with soft light,
a vignette, a little blur and fine film grain, so a JPEG at quality 85 lands around
0.3 to 1.5 MB instead of the few KB a flat illustration takes. Each file here stands in
for one real photo; real photos replace these files one for one (same name, a similar
aspect ratio), and this script is then no longer needed.

The output is deterministic: every random number comes from a generator seeded with the
file's name, and the drawing is Chromium's. Needs the test extra (Playwright) and
Debian's chromium; the build itself never runs a browser.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageFilter
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project's own package, installed or not
from sitegen.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

IMAGES = ROOT / "assets" / "images"
OUT = IMAGES / "photos"
QUALITY = 88


@dataclass(frozen=True)
class Photo:
    source: str  # SVG under assets/images/
    target: str  # JPEG under assets/images/photos/
    width: int
    height: int
    grain: float = 7.0  # standard deviation of the luminance grain, on 0-255


# Aspect ratios fit the slots: a program's hero 16:10 (its cards are 16:10 too), a benefit
# card 3:2 (shown at 400:260, cropped by object-fit), a location photo 4:3, the shared-link
# picture 1.91:1 (at least 1200x630). An SVG of another shape is cropped, centred.
PHOTOS = [
    Photo("group-therapy.svg", "group-therapy.jpg", 2400, 1500),
    Photo("php.svg", "partial-hospitalization.jpg", 2400, 1500),
    Photo("outpatient.svg", "outpatient-session.jpg", 2400, 1500),
    Photo("privacy.svg", "privacy.jpg", 1800, 1200),
    Photo("community.svg", "community.jpg", 1800, 1200),
    Photo("flexibility.svg", "flexibility.jpg", 1800, 1200),
    Photo("cost.svg", "cost.jpg", 1800, 1200),
    Photo("los-angeles.svg", "los-angeles.jpg", 2000, 1500),
    Photo("beverly-hills.svg", "beverly-hills.jpg", 2000, 1500),
    Photo("peer-support.svg", "peer-support.jpg", 2000, 1500),
    Photo("og-default.svg", "social-card.jpg", 2400, 1260, grain=6.0),
]


def draw(browser, photo: Photo) -> Image.Image:
    """The SVG drawn by Chromium at the photo's size, filling it (cropped, centred)."""
    page = browser.new_page(viewport={"width": photo.width, "height": photo.height})
    svg = (IMAGES / photo.source).read_text(encoding="utf-8")
    page.set_content(
        "<!doctype html><style>html,body{margin:0;padding:0;overflow:hidden}"
        f"svg{{display:block;width:{photo.width}px;height:{photo.height}px}}</style>{svg}"
    )
    page.evaluate(
        "document.querySelector('svg').setAttribute('preserveAspectRatio', 'xMidYMid slice')"
    )
    png = page.screenshot(omit_background=False)
    page.close()
    return Image.open(io.BytesIO(png)).convert("RGB")


def noise(rng: random.Random, size: tuple[int, int], sigma: float) -> Image.Image:
    """Grain centred on 128 with about `sigma` standard deviation: the mean of three
    uniform noises (close to a Gaussian), scaled. Pillow only, from a seeded generator."""
    n = size[0] * size[1]
    a, b, c = (Image.frombytes("L", size, rng.randbytes(n)) for _ in range(3))
    mean = Image.blend(Image.blend(a, b, 0.5), c, 1 / 3)  # std of 3 uniform bytes: ~42.6
    k = sigma / 42.6
    return mean.point(lambda v: max(0, min(255, round(128 + (v - 127.5) * k))))


def light(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A soft light from one side and a vignette: a multiplier image (255 = unchanged)."""
    vignette = Image.radial_gradient("L").resize(size, Image.Resampling.BICUBIC)
    # 0 at the centre (unchanged) to 255 at the edges and beyond (30% darker)
    vignette = vignette.point(lambda v: round(255 - 0.30 * (v / 255) ** 2 * 255))
    side = Image.linear_gradient("L").rotate(rng.choice([90, 270]) + rng.uniform(-20, 20))
    side = side.resize(size, Image.Resampling.BICUBIC)
    side = side.point(lambda v: round(255 - 0.14 * (v / 255) * 255))  # one side 14% darker
    return ImageChops.multiply(vignette, side).filter(ImageFilter.GaussianBlur(size[0] / 40))


def photograph(image: Image.Image, photo: Photo) -> Image.Image:
    """Soft focus, light and vignette, a warm cast and film grain."""
    rng = random.Random(zlib.crc32(photo.target.encode()))
    size = image.size
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    shade = light(size, rng)
    image = ImageChops.multiply(image, Image.merge("RGB", (shade, shade, shade)))
    r, g, b = image.split()
    image = Image.merge(  # warm light: a little more red, a little less blue
        "RGB",
        (r.point(lambda v: min(255, round(v * 1.03 + 2))), g, b.point(lambda v: round(v * 0.95))),
    )
    grain = noise(rng, size, photo.grain).filter(ImageFilter.GaussianBlur(0.6))
    chroma = [noise(rng, size, photo.grain / 3) for _ in range(3)]
    layers = [ImageChops.add(grain, c, scale=1.0, offset=-128) for c in chroma]
    return ImageChops.add(image, Image.merge("RGB", layers), scale=1.0, offset=-128)


def srgb_profile() -> bytes:
    """LittleCMS's sRGB profile, with the creation date in its header (bytes 24 to 35, six
    big-endian uint16) fixed at 2026-01-01 00:00:00 so the files are the same on every run
    (the profile has no MD5 id to go stale)."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    icc[24:36] = struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
    return bytes(icc)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    icc = srgb_profile()
    total = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for photo in PHOTOS:
            image = photograph(draw(browser, photo), photo)
            path = OUT / photo.target
            image.save(path, "JPEG", quality=QUALITY, optimize=True, icc_profile=icc)
            size = path.stat().st_size
            total += size
            print(
                f"wrote {path.relative_to(ROOT)} ({photo.width}x{photo.height}, "
                f"{size / 1024:.0f} KB) from {photo.source}"
            )
        browser.close()
    print(f"{len(PHOTOS)} files, {total / 1024 / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
