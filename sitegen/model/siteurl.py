"""The rule of a site's address (site.yaml's base_url, the command line's --base-url): apart
from the schema, so that the command line checks --base-url without importing it."""

from __future__ import annotations

import re

_SITE_ADDRESS = re.compile(r"https?://([a-z0-9-]+(\.[a-z0-9-]+)*)(:\d+)?/?")


def base_url_problem(value: str) -> str | None:
    """What is wrong with `value` as a site's address (None: nothing): the scheme
    (http or https) and a lowercase host, maybe a port and a last slash, no path, since
    every canonical URL and the sitemap are made from it."""
    if _SITE_ADDRESS.fullmatch(value):
        return None
    return (
        f"'{value}' is not a site address like https://www.example.com "
        "(scheme and lowercase host only, no path)"
    )
