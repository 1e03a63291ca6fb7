"""Reading a folder of built pages: its files and sizes, its sitemap and its Netlify
redirects (the origin its pages name is sitegen.check.origin's)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path


def list_files(folder: Path) -> tuple[dict[str, int], dict[str, str], dict[str, tuple[int, int]]]:
    """Every file by URL path with its size, the HTML files' paths by page URL, and their
    (size, modification time) stamps; one stat per file. Hidden files and what is not a
    readable regular file (a dangling link, a link to a folder) are left out."""
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


_LOC = re.compile(r"<loc>\s*(?:<!\[CDATA\[)?\s*([^<\s\]]+)\s*(?:\]\]>)?\s*</loc>")


def read_sitemap(folder: Path) -> list[str] | None:
    """The <loc> URLs of folder/sitemap.xml in their order (XML entities such as &amp;
    read), or None when there is none. A sitemap index (<sitemapindex>, as Hugo writes for
    a multilingual site and WordPress for any) lists sitemaps, not pages: the pages are
    the <loc> URLs of the sitemaps it lists that are files of the folder
    (https://www.sitemaps.org/protocol.html#index). Without sitemap.xml, the first
    sitemap robots.txt names that is a file of the folder (WordPress: /wp-sitemap.xml,
    Yoast: /sitemap_index.xml; https://www.sitemaps.org/protocol.html#submit_robots)."""
    path = folder / "sitemap.xml"
    if not path.is_file():
        named = _robots_sitemaps(folder)
        if not named:
            return None
        path = named[0]
    text = path.read_text(encoding="utf-8", errors="replace")
    locs = [html.unescape(loc) for loc in _LOC.findall(text)]
    if "<sitemapindex" not in text:
        return locs
    pages: list[str] = []
    for loc in locs:
        child = _local(folder, loc)
        if child is not None and child != path.resolve():
            child_text = child.read_text(encoding="utf-8", errors="replace")
            if "<sitemapindex" not in child_text:  # an index lists no other index
                pages += [html.unescape(page) for page in _LOC.findall(child_text)]
    return pages


def _local(folder: Path, url: str) -> Path | None:
    """The .xml file of `folder` that the URL's path names, or None (none, or outside)."""
    path = (folder / re.sub(r"^https?://[^/]+", "", url.strip()).lstrip("/")).resolve()
    inside = path.is_relative_to(folder.resolve())
    return path if inside and path.suffix == ".xml" and path.is_file() else None


def _robots_sitemaps(folder: Path) -> list[Path]:
    """The files of `folder` that robots.txt's Sitemap: lines name, in their order."""
    robots = folder / "robots.txt"
    if not robots.is_file():
        return []
    found = []
    for line in robots.read_text(encoding="utf-8", errors="replace").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and (path := _local(folder, value)) is not None:
            found.append(path)
    return found


def read_redirects(folder: Path) -> list[tuple[str, str]]:
    """The (from, to) paths of the redirects of folder/_redirects in their order, or []
    when there is none. Netlify's format: one rule a line, from, to and an optional status
    (301 when absent; `!` forces it); # starts a comment. A rule with status 200 is a
    rewrite (the visitor stays at the address, no redirect) and 404 a custom not-found
    page, so neither is a redirect (https://docs.netlify.com/routing/redirects/
    redirect-options/)."""
    path = folder / "_redirects"
    if not path.is_file():
        return []
    rules = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
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
    path = folder / "_headers"
    if not path.is_file():
        return []
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules
