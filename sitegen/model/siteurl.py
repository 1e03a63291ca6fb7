"""The rule of a site's address (site.yaml's base_url, the command line's --base-url): apart
from the schema, so that the command line checks --base-url without importing it."""

from __future__ import annotations

import re

_SITE_ADDRESS = re.compile(r"https?://([a-z0-9.-]+)(?::([0-9]{1,5}))?/?")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")  # RFC 1035's, lowercase


def base_url_problem(value: str) -> str | None:
    """What is wrong with `value` as a site's address (None: nothing): the scheme
    (http or https) and a lowercase host, maybe a port (1 to 65535) and a last slash, no
    path, since every canonical URL and the sitemap are made from it. The host is a name
    whose labels are letters, digits and inner hyphens (RFC 1035; `xn--` names too, but
    not a label that ends with a hyphen) and whose last label is not a number, or an IPv4
    address."""
    found = _SITE_ADDRESS.fullmatch(value)
    host = found.group(1) if found else ""
    port = int(found.group(2)) if found and found.group(2) else None
    labels = host.split(".")
    is_ip = len(labels) == 4 and all(label.isdigit() and int(label) <= 255 for label in labels)
    named = all(_LABEL.fullmatch(label) for label in labels) and not labels[-1].isdigit()
    if found and (is_ip or named) and (port is None or 1 <= port <= 65535):
        return None
    return (
        f"'{value}' is not a site address like https://www.example.com "
        "(scheme and lowercase host only, no path)"
    )
