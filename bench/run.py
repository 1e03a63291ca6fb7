#!/usr/bin/env python3
"""Time cold builds of the synthetic site, ours against the minimal baseline, in one run.

python bench/run.py [--sizes 1000 10000] [--repeat 3] [--warm] [--against OLD_CHECKOUT]
    [--work /tmp/sitegen-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_latency import TARGETS, measure_serve
from synthetic_site import make_site

BENCH = Path(__file__).resolve().parent
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
TARGET_SECONDS, TARGET_MB, TARGET_RATIO = 3.0, 300.0, 2.0


@dataclass
class Run:
    seconds: float
    peak_mb: float  # ru_maxrss from os.wait4: the largest single process (child or reaped child)
    tree_mb: float  # sampled PSS of the whole process tree (build plus its worker processes)
    pages: int
    stdout: str
    cpu: float = 0.0  # user + system seconds of the process and the workers it waited for


def _tree_pss_kib(root: int) -> int:
    """Proportional set size summed over `root` and its descendants: memory shared by forked
    workers is counted once in total, not once per process (as an RSS sum would)."""
    total, frontier = 0, [root]
    while frontier:
        pid = frontier.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(rollup.split("Pss:", 1)[1].split()[0])
            for task in os.scandir(f"/proc/{pid}/task"):
                children = Path(task.path, "children").read_text().split()
                frontier.extend(int(c) for c in children)
        except (OSError, ValueError, IndexError):
            continue
    return total


def measure(cmd: list[str], cwd: Path, out: Path, sample_memory: bool = False) -> Run:
    """Run `cmd` as a child; wall time and peak RSS (wait4). With `sample_memory`, also the
    process tree's memory, sampled from /proc: reading smaps costs the kernel real time on
    a 2-core machine, so timed runs do not sample."""
    log = out.parent / f"{out.name}.log"
    os.sync()  # let earlier runs' writes reach the disk, so they do not slow this one
    time.sleep(1)
    with open(log, "w") as stdout, open(f"{log}.err", "w") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=stderr)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                peak[0] = max(peak[0], _tree_pss_kib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_memory:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        if sample_memory:
            sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        print(f"FAILED ({proc.returncode}): {' '.join(cmd)}")
        print(Path(f"{log}.err").read_text()[-4000:] or Path(log).read_text()[-4000:])
        raise SystemExit(0)
    pages = sum(1 for _ in out.rglob("index.html")) if out.exists() else 0
    tree = max(peak[0], usage.ru_maxrss) / 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss / 1024, tree, pages, Path(log).read_text(), cpu)


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


def median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(r, field) for r in runs)


def bench_size(size: int, args: argparse.Namespace) -> dict[str, float]:
    site = args.work / f"site-{size}"
    t0 = time.perf_counter()
    make_site(site, size // args.programs, args.programs)
    print(f"\n== {size} pages: generated {site} in {time.perf_counter() - t0:.1f} s")
    ours: list[Run] = []
    base: list[Run] = []
    warm: list[Run] = []
    other: list[Run] = []
    py = args.python
    for i in range(args.repeat):
        if args.against:
            out = fresh(args.work / f"out-against-{size}")
            cmd = [py, "build.py", "build", "--root", str(site), "--out", str(out), "--json"]
            other.append(measure(cmd, args.against, out))
        out = fresh(args.work / f"out-base-{size}")
        base.append(
            measure(
                [py, str(BENCH / "baseline.py"), "--root", str(site), "--out", str(out)], BENCH, out
            )
        )
        out = fresh(args.work / f"out-ours-{size}")
        cmd = [py, "build.py", "build", "--root", str(site), "--out", str(out)]
        ours.append(measure([*cmd, "--json"], args.project, out))
        print(
            f"  run {i + 1}: baseline {base[-1].seconds:.2f} s (cpu {base[-1].cpu:.2f} s), "
            f"ours {ours[-1].seconds:.2f} s (cpu {ours[-1].cpu:.2f} s; "
            f"{ours[-1].pages} pages, {ours[-1].peak_mb:.0f} MB)"
        )
        if args.warm:
            warm.append(measure([*cmd, "--json"], args.project, out))
            print(f"         warm rebuild into the same folder: {warm[-1].seconds:.2f} s")
        if args.against:
            print(
                f"         against {args.against}: {other[-1].seconds:.2f} s "
                f"(cpu {other[-1].cpu:.2f} s)"
            )
    if other:
        ratios = [o.seconds / a.seconds for o, a in zip(ours, other, strict=True)]
        print(
            f"  ours / against: median {median(ours, 'seconds'):.2f} s / "
            f"{median(other, 'seconds'):.2f} s = {statistics.median(ratios):.3f} "
            f"(per run {min(ratios):.3f}-{max(ratios):.3f}); cpu "
            f"{median(ours, 'cpu'):.2f} s / {median(other, 'cpu'):.2f} s"
        )
    out = fresh(args.work / f"out-ours-{size}")
    sampled = measure([*cmd, "--json"], args.project, out, sample_memory=True)
    print(f"  memory run (sampled, not timed): tree {sampled.tree_mb:.0f} MB")
    checks = bench_check(args, site, out) if args.check else {}
    if args.serve:
        serve = measure_serve(args.python, args.project, site, args.work, max(args.repeat, 5))
        checks.update(serve)
        target = TARGETS.get(size)
        verdict = (
            f" (target {target * 1000:.0f} ms: {'PASS' if serve['serve_s'] < target else 'FAIL'})"
        )
        print(
            f"  serve: saving a location file to the rebuilt files on disk: median "
            f"{serve['serve_s'] * 1000:.0f} ms, worst {serve['serve_max_s'] * 1000:.0f} ms"
            + (verdict if target else "")
        )
    try:
        timings = json.loads(ours[-1].stdout).get("timings", {})
        print("  our last report timings:", {k: round(v, 3) for k, v in timings.items()})
    except (json.JSONDecodeError, AttributeError):
        print("  our last report:", ours[-1].stdout.strip()[:300])
    ours_s, base_s = median(ours, "seconds"), median(base, "seconds")
    return {
        "size": size,
        "pages": ours[-1].pages,
        "base_pages": base[-1].pages,
        "ours_s": ours_s,
        "pps": ours[-1].pages / ours_s,
        "peak_mb": median(ours, "peak_mb"),
        "tree_mb": sampled.tree_mb,
        "base_s": base_s,
        "base_mb": median(base, "peak_mb"),
        "ratio": ours_s / base_s,
        "cpu_s": median(ours, "cpu"),
        "base_cpu_s": median(base, "cpu"),
        "warm_s": median(warm, "seconds") if warm else float("nan"),
        **checks,
    }


def bench_check(args: argparse.Namespace, site: Path, out: Path) -> dict[str, float]:
    """`build.py check` on the fresh build: cold (no check cache; the build's own notes on
    its pages are there, as after any build), then again after one page changed. With
    --against, the other version checks the same folder in the same loop, interleaved,
    each with a cache folder of its own."""
    versions = {"ours": args.project, **({"against": args.against} if args.against else {})}
    cold: dict[str, list[Run]] = {name: [] for name in versions}
    one: dict[str, list[Run]] = {name: [] for name in versions}
    cmd = [args.python, "build.py", "check", str(out), "--root", str(site), "--format", "json"]
    page = next(out.glob("*/*/index.html"))
    for i in range(args.repeat):
        for name, project in versions.items():
            cache = args.work / f"cache-check-{name}"
            os.environ["SITEGEN_CACHE"] = str(cache)
            for stale in cache.glob("check-*.marshal"):
                stale.unlink()
            cold[name].append(measure(cmd, project, out))
            page.write_text(page.read_text().replace("</main>", f"<p>Line {i}.</p></main>"))
            one[name].append(measure(cmd, project, out))
            print(
                f"  check run {i + 1} {name}: cold {cold[name][-1].seconds:.2f} s "
                f"(cpu {cold[name][-1].cpu:.2f} s), after one page changed "
                f"{one[name][-1].seconds:.2f} s"
            )
    os.environ["SITEGEN_CACHE"] = str(args.work / "cache")
    report = json.loads(one["ours"][-1].stdout)
    print(
        f"  check: cold {median(cold['ours'], 'seconds'):.2f} s "
        f"(cpu {median(cold['ours'], 'cpu'):.2f} s), after one page changed "
        f"{median(one['ours'], 'seconds'):.2f} s; {report['errors']} errors, "
        f"{report['warnings']} warnings in {len(report.get('causes', []))} causes; "
        f"timings {report['timings']}"
    )
    if args.against:
        for label, runs in (("cold", cold), ("after one change", one)):
            ratios = [
                a.seconds / b.seconds for a, b in zip(runs["ours"], runs["against"], strict=True)
            ]
            print(
                f"  check {label}: ours {median(runs['ours'], 'seconds'):.2f} s / against "
                f"{median(runs['against'], 'seconds'):.2f} s = {statistics.median(ratios):.3f} "
                f"(per run {min(ratios):.3f}-{max(ratios):.3f})"
            )
    return {
        "check_cold_s": median(cold["ours"], "seconds"),
        "check_one_s": median(one["ours"], "seconds"),
    }


def report(rows: list[dict[str, float]], warm: bool) -> None:
    head = (
        f"{'size':>6} {'pages':>6} {'ours s':>7} {'pages/s':>8} {'peak MB':>8} {'tree MB':>8} "
        f"{'base s':>7} {'base MB':>8} {'ratio':>6} {'cpu s':>6} {'base cpu':>8}"
        + (f" {'warm s':>7}" if warm else "")
    )
    print("\n" + head + "\n" + "-" * len(head))
    for r in rows:
        line = (
            f"{r['size']:>6} {r['pages']:>6} {r['ours_s']:>7.2f} {r['pps']:>8.0f} "
            f"{r['peak_mb']:>8.0f} {r['tree_mb']:>8.0f} {r['base_s']:>7.2f} "
            f"{r['base_mb']:>8.0f} {r['ratio']:>6.2f} {r['cpu_s']:>6.2f} {r['base_cpu_s']:>8.2f}"
        )
        print(line + (f" {r['warm_s']:>7.2f}" if warm else ""))
    print(
        "(medians; peak MB = ru_maxrss of the largest single process via os.wait4; tree MB = "
        "sampled PSS of the whole process tree; ratio = ours / baseline wall time)"
    )
    for r in rows:
        if r["size"] != 10000:
            continue
        print("\nTargets at 10,000 pages:")
        checks = [
            (
                f"wall < {TARGET_SECONDS:.0f} s",
                r["ours_s"] < TARGET_SECONDS,
                f"{r['ours_s']:.2f} s",
            ),
            (
                f"peak < {TARGET_MB:.0f} MB",
                max(r["peak_mb"], r["tree_mb"]) < TARGET_MB,
                f"{max(r['peak_mb'], r['tree_mb']):.0f} MB",
            ),
            (
                f"ratio <= {TARGET_RATIO:.0f}x baseline",
                r["ratio"] <= TARGET_RATIO,
                f"{r['ratio']:.2f}x",
            ),
        ]
        for name, ok, got in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {name:<22} ({got})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--programs", type=int, default=10)
    parser.add_argument("--warm", action="store_true", help="also time a no-change rebuild")
    parser.add_argument("--check", action="store_true", help="also time build.py check")
    parser.add_argument(
        "--serve", action="store_true", help="also time build.py serve's rebuild after a save"
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench"))
    parser.add_argument(
        "--project",
        type=Path,
        default=BENCH.parent,
        help="folder holding build.py (the generator under test)",
    )
    parser.add_argument(
        "--against",
        type=Path,
        default=None,
        help="another folder holding build.py (e.g. a worktree of an older commit), timed in "
        "the same loop, interleaved with ours, for a before/after comparison",
    )
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    os.environ["SITEGEN_CACHE"] = str(args.work / "cache")  # the children's cache, not ~/.cache
    # each build a cold one in a process of its own: no resident build process takes the
    # next one (its memory would be outside the tree sampled, its time a rebuild's)
    os.environ["SITEGEN_RESIDENT"] = "0"
    print(
        f"python {args.python}; generator {args.project}; work {args.work}; {os.cpu_count()} CPUs"
    )
    rows = [bench_size(size, args) for size in args.sizes]
    report(rows, args.warm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
