"""Time the rebuild that rewrites every page: the commit's worst case (journal, one rename
per page), against another checkout, interleaved.

    python bench/commit.py --pages 10000 --repeat 3 --against /path/to/old/checkout

Generates the synthetic site (bench/synthetic_site.py) into --work, builds it once per
version into a folder of its own (the old site), then per repeat and version: copies that
old output to a fresh folder, changes site.yaml's admissions phone (on every page), and
times `build.py build --json` into it as a child process; the site.yaml change is undone
after. Prints the wall time and the report's write step (staging is in render; write is
the commit) for each version, medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))

from synthetic_site import make_site  # noqa: E402

OLD_PHONE, NEW_PHONE = "(323) 457-8208", "(323) 457-8299"


def build(python: str, project: Path, site: Path, out: Path) -> tuple[float, dict]:
    """Run project's build.py into `out`; (wall seconds, the --json report)."""
    started = time.perf_counter()
    done = subprocess.run(
        [python, "build.py", "build", "--root", str(site), "--out", str(out), "--json"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, json.loads(done.stdout)


def set_phone(site: Path, phone: str) -> None:
    config = site / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(OLD_PHONE, phone).replace(NEW_PHONE, phone), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench-commit"))
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    site = args.work / f"site-{args.pages}"
    make_site(site, args.pages // 10)
    versions = {"ours": PROJECT, **({"against": args.against} if args.against else {})}
    old: dict[str, Path] = {}
    for name, project in versions.items():
        old[name] = args.work / f"old-{name}"
        if old[name].exists():
            shutil.rmtree(old[name])
        build(args.python, project, site, old[name])
    walls: dict[str, list[float]] = {name: [] for name in versions}
    writes: dict[str, list[float]] = {name: [] for name in versions}
    for run in range(args.repeat):
        for name, project in versions.items():
            out = args.work / f"out-{name}"
            if out.exists():
                shutil.rmtree(out)
            shutil.copytree(old[name], out)
            set_phone(site, NEW_PHONE)
            try:
                wall, report = build(args.python, project, site, out)
            finally:
                set_phone(site, OLD_PHONE)
            walls[name].append(wall)
            writes[name].append(report["timings"]["write"])
            print(
                f"run {run + 1} {name}: {wall:.2f} s, write {report['timings']['write']:.3f} s, "
                f"{report['written']} written"
            )
    for name in versions:
        print(
            f"{name}: median wall {statistics.median(walls[name]):.2f} s, median write "
            f"{statistics.median(writes[name]) * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
