"""Reading a folder of built pages: its files and sizes, its sitemap and its Netlify
redirects (the origin its pages name is sitegen.check.origin's)."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from pathlib import Path

from sitegen.errors import SiteError
from sitegen.filestats import read_capped
from sitegen.model.sitemaps import MAX_SITEMAP_BYTES, MAX_SITEMAP_URLS

# The most of sitemap.xml, _redirects or _headers that is read: the sitemap protocol's own
# limit (50 MB uncompressed), far above what a real _redirects or _headers holds. A larger
# file is an error, not a 1 GB read.
SITE_FILE_LIMIT = MAX_SITEMAP_BYTES
INDEX_LIMIT = MAX_SITEMAP_URLS  # sitemaps a sitemap index may list


def list_files(folder: Path) -> tuple[dict[str, int], dict[str, str], dict[str, tuple[int, int]]]:
    """Every file by URL path with its size, the HTML files' paths by page URL, and their
    (size, modification time) stamps; one stat per file. Hidden files, what is not a
    readable regular file (a dangling link, a link to a folder) and links that lead out
    of `folder` (to /etc/passwd, /proc/self/environ, a secret beside it) are left out:
    nothing outside the folder is read."""
    inside = _inside(folder)
    files: dict[str, int] = {}
    html: dict[str, str] = {}
    stamps: dict[str, tuple[int, int]] = {}
    base = len(str(folder))
    pending = [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as listing:
            for entry in listing:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                    continue
                try:
                    if not entry.is_file():
                        continue
                    if entry.is_symlink() and not inside(entry.path):
                        continue
                    stat = entry.stat()
                except OSError:  # gone, or a link that leads nowhere
                    continue
                rel = entry.path[base:].replace(os.sep, "/")
                files[rel] = stat.st_size
                if entry.name.endswith(".html"):
                    url = rel[: -len("index.html")] if entry.name == "index.html" else rel
                    html[url] = entry.path
                    stamps[url] = (stat.st_size, stat.st_mtime_ns)
    return files, dict(sorted(html.items())), stamps


def _inside(folder: Path) -> Callable[[str], bool]:
    """A test of whether a path's real path (links followed) is inside `folder`'s."""
    real = os.path.join(os.path.realpath(folder), "")

    def test(path: str) -> bool:
        return os.path.realpath(path).startswith(real)

    return test


def read_site_file(folder: Path, name: str) -> str | None:
    """The text of the site file folder/`name` (sitemap.xml, _redirects, _headers), or None
    when there is none: no regular file, or a link that leads out of the folder (which is
    not read). Raises SiteError when it is larger than SITE_FILE_LIMIT (only that much
    and a byte are read), or is there but is not a regular file (a named pipe, a device,
    a folder: never opened, a pipe would wait for a writer)."""
    path = folder / name
    if not path.is_file():
        if os.path.exists(path) and _inside(folder)(str(path)):
            raise SiteError(
                f"{name} of {folder} is not a regular file (a folder, a named pipe or a "
                "device): it was not checked",
                hint="remove it and build again: the build writes it as a file",
            )
        return None
    if not _inside(folder)(str(path)):
        return None
    with open(path, "rb") as file:
        data = read_capped(file, SITE_FILE_LIMIT)
    if len(data) > SITE_FILE_LIMIT:
        raise SiteError(
            f"{name} of {folder} is larger than {SITE_FILE_LIMIT // (1024 * 1024)} MB, the "
            "most a sitemap may be (sitemaps.org) and far more than Netlify's site files "
            "hold: it was not checked",
            hint="a build or upload that wrote it went wrong: build again, or remove the file",
        )
    return data.decode("utf-8", errors="replace")


_LOC = re.compile(r"<loc>\s*(?:<!\[CDATA\[)?\s*([^<\s\]]+)\s*(?:\]\]>)?\s*</loc>")


def read_sitemap(folder: Path, counts: dict[str, int] | None = None) -> list[str] | None:
    """The <loc> URLs of folder/sitemap.xml in their order (XML entities such as &amp;
    read), or None when there is none. A sitemap index (<sitemapindex>, as Hugo writes for
    a multilingual site and WordPress for any) lists sitemaps, not pages: the pages are
    the <loc> URLs of the sitemaps it lists that are files of the folder
    (https://www.sitemaps.org/protocol.html#index). Without sitemap.xml, the first
    sitemap robots.txt names that is a file of the folder (WordPress: /wp-sitemap.xml,
    Yoast: /sitemap_index.xml; https://www.sitemaps.org/protocol.html#submit_robots).
    Each file is read with read_site_file (inside the folder, at most SITE_FILE_LIMIT:
    raises SiteError beyond). `counts`, when given, gets the number of <loc>s of each file
    read, by its name (a sitemap's pages, an index's sitemaps)."""
    counts = {} if counts is None else counts
    name = "sitemap.xml"
    text = read_site_file(folder, name)
    if text is None:
        named = _robots_sitemaps(folder)
        if not named:
            return None
        name = named[0]
        text = read_site_file(folder, name)
        if text is None:
            return None
    locs = [html.unescape(loc) for loc in _LOC.findall(text)]
    counts[name] = len(locs)
    if "<sitemapindex" not in text:
        return locs
    pages: list[str] = []
    children = dict.fromkeys(_local(folder, loc) for loc in locs[:INDEX_LIMIT])
    for child in children:  # each read once: an index naming one file 100,000 times
        if child is not None and child != name:
            child_text = read_site_file(folder, child) or ""
            if "<sitemapindex" not in child_text:  # an index lists no other index
                found = [html.unescape(page) for page in _LOC.findall(child_text)]
                counts[child] = len(found)
                pages += found
    return pages


def _local(folder: Path, url: str) -> str | None:
    """The name (relative to `folder`) of the .xml file of `folder` that the URL's path
    names, or None (none, or one outside the folder)."""
    real = Path(os.path.realpath(folder))
    path = Path(os.path.realpath(real / re.sub(r"^https?://[^/]+", "", url.strip()).lstrip("/")))
    inside = path.is_relative_to(real)
    return (
        str(path.relative_to(real)) if inside and path.suffix == ".xml" and path.is_file() else None
    )


def _robots_sitemaps(folder: Path) -> list[str]:
    """The files of `folder` that robots.txt's Sitemap: lines name, in their order."""
    robots = read_site_file(folder, "robots.txt")
    if robots is None:
        return []
    found = []
    for line in robots.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and (name := _local(folder, value)) is not None:
            found.append(name)
    return found


def read_redirects(folder: Path) -> list[tuple[str, str]]:
    """The (from, to) paths of the redirects of folder/_redirects in their order, or []
    when there is none. Netlify's format: one rule a line, from, to and an optional status
    (301 when absent; `!` forces it); # starts a comment. A rule with status 200 is a
    rewrite (the visitor stays at the address, no redirect) and 404 a custom not-found
    page, so neither is a redirect (https://docs.netlify.com/routing/redirects/
    redirect-options/)."""
    text = read_site_file(folder, "_redirects")
    if text is None:
        return []
    rules = []
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) < 2:
            continue
        status = next((p.rstrip("!") for p in parts[2:] if p.rstrip("!").isdigit()), "301")
        if status.startswith("3"):
            rules.append((parts[0], parts[1]))
    return rules


def read_headers(folder: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of folder/_headers in their order: each path (a line that does not start
    with whitespace) and its (name, value) headers (the indented `Name: value` lines below
    it; # starts a comment), as Netlify reads it (https://docs.netlify.com/routing/headers/
    #syntax-for-the-headers-file); [] when there is none."""
    text = read_site_file(folder, "_headers")
    if text is None:
        return []
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules
