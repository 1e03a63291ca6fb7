#!/usr/bin/env python3
"""Time and peak memory of builds of the example site with hostile input (issue 12): the
largest inputs the limits let through, and those they refuse.

python bench/hostile.py [--only NAME ...] [--work /tmp/sitegen-hostile]

Each case copies the example project, changes one file, and runs `build.py build` as a
child process (the way Netlify runs it); it prints the wall time, the exit code, the peak
resident memory of the build and its workers (ru_maxrss of the children: the largest one
process) and the first line of the error. Run it with the project's virtualenv Python.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
IOP = "content/programs/intensive-outpatient-program.md"
LA = "content/locations/los-angeles.yaml"


def body_with_tags(megabytes: float) -> str:
    """Prose with `{{ city }}` every ~100 characters, in paragraphs of five sentences."""
    sentence = "Care close to home, day or evening, with people who know {{ city }} well. "
    count = int(megabytes * 1_000_000 / len(sentence))
    return "".join(sentence + ("\n\n" if i % 5 == 4 else "") for i in range(count))


def laughs(levels: int) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def append(name: str, text: str) -> Callable[[Path], None]:
    def change(site: Path) -> None:
        path = site / name
        path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")

    return change


def replace_body(text: str) -> Callable[[Path], None]:
    def change(site: Path) -> None:
        path = site / IOP
        whole = path.read_text(encoding="utf-8")
        end = whole.index("\n---\n", 4) + 5
        path.write_text(whole[:end] + text, encoding="utf-8")

    return change


def huge_file(site: Path) -> None:
    with (site / "content" / "locations" / "huge.yaml").open("wb") as file:
        file.truncate(2 * 1024**3)


LOOPS = (
    "{% for a in range(10**6) %}{% for b in range(10**6) %}{% for c in range(10**6) %}x"
    "{% endfor %}{% endfor %}{% endfor %}"
)
CASES: dict[str, Callable[[Path], None]] = {
    "unchanged": lambda site: None,
    "body 1 MB, a tag every 100 chars": replace_body(body_with_tags(1.0)),
    "body 2 MB, a tag every 100 chars": replace_body(body_with_tags(2.0)),
    "three nested loops": append(IOP, LOOPS),
    "{{ 'x' * 10**10 }}": append(IOP, "{{ 'x' * 10**10 }}"),
    "billion laughs (9 levels)": append(LA, laughs(9)),
    "recursive alias": append(LA, "loop: &a [*a]\n"),
    "YAML [ x 100,000": append(LA, "deep: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "list nested 10,000 deep": append(IOP, "- " * 10_000 + "x\n"),
    "list nested 300 deep": append(IOP, "".join("    " * i + "- x\n" for i in range(300))),
    "<div> x 100,000": append(IOP, "<div>" * 100_000 + "x" + "</div>" * 100_000),
    "[ x 10,000 (slow Markdown)": append(IOP, "[" * 10_000),
    "` x 200,000": append(IOP, "`" * 200_000),
    "*a x 100,000": append(IOP, "*a" * 100_000),
    "backslash x 100,000": append(IOP, "\\" * 100_000),
    "setext a/=== x 20,000": append(IOP, "a\n===\n" * 20_000),
    "[x]( x 50,000": append(IOP, "[x](" * 50_000),
    "2 GB location file": huge_file,
}  # fmt: skip


def run_case(name: str, work: Path) -> dict[str, object]:
    """Build the example with case `name` applied, in a fresh copy under `work`."""
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    for folder in ("content", "layouts", "assets"):
        shutil.copytree(PROJECT / folder, site / folder)
    shutil.copy2(PROJECT / "site.yaml", site / "site.yaml")
    CASES[name](site)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(site)],
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    first = next((line for line in done.stderr.splitlines() if line.startswith("error")), "")
    return {
        "case": name,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak_mb),
        "exit": done.returncode,
        "traceback": "Traceback" in done.stderr,
        "error": first[:150],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="case names (default: all)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-hostile"))
    parser.add_argument("--case", help=argparse.SUPPRESS)  # one case, in a child process
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.work)))
        return
    print(f"{'case':36} {'seconds':>8} {'peak MB':>8} {'exit':>5}  error")
    for name in args.only or CASES:
        # a child per case, so that ru_maxrss of its children is this case's alone
        out = subprocess.run(
            [sys.executable, __file__, "--case", name, "--work", str(args.work)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        row = json.loads(out)
        mark = " TRACEBACK" if row["traceback"] else ""
        print(f"{name:36} {row['seconds']:8.2f} {row['peak_mb']:8} {row['exit']:5}  "
              f"{row['error']}{mark}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
