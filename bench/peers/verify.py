#!/usr/bin/env python3
"""Check that a peer's output is the expected site, and report page sizes.

    verify.py SOURCE_DIR OUT_DIR [OUT_DIR ...]

For every OUT_DIR: exactly one index.html per (program, location) pair at
/<program>/<location>/index.html and no other HTML file; each page holds the
title, meta description, nav, footer, the location's name, street and phone,
and the program body rendered from Markdown (its first H2 and a table).
Exit status 1 if any check fails.
"""

import re
import sys
from pathlib import Path
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def expected(src: Path) -> tuple[dict[str, tuple[str, str]], list[dict[str, Any]]]:
    programs = {}
    for f in (src / "programs").glob("*.md"):
        _, front, body = f.read_text("utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=LOADER)
        h2 = re.search(r"^## (.+)$", body, re.M)
        if h2 is None:
            raise SystemExit(f"{f}: the body has no ## heading")
        programs[f.stem] = (meta["title"], h2.group(1))
    locations = yaml.load((src / "locations.yaml").read_text("utf-8"), Loader=LOADER)
    return programs, locations


def check(
    out: Path, programs: dict[str, tuple[str, str]], locations: list[dict[str, Any]]
) -> tuple[list[str], list[int], int]:
    problems, sizes = [], []
    want = {f"{p}/{loc['slug']}/index.html": (p, loc) for loc in locations for p in loc["programs"]}
    found = {str(f.relative_to(out)) for f in out.rglob("*.html")}
    for extra in sorted(found - set(want))[:5]:
        problems.append(f"unexpected {extra}")
    for rel, (slug, loc) in want.items():
        f = out / rel
        if not f.exists():
            problems.append(f"missing {rel}")
            continue
        html = f.read_text("utf-8")
        sizes.append(len(html.encode("utf-8")))
        title, h2 = programs[slug]
        needles = {
            "title": f"<title>{title} in {loc['city']}, {loc['state']} | Harbor Health</title>",
            "description": '<meta name="description" content="',
            "nav": '<nav class="site-nav">',
            "footer": '<footer class="site-footer">',
            "name": loc["name"],
            "street": loc["street"],
            "phone": loc["phone"],
            "body h2": f">{h2}</h2>",
            "body table": "<table>",
        }
        miss = [k for k, v in needles.items() if v not in html]
        if miss:
            problems.append(f"{rel}: missing {', '.join(miss)}")
    return problems, sizes, len(found - set(want))


def main() -> None:
    src = Path(sys.argv[1])
    programs, locations = expected(src)
    bad = 0
    print(
        f"{'output':<40} {'pages':>6} {'extra':>5} {'avg B/page':>10} {'min':>6} {'max':>6}"
        "  problems"
    )
    for out in map(Path, sys.argv[2:]):
        problems, sizes, extra = check(out, programs, locations)
        bad += bool(problems)
        avg = sum(sizes) / len(sizes) if sizes else 0
        print(
            f"{out!s:<40} {len(sizes):>6} {extra:>5} {avg:>10.0f} {min(sizes, default=0):>6} "
            f"{max(sizes, default=0):>6}  {len(problems)}"
        )
        for p in problems[:5]:
            print("    " + p)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
