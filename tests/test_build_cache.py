"""sitegen.buildcache: a build with nothing changed is answered from the build cache, and no
change of any input kind is ever answered with a stale output: after each change, the
rebuild's folder is compared file by file with a fresh cold build's."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PROJECT, Run, edit, needs_git, snapshot, write_files
from sitegen import buildcache, codeversion
from sitegen.model.journal import journal_path
from sitegen.render import gate

NOTHING_CHANGED = "nothing changed since the last build"


def rebuild_matches_cold(site: Path, build_cli, *args: str) -> Run:
    """Build `site` into public/ (the cache may answer), then cold into another folder with
    --no-cache; assert both folders hold the same files with the same bytes."""
    run = build_cli(site, *args)
    assert run.code == 0, run.err
    cold = build_cli(site, "--out", str(site / "cold"), "--no-cache", *args)
    assert cold.code == 0, cold.err
    assert snapshot(site / "public") == snapshot(site / "cold")
    assert run.err == cold.err  # the same warnings, in the same order
    shutil.rmtree(site / "cold")
    return run


def same_size_edit(site: Path, name: str, old: str, new: str) -> None:
    """Edit a file keeping its size and its modification time (as `cp -p` or an rsync of
    an older copy would): only its change time tells."""
    assert len(old.encode()) == len(new.encode())
    path = site / name
    before = os.stat(path)
    edit(site, name, old, new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns


def link_retargeted(site: Path) -> None:
    """A page that is a link to a file elsewhere in the project gets another target."""
    write_files(site, {"notes/b.md": "---\ntitle: Other\ndescription: Another page.\n---\nB.\n"})
    link = site / "content/pages/linked.md"
    link.unlink()
    link.symlink_to(Path("../../notes/b.md"))


CHANGES: dict[str, Callable[[Path], object]] = {
    "site.yaml": lambda s: edit(s, "site.yaml", "555-0100", "555-0199"),
    "program body": lambda s: edit(s, "content/programs/day-program.md", "Text.", "Words."),
    "program front matter": lambda s: edit(
        s, "content/programs/day-program.md", "A day program.", "A daily program."
    ),
    "location, one word": lambda s: edit(
        s, "content/locations/springfield.yaml", "Local text", "Local words"
    ),
    "local text": lambda s: edit(
        s, "content/locations/springfield/day-program.md", "own words", "own text"
    ),
    "page": lambda s: edit(s, "content/pages/index.md", "Call", "Phone"),
    "layout": lambda s: edit(s, "layouts/base.html", "<footer>", "<footer>Open daily. "),
    "partial": lambda s: edit(s, "layouts/components/banner.html", "<p class", '<p id="b" class'),
    "stylesheet (fingerprinted URL)": lambda s: (s / "assets/css/site.css").write_text(
        "body { margin: 0 }\n"
    ),
    "image": lambda s: edit(s, "assets/images/hero.svg", "</svg>", "<title>x</title></svg>"),
    "new page": lambda s: write_files(
        s, {"content/pages/new.md": "---\ntitle: New\ndescription: A new page.\n---\nNew.\n"}
    ),
    "page removed": lambda s: (s / "content/pages/linked.md").unlink(),
    "local text renamed away": lambda s: (
        s / "content/locations/springfield/day-program.md"
    ).rename(s / "content/locations/springfield/day-program.txt"),
    "same size and modification time": lambda s: same_size_edit(
        s, "content/pages/index.md", "Call", "Dial"
    ),
    "link target edited": lambda s: edit(s, "notes/a.md", "A.", "Z."),
    "link retargeted": link_retargeted,
    "page deleted in the output": lambda s: (s / "public/index.html").unlink(),
    "page edited in the output": lambda s: (s / "public/index.html").write_text("hand-made"),
    "file added to the output": lambda s: (s / "public/stray.html").write_text("stray"),
    # a first build records the names it staged, with their folders, without listing them
    "file added to a page's folder in the output": lambda s: (
        s / "public/springfield/day-program/stray.html"
    ).write_text("stray"),
    "folder added to a page's folder in the output": lambda s: write_files(
        s, {"public/springfield/new/deeper/stray.html": "stray"}
    ),
    "picture removed from the output": lambda s: next((s / "public").rglob("*.svg")).unlink(),
    "link put in the output": lambda s: (s / "public/leak.txt").symlink_to("/etc/hostname"),
    "page replaced by a link in the output": lambda s: (
        (s / "public/index.html").unlink(),
        (s / "public/index.html").symlink_to("/etc/hostname"),
    ),
}


@pytest.fixture
def cached_site(minimal_site: Path, build_cli) -> Path:
    """The minimal site with a page that is a link, built twice: the second build came from
    the cache."""
    write_files(minimal_site, {"notes/a.md": "---\ntitle: Linked\ndescription: A link.\n---\nA.\n"})
    (minimal_site / "content/pages/linked.md").symlink_to(Path("../../notes/a.md"))
    first = build_cli(minimal_site)
    assert first.code == 0 and NOTHING_CHANGED not in first.out, first.err
    again = rebuild_matches_cold(minimal_site, build_cli)
    assert NOTHING_CHANGED in again.out and "0 files written" in again.out
    return minimal_site


@pytest.mark.parametrize("change", CHANGES)
def test_no_change_of_an_input_is_answered_with_a_stale_output(cached_site, build_cli, change):
    CHANGES[change](cached_site)
    run = rebuild_matches_cold(cached_site, build_cli)
    assert NOTHING_CHANGED not in run.out  # a full build
    assert NOTHING_CHANGED in rebuild_matches_cold(cached_site, build_cli).out  # then cached


@pytest.mark.parametrize(
    "options",
    [
        ("--base-url", "https://other.example.org"),
        ("--drafts",),
        ("--env", "preview"),
        ("--env", "preview", "--deploy-url", "https://preview.example.net"),
    ],
)
def test_other_options_build_again(cached_site, build_cli, options):
    run = rebuild_matches_cold(cached_site, build_cli, *options)
    assert NOTHING_CHANGED not in run.out
    assert NOTHING_CHANGED in build_cli(cached_site, *options).out
    back = build_cli(cached_site)  # and the plain options again: the other build's output
    assert back.code == 0 and NOTHING_CHANGED not in back.out


def test_the_cached_answer_says_what_the_build_said(cached_site, build_cli):
    write_files(cached_site, {"content/pages/notes.txt": "a draft", "content/programs/x.doc": ""})
    full = build_cli(cached_site, "--json")
    cached = build_cli(cached_site, "--json")
    first, second = json.loads(full.out), json.loads(cached.out)
    assert (first["cached"], second["cached"]) == (False, True)
    assert first["warnings"] and first["warnings"] == second["warnings"]
    assert (second["pages"], second["assets"], second["written"]) == (
        first["pages"],
        first["assets"],
        0,
    )
    assert second["unchanged"] == first["written"] + first["unchanged"]
    text = build_cli(cached_site)
    assert NOTHING_CHANGED in text.out and text.err.count("warning:") == len(first["warnings"])


def test_no_cache_builds_everything(cached_site, build_cli):
    run = build_cli(cached_site, "--no-cache")
    assert run.code == 0 and NOTHING_CHANGED not in run.out


def test_no_cache_renders_every_page_even_when_only_one_changed(cached_site, build_cli):
    """--no-cache renders as into an empty folder: no page is taken as the last build left
    it (a page the build cache would keep is rendered again), and the build is still
    recorded: the next one is answered from the cache."""
    edit(cached_site, "content/pages/index.md", "title: Welcome", "title: Welcome home")
    run = build_cli(cached_site, "--no-cache", "--json")
    report = json.loads(run.out)
    assert run.code == 0 and report["rendered"] == report["pages"] > 1
    assert NOTHING_CHANGED in build_cli(cached_site).out
    edit(cached_site, "content/pages/index.md", "title: Welcome home", "title: Welcome")
    report = json.loads(build_cli(cached_site, "--json").out)
    assert report["rendered"] == 1 < report["pages"]  # without --no-cache: the one page


def test_a_failed_build_is_not_remembered(cached_site, build_cli):
    edit(cached_site, "content/pages/index.md", "title: Welcome", "title: [")
    assert build_cli(cached_site).code == 1
    edit(cached_site, "content/pages/index.md", "title: [", "title: Welcome")
    run = build_cli(cached_site)
    assert run.code == 0 and NOTHING_CHANGED not in run.out


def test_a_pending_commit_is_finished_by_a_full_build(cached_site, build_cli):
    journal = journal_path(cached_site / "public")
    journal.write_text("not a journal")  # what a killed build's unreadable journal looks like
    run = build_cli(cached_site)
    assert NOTHING_CHANGED not in run.out


def test_check_after_a_cached_build_says_what_it_said_after_a_full_one(cached_site, build_cli):
    def report(run: Run) -> list[str]:  # without the line of counts and seconds
        return [line for line in run.out.splitlines()[1:] if not line.startswith("Checked ")]

    full = build_cli(cached_site, "--check", "--no-cache")
    cached = build_cli(cached_site, "--check")
    assert NOTHING_CHANGED in cached.out and NOTHING_CHANGED not in full.out
    assert "error" in full.out and full.code == cached.code == 1
    assert report(cached) == report(full)


@pytest.mark.parametrize("fresh", [True, False], ids=["built", "answered-from-cache"])
def test_build_check_keeps_one_machine_format_on_stdout(cached_site, build_cli, fresh):
    """CI reads stdout: `--check --format json` puts only the check's JSON there (the build's
    summary on stderr); `--json --check` one JSON document, the check's report as its
    "check" (the text report on stderr). The same whether the build ran or was answered
    from the build cache."""
    cache = ("--no-cache",) if fresh else ()
    build_cli(cached_site)  # the cache holds this build
    alone = build_cli(cached_site, "--check", "--format", "json", *cache)
    checked = json.loads(alone.out)
    assert checked["findings"] and "Built " in alone.err and alone.code == 1
    both = build_cli(cached_site, "--json", "--check", *cache)
    document = json.loads(both.out)
    assert document["ok"] is True and document["pages"] > 0 and both.code == 1
    assert document["check"]["findings"] == checked["findings"]
    assert document["check"]["ok"] is False
    assert "Checked " in both.err  # the text report, for people
    broken = cached_site / "content/locations/broken.yaml"
    broken.write_text("city: [\n", encoding="utf-8")
    failed = build_cli(cached_site, "--check", "--format", "json", *cache)
    broken.unlink()
    assert failed.code == 1 and json.loads(failed.out)["ok"] is False  # JSON when it fails
    assert json.loads(failed.out)["errors"][0]["file"] == "content/locations/broken.yaml"
    quiet = build_cli(cached_site, "--json", "--check", "--format", "json", *cache)
    assert json.loads(quiet.out)["check"]["causes"] == checked["causes"]
    assert "Checked " not in quiet.err and "Built " not in quiet.err


@needs_git
def test_a_commit_that_changes_no_file_changes_the_sitemaps_dates(minimal_site, build_cli):
    def git(*args: str, date: str = "2021-03-04T12:00:00+00:00") -> None:
        env = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
        env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x", GIT_COMMITTER_NAME="t")
        env["GIT_COMMITTER_EMAIL"] = "t@x"
        subprocess.run(["git", *args], cwd=minimal_site, env=env, check=True, capture_output=True)

    git("init", "-q")
    (minimal_site / ".gitignore").write_text("public/\ncold/\n")
    git("add", "-A")
    git("commit", "-q", "-m", "one")
    assert build_cli(minimal_site).code == 0
    assert NOTHING_CHANGED in build_cli(minimal_site).out
    git("commit", "-q", "--amend", "-m", "one", date="2022-05-06T12:00:00+00:00")
    run = rebuild_matches_cold(minimal_site, build_cli)
    assert NOTHING_CHANGED not in run.out
    assert "<lastmod>2022-05-06</lastmod>" in (minimal_site / "public/sitemap.xml").read_text()


def test_the_generators_code_is_in_the_key(tmp_path, monkeypatch):
    package = tmp_path / "sitegen"
    shutil.copytree(Path(buildcache.__file__).parent, package)
    monkeypatch.setattr(codeversion, "PACKAGE", package)

    def key() -> str:
        options = (tmp_path, tmp_path / "out", None, False, ("production", None), tmp_path)
        return buildcache.build_key(*options)

    before = key()
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "new.pyc").write_bytes(b"compiled on first import")
    assert key() == before  # compiling is no change
    with (package / "render" / "pages.py").open("a") as module:
        module.write("# changed\n")
    assert key() != before


def test_every_library_the_build_uses_is_in_the_key():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    names = {d.split(">")[0].split("=")[0].strip().lower() for d in project["dependencies"]}
    serving = {"livereload", "tornado", "watchfiles"}  # serve's, not the output's
    imports = {"pyyaml": "yaml", "pillow": "PIL"}
    wanted = {imports.get(name, name) for name in names - serving}
    assert wanted <= set(codeversion.LIBRARIES)


def rendered(run: Run) -> int | None:
    """How many pages a build rendered, from its summary line (None: all of them)."""
    if "rendered, the others unchanged" not in run.out:
        return None
    return int(run.out.split(" pages (", 1)[1].split(" rendered", 1)[0])


def test_one_location_file_renders_its_own_pages_only(cached_site, build_cli):
    edit(cached_site, "content/locations/springfield.yaml", "Local text", "Local words")
    run = rebuild_matches_cold(cached_site, build_cli)
    assert rendered(run) == 2  # its hub and its program there
    edit(cached_site, "content/locations/springfield.yaml", "IL", "MO")  # on its card
    assert rendered(rebuild_matches_cold(cached_site, build_cli)) is None


def test_after_a_build_of_some_pages_nothing_changed_and_each_output_change_is_seen(
    cached_site, build_cli
):
    """The record of a build of some pages takes the stat again only of the files it
    moved into the output (and their folders): the next build still finds the output as
    it was left, and a change to any other file of the output after it."""
    edit(cached_site, "content/locations/springfield.yaml", "Local text", "Local words")
    assert rendered(rebuild_matches_cold(cached_site, build_cli)) == 2
    assert NOTHING_CHANGED in build_cli(cached_site).out
    for change in ("page edited in the output", "link put in the output"):
        edit(cached_site, "content/locations/springfield.yaml", "Local words", "Local text")
        assert rendered(rebuild_matches_cold(cached_site, build_cli)) == 2
        CHANGES[change](cached_site)
        run = rebuild_matches_cold(cached_site, build_cli)
        assert NOTHING_CHANGED not in run.out
        edit(cached_site, "content/locations/springfield.yaml", "Local text", "Local words")


EXAMPLE_CHANGES = [  # (file, old, new, pages rendered: None for every page)
    ("content/locations/los-angeles.yaml", "need help", "want help", 4),
    ("content/locations/los-angeles.yaml", "CAST Centers in Los", "CAST Centers of Los", 4),
    ("content/locations/los-angeles.yaml", "sunset, evoking", "dusk, evoking", 4),
    ("content/locations/los-angeles.yaml", "programs for substance", "programs for drug", None),
    (
        "content/locations/los-angeles.yaml",
        "partial-hospitalization-program, outpatient",
        "outpatient",
        None,
    ),
    ("content/programs/intensive-outpatient-program.md", "evening IOP", "evening group", 3),
    ("content/programs/intensive-outpatient-program.md", "seated in a circle", "in a circle", None),
    ("content/locations/beverly-hills/intensive-outpatient-program.md", "realistic", "easy", 1),
    ("content/pages/insurance.md", "a real worry", "a worry", 1),
    ("content/pages/programs.md", "title: Treatment programs", "title: Our programs", None),
    ("content/pages/programs.md", "Each program below", "Every program below", 1),
    ("layouts/partials/footer.html", "</footer>", "<p>Open daily.</p></footer>", None),
    ("site.yaml", "457-8208", "457-8209", None),
]


def test_each_change_of_the_example_site_matches_a_cold_build(example_site, build_cli):
    assert build_cli(example_site).code == 0
    for name, old, new, pages in EXAMPLE_CHANGES:
        path = example_site / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        run = rebuild_matches_cold(example_site, build_cli)
        assert rendered(run) == pages, (name, old, run.out)


def test_a_link_to_an_old_address_breaks_when_its_redirect_goes(cached_site, build_cli):
    edit(cached_site, "notes/a.md", "title: Linked", "title: Linked\naliases: [/old/]")
    edit(cached_site, "content/pages/index.md", "Call", "[Old](/old/). Call")
    rebuild_matches_cold(cached_site, build_cli)
    edit(cached_site, "notes/a.md", "\naliases: [/old/]", "")  # the linking page is unchanged
    run = build_cli(cached_site)
    cold = build_cli(cached_site, "--out", str(cached_site / "cold"), "--no-cache")
    assert run.code == cold.code == 1 and "/old/" in run.err
    assert run.err.split("\nBuild failed")[0] == cold.err.split("\nBuild failed")[0]


def test_a_picture_no_longer_used_leaves_the_output_as_a_cold_build_does(example_site, build_cli):
    assert build_cli(example_site).code == 0
    edit(
        example_site,
        "content/locations/los-angeles.yaml",
        "src: images/photos/los-angeles.jpg",
        "src: images/photos/beverly-hills.jpg",
    )
    before = set(snapshot(example_site / "public"))
    run = rebuild_matches_cold(example_site, build_cli)
    assert rendered(run) is None  # the output's files changed: some went
    assert before - set(snapshot(example_site / "public"))


def failed_rebuild_matches_cold(site: Path, build_cli, aaa: str) -> Run:
    """Pages aaa (its text `aaa`) and bbb built; then bbb given the id x twice: the build
    of bbb alone fails with the stderr of a cold build, up to "Build failed"."""
    write_files(
        site,
        {
            "content/pages/aaa.md": f"---\ntitle: Aaa\ndescription: A.\n---\n{aaa}\n",
            "content/pages/bbb.md": "---\ntitle: Bbb\ndescription: B.\n---\nTwo.\n",
        },
    )
    assert build_cli(site, "--jobs", "1").code == 0
    edit(site, "content/pages/bbb.md", "Two.", 'Two <i id="x">b</i> <i id="x">c</i>.')
    run = build_cli(site, "--jobs", "1")
    cold = build_cli(site, "--jobs", "1", "--out", str(site / "cold"), "--no-cache")
    assert run.code == cold.code == 1
    assert run.err.split("\nBuild failed")[0] == cold.err.split("\nBuild failed")[0]
    return run


def faq_answer(site: Path, answer: str) -> None:
    """Give the day program's FAQ answer ('Call {{ phone }}.') the YAML value `answer`."""
    edit(site, "content/programs/day-program.md", 'answer: "Call {{ phone }}."', answer)


