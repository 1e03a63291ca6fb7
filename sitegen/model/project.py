"""Where a project keeps its files: the names every stage agrees on (site.yaml, the content
folders and the suffixes read in them, layouts/, assets/) and the marker of an output
folder the generator made."""

from __future__ import annotations

CONFIG_FILE = "site.yaml"
CONTENT_DIR = "content"
PROGRAMS_DIR = "content/programs"
PAGES_DIR = "content/pages"
LOCATIONS_DIR = "content/locations"  # location files, and a folder per location for local texts
LAYOUTS_DIR = "layouts"
COMPONENTS_DIR = "components"  # inside layouts/: the partials editors place with component()
ASSETS_DIR = "assets"
ASSETS_URL = "/assets/"  # where the files of assets/ are published
SOURCE_FOLDERS = (CONTENT_DIR, LAYOUTS_DIR, ASSETS_DIR)
MARKDOWN_SUFFIXES = (".md", ".markdown")
YAML_SUFFIXES = (".yaml", ".yml")

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
HEADERS = "_headers"  # Netlify's headers file
REDIRECTS = "_redirects"  # Netlify's redirects file
SITE_FILES = (SITEMAP, ROBOTS, HEADERS, REDIRECTS)
"""The files of the output the build writes besides pages, assets and pictures."""

MARKER = ".sitegen-output"
"""The file in every output folder the generator made: only such a folder is replaced."""
MARKER_TEXT = "This folder is made by sitegen (python build.py) and replaced on every build.\n"
MARKER_STAMP = "manifest: "
"""The marker's line that names the manifest the build recorded (sitegen.manifest)."""


def marker_text(stamp: str | None = None) -> str:
    """The marker file's text; with `stamp`, a line naming the build's manifest, so that a
    manifest is only trusted with the pages it was recorded with."""
    return MARKER_TEXT + (f"{MARKER_STAMP}{stamp}\n" if stamp else "")


def marker_stamp(text: str) -> str | None:
    """The manifest stamp a marker's text names, or None."""
    for line in text.splitlines():
        if line.startswith(MARKER_STAMP):
            return line[len(MARKER_STAMP) :].strip() or None
    return None
