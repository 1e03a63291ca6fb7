"""The preview's defence against DNS rebinding: a web page that points a name of its own at
127.0.0.1 reaches the preview with that name in its Host header (and, for a websocket, its
own address in Origin). Every answer of the preview, pages and livereload's endpoints
alike, goes only to the host names it listens on."""

from __future__ import annotations

from urllib.parse import urlsplit

from tornado import web


def refused_host(handler: web.RequestHandler, hosts: frozenset[str] | None) -> bool:
    """Answer 403 (and return True) when the request's Host header is not one of `hosts`
    ("127.0.0.1:8000", ...); None answers any host (the preview was asked to listen on the
    network)."""
    if hosts is None or handler.request.host.lower() in hosts:
        return False
    handler.set_status(403)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.finish(f"Forbidden: this preview answers at http://{min(hosts)}/ only.\n")
    return True


def allowed_origin(origin: str, hosts: frozenset[str]) -> bool:
    """Whether a websocket's Origin header ("http://127.0.0.1:8000") is a page of the
    preview: plain http at one of `hosts`."""
    try:
        parts = urlsplit(origin.lower())
    except ValueError:
        return False
    return parts.scheme == "http" and parts.netloc in hosts and parts.path in ("", "/")
