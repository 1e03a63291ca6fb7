"""Headless Chromium as this project's tools and browser tests run it: Debian's binary (no
browser download) with the flags a container without a GPU or sandbox needs. The build
itself never runs a browser."""

from __future__ import annotations

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
