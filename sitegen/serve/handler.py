"""The preview's HTTP answers: the built files as Netlify would serve them (a folder's
index.html, 404.html for unknown paths), no caching, the error overlay instead of any
page while the last rebuild failed, and the last build's warnings in a panel on each page.
The live-reload script is added by livereload's output transform, so it (like the panel)
is only ever in served pages, never in the built files."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from pathlib import Path

from tornado import web

from sitegen.errors import SiteError
from sitegen.serve.files import resolve
from sitegen.serve.hosts import refused_host
from sitegen.serve.overlay import overlay_html, warnings_panel, with_panel

NOT_FOUND_PAGE = "404.html"
# Content types by extension: Python's own table and the web's types it lacks (3.11),
# never the machine's (/etc/mime.types names more extensions as XML documents, which a
# browser may render with their script on the preview's address: a fresh tester's find);
# an extension in neither is bytes to download
TYPES = mimetypes.MimeTypes()
for _extension, _kind in {
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}.items():
    TYPES.add_type(_kind, _extension)
REFUSED = "Forbidden: this path leads outside the preview folder.\n"


class SiteHandler(web.RequestHandler):
    """Serves the preview folder like Netlify (a folder's index.html, 404.html for unknown
    paths), with Cache-Control: no-store, X-Content-Type-Options: nosniff and the types of
    `TYPES`, and the error overlay (status 500) in place of
    any page while the last build failed."""

    def initialize(
        self,
        folder: Path,
        root: Path,
        errors: Callable[[], list[SiteError]],
        hosts: frozenset[str] | None = None,
        warnings: Callable[[], list[SiteError]] = list,
    ) -> None:
        """Tornado's per-request setup, here taking the served folder, the project folder
        (for the overlay's excerpts), the current errors, the Host headers answered (None:
        any) and the current warnings (shown in a panel on each page)."""
        self.folder = os.path.realpath(folder)
        self.root = root
        self.errors = errors
        self.hosts = hosts
        self.warnings = warnings

    def prepare(self) -> None:
        """Before any method: refuse (403) a Host header that is not one of `hosts`, so a
        DNS-rebinding page cannot read the preview."""
        refused_host(self, self.hosts)

    def head(self, path: str) -> None:
        """The same answer as `get`, without its body."""
        self._answer(path, body=False)

    def get(self, path: str) -> None:
        """The file at `path` (see `serve.files.resolve`: 301 to add a folder's slash, 403
        for a path out of the folder), 404.html with status 404 when there is none, or the
        overlay when the path is a page and the last build failed."""
        self._answer(path, body=True)

    def _answer(self, path: str, body: bool) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")  # as the site's _headers say
        answer = resolve(self.folder, "/" + path)
        errors = self.errors()
        if answer.status == 403:
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(REFUSED if body else None)
        elif errors and _is_page(path, answer.file):
            self._send_overlay(errors, body)
        elif answer.status == 301:
            self.redirect(answer.location or "/", permanent=True)
        elif answer.file is None:
            self._send_not_found(body)
        else:
            self._send_file(answer.file, 200, body)

    def _send_overlay(self, errors: list[SiteError], body: bool) -> None:
        self.set_status(500)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(overlay_html(errors, self.root) if body else None)

    def _send_not_found(self, body: bool) -> None:
        page = os.path.join(self.folder, NOT_FOUND_PAGE)
        if os.path.isfile(page):
            self._send_file(page, 404, body)
            return
        self.set_status(404)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("Not found.\n" if body else None)

    def _send_file(self, file: str, status: int, body: bool) -> None:
        kind, _encoding = TYPES.guess_type(file)
        kind = kind or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self.set_status(status)
        self.set_header("Content-Type", kind)
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError:
            self.set_status(404)
            self.finish()
            return
        warnings = self.warnings() if file.endswith(".html") else []
        if warnings:  # served pages only: the built files never hold the panel
            data = with_panel(data, warnings_panel(warnings, self.root))
        if body:
            self.finish(data)
        else:
            self.set_header("Content-Length", str(len(data)))
            self.finish()


def _is_page(path: str, file: str | None) -> bool:
    """Whether the request is for a page (which the overlay replaces), not a stylesheet,
    script or picture."""
    if file is not None:
        return file.endswith(".html")
    last = path.rsplit("/", 1)[-1]
    return "." not in last or last.endswith(".html")