def many_near_misses(site: Path, first: int = 205, last: int = 1) -> None:
    """Broken links as warnings: one page with `first` near misses of a page's address
    (more than the build works out "did you mean" hints for, gate.MAX_GUESSES, by
    default), and a later page with `last`."""
    with (site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("check:\n  rules:\n    broken-link: warning\n")
    links = "\n".join(f"- [l{i}](/programs/day-progrm{i}/)" for i in range(first))
    later = "\n".join(f"- [m{i}](/programs/day-progrm-{i}/)" for i in range(1, last))
    write_files(
        site,
        {
            "content/pages/aaa.md": f"---\ntitle: Aaa\ndescription: Links.\n---\n{links}\n",
            "content/pages/zzz.md": "---\ntitle: Zzz\ndescription: A link.\n---\n"
            f"See [it](/programs/day-progrm/).\n\n{later}\n\nRead\n",
        },
    )


def test_a_build_of_some_pages_gives_the_hints_a_full_build_gives(minimal_site, build_cli):
    """The gate's budget of "did you mean" hints (MAX_GUESSES, per build and worker) is
    spent on the pages a build renders: a hint it withheld says so, and after a build that
    withheld one every page is rendered, so the hints are a full build's."""
    many_near_misses(minimal_site)
    first = build_cli(minimal_site, "--jobs", "1")
    assert first.code == 0 and gate.HINTS_WITHHELD in first.err
    assert "did you mean /programs/day-program/?" in first.err
    edit(minimal_site, "content/pages/zzz.md", "See", "Read")  # only /zzz/ changed
    run = rebuild_matches_cold(minimal_site, build_cli, "--jobs", "1")
    assert "others unchanged" not in run.out  # every page rendered


def test_a_build_of_some_pages_whose_guesses_could_reach_the_budget_renders_every_page(
    minimal_site, build_cli
):
    """No hint withheld in the last build (150 + 10 guesses), but the changed page now
    needs 100: a full build would withhold the hints of the page it renders last; the
    build of that page alone would not. It renders every page instead."""
    many_near_misses(minimal_site, 150, 10)
    first = build_cli(minimal_site, "--jobs", "1")
    assert first.code == 0 and gate.HINTS_WITHHELD not in first.err
    edit(minimal_site, "content/pages/zzz.md", "Read", "Read on")  # only /zzz/ changed:
    assert "1 rendered" in build_cli(minimal_site, "--jobs", "1").out  # one page, 10 guesses
    links = "\n".join(f"- [n{i}](/programs/day-progrm-x{i}/)" for i in range(100))
    edit(minimal_site, "content/pages/zzz.md", "Read on", f"Read on\n\n{links}\n")
    run = rebuild_matches_cold(minimal_site, build_cli, "--jobs", "1")
    assert gate.HINTS_WITHHELD in run.err and "others unchanged" not in run.out
    assert "; 1 file written" in run.out  # /zzz/, by the build of that page, not 0


def test_another_number_of_workers_gives_the_same_warnings(minimal_site, build_cli):
    many_near_misses(minimal_site)
    alone = build_cli(minimal_site, "--jobs", "1")
    assert alone.code == 0 and gate.HINTS_WITHHELD in alone.err
    rebuild_matches_cold(minimal_site, build_cli, "--jobs", "2")
    for jobs in ("2", "3", "2"):  # the workers take the pages in another order each time
        out = str(minimal_site / f"public-{jobs}")
        run = build_cli(minimal_site, "--jobs", jobs, "--out", out, "--no-cache")
        assert run.err == alone.err


def test_a_build_with_another_number_of_workers_is_answered_from_the_cache(minimal_site, build_cli):
    """What the workers find does not depend on how many there are: the cache answers a
    build with another --jobs, with the same report."""
    many_near_misses(minimal_site)
    first = build_cli(minimal_site, "--jobs", "1")
    again = build_cli(minimal_site, "--jobs", "2")
    assert NOTHING_CHANGED in again.out and again.err == first.err


def test_the_first_broken_addresses_in_alphabetical_order_get_a_guess(minimal_site, build_cli):
    """Of 206 broken addresses, the 200 first in alphabetical order get a "did you mean",
    each once, whichever page shows them; the other 6 say they got none."""
    many_near_misses(minimal_site)
    run = build_cli(minimal_site, "--jobs", "1")
    hints: dict[str, str] = {}
    lines = run.err.splitlines()
    for line, below in itertools.pairwise(lines):
        if "broken-link" in line and below.strip().startswith("hint:"):
            address = line.split("/programs/", 1)[1].split("/", 1)[0]
            hints[f"/programs/{address}/"] = below.strip().removeprefix("hint: ")
    addresses = sorted(
        ["/programs/day-progrm/"] + [f"/programs/day-progrm{i}/" for i in range(205)]
    )
    assert sorted(hints) == addresses
    guessed = addresses[: gate.MAX_GUESSES]
    assert all(hints[a] == "did you mean /programs/day-program/?" for a in guessed)
    assert all(gate.HINTS_WITHHELD in hints[a] for a in addresses[gate.MAX_GUESSES :])
    assert "/programs/day-progrm99/" not in guessed  # sorted as text: ...98/, ...99/ last


def test_an_error_of_a_build_of_some_pages_is_placed_as_a_full_build_places_it(
    minimal_site, build_cli
):
    """A duplicate id is placed at the page's own text that gives it (not at the first
    text of the whole build that gave the same id, another page's): the same place
    whichever pages the build renders."""
    run = failed_rebuild_matches_cold(minimal_site, build_cli, 'One <span id="x">a</span>.')
    assert "content/pages/bbb.md:5" in run.err and "aaa.md" not in run.err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_broken_link_in_a_text_on_several_pages_gets_its_hint_once(minimal_site, build_cli, jobs):
    """The program's text is on its page at each of two locations: its one finding (a
    warning here) is on both pages, and gets its "did you mean" once."""
    with (minimal_site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("check:\n  rules:\n    broken-link: warning\n")
    springfield = (minimal_site / "content/locations/springfield.yaml").read_text()
    shelby = springfield.replace("Springfield", "Shelbyville").replace("62701", "62565")
    (minimal_site / "content/locations/shelbyville.yaml").write_text(shelby)
    edit(minimal_site, "content/programs/day-program.md", "Text.", "See [it](/springfeld/).")
    run = build_cli(minimal_site, "--jobs", jobs)
    assert run.code == 0, run.err
    assert run.err.count("hint: did you mean /springfield/?") == 1


def test_a_faq_answers_broken_link_fails_the_build_with_any_number_of_workers(
    minimal_site, build_cli
):
    """With several workers the views every program page shares (a FAQ answer) are made
    before the pages are shared out: the page rules watch them too."""
    faq_answer(minimal_site, 'answer: "Call {{ phone }} or see [this](/nowhere/)."')
    for jobs in ("1", "2", "1", "2"):  # a failed build is not cached: each runs again
        run = build_cli(minimal_site, "--jobs", jobs)
        assert run.code == 1 and "/nowhere/" in run.err, (jobs, run.err)


@needs_git
def test_a_replaced_commit_changes_the_sitemaps_dates(minimal_site, build_cli):
    def git(*args: str, date: str = "2021-03-04T12:00:00+00:00") -> str:
        env = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
        env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x", GIT_COMMITTER_NAME="t")
        env["GIT_COMMITTER_EMAIL"] = "t@x"
        done = subprocess.run(
            ["git", *args], cwd=minimal_site, env=env, check=True, capture_output=True, text=True
        )
        return done.stdout.strip()

    git("init", "-q")
    (minimal_site / ".gitignore").write_text("public/\ncold/\n")
    git("add", "-A")
    git("commit", "-q", "-m", "one")
    assert build_cli(minimal_site).code == 0
    assert NOTHING_CHANGED in build_cli(minimal_site).out
    # `git replace`: HEAD, its branch and the index stay; `git log` shows the other commit
    other = git("commit-tree", "HEAD^{tree}", "-m", "one", date="2023-07-08T12:00:00+00:00")
    git("replace", "HEAD", other)
    run = rebuild_matches_cold(minimal_site, build_cli)
    assert NOTHING_CHANGED not in run.out
    assert "<lastmod>2023-07-08</lastmod>" in (minimal_site / "public/sitemap.xml").read_text()
    git("replace", "-d", "HEAD")  # and back
    run = rebuild_matches_cold(minimal_site, build_cli)
    assert NOTHING_CHANGED not in run.out
    assert "<lastmod>2021-03-04</lastmod>" in (minimal_site / "public/sitemap.xml").read_text()


def test_a_file_made_while_the_sources_are_listed_is_still_watched(
    cached_site, build_cli, monkeypatch
):
    """A page saved between the listing of its folder and the stat of that folder (the
    snapshot's two steps): the folder's recorded stat already has it, its name is not
    recorded; the build reads it all the same. A later edit of it must be seen."""
    listed = buildcache.walk
    late = cached_site / LATE_PAGE

    def listing(top: Path, name: str, follow: bool):
        found = list(listed(top, name, follow))
        if name == "content" and not late.exists():
            late.write_text(LATE_TEXT)
        return iter(found)

    a_late_page_is_built_and_watched(cached_site, build_cli, monkeypatch, "walk", listing)


LATE_PAGE = "content/pages/late.md"
LATE_TEXT = "---\ntitle: Late\ndescription: Saved late.\n---\nLate.\n"


def a_late_page_is_built_and_watched(
    site: Path, build_cli, monkeypatch, name: str, saving: Callable
) -> None:
    """Build after an edit with buildcache's `name` replaced by `saving`, which saves
    LATE_PAGE on its way; then with the real one: the late page was built, and its later
    edit in place (the folder's stat stays) is seen as a cold build sees it."""
    real = getattr(buildcache, name)
    monkeypatch.setattr(buildcache, name, saving)
    edit(site, "content/pages/index.md", "Call", "Phone")
    assert build_cli(site).code == 0
    monkeypatch.setattr(buildcache, name, real)
    page = site / "public/late/index.html"
    assert "Late." in page.read_text()
    with (site / LATE_PAGE).open("a", encoding="utf-8") as late:
        late.write("More.\n")
    run = rebuild_matches_cold(site, build_cli)
    assert NOTHING_CHANGED not in run.out and "More." in page.read_text()


class Planted:
    """What a pull request's build could leave in a cache folder its CI shares with the
    production build: pickle calls print("planted ...") when the file is read."""

    def __reduce__(self):
        return (print, ("planted code ran",))


def test_a_planted_cache_file_runs_no_code(minimal_site, build_cli):
    """The cache folder holds plain values read with marshal (sitegen.cache), never code:
    the layouts are compiled in each build (Jinja's bytecode cache would read pickles)."""
    import pickle

    from sitegen.cache import cache_dir, cache_path
    from sitegen.model.assets import AssetCatalog
    from sitegen.render.layouts import Layouts

    assert build_cli(minimal_site).code == 0
    layouts = Layouts(minimal_site, AssetCatalog(), "https://care.example.org")
    assert layouts.env.bytecode_cache is None
    planted = pickle.dumps(Planted(), 2)
    for name in ("build", "sources"):
        cache_path(minimal_site / "public", name).write_bytes(planted)
    (cache_dir() / "layouts").mkdir(parents=True, exist_ok=True)
    (cache_dir() / "layouts" / "__jinja2_base.cache").write_bytes(planted)
    for args in ((), ("--no-cache",), ("--check",)):
        run = build_cli(minimal_site, *args)
        assert "planted code ran" not in run.out + run.err


@needs_git
def test_gits_environment_is_in_the_git_state(tmp_path, build_cli, monkeypatch):
    """GIT_CEILING_DIRECTORIES keeps git from finding the repository above the project:
    the sitemap's dates are then the files' modification times."""
    site = tmp_path / "repo" / "site"
    shutil.copytree(PROJECT / "tests/fixtures/minimal", site)
    date = "2021-03-04T12:00:00+00:00"
    env = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x", GIT_COMMITTER_NAME="t")
    env["GIT_COMMITTER_EMAIL"] = "t@x"
    (site.parent / ".gitignore").write_text("public/\ncold/\n")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run(["git", *args], cwd=site.parent, env=env, check=True, capture_output=True)
    assert build_cli(site).code == 0
    assert "<lastmod>2021-03-04</lastmod>" in (site / "public/sitemap.xml").read_text()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(site.parent))
    run = rebuild_matches_cold(site, build_cli)
    assert NOTHING_CHANGED not in run.out
    assert "<lastmod>2021-03-04</lastmod>" not in (site / "public/sitemap.xml").read_text()


def duplicate_ids_as_warnings(site: Path) -> None:
    with (site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("check:\n  rules:\n    duplicate-id: warning\n")


def test_a_duplicate_id_of_a_faq_answer_is_placed_in_it_on_every_page_that_shows_it(
    minimal_site, build_cli
):
    """A FAQ answer is rendered once for the pages of every location: on the second
    location's page its duplicate id is the answer's, not another page's text that gave
    the same id once (it was rendered earlier in the full build only)."""
    duplicate_ids_as_warnings(minimal_site)
    springfield = (minimal_site / "content/locations/springfield.yaml").read_text()
    write_files(
        minimal_site,
        {
            "content/locations/shelbyville.yaml": springfield.replace(
                "Springfield", "Shelbyville"
            ).replace("62701", "62702"),
            "content/pages/aaa.md": "---\ntitle: Aaa\ndescription: A.\n---\n"
            'One <span id="x">a</span>.\n',
        },
    )
    faq_answer(minimal_site, 'answer: "Call <span id=\\"x\\">a</span> <span id=\\"x\\">b</span>."')
    first = build_cli(minimal_site, "--jobs", "1")
    assert first.code == 0 and "aaa.md" not in first.err, first.err
    edit(minimal_site, "content/locations/springfield/day-program.md", "own words", "own text")
    run = rebuild_matches_cold(minimal_site, build_cli, "--jobs", "1")
    assert "1 rendered" in run.out and "aaa.md" not in run.err


def test_a_duplicate_id_of_the_first_page_a_worker_renders_is_placed_in_its_own_text(
    minimal_site, build_cli
):
    """The texts made before the workers fork (a FAQ answer) are not the first page's:
    its own text's duplicate id is placed there, as a build of that page alone places it."""
    duplicate_ids_as_warnings(minimal_site)
    faq_answer(minimal_site, 'answer: "Call <span id=\\"x\\">a</span>."')
    about = '  Local text for <span id="x">a</span> <span id="x">b</span>.'
    edit(minimal_site, "content/locations/springfield.yaml", "  Local text for {{ city }}.", about)
    first = build_cli(minimal_site, "--jobs", "2")
    assert first.code == 0 and "springfield.yaml:8" in first.err, first.err
    edit(minimal_site, "content/locations/springfield.yaml", "Local text", "Local words")
    run = rebuild_matches_cold(minimal_site, build_cli, "--jobs", "2")
    assert "rendered" in run.out and "day-program.md" not in run.err


def test_a_failed_build_of_some_pages_gives_the_other_pages_warnings_too(minimal_site, build_cli):
    """A full build that fails lists every page's warnings before its errors: so does a
    build of the changed pages, with the last build's warnings of the others."""
    with (minimal_site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("check:\n  rules:\n    broken-link: warning\n")
    run = failed_rebuild_matches_cold(minimal_site, build_cli, "See [x](/nowhere/).")
    assert "/nowhere/" in run.err


def test_an_id_of_a_local_text_and_a_faq_answer_is_placed_alike_whichever_rendered_first(
    minimal_site, build_cli
):
    """The FAQ answer is rendered for the first page that shows it: in a full build
    another page, in a build of the location's page alone that page. The duplicate id is
    placed at the same text either way."""
    duplicate_ids_as_warnings(minimal_site)
    faq_answer(minimal_site, 'answer: "Call <span id=\\"x\\">a</span>."')
    local = "content/locations/springfield/day-program.md"
    edit(minimal_site, local, "own words.", 'own words <span id="x">h</span>.')
    assert build_cli(minimal_site, "--jobs", "1").code == 0
    edit(minimal_site, local, "own words", "own text")
    run = rebuild_matches_cold(minimal_site, build_cli, "--jobs", "1")
    assert "1 rendered" in run.out and "duplicate-id" in run.err


def faq_links_here(site: Path, answer: str = "Call [us](#here).") -> None:
    """The FAQ answer links to #here, which the program's body gives on every page that
    shows the answer; the program's hub makes the program's views but shows no FAQ."""
    edit(
        site,
        "content/programs/day-program.md",
        'answer: "Call {{ phone }}."',
        f'answer: "{answer}"',
    )
    edit(site, "content/programs/day-program.md", "\nText.\n", '\nText <span id="here">h</span>.\n')


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_faq_answers_link_to_an_id_is_checked_on_the_pages_that_show_it_only(
    minimal_site, build_cli, jobs
):
    faq_links_here(minimal_site)
    run = build_cli(minimal_site, "--jobs", jobs)
    assert run.code == 0 and "broken-fragment" not in run.err, run.err
    linked = 'answer: "Call [us](#here)."'
    edit(minimal_site, "content/programs/day-program.md", linked, 'answer: "[us](#no)"')
    run = build_cli(minimal_site, "--jobs", jobs)
    assert run.code == 1 and "broken-fragment: #no is not an id" in run.err, run.err


def test_a_faq_answers_fragment_warning_is_a_full_builds_after_builds_of_some_pages(
    minimal_site, build_cli
):
    """With two workers the views are made before the pages are shared out, and checked
    with the first page of each worker (not the pages of their FAQ answers)."""
    with (minimal_site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("check:\n  rules:\n    broken-fragment: warning\n")
    faq_links_here(minimal_site)
    for name in ("a", "b", "c"):
        write_files(
            minimal_site,
            {f"content/pages/{name}.md": f"---\ntitle: P{name}\ndescription: A.\n---\nText.\n"},
        )
    assert build_cli(minimal_site, "--jobs", "2").code == 0
    edit(minimal_site, "content/pages/index.md", "Call", "Phone")
    rebuild_matches_cold(minimal_site, build_cli, "--jobs", "2")
    edit(minimal_site, "content/locations/springfield.yaml", "Local text", "Local words")
    rebuild_matches_cold(minimal_site, build_cli, "--jobs", "2")


def test_a_link_into_a_large_tree_outside_is_not_walked_to_its_end(
    minimal_site, build_cli, tmp_path, monkeypatch
):
    """`content/programs` -> a big folder elsewhere (`/` in the worst case): the snapshot
    stops listing past MAX_SOURCE_NAMES, and the build refuses the link at once."""
    monkeypatch.setattr(buildcache, "MAX_SOURCE_NAMES", 50)
    elsewhere = tmp_path / "elsewhere"
    for index in range(100):
        (elsewhere / f"d{index % 10}").mkdir(parents=True, exist_ok=True)
        (elsewhere / f"d{index % 10}" / f"f{index}.md").write_text("x")
    shutil.rmtree(minimal_site / "content/programs")
    (minimal_site / "content/programs").symlink_to(elsewhere)
    assert buildcache.input_snapshot(minimal_site).digest == ""
    run = build_cli(minimal_site)
    assert run.code == 1 and "content/programs" in run.err and "outside" in run.err


def test_a_snapshot_that_could_not_be_taken_answers_no_later_build(
    minimal_site, build_cli, monkeypatch
):
    """Past MAX_SOURCE_NAMES the build is made in full every time: nothing is recorded
    or taken over from a snapshot that was not taken."""
    monkeypatch.setattr(buildcache, "MAX_SOURCE_NAMES", 3)
    assert build_cli(minimal_site).code == 0
    again = build_cli(minimal_site)
    assert again.code == 0 and NOTHING_CHANGED not in again.out
    assert "rendered, the others unchanged" not in again.out


def test_the_stat_of_many_output_names_taken_in_two_processes_is_the_stat_in_order(tmp_path):
    """From SPLIT_FROM names on, the second half's stat is taken in a forked process: the
    numbers are the same, name for name, as one process takes them (a file missing
    included)."""
    from sitegen.buildcache import SPLIT_FROM, output_digest, output_numbers
    from sitegen.filestats import stat_digest, stat_numbers, walk

    out = tmp_path / "public"
    for folder in range(50):
        (out / f"f{folder}").mkdir(parents=True)
        for page in range(SPLIT_FROM // 40):
            (out / f"f{folder}" / f"p{page}.html").write_text(f"{folder}/{page}")
    names = "\n".join(name for name, _folder in walk(out, "", follow=False))
    names += "\nf3/gone.html"
    assert names.count("\n") > SPLIT_FROM
    assert output_numbers(out, names) == stat_numbers(out, names, follow=False)
    assert output_digest(out, names) == stat_digest(out, names, follow=False)


def test_a_one_file_rebuild_takes_the_stat_of_the_sources_once(cached_site, build_cli, monkeypatch):
    """The snapshot `replay` took to find a change is the build's (input_snapshot's
    `taken`): the sources' stat is taken once, and the next build sees the next edit."""
    taken: list[Path] = []
    real = buildcache._inputs
    monkeypatch.setattr(
        buildcache, "_inputs", lambda root, names: taken.append(root) or real(root, names)
    )
    edit(cached_site, "content/locations/springfield.yaml", "Local text", "Local words")
    assert rendered(rebuild_matches_cold(cached_site, build_cli)) == 2
    assert len(taken) == 1 + 1  # the build's, then the cold build's into another folder
    taken.clear()
    edit(cached_site, "content/locations/springfield.yaml", "Local words", "Local text")
    assert rendered(rebuild_matches_cold(cached_site, build_cli)) == 2
    taken.clear()
    run = build_cli(cached_site)
    assert NOTHING_CHANGED in run.out and len(taken) == 1


def test_a_file_added_after_the_replays_snapshot_is_recorded_by_the_builds_own(
    cached_site, build_cli, monkeypatch
):
    """A source saved between `replay`'s snapshot and the build's listing: the folders no
    longer hold the names replay took the stat of, so the build takes its own snapshot,
    and the new file's later edits are seen."""
    real = buildcache.replay
    late = cached_site / LATE_PAGE

    def replay(out: Path, key: str, root: Path) -> buildcache.Replayed:
        found = real(out, key, root)
        if not late.exists():
            late.write_text(LATE_TEXT)
        return found

    a_late_page_is_built_and_watched(cached_site, build_cli, monkeypatch, "replay", replay)
