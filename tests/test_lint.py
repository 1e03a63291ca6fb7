"""The code stays ruff-clean: the same check a reviewer would run."""

import subprocess
import sys

from conftest import PROJECT


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "sitegen", "tests", "build.py"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
