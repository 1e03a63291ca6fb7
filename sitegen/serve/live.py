"""livereload's own endpoints - the script (/livereload.js), the reload trigger
(/forcereload) and the websocket (/livereload) - behind the same wall as the pages: they
answer the preview's host names only, and the websocket takes pages of the preview only
(Origin), as tornado's WebSocketHandler.check_origin does and livereload's does not."""

from __future__ import annotations

from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from tornado.websocket import WebSocketHandler

from sitegen.serve.hosts import allowed_origin, refused_host

# livereload's snippet for the pages: it loads the script from the page's own host and port
LIVE_SCRIPT = (
    b'<script type="text/javascript">(function(){'
    b'var s=document.createElement("script");'
    b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    b's.src="//"+window.location.hostname+":"+port'
    b'+ "/livereload.js?port=" + port;'
    b"document.head.appendChild(s);"
    b"})();</script>"
)


class GuardedLiveReload(LiveReloadHandler):
    """livereload's websocket, for the preview's hosts and pages only (403 otherwise)."""

    def initialize(self, hosts: frozenset[str] | None) -> None:
        """Tornado's per-request setup: the Host headers answered (None: any)."""
        self.hosts = hosts

    def prepare(self) -> None:
        """Refuse a foreign Host header before the handshake."""
        refused_host(self, self.hosts)

    def check_origin(self, origin: str) -> bool:
        """A page of the preview only; listening on the network, tornado's own rule (the
        origin's host is the Host header)."""
        if self.hosts is None:
            return bool(WebSocketHandler.check_origin(self, origin))
        return allowed_origin(origin, self.hosts)


class GuardedForceReload(ForceReloadHandler):
    """livereload's /forcereload (reloads every open page), for the preview's hosts only."""

    def initialize(self, hosts: frozenset[str] | None) -> None:
        """Tornado's per-request setup: the Host headers answered (None: any)."""
        self.hosts = hosts

    def prepare(self) -> None:
        """Refuse a foreign Host header."""
        refused_host(self, self.hosts)


class GuardedScript(LiveReloadJSHandler):
    """livereload's /livereload.js, for the preview's hosts only."""

    def initialize(self, hosts: frozenset[str] | None) -> None:
        """Tornado's per-request setup: the Host headers answered (None: any)."""
        self.hosts = hosts

    def prepare(self) -> None:
        """Refuse a foreign Host header."""
        refused_host(self, self.hosts)


def live_handlers(hosts: frozenset[str] | None) -> list[tuple]:
    """Tornado's routes for livereload's endpoints, each answering `hosts` only."""
    options = {"hosts": hosts}
    return [
        (r"/livereload", GuardedLiveReload, options),
        (r"/forcereload", GuardedForceReload, options),
        (r"/livereload.js", GuardedScript, options),
    ]
