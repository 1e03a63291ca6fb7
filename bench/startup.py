#!/usr/bin/env python3
"""Time the start-up of `build.py` (issue 15): what its imports cost, before and after.

python bench/startup.py [--against OLD_CHECKOUT] [--repeat 15] [--site FOLDER]

Each round runs, for this checkout and (with --against) the other one, in alternating order:
  - cli: the wall time of `python -c "import sitegen.cli"` (a new process each time);
  - to load: from the moment the process is started to the call of the build's load step
    (pipeline.load_site, patched to stop the process there);
  - imports, imports cpu: the wall and CPU seconds spent importing modules during a whole
    warm build (in the process, from `import sitegen.cli` to the end of the build; each
    outermost import counted once, with the modules it imports);
  - build: the wall time of a whole warm build (nothing changed, pictures in the cache);
  - cli cpu, build cpu: the user + system seconds of the first and the last.
Medians over the rounds. The site (default: this checkout's example) is the same for both;
each version builds into its own folder under --work. Set SITEGEN_IMAGE_CACHE to keep the
pictures out of ~/.cache. The children run with their bytecode cached (__pycache__, written
by a first, untimed build), as an installed sitegen does, whatever PYTHONDONTWRITEBYTECODE says.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

TO_LOAD = """
import os, sys, time
started = float(sys.argv[1])
import sitegen.cli, sitegen.pipeline as pipeline
def stop(*args, **kwargs):
    print(time.time() - started, flush=True)
    os._exit(0)
pipeline.load_site = stop
sitegen.cli.main(sys.argv[2:])
"""

IMPORTS = """
import importlib._bootstrap as bootstrap, json, sys, time
find_and_load, depth, spent = bootstrap._find_and_load, 0, [0.0, 0.0]
def timed(name, import_):  # the import statement calls it for a module not yet loaded
    global depth
    if depth:
        return find_and_load(name, import_)
    depth, cpu, wall = 1, time.process_time(), time.perf_counter()
    try:
        return find_and_load(name, import_)
    finally:
        depth = 0
        spent[0] += time.process_time() - cpu
        spent[1] += time.perf_counter() - wall
bootstrap._find_and_load = timed
from sitegen.cli import main
assert main(sys.argv[1:]) == 0
print(json.dumps(spent))
"""


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # with the bytecode cached, as an installed sitegen runs (the first run writes it)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(cwd)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=True)


def _cpu() -> float:
    """User + system seconds of the children waited for so far (less noisy than the wall
    time on a busy machine)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def measure(checkout: Path, python: str, site: Path, out: Path) -> dict[str, float]:
    """One round of the four figures (seconds) for `checkout`."""
    build = ["build", "--root", str(site), "--out", str(out)]
    figures: dict[str, float] = {}
    start, cpu = time.perf_counter(), _cpu()
    _run([python, "-c", "import sitegen.cli"], checkout)
    figures["cli"] = time.perf_counter() - start
    figures["cli cpu"] = _cpu() - cpu
    done = _run([python, "-c", TO_LOAD, repr(time.time()), *build], checkout)
    figures["to load"] = float(done.stdout.strip())
    done = _run([python, "-c", IMPORTS, *build], checkout)
    figures["imports cpu"], figures["imports"] = json.loads(done.stdout.splitlines()[-1])
    start, cpu = time.perf_counter(), _cpu()
    _run([python, "build.py", *build, "--json"], checkout)
    figures["build"] = time.perf_counter() - start
    figures["build cpu"] = _cpu() - cpu
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", type=Path, help="another checkout (the old version)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--site", type=Path, default=HERE, help="default: the example site")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-startup"))
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    versions = {"ours": HERE, **({"against": args.against.resolve()} if args.against else {})}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in versions}
    for name in versions:  # the first build of each writes its output folder: not timed
        _run(
            [args.python, "build.py", "--root", str(args.site), "--out", str(args.work / name)],
            versions[name],
        )
    for round_ in range(args.repeat):
        order = list(versions) if round_ % 2 == 0 else list(reversed(versions))
        for name in order:
            runs[name].append(measure(versions[name], args.python, args.site, args.work / name))
        print(
            f"round {round_ + 1}: "
            + "; ".join(
                f"{name} " + ", ".join(f"{k} {v * 1000:.0f}" for k, v in runs[name][-1].items())
                for name in versions
            ),
            flush=True,
        )
    print(f"\nmedians of {args.repeat} rounds, milliseconds:")
    for name, path in versions.items():
        medians = {k: statistics.median(r[k] for r in runs[name]) for k in runs[name][0]}
        print(
            f"  {name:8} ({path}): " + ", ".join(f"{k} {v * 1000:.0f}" for k, v in medians.items())
        )
    print(json.dumps({name: runs[name] for name in versions}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
