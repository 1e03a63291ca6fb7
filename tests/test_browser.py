"""The example site in a real browser: Debian's Chromium driven by Playwright, pages served
over HTTP, at a phone's width (375 px) and a desktop's (1280 px)."""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import PROJECT, skip_without_chromium
from sitegen.browser import CHROMIUM, CHROMIUM_ARGS
from sitegen.cli import main
from sitegen.model.sizes import slot_width

PAGES = [
    "/",
    "/beverly-hills/intensive-outpatient-program/",
    "/los-angeles/",
    "/programs/intensive-outpatient-program/",
    "/contact/",
    "/404.html",
]

skip_without_chromium()  # CI installs Chromium (.ci/run) and runs these without exception
from playwright import sync_api  # noqa: E402 - a test dependency, imported after the skip


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "public"
    assert main(["build", "--root", str(PROJECT), "--out", str(out)]) == 0
    handler = functools.partial(_QuietHandler, directory=str(out))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("url", PAGES)
def test_page_fits_the_screen_and_shows_the_admissions_phone(server, browser, url, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    response = page.goto(server + url)
    assert response is not None and response.ok
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "sideways scroll"
    phones = page.locator('a[href="tel:+13234578208"]')
    in_view = [
        box
        for box in (phones.nth(i).bounding_box() for i in range(phones.count()))
        if box and box["width"] > 0 and box["y"] >= 0 and box["y"] + box["height"] <= 800
    ]
    assert in_view, "no visible admissions phone link in the first screen"
    assert failed == []
    page.close()


def test_keyboard_focus_is_visible(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.textContent.trim(), s.outlineStyle, s.outlineWidth]; }"
    )
    assert focused[0] == "Skip to main content"
    assert focused[1] != "none" and focused[2] != "0px"
    page.close()


def test_pages_read_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(server + "/beverly-hills/intensive-outpatient-program/")
    assert page.locator("h1").inner_text().startswith("Intensive Outpatient Program")
    assert page.locator("form[name=contact]").is_visible()
    assert page.locator("details.faq-item").count() >= 3
    context.close()


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_each_pictures_sizes_is_the_width_the_layout_gives_it(server, browser, width):
    """site.yaml's image slots follow site.css: at 375, 768 and 1280 px the `sizes` of
    every <picture> says the width Chromium lays the picture out at, and the file it picks
    from the srcset is at least that wide on a screen of two dots per pixel."""
    seen = 0
    for url in [*PAGES, "/programs/", "/los-angeles/outpatient-program/"]:
        # a context per page: no file another page loaded is in its cache
        context = browser.new_context(
            viewport={"width": width, "height": 900}, device_scale_factor=2
        )
        page = context.new_page()
        page.goto(server + url)
        pictures = page.evaluate(
            """() => [...document.querySelectorAll('picture img')].map(img => ({
                sizes: img.getAttribute('sizes'),
                shown: img.getBoundingClientRect().width,
                src: img.getAttribute('src'),
            }))"""
        )
        for picture in pictures:
            expected = slot_width(picture["sizes"], width)
            assert abs(picture["shown"] - expected) <= 2, (url, width, picture, expected)
            seen += 1
        # scroll every lazy picture in, then ask which file each one took
        page.evaluate(
            "() => document.querySelectorAll('picture img').forEach(i => i.loading = 'eager')"
        )
        page.wait_for_load_state("networkidle")
        chosen = page.evaluate(
            """() => [...document.querySelectorAll('picture img')].map(img => [
                img.currentSrc, img.getBoundingClientRect().width, img.getAttribute('srcset')])"""
        )
        # a file one picture needs may serve another of the same source (Chromium uses
        # the larger file it already has): judge each file by the most any picture needs
        needs: dict[str, float] = {}
        for current, shown, srcset in chosen:
            largest = max(int(c.split()[1][:-1]) for c in srcset.split(", "))
            needed = min(2 * shown, largest)  # two dots per pixel, never more than there is
            needs[current] = max(needs.get(current, 0), needed)
        for current, needed in needs.items():
            match = re.search(r"-(\d+)\.[0-9a-f]{10}\.(avif|webp|jpg|png)$", current)
            assert match, current  # a variant, not the original
            took = int(match.group(1))
            # Chromium picks between neighbours by their geometric mean: within a step
            assert 0.75 * needed <= took <= 1.5 * needed, (url, width, current, needed)
        context.close()
    assert seen >= 5
