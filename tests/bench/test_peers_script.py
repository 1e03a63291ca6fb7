"""bench/peers.py's arithmetic and its one-word edit, on given numbers (no peer is run)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import PROJECT


def _load_peers() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_peers", PROJECT / "bench" / "peers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_peers"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


peers = _load_peers()


def samples(*walls_cpus_peaks: tuple[float, float, float]) -> list[Any]:
    return [peers.Sample(wall, cpu, peak) for wall, cpu, peak in walls_cpus_peaks]


def test_the_ratio_is_the_median_of_the_pairs_not_the_ratio_of_the_medians() -> None:
    ours = samples((2.0, 4.0, 80), (3.0, 4.2, 82), (10.0, 4.4, 81))
    peer = samples((1.0, 2.0, 300), (6.0, 2.1, 310), (5.0, 2.2, 305))
    got = peers.summarize_pair("hugo", ours, peer, (10000, 11016))
    assert got.ours_wall == 3.0 and got.peer_wall == 5.0  # medians: 3 / 5 = 0.6
    # pair by pair: 2/1 = 2, 3/6 = 0.5, 10/5 = 2 -> median 2, min 0.5, max 2
    assert (got.ratio_wall.median, got.ratio_wall.low, got.ratio_wall.high) == (2.0, 0.5, 2.0)
    assert got.ratio_cpu.median == pytest.approx(2.0)
    assert (got.peer_peak, got.ours_peak) == (305, 81)
    table = peers.markdown_tables([got], None).splitlines()
    assert table[2] == (
        "| Hugo, content adapter | 10,000 / 11,016 | 5.00 | 3.00 | 2.00 (0.50-2.00) "
        "| 2.00 (2.00-2.00) | 2.10 | 4.20 | 305 / 81 |"
    )
    assert len(table) == 3  # no rebuild table without rebuild figures


def test_rebuilds_are_fractions_of_the_cold_build_of_the_same_round() -> None:
    cold = samples((4.0, 0, 0), (2.0, 0, 0), (3.0, 0, 0))
    same = samples((1.0, 0, 0), (1.0, 0, 0), (1.5, 0, 0))
    word = samples((2.0, 0, 0), (0.5, 0, 0), (0.6, 0, 0))
    alone = samples((3.0, 0, 0), (1.0, 0, 0), (2.0, 0, 0))
    got = peers.summarize_rebuilds(cold, same, word, alone)
    assert got.cold == 3.0
    assert (got.unchanged_fraction.median, got.unchanged_fraction.low) == (0.5, 0.25)
    assert got.one_word_fraction.low == pytest.approx(0.2)
    assert got.one_word_fraction.high == 0.5
    assert (got.one_word_alone, got.one_word_alone_fraction.high) == (2.0, pytest.approx(0.75))
    rows = peers.markdown_tables([], got).splitlines()
    assert rows[-3] == "| rebuild, nothing changed, same folder | 1.00 | 0.50 (0.25-0.50) |"
    assert rows[-1].startswith("| the same, `SITEGEN_RESIDENT=0` (a new process of its own) |")


def test_runs_that_do_not_pair_up_are_refused() -> None:
    with pytest.raises(ValueError):
        peers.ratios([1.0, 2.0], [1.0])


def test_one_word_of_the_about_text_changes_each_round(tmp_path: Path) -> None:
    about = "Harbor Health Oak St sits at 12 Oak St in midtown, a short\n  walk from the park."
    f = tmp_path / "oak.yaml"
    summary = "Oak sits in midtown, a brief walk from the park."  # on the card: kept
    f.write_text(f"name: Oak\nsummary: {summary}\nabout: {about}\ncity: Reno\n")
    seen = []
    for round_no in range(4):
        before = yaml.safe_load(f.read_text())
        word = peers.edit_one_word(f, round_no)
        after = yaml.safe_load(f.read_text())
        old, new = before["about"].split(), after["about"].split()
        assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [12]
        assert new[12] == word and f"a {word} walk from" in after["about"]
        assert after["about"] != before["about"] and after["city"] == "Reno"
        assert after["summary"] == summary
        seen.append(word)
    assert len(set(seen[:2])) == 2


def test_our_builds_run_from_a_byte_compiled_copy_as_pip_installs_it(tmp_path):
    """peers.installed_copy: build.py and sitegen/ copied outside the project and compiled,
    so that no timed build compiles the package from source (PYTHONDONTWRITEBYTECODE, set
    on this machine, keeps Python from caching the checkout's bytecode)."""
    copy = peers.installed_copy(sys.executable, PROJECT, tmp_path)
    assert copy == tmp_path / "ours" and (copy / "build.py").is_file()
    sources = sorted(p.stem for p in (copy / "sitegen").rglob("*.py"))
    compiled = sorted(p.name.split(".")[0] for p in (copy / "sitegen").rglob("__pycache__/*.pyc"))
    assert sources and compiled == sources
    found = subprocess.run(
        [sys.executable, "-c", "import sitegen; print(sitegen.__file__)"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(found.strip()).is_relative_to(copy)  # the copy, not the checkout


def test_the_rebuild_rounds_stop_the_resident_process_of_the_copy_they_run(
    tmp_path, monkeypatch, request
):
    """A resident process's socket is named after the folder of the sitegen it runs
    (client.address): the rounds must reach the byte-compiled copy's, not the checkout's,
    or every round's cold build after the first is handed to the last round's process."""
    import shutil
    import tempfile

    from sitegen.resident.client import running

    cache = tempfile.mkdtemp(prefix="peers-")  # a socket's path is short: tmp_path's is not
    request.addfinalizer(lambda: shutil.rmtree(cache, ignore_errors=True))
    monkeypatch.setenv("SITEGEN_CACHE", cache)
    copy = peers.installed_copy(sys.executable, PROJECT, tmp_path)
    site = tmp_path / "site"
    shutil.copytree(PROJECT / "tests" / "fixtures" / "multi", site)
    ours = peers.Tool(
        "ours",
        lambda out: [sys.executable, "build.py", "build", "--root", str(site), "--out", str(out)],
        copy,
        {"SITEGEN_RESIDENT": "1"},
    )
    assert Path(peers.resident(ours, site, "address")).parent == Path(cache)
    assert peers.resident(ours, site, "running") == ""
    try:
        peers.run_timed(ours, tmp_path / "out", tmp_path / "build.err")  # it stays resident
        pid = peers.resident(ours, site, "running")
        assert pid.isdigit()
        assert running(site) is None  # the checkout's socket: what the rounds used to stop
        assert peers.resident(ours, site, "stop") == pid
        assert peers.resident(ours, site, "running") == ""
    finally:
        peers.resident(ours, site, "stop")
