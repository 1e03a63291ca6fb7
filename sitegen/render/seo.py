"""Search-engine helpers shared by pages and site files: canonical URLs, and JSON that is
safe inside <script>."""

from __future__ import annotations

import json

from sitegen.model.urls import is_not_found


def canonical_url(base_url: str, url: str) -> str | None:
    """The absolute URL search engines should index; None for the not-found page."""
    if is_not_found(url):
        return None
    return base_url + url


def json_for_script(data: object) -> str:
    """JSON that is safe inside <script>: '<', '>' and '&' are escaped, so '</script>' in data
    cannot end the element; keys sorted so that builds are byte-identical."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text
