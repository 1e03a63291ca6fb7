#!/usr/bin/env python3
"""Python floor: the least a Markdown + Jinja2 + PyYAML generator has to do.

    floor.py SOURCE_DIR OUT_DIR [--jobs 2]

Reads SOURCE_DIR/programs/*.md and SOURCE_DIR/locations.yaml, converts each
program's Markdown once, renders sites/floor/templates/page.html per pair and
writes OUT_DIR/<program>/<location>/index.html. --jobs N forks N workers.
"""

import argparse
import multiprocessing
import os
from pathlib import Path
from typing import Any

import jinja2
import markdown
import yaml

TEMPLATES = Path(__file__).resolve().parent / "sites" / "floor" / "templates"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(src: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    programs = []
    for f in (src / "programs").glob("*.md"):
        _, front, body = f.read_text("utf-8").split("---\n", 2)
        prog = yaml.load(front, Loader=LOADER) | {"slug": f.stem}
        prog["html"] = markdown.markdown(body, extensions=["tables"], output_format="html")
        programs.append(prog)
    programs.sort(key=lambda p: p["order"])
    return programs, yaml.load((src / "locations.yaml").read_text("utf-8"), Loader=LOADER)


def render(locations: list[dict[str, Any]], programs: list[dict[str, Any]], out: str) -> int:
    page = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True
    ).get_template("page.html")
    by_slug = {p["slug"]: p for p in programs}
    for loc in locations:
        for slug in loc["programs"]:
            os.makedirs(d := os.path.join(out, slug, loc["slug"]), exist_ok=True)
            with open(os.path.join(d, "index.html"), "w", encoding="utf-8") as fh:
                fh.write(page.render(prog=by_slug[slug], loc=loc, programs=programs))
    return sum(len(loc["programs"]) for loc in locations)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("src", type=Path)
    ap.add_argument("out")
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args()
    programs, locations = load(a.src)
    if a.jobs == 1:
        n = render(locations, programs, a.out)
    else:  # fork: workers inherit the parsed data; each takes every jobs-th location
        with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
            n = sum(
                pool.starmap(
                    render, [(locations[i :: a.jobs], programs, a.out) for i in range(a.jobs)]
                )
            )
    print(f"{n} pages")
