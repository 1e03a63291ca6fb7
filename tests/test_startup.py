"""Start-up (issue 15): each command imports what it needs when it needs it. Guarded by the
modules a fresh process has imported, not by timing: `import sitegen.cli` loads no library
of any command, and a build loads none that its site does not need (bench/startup.py times
the difference)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, PROJECT

# the libraries some commands need, and the modules among them that cost most to import
HEAVY = {
    "pydantic",  # the sources' validation (load)
    "phonenumbers",  # only a site's phone numbers
    "PIL",  # only raster pictures
    "yaml",
    "jinja2",
    "markdown",
    "nh3",
    "lxml",
    "bs4",  # check, tests
    "livereload",  # serve
    "tornado",
    "watchfiles",
    "multiprocessing",  # only when work is forked
    "concurrent",
    "json",  # a --json report only
    "email",  # pydantic imports it (importlib.metadata)
}

LOADED = """
import sys
{code}
names = sorted({{m.split(".")[0] for m in sys.modules}})
import json
print(json.dumps(names))
"""


def _imported(code: str, cwd: Path) -> set[str]:
    """The top-level names of the modules loaded after running `code` in a new process."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},  # SITEGEN_CACHE: the tests' own
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_command_line_loads_no_command_library(tmp_path):
    assert _imported("import sitegen.cli", tmp_path) & HEAVY == set()


def test_a_build_handed_to_the_resident_process_loads_no_build_module(tmp_path):
    """What `build.py` imports before it hands its build over (sitegen.resident): the
    command line, the client and the digest of the generator's code, no dataclass (whose
    module alone costs 15 ms) and no module of a stage or of the build cache."""
    code = (
        "import sitegen.cli, sitegen.resident.client\n"
        "from sitegen.codeversion import code_digest\n"
        "code_digest()\n"
        "import sys\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('sitegen.'))))\n"
        "assert 'dataclasses' not in sys.modules, 'dataclasses'\n"
    ).replace("json.dumps", "__import__('json').dumps")
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert loaded == {
        "sitegen.cache",
        "sitegen.cli",
        "sitegen.codeversion",
        "sitegen.filestats",
        "sitegen.model",
        "sitegen.model.environments",
        "sitegen.resident",
        "sitegen.resident.client",
        "sitegen.serve",
        "sitegen.serve.bound",
        "sitegen.streams",
    }


def test_importing_the_pipeline_loads_no_stage_library(tmp_path):
    """BuildOptions and the steps' names are there before any stage is loaded (a build
    that finds nothing changed need not load them)."""
    assert _imported("import sitegen.pipeline", tmp_path) & HEAVY <= {"json"}


def test_a_build_loads_only_what_its_site_needs(tmp_path):
    """The minimal site has a phone number, no raster picture and 4 pages: one process,
    no Pillow, no workers, nothing of check or serve."""
    out = tmp_path / "out"
    code = (
        "from sitegen.cli import main\n"
        f"assert main(['build', '--root', {str(FIXTURES / 'minimal')!r}, '--out', {str(out)!r},"
        f" '--image-cache', {str(tmp_path / 'images')!r}]) == 0"
    )
    loaded = _imported(code, tmp_path)
    assert {"pydantic", "phonenumbers", "yaml", "jinja2", "markdown"} <= loaded
    unneeded = {
        "PIL",
        "multiprocessing",
        "concurrent",
        "bs4",
        "livereload",
        "tornado",
        "watchfiles",
    }
    assert loaded & unneeded == set()
