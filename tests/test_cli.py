"""The command line, run as `python build.py` in a subprocess: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, Run, ctrl_c_when_working
from sitegen.cli import main

BUILD_PY = str(PROJECT / "build.py")
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
MINIMAL_PAGES = 4  # home, the location hub, the program hub, the program at the location


def run_build(cwd: Path, *args: str) -> Run:
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, BUILD_PY, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def test_build_succeeds_with_exit_0_and_the_summary_on_stdout(minimal_site):
    run = run_build(minimal_site, "build", "--root", str(minimal_site))
    assert run.code == EXIT_OK, run.err
    assert run.out.startswith(f"Built {MINIMAL_PAGES} pages and 2 assets into ")
    assert "error" not in run.err
    assert (minimal_site / "public" / "index.html").is_file()


def test_no_arguments_builds_the_current_folder_like_build(minimal_site):
    run = run_build(minimal_site)
    assert run.code == EXIT_OK, run.err
    assert run.out.startswith(f"Built {MINIMAL_PAGES} pages")
    assert (minimal_site / "public" / "springfield" / "day-program" / "index.html").is_file()


def test_options_without_the_build_command_mean_build(minimal_site, tmp_path):
    out = tmp_path / "elsewhere"
    run = run_build(minimal_site, "--out", str(out))
    assert run.code == EXIT_OK, run.err
    assert (out / "index.html").is_file()
    assert not (minimal_site / "public").exists()


def test_json_success_report(minimal_site):
    run = run_build(minimal_site, "build", "--json")
    assert run.code == EXIT_OK, run.err
    report = json.loads(run.out)
    assert report["ok"] is True
    assert report["pages"] == MINIMAL_PAGES
    assert report["assets"] == 2
    assert set(report["timings"]) >= {"load", "route", "render", "write"}
    assert all(isinstance(v, int | float) for v in report["timings"].values())
    assert report["warnings"] == []


def test_content_error_exits_1_with_the_error_on_stderr(minimal_site):
    location = minimal_site / "content/locations/springfield.yaml"
    text = location.read_text(encoding="utf-8").replace("state: IL", "state: XX")
    location.write_text(text, encoding="utf-8")
    run = run_build(minimal_site, "build")
    assert run.code == EXIT_CONTENT
    assert "error: content/locations/springfield.yaml:3:8: 'state': 'XX' is not" in run.err
    assert "Build failed with 1 error" in run.err
    assert run.out == ""
    assert not (minimal_site / "public").exists()


def test_json_failure_report_lists_the_errors(minimal_site):
    (minimal_site / "content/pages/index.md").write_text("no front matter\n", encoding="utf-8")
    run = run_build(minimal_site, "build", "--json")
    assert run.code == EXIT_CONTENT
    report = json.loads(run.out)
    assert report["ok"] is False
    assert report["errors"] == [
        {
            "file": "content/pages/index.md",
            "line": 1,
            "column": None,
            "message": "the file does not start with front matter",
            "hint": report["errors"][0]["hint"],
        }
    ]


def test_unknown_option_exits_2_with_usage_on_stderr(minimal_site):
    run = run_build(minimal_site, "build", "--fast")
    assert run.code == EXIT_USAGE
    assert "unrecognized arguments: --fast" in run.err
    assert "usage:" in run.err
    assert not (minimal_site / "public").exists()


def test_unknown_command_like_word_exits_2(minimal_site):
    run = run_build(minimal_site, "publish")
    assert run.code == EXIT_USAGE


def test_out_equal_to_the_project_root_exits_2_and_writes_nothing(minimal_site):
    before = sorted(p.name for p in minimal_site.iterdir())
    run = run_build(minimal_site, "build", "--root", str(minimal_site), "--out", str(minimal_site))
    assert run.code == EXIT_USAGE
    assert run.err.startswith("build.py: error: the output folder")
    assert "is the project folder" in run.err
    assert sorted(p.name for p in minimal_site.iterdir()) == before


def test_out_dot_from_inside_the_project_exits_2(minimal_site):
    run = run_build(minimal_site, "--out", ".")
    assert run.code == EXIT_USAGE
    assert "is the project folder" in run.err


def test_help_exits_0_and_describes_the_exit_codes(minimal_site):
    run = run_build(minimal_site, "--help")
    assert run.code == EXIT_OK
    assert "usage: build.py" in run.out
    described = " ".join(run.out.split())  # argparse wraps the epilog to the terminal
    assert (
        "Exit codes: 0 built, 1 errors in the site's files, 2 bad usage, 74 the report could "
        "not be written to standard output." in described
    )


def test_build_help_lists_the_options(minimal_site):
    run = run_build(minimal_site, "build", "--help")
    assert run.code == EXIT_OK
    for option in ("--out", "--base-url", "--drafts", "--json", "--root"):
        assert option in run.out
    assert not (minimal_site / "public").exists()


def test_serve_without_a_project_or_with_a_bad_port_is_bad_usage(tmp_path, capsys):
    assert main(["serve", "--root", str(tmp_path)]) == 2
    assert "has no site.yaml to serve" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "70000"])
    assert exit_.value.code == 2
    assert "must be a port number" in capsys.readouterr().err


def test_check_of_a_missing_folder_is_bad_usage(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nothing")]) == 2
    assert "there is no folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0.004, "4 ms"), (0.9994, "999 ms"), (0.9996, "1.00 s"), (2.314, "2.31 s")],
)
def test_a_builds_time_is_in_ms_under_a_second_never_1000_ms(seconds, said):
    from sitegen.cli import _duration

    assert _duration(seconds) == said


# --- Ctrl+C ---------------------------------------------------------------------------------

SLOW = "{% for i in range(10 ** 9) %}{% endfor %}\n"  # a layout that takes minutes a page


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("buidl", "unknown command 'buidl'; did you mean 'build'?"),
        ("chekc", "unknown command 'chekc'; did you mean 'check'?"),
        ("public", "unknown command 'public' (the commands: build, check, serve)"),
    ],
)
def test_a_misspelt_command_is_named_with_the_commands(minimal_site, word, said):
    """`build.py buidl` was 'unrecognized arguments: buidl' (the word passed to build):
    now the unknown command, a guess and the list of commands, exit 2, nothing built."""
    run = run_build(minimal_site, word)
    assert run.code == EXIT_USAGE and said in run.err and "Traceback" not in run.err
    assert not (minimal_site / "public").exists()


@pytest.mark.parametrize(
    "value",
    [
        *("https://example.org/site/", "example.org", "https://Example.org", "ftp://x.org"),
        *("https://ex.com:99999", "https://ex.com:0", "https://1.2.3.4.5", "https://-ex-.com"),
        "https://xn--.com",
    ],
)
def test_a_bad_base_url_option_is_a_usage_error_about_the_option(minimal_site, value):
    """--base-url by site.yaml's rule, but blamed on the option (exit 2), not on site.yaml,
    which is right."""
    run = run_build(minimal_site, "build", "--root", str(minimal_site), "--base-url", value)
    assert run.code == EXIT_USAGE
    assert f"argument --base-url: '{value}' is not a site address" in run.err
    assert "site.yaml" not in run.err and not (minimal_site / "public").exists()


def test_a_project_folder_that_does_not_exist_is_a_usage_error_and_nothing_is_made(tmp_path):
    """`--root /tmp/x/a/b` said "nothing was written" and had made /tmp/x/a/b."""
    root = tmp_path / "x" / "a" / "b"
    run = run_build(tmp_path, "build", "--root", str(root))
    assert run.code == EXIT_USAGE and f"there is no project folder {root}" in run.err
    assert not (tmp_path / "x").exists()


# the two ways to run the command line: build.py, and the console script pip installs
COMMANDS = {
    "build.py": [sys.executable, str(PROJECT / "build.py")],
    "sitegen": [str(Path(sys.executable).parent / "sitegen")],
}


def test_the_console_script_builds_as_build_py_does(minimal_site: Path) -> None:
    """`sitegen` (pip's console script) is the same command as `python build.py`: the same
    summary, exit code and pages, and a bad option's usage error (exit 2) in its own name."""
    env = {**os.environ, "SITEGEN_RESIDENT": "0", "NO_COLOR": "1"}
    runs = {}
    for way, command in COMMANDS.items():
        out = minimal_site.parent / f"out-{way}"
        done = subprocess.run(
            [*command, "build", "--root", str(minimal_site), "--out", str(out), "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == EXIT_OK, done.stderr
        report = json.loads(done.stdout)
        runs[way] = (report["pages"], sorted(p.name for p in out.rglob("*.html")))
        bad = subprocess.run(
            [*command, "build", "--no-such-option"], env=env, capture_output=True, text=True
        )
        assert bad.returncode == EXIT_USAGE and "--no-such-option" in bad.stderr
        assert f"{way} build: error:" in bad.stderr and f"usage: {way} build" in bad.stderr
    assert runs["sitegen"] == runs["build.py"] and runs["sitegen"][0] == MINIMAL_PAGES


@pytest.mark.parametrize("way", sorted(COMMANDS))
def test_ctrl_c_stops_a_build_with_exit_130_and_no_traceback(minimal_site: Path, way: str) -> None:
    """Ctrl+C in a terminal reaches the command and its render workers (one process
    group): the command says "Stopped.", exits 130 at once, its workers are gone and the
    output folder was never made; the same with `python build.py` and `sitegen`."""
    base = minimal_site / "layouts/base.html"
    base.write_text(base.read_text() + SLOW)
    command = [*COMMANDS[way], "build", "--root", str(minimal_site)]
    stopped = ctrl_c_when_working(
        [*command, "--jobs", "2"], env={**os.environ, "SITEGEN_RESIDENT": "0"}
    )
    assert stopped.code == 130
    assert stopped.err.endswith("Stopped.\n") and "Traceback" not in stopped.err
    assert not any(Path(f"/proc/{pid}").exists() for pid in stopped.workers)
    assert not (minimal_site / "public").exists()


def test_the_summary_counts_agree_with_their_nouns():
    from sitegen.streams import counted

    assert [counted(n, "page") for n in (0, 1, 2)] == ["0 pages", "1 page", "2 pages"]
    assert counted(1, "this", "these") == "1 this" and counted(3, "this", "these") == "3 these"
