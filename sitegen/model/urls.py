"""Safe URL paths: slugs, page URLs, the file each URL is written to, and the not-found
page."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SEGMENT = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_UNSAFE_RUN = re.compile(r"[^a-z0-9.]+|\.{2,}")  # what a suggested URL turns into a hyphen


def slug_problem(slug: str) -> str | None:
    """Why `slug` is not a safe URL slug, or None when it is."""
    if SLUG.fullmatch(slug):
        return None
    if not slug.isascii():
        return "it has letters outside a-z (accents or other scripts)"
    if any(c.isupper() for c in slug):
        return "it has uppercase letters"
    if any(c.isspace() for c in slug):
        return "it has spaces"
    return "use only lowercase letters a-z, digits and single hyphens"


_SAFE_URL = re.compile(
    r"/(?:[a-z0-9]+(?:[-_.][a-z0-9]+)*/)*(?:[a-z0-9]+(?:[-_.][a-z0-9]+)*\.html)?"
)


def url_problem(url: str) -> str | None:
    """Why `url` is not a safe site path like /los-angeles/iop/ or /404.html, or None."""
    if _SAFE_URL.fullmatch(url):
        return None
    if not url.startswith("/"):
        return "it must start with '/'"
    if not url.isascii():
        return "it has characters outside a-z"
    if any(c.isspace() for c in url):
        return "it has spaces"
    if any(c.isupper() for c in url):
        return "it has uppercase letters"
    if url == "/":
        return None
    segments = url.strip("/").split("/")
    if "//" in url or any(s in ("", ".", "..") for s in segments):
        return "it has an empty, '.' or '..' part"
    last = segments[-1]
    if not url.endswith("/") and not last.endswith(".html"):
        return "it must end with '/' (or name an .html file)"
    for segment in segments:
        if not _SEGMENT.fullmatch(segment):
            return (
                f"'{segment}' must be lowercase letters and digits, with a single '-', '_' "
                "or '.' between two of them"
            )
    return None


def url_suggestion(url: str) -> str:
    """A safe URL close to `url` (url_problem finds none in it), for a hint: lowercase,
    accents dropped, other characters and empty parts turned into single hyphens, a final
    '/' unless it names an .html file: ' /Guide/Café' -> '/guide/cafe/'."""
    plain = unicodedata.normalize("NFKD", url.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    parts = [_UNSAFE_RUN.sub("-", part).strip("-._") for part in plain.split("/")]
    parts = [part for part in parts if part]
    if not parts:
        return "/"
    if parts[-1].endswith(".html") and len(parts[-1]) > 5:
        return "/" + "/".join(parts)
    return "/" + "/".join(parts) + "/"


def url_hint(url: str, taken: Container[str] = ()) -> str:
    """What to write instead of the unsafe page URL `url`: a safe URL close to it, unless
    that is one of the URLs `taken` (the other pages' URLs) or lies inside one of them
    (/robots.txt -> /robots.txt/)."""
    suggestion = url_suggestion(url)
    folders = [suggestion[: i + 1] for i, c in enumerate(suggestion) if c == "/"]
    if (
        suggestion != "/"
        and url_problem(suggestion) is None
        and suggestion not in taken
        and not any(folder.rstrip("/") in taken for folder in folders[1:])
    ):
        return f"write it as {suggestion}"
    return "use lowercase letters and digits, with single hyphens, e.g. /beverly-hills/"


def output_file(url: str) -> str:
    """The file a URL is served from: /a/b/ -> a/b/index.html, /404.html -> 404.html."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


def is_not_found(url: str) -> bool:
    """The not-found page (/404.html): served for missing URLs, never indexed."""
    last = url.rsplit("/", 1)[-1]
    return last.startswith("404") and last.endswith(".html")
