"""How long an editor waits: from saving one location file to the rebuilt files being on
disk, with `build.py serve` running as editors run it (its watcher, its debounce, its
rebuild). python bench/serve_latency.py --site /tmp/sitegen-bench/site-1000 [--repeat 5]"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
TARGETS = {1000: 0.3, 10000: 1.0}  # seconds, from the issue
POLL = 0.001


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_serve(
    python: str, project: Path, site: Path, work: Path, repeat: int
) -> dict[str, float]:
    """Median and worst seconds from writing a location file until its hub page on disk
    has the new text and the server has said the rebuild is done (it prints that after the
    last file of the rebuild is in place)."""
    out = Path(tempfile.mkdtemp(dir=work, prefix="serve-")) / "site"
    port = free_port()
    log = (work / "serve.log").open("w")
    cmd = [python, "build.py", "serve", "--root", str(site), "--port", str(port)]
    server = subprocess.Popen([*cmd, "--out", str(out)], cwd=project, stdout=log, stderr=log)
    try:
        _wait_for(lambda: "Serving" in (work / "serve.log").read_text(), 300)
        location = sorted((site / "content/locations").glob("*.yaml"))[len(site.name) % 7]
        hub = out / location.stem / "index.html"
        original = location.read_text(encoding="utf-8")
        assert "helps people" in original, "the synthetic location text changed"
        times = []
        try:
            for i in range(repeat):
                marker = f"helps people (edit {i} at {time.time_ns()})"
                text = original.replace("helps people", marker, 1)
                time.sleep(0.3)  # apart from the previous save: one save, one rebuild
                started = time.perf_counter()
                location.write_text(text, encoding="utf-8")
                _wait_for(lambda m=marker, n=i + 1: _done(hub, m, work, n), 30)
                times.append(time.perf_counter() - started)
        finally:
            location.write_text(original, encoding="utf-8")
    finally:
        server.terminate()
        server.wait(10)
        log.close()
    lines = [x for x in (work / "serve.log").read_text().splitlines() if "Rebuilt" in x]
    print("  serve:", lines[-1] if lines else "(no rebuild line)")
    return {"serve_s": statistics.median(times), "serve_max_s": max(times)}


def _done(hub: Path, marker: str, work: Path, rebuilds: int) -> bool:
    if marker not in hub.read_text(encoding="utf-8"):
        return False
    return (work / "serve.log").read_text().count("Rebuilt") >= rebuilds


def _wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass  # the file is being replaced
        time.sleep(POLL)
    raise TimeoutError("the served site did not change in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, required=True, help="a synthetic site (run.py)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project", type=Path, default=BENCH.parent)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    result = measure_serve(args.python, args.project, args.site, args.work, args.repeat)
    print(
        f"save to rebuilt files on disk: median {result['serve_s'] * 1000:.0f} ms, "
        f"worst {result['serve_max_s'] * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
