"""The example site in a real browser: Debian's Chromium driven by Playwright, pages served
over HTTP, at a phone's width (375 px) and a desktop's (1280 px)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import PROJECT, skip_without_chromium
from sitegen.browser import CHROMIUM, CHROMIUM_ARGS
from sitegen.cli import main

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
