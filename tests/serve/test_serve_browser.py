"""`python build.py serve` for real: the server runs as its own process on a copy of the
example project, Debian's Chromium (driven by Playwright) keeps pages open while the tests
edit the copy's files, and the pages must reload by themselves - into the error overlay when
an edit breaks the site, back to the page when it is fixed."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PROJECT, skip_without_chromium
from sitegen.browser import CHROMIUM, CHROMIUM_ARGS

skip_without_chromium()  # CI installs Chromium (.ci/run) and runs these without exception
from playwright import sync_api  # noqa: E402 - a test dependency, imported after the skip

LOCATION = "content/locations/los-angeles.yaml"
OLD_TEXT = "serves people who live or work in"
NEW_TEXT = "welcomes everyone who lives or works in"
GOOD_LINE = "state: CA\n"
BAD_LINE = "state: [CA\n"
SECRET = "top secret: not for the preview's visitors 7f3a9c"
STARTUP = 30.0  # seconds for the first build and the first answer (CI has 2 cores)
REBUILD = 15.0  # seconds for a save to be seen, rebuilt and reported
BROWSER_MS = 15_000  # the same, for the browser's waits
# True once the page's livereload.js has shaken hands with the server; it sends its `info`
# (which puts the page on the server's list of pages to reload) in the same moment.
LIVERELOAD_CONNECTED = (
    "() => !!(window.LiveReload && window.LiveReload.connector"
    " && window.LiveReload.connector.protocol >= 7)"
)


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    site: Path  # the copy of the project being served
    out: Path  # the folder it builds into and serves
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def out_text(self) -> str:
        return self.stdout.read_text(encoding="utf-8", errors="replace")

    def err_text(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        """Rebuilds reported so far, good ("Rebuilt ...") or failed."""
        good = sum(line.startswith("Rebuilt ") for line in self.out_text().splitlines())
        return good + self.err_text().count("The build failed")

    def get(self, path: str, timeout: float = 10.0) -> tuple[int, dict[str, str], str]:
        """GET `path` exactly as written (http.client neither normalises nor re-encodes it)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read().decode("utf-8", errors="replace")
            return response.status, dict(response.getheaders()), body
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _copy_project(site: Path) -> None:
    site.mkdir(parents=True)
    for folder in ("content", "layouts", "assets"):
        shutil.copytree(PROJECT / folder, site / folder)
    shutil.copy2(PROJECT / "site.yaml", site / "site.yaml")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    site = tmp / "site"
    _copy_project(site)
    (tmp / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    port = _free_port()
    stdout, stderr = tmp / "stdout.txt", tmp / "stderr.txt"
    command = [sys.executable, str(PROJECT / "build.py"), "serve", "--root", str(site)]
    command += ["--port", str(port), "--out", str(tmp / "out")]
    with open(stdout, "wb") as out_file, open(stderr, "wb") as err_file:
        proc = subprocess.Popen(command, stdout=out_file, stderr=err_file, cwd=tmp)
    running = Server(proc, port, site, tmp / "out", stdout, stderr)
    try:
        _wait_until_serving(running)
        yield running
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + STARTUP
    while True:
        if server.proc.poll() is not None:
            pytest.fail(f"the server exited ({server.proc.returncode}):\n{server.err_text()}")
        try:
            if server.get("/", timeout=2.0)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not answer in {STARTUP:.0f} s:\n{server.err_text()}")
        time.sleep(0.2)


@pytest.fixture
def edit(server: Server) -> Iterator[Callable[[str, str, str], None]]:
    """edit(file, old, new): replace `old` by `new` in the served copy's `file` and wait
    until the server has rebuilt after it. Every file edited is put back afterwards (and the
    server's rebuild awaited), so the next test starts from the example site again."""
    originals: dict[Path, str] = {}

    def change(name: str, old: str, new: str) -> None:
        path = server.site / name
        text = path.read_text(encoding="utf-8")
        originals.setdefault(path, text)
        assert old in text, f"{old!r} is not in {name}"
        _write_and_wait(server, path, text.replace(old, new, 1))

    yield change
    for path, text in originals.items():
        if path.read_text(encoding="utf-8") != text:
            _write_and_wait(server, path, text)


def _write_and_wait(server: Server, path: Path, text: str) -> None:
    before = server.builds()
    path.write_text(text, encoding="utf-8")
    deadline = time.monotonic() + REBUILD
    while server.builds() == before:
        assert server.proc.poll() is None, f"the server exited:\n{server.err_text()}"
        assert time.monotonic() < deadline, f"no rebuild after {path.name} changed"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def _open_and_connect(page: sync_api.Page, url: str) -> None:
    """Open `url`, wait until its live-reload socket is connected, and mark the document:
    the mark is gone only if the browser loaded the page again."""
    page.goto(url)
    page.wait_for_function(LIVERELOAD_CONNECTED, timeout=BROWSER_MS)
    page.evaluate("window.__notReloaded = true")


def _wait_for_reload(page: sync_api.Page) -> None:
    page.wait_for_function(
        "() => window.__notReloaded === undefined && document.readyState === 'complete'",
        timeout=BROWSER_MS,
    )


def test_saved_edit_reloads_the_open_page_by_itself(server, page, edit):
    """A saved change to a location's YAML is rebuilt and every open page reloads by itself
    (livereload's socket): the page shows the new text without anyone reloading it."""
    _open_and_connect(page, server.url + "/los-angeles/")
    main = page.locator("main")
    sync_api.expect(main).to_contain_text(OLD_TEXT)

    edit(LOCATION, OLD_TEXT, NEW_TEXT)

    _wait_for_reload(page)
    sync_api.expect(main).to_contain_text(NEW_TEXT, timeout=BROWSER_MS)
    sync_api.expect(main).not_to_contain_text(OLD_TEXT)
    assert "Rebuilt " in server.out_text() and f"after {LOCATION} changed" in server.out_text()


def test_broken_edit_shows_the_overlay_and_the_fix_brings_the_page_back(
    server, browser, page, edit, tmp_path
):
    """A save that breaks the site turns the open page (and any page opened afterwards) into
    the error overlay - file and line, the offending line, a hint - and the save that fixes
    it brings the page back, both without a manual reload."""
    _open_and_connect(page, server.url + "/los-angeles/")
    title = page.title()
    assert title and not title.startswith("Build failed")

    edit(LOCATION, GOOD_LINE, BAD_LINE)

    _wait_for_reload(page)
    sync_api.expect(page).to_have_title("Build failed: 1 error", timeout=BROWSER_MS)
    overlay = page.locator('main.sitegen-overlay[role="alert"]')
    sync_api.expect(overlay).to_be_visible()
    error = overlay.locator("li.error")
    sync_api.expect(error).to_have_count(1)
    sync_api.expect(error.locator("p.where code")).to_contain_text(f"{LOCATION}:3")
    sync_api.expect(error.locator("p.message")).not_to_be_empty()
    sync_api.expect(error.locator("pre.source .offending")).to_contain_text(BAD_LINE.strip())
    sync_api.expect(error.locator("p.hint")).not_to_be_empty()

    page.screenshot(path=str(tmp_path / "serve-overlay.png"), full_page=False)
    if os.environ.get("SITEGEN_SCREENSHOTS"):
        folder = Path(os.environ["SITEGEN_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "serve-overlay.png", folder / "serve-overlay.png")

    other = page.context.new_page()
    response = other.goto(server.url + "/")
    assert response is not None and response.status == 500
    sync_api.expect(other).to_have_title("Build failed: 1 error")
    sync_api.expect(other.locator("main.sitegen-overlay p.where code")).to_contain_text(
        f"{LOCATION}:3"
    )
    other.close()

    # the overlay has its own live-reload socket: it must be connected before the fix
    page.wait_for_function(LIVERELOAD_CONNECTED, timeout=BROWSER_MS)
    page.evaluate("window.__notReloaded = true")
    edit(LOCATION, BAD_LINE, GOOD_LINE)

    _wait_for_reload(page)
    sync_api.expect(page).to_have_title(title, timeout=BROWSER_MS)
    sync_api.expect(page.locator(".sitegen-overlay")).to_have_count(0)
    sync_api.expect(page.locator("main")).to_contain_text(OLD_TEXT)


def test_no_path_leads_out_of_the_served_folder(server):
    """Dot segments (plain and percent-encoded), and a symlink in the served folder that
    points outside it, are refused; nothing outside the folder is ever sent."""
    outside = server.out.parent / "secret.txt"
    assert SECRET in outside.read_text(encoding="utf-8")
    site_yaml = (server.site / "site.yaml").read_text(encoding="utf-8")
    link = server.out / "leak.txt"
    folder_link = server.out / "leak"
    os.symlink(outside, link)
    os.symlink(server.out.parent, folder_link, target_is_directory=True)
    try:
        for path in [
            "/../site.yaml",
            "/../secret.txt",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/secret.txt",
            "/..%2f..%2fetc/passwd",
            "/..%2fsecret.txt",
            "/assets/../../site.yaml",
            "/assets/%2e%2e/%2e%2e/secret.txt",
            "/leak.txt",
            "/leak/secret.txt",
            "/leak/site/site.yaml",
        ]:
            status, _headers, body = server.get(path)
            assert status in (403, 404), f"{path} answered {status}"
            assert SECRET not in body, f"{path} sent the file outside the served folder"
            assert "root:" not in body, f"{path} sent /etc/passwd"
            assert site_yaml not in body, f"{path} sent site.yaml"
        assert server.get("/leak.txt")[0] == 403
    finally:
        link.unlink()
        folder_link.unlink()


def test_pages_not_found_and_folder_redirects(server):
    """A page is 200 with the live-reload script added on the way out (never in the built
    file), an unknown path is the site's 404 page with status 404, and a folder's address
    without its slash is a permanent redirect to the slash."""
    status, headers, body = server.get("/los-angeles/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert OLD_TEXT in body
    assert "livereload" in body
    on_disk = (server.out / "los-angeles" / "index.html").read_text(encoding="utf-8")
    assert OLD_TEXT in on_disk and "livereload" not in on_disk

    status, _headers, body = server.get("/nowhere/")
    not_found = (server.out / "404.html").read_text(encoding="utf-8")
    assert status == 404
    assert body.startswith(not_found.split("</head>")[0])  # the 404 page (with the script)
    assert "livereload" in body

    status, headers, _body = server.get("/los-angeles")
    assert status == 301 and headers["Location"] == "/los-angeles/"


def test_files_are_served_with_fixed_types_and_nosniff(server):
    """Types come from Python's own table and the web's fonts and WebP, never from the
    machine's /etc/mime.types (which names .sml and 17 more extensions XML documents a
    browser may render); an unknown extension is bytes, and no answer may be sniffed."""
    folder = server.out / "assets" / "served-types"
    folder.mkdir(parents=True, exist_ok=True)
    expected = {
        "a.webp": "image/webp",
        "a.woff2": "font/woff2",
        "a.avif": "image/avif",
        "a.svg": "image/svg+xml",
        "a.css": "text/css; charset=utf-8",
        "a.sml": "application/octet-stream",
        "a.unknown": "application/octet-stream",
    }
    for name in expected:
        (folder / name).write_bytes(b"x")
    for name, kind in expected.items():
        status, headers, _body = server.get(f"/assets/served-types/{name}")
        assert (status, headers["Content-Type"]) == (200, kind), name
        assert headers["X-Content-Type-Options"] == "nosniff", name
    assert server.get("/los-angeles/")[1]["X-Content-Type-Options"] == "nosniff"


def test_folder_redirect_stays_on_this_server(server):
    """The slash-adding redirect never sends the browser to another host (//los-angeles/
    would be the address of the host "los-angeles")."""
    status, headers, _body = server.get("//los-angeles")
    assert status == 301 and headers["Location"] == "/los-angeles/"


def test_server_survives_a_broken_edit(server, edit):
    """A rebuild that fails is reported on stderr (file:line:col, message, hint) and the
    server keeps running: pages answer with the overlay, assets are still served, and the
    next good save serves the site again."""
    edit(LOCATION, GOOD_LINE, BAD_LINE)
    assert server.proc.poll() is None
    err = server.err_text()
    assert f"error: {LOCATION}:3:8: " in err
    assert "\n  hint: " in err
    status, _headers, body = server.get("/")
    assert status == 500 and "<title>Build failed: 1 error</title>" in body
    styles = sorted((server.out / "assets").rglob("*.css"))
    assert styles, "the example site has a stylesheet"
    asset = "/" + styles[0].relative_to(server.out).as_posix()
    assert server.get(asset)[0] == 200  # not an overlay: only pages are replaced
    assert server.get("/../site.yaml")[0] == 403  # refused paths stay refused

    edit(LOCATION, BAD_LINE, GOOD_LINE)
    assert server.proc.poll() is None
    assert server.get("/")[0] == 200


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_stopping_the_server_removes_its_temporary_folder(tmp_path, stop):
    """Without --out the preview lives in a temporary folder, which Ctrl+C (SIGINT), a plain
    kill (SIGTERM) and a closed terminal (SIGHUP) all remove; the server says it stopped
    and exits 0."""
    temp = tmp_path / "temp"
    temp.mkdir()
    shutil.copytree(PROJECT / "tests/fixtures/minimal", tmp_path / "site")
    port = _free_port()
    command = [sys.executable, str(PROJECT / "build.py"), "serve", "--root", "site"]
    out_file = tmp_path / "stdout.txt"
    with open(out_file, "wb") as log:
        proc = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(temp)},
        )
    try:
        deadline = time.monotonic() + STARTUP
        while "Serving" not in out_file.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, out_file.read_text()
            time.sleep(0.05)
        assert [p.name[:14] for p in temp.iterdir()] == ["sitegen-serve-"]
        proc.send_signal(stop)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Stopped." in out_file.read_text()
    assert list(temp.iterdir()) == []


def test_a_burst_of_writes_makes_one_rebuild(server):
    """Editors' tools write a file several times per save: five writes 5 ms apart are one
    rebuild, which has the last write's text."""
    path = server.site / LOCATION
    original = path.read_text(encoding="utf-8")
    before = server.builds()
    try:
        for i in range(5):
            path.write_text(original.replace(OLD_TEXT, f"{NEW_TEXT} (write {i})", 1))
            time.sleep(0.005)
        deadline = time.monotonic() + REBUILD
        while server.builds() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # long enough for any second rebuild to show
        assert server.builds() == before + 1, server.out_text()
        assert "(write 4)" in (server.out / "los-angeles/index.html").read_text()
    finally:
        _write_and_wait(server, path, original)


def test_only_the_previews_own_host_names_are_answered(server):
    """A page elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding) gets
    nothing; the loopback names do."""
    for host, status in (
        (f"127.0.0.1:{server.port}", 200),
        (f"localhost:{server.port}", 200),
        (f"attacker.example:{server.port}", 403),
        ("127.0.0.1", 403),  # another port: another site
    ):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            connection.request("GET", "/los-angeles/", headers={"Host": host})
            response = connection.getresponse()
            body = response.read().decode()
        finally:
            connection.close()
        assert response.status == status, host
        assert ("Los Angeles" in body) == (status == 200)


def test_a_source_folder_replaced_by_a_new_one_is_watched_again(server, tmp_path):
    """Moving layouts/ away fails the build; a copy put in its place (another folder to the
    system) rebuilds, and a save inside the new folder is seen: the watch follows the name,
    not the folder that was moved away."""

    def moved(action: Callable[[], None]) -> None:
        before = server.builds()
        action()
        deadline = time.monotonic() + REBUILD
        while server.builds() == before:
            assert time.monotonic() < deadline, server.out_text() + server.err_text()
            time.sleep(0.05)

    layouts = server.site / "layouts"
    moved(lambda: layouts.rename(tmp_path / "layouts"))
    assert server.get("/")[0] == 500  # no layouts: the overlay
    moved(lambda: shutil.copytree(tmp_path / "layouts", layouts))
    deadline = time.monotonic() + REBUILD  # copying takes several writes, maybe two builds
    while server.get("/")[0] != 200:
        assert time.monotonic() < deadline, server.err_text()
        time.sleep(0.05)
    page = layouts / "page.html"
    original = page.read_text(encoding="utf-8")
    marked = original.replace("{% block content %}", "{% block content %}<p>NEW</p>", 1)
    try:
        _write_and_wait(server, page, marked)
        deadline = time.monotonic() + REBUILD
        while "<p>NEW</p>" not in server.get("/contact/")[2]:
            assert time.monotonic() < deadline, "the save in the new layouts/ was not seen"
            time.sleep(0.05)
    finally:
        _write_and_wait(server, page, original)
