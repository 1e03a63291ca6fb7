#!/usr/bin/env python3
"""What a phone downloads to show one page of a built site: bytes by resource type.

    python bench/phone_bytes.py public /los-angeles/intensive-outpatient-program/
    python bench/phone_bytes.py public / --json

Serves the folder on a free loopback port (the standard library's http.server, in a
thread), opens the page in headless Chromium as a phone sees it (375x812 CSS pixels,
device scale factor 2, mobile and touch, a phone's user agent, a fresh profile so nothing
is cached), waits for the load event, scrolls slowly to the bottom so lazy images are
fetched, waits for the network to go idle, then sums every response by Chromium's
resource type: document, stylesheet, image, font, script, other.

Bytes are the response bodies as received (Chromium's `Network.dataReceived`, the body
after any content decoding; the local server compresses nothing, so this is also what a
CDN without compression would send), with the bytes on the wire (headers included,
`Network.loadingFinished`'s encodedDataLength) beside them. No throttling: this measures
weight, not speed. The largest contentful paint's element and URL are reported too (read
one second after the load event, before scrolling), as Chromium saw them at this viewport.

Needs the test extra (Playwright) and Debian's chromium.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
import threading
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project's own package, installed or not
from sitegen.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

VIEWPORT = {"width": 375, "height": 812}
SCALE = 2
USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
TYPES = ("document", "stylesheet", "image", "font", "script", "other")
KIND = {"Document": "document", "Stylesheet": "stylesheet", "Image": "image",
        "Font": "font", "Script": "script"}  # fmt: skip

# Records every largest-contentful-paint candidate; the last one is the page's LCP.
LCP_SCRIPT = """
window.__lcp = null;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    window.__lcp = {time: e.startTime, size: e.size, url: e.url,
                    element: e.element ? e.element.tagName.toLowerCase() : null};
  }
}).observe({type: 'largest-contentful-paint', buffered: true});
"""

SCROLL_SCRIPT = """
async () => {
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  let y = 0;
  while (y + innerHeight < document.documentElement.scrollHeight) {
    y += Math.round(innerHeight / 2);
    scrollTo(0, y);
    await pause(150);
  }
  await pause(300);
}
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(folder: Path, path: str) -> dict:
    server = serve(folder)
    url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    requests: dict[str, dict] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(
                viewport=VIEWPORT,
                device_scale_factor=SCALE,
                is_mobile=True,
                has_touch=True,
                user_agent=USER_AGENT,
            )
            page = context.new_page()
            page.add_init_script(LCP_SCRIPT)
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

            def entry(rid: str) -> dict:
                return requests.setdefault(
                    rid, {"url": "", "type": "other", "status": 0, "body": 0, "wire": 0}
                )

            def on_request(e: dict) -> None:
                r = entry(e["requestId"])
                r["url"] = e["request"]["url"]
                r["type"] = KIND.get(e.get("type", ""), "other")

            def on_response(e: dict) -> None:
                r = entry(e["requestId"])
                r["url"] = e["response"]["url"]
                r["type"] = KIND.get(e.get("type", ""), "other")
                r["status"] = e["response"]["status"]
                r["mime"] = e["response"].get("mimeType", "")

            def on_data(e: dict) -> None:
                entry(e["requestId"])["body"] += e["dataLength"]

            def on_finished(e: dict) -> None:
                entry(e["requestId"])["wire"] = int(e["encodedDataLength"])

            def on_failed(e: dict) -> None:
                entry(e["requestId"])["failed"] = e.get("errorText", "failed")

            cdp.on("Network.requestWillBeSent", on_request)
            cdp.on("Network.responseReceived", on_response)
            cdp.on("Network.dataReceived", on_data)
            cdp.on("Network.loadingFinished", on_finished)
            cdp.on("Network.loadingFailed", on_failed)

            page.goto(url, wait_until="load")
            page.wait_for_timeout(1000)  # LCP entries arrive after paint; scrolling ends them
            lcp = page.evaluate("window.__lcp")
            page.evaluate(SCROLL_SCRIPT)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    origin = url[: url.index(path)] if path != "/" else url[:-1]
    resources = sorted(
        (
            {**r, "url": r["url"].removeprefix(origin)}
            for r in requests.values()
            if r["url"] and not r["url"].startswith("data:")
        ),
        key=lambda r: (TYPES.index(r["type"]), -r["body"]),
    )
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: {"requests": 0, "body": 0, "wire": 0})
    for r in resources:
        t = by_type[r["type"]]
        t["requests"] += 1
        t["body"] += r["body"]
        t["wire"] += r["wire"]
    if lcp and lcp.get("url"):
        lcp["url"] = lcp["url"].removeprefix(origin)
    return {
        "page": path,
        "viewport": {**VIEWPORT, "device_scale_factor": SCALE, "mobile": True},
        "by_type": {t: by_type[t] for t in TYPES if t in by_type},
        "total": {
            "requests": len(resources),
            "body": sum(r["body"] for r in resources),
            "wire": sum(r["wire"] for r in resources),
        },
        "lcp": lcp,
        "resources": resources,
    }


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KiB"


def table(result: dict) -> str:
    lines = [
        f"{result['page']} at 375x812, DPR 2 (mobile)",
        f"{'type':<11} {'requests':>8} {'body':>13} {'on the wire':>13}",
    ]
    for name, t in result["by_type"].items():
        lines.append(f"{name:<11} {t['requests']:>8} {kb(t['body']):>13} {kb(t['wire']):>13}")
    tot = result["total"]
    lines.append(f"{'total':<11} {tot['requests']:>8} {kb(tot['body']):>13} {kb(tot['wire']):>13}")
    lines.append("")
    for r in result["resources"]:
        extra = f"  ({r['failed']})" if r.get("failed") else ""
        lines.append(f"  {r['type']:<11} {kb(r['body']):>13}  {r['status']}  {r['url']}{extra}")
    lcp = result["lcp"]
    if lcp:
        lines.append("")
        lines.append(
            f"largest contentful paint: <{lcp['element']}> {lcp['url'] or '(text)'} "
            f"at {lcp['time']:.0f} ms unthrottled, {lcp['size']} px²"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a built site, e.g. public")
    parser.add_argument("page", nargs="?", default="/", help="the page's path (default: /)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"there is no folder {args.folder}")
    if not args.page.startswith("/"):
        parser.error("the page is a path from the site's root, e.g. /los-angeles/")
    result = measure(args.folder, args.page)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
