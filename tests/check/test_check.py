# ruff: noqa: E501 - hand-written HTML pages
"""`python build.py check` end to end: the example site, a folder that is not ours, the
cache, settings in site.yaml, output formats and exit codes."""

from __future__ import annotations

import json
import marshal
import os
from pathlib import Path

import pytest

from conftest import PROJECT, write_files
from sitegen.cache import cache_path
from sitegen.check.folder import list_files
from sitegen.check.workers import parse_all
from sitegen.cli import main
from sitegen.forks import can_fork
from sitegen.manifest import load_manifest
from sitegen.rules.model import PageContext, Thresholds


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.fixture
def example(example_site: Path) -> Path:
    """A copy of the example project (conftest.example_site): its output and cache are the
    test's own."""
    return example_site


def test_the_example_site_has_no_errors(example, capsys):
    code, out = run(capsys, "build", "--root", str(example), "--check", "--format", "json")
    assert code == 0
    report = json.loads(out.strip().splitlines()[-1])
    assert report["ok"] and report["errors"] == 0 and report["pages"] == 17
    rules = {f["rule"] for f in report["findings"]}
    # what the example's unknown facts cost, said as warnings (FACTS.md: no invented address)
    assert "clinic-recommended" in rules
    assert all(f["severity"] == "warning" for f in report["findings"])
    doorways = {f["url"] for f in report["findings"] if f["rule"] == "doorway"}
    # the outpatient pages have no text of their own; the IOP pages' own text is about 6%
    # of their main text (93% and 94% of it is on the other location's page)
    programs = ("outpatient-program", "intensive-outpatient-program")
    places = ("beverly-hills", "los-angeles")
    assert doorways == {f"/{place}/{program}/" for place in places for program in programs}
    # a doorway page is fixed by a text of its own: the finding names where it goes
    assert {f["file"] for f in report["findings"] if f["rule"] == "doorway"} == {
        f"content/locations/{place}/{program}.md" for place in places for program in programs
    }
    # what a clinic's structured data lacks is the location's to give: its YAML file
    clinics = {f["file"] for f in report["findings"] if f["rule"] == "clinic-recommended"}
    assert clinics == {"content/locations/los-angeles.yaml", "content/locations/beverly-hills.yaml"}


def test_recheck_reads_only_the_pages_that_changed(example, capsys):
    assert main(["build", "--root", str(example)]) == 0
    capsys.readouterr()
    out = example / "public"
    first = json.loads(run(capsys, "check", "--root", str(example), "--format", "json")[1])
    assert first["parsed"] == 17
    again = json.loads(run(capsys, "check", "--root", str(example), "--format", "json")[1])
    assert again["parsed"] == 0 and again["findings"] == first["findings"]
    page = out / "insurance/index.html"
    os.utime(page)  # touched, same bytes: compared by content, not parsed
    assert (
        json.loads(run(capsys, "check", "--root", str(example), "--format", "json")[1])["parsed"]
        == 0
    )
    page.write_text(page.read_text().replace("<h1", "<h1>Second</h1><h1", 1))
    changed = json.loads(run(capsys, "check", "--root", str(example), "--format", "json")[1])
    assert changed["parsed"] == 1
    assert {(f["rule"], f["url"]) for f in changed["findings"] if f["severity"] == "error"} == {
        ("h1-count", "/insurance/")
    }


FOREIGN = {
    "index.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>A small shop for garden tools</title>
<meta name="description" content="Garden tools made to last, sold by a small family shop that repairs what it sells.">
<link rel="canonical" href="https://shop.example.net/"></head>
<body><main><h1>Garden tools</h1><a href="/about.html">About the shop</a>
<a href="/missing.html">Our catalogue</a><img src="/logo.png" width="10" height="10"></main></body></html>""",
    "about.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>About the garden tool shop</title>
<meta name="description" content="Who we are: a family shop that has made and repaired garden tools for three generations.">
<link rel="canonical" href="https://shop.example.net/about.html"></head>
<body><main><h1>About us</h1><a href="/#team">Click here</a> <a href="/#top">Top</a></main></body></html>""",
    "logo.png": "not really a png",
}


def test_a_folder_that_is_not_ours_is_checked_without_source_data(tmp_path, capsys):
    site = write_files(tmp_path / "elsewhere", FOREIGN)
    code, out = run(capsys, "check", str(site), "--root", str(tmp_path), "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["origin"] == "https://shop.example.net"  # from the canonical URLs
    found = {(f["rule"], f["url"]) for f in report["findings"]}
    assert {
        ("broken-link", "/"),  # /missing.html
        ("img-alt", "/"),
        ("broken-fragment", "/about.html"),  # /#team: no id="team" there (#top is the top)
        ("link-text", "/about.html"),
        ("sitemap-missing", "/sitemap.xml"),  # no sitemap at all
    } <= found
    assert all(f["file"] is None for f in report["findings"])  # no source files to name
    assert "doorway" not in {rule for rule, _ in found}


def test_github_format_annotates_the_content_file(minimal_site, capsys):
    edit = minimal_site / "layouts/location.html"
    edit.write_text(edit.read_text().replace("{% endblock %}", "<img src='/x.png'>{% endblock %}"))
    code, out = run(capsys, "build", "--root", str(minimal_site), "--check", "--format", "github")
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("::error")]
    assert any(
        line.startswith("::error file=content/locations/springfield.yaml,line=1,title=img-alt::")
        for line in lines
    )


def test_severities_and_thresholds_come_from_site_yaml(minimal_site, capsys):
    edit = minimal_site / "layouts/location.html"
    edit.write_text(edit.read_text().replace("{% endblock %}", "<img src='/x.png'>{% endblock %}"))
    with (minimal_site / "site.yaml").open("a") as file:
        file.write("check:\n  rules: {img-alt: off, broken-link: warning}\n")
    _code, out = run(capsys, "build", "--root", str(minimal_site), "--check", "--format", "json")
    report = json.loads(out.strip().splitlines()[-1])
    assert "img-alt" not in {f["rule"] for f in report["findings"]}
    assert {f["severity"] for f in report["findings"] if f["rule"] == "broken-link"} == {"warning"}


def test_an_unknown_rule_in_site_yaml_is_an_error_at_its_line(minimal_site, capsys):
    with (minimal_site / "site.yaml").open("a") as file:
        file.write("check:\n  rules:\n    img-alts: off\n")
    lines = len((minimal_site / "site.yaml").read_text().splitlines())
    code = main(["build", "--root", str(minimal_site)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"site.yaml:{lines}:" in err and "unknown check rule 'img-alts'" in err
    assert "did you mean 'img-alt'?" in err


def test_the_ci_workflow_tests_builds_and_checks_with_annotations():
    import yaml

    workflow = yaml.safe_load((PROJECT / ".github/workflows/site.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare on as true
    assert {"push", "pull_request"} <= set(triggers)
    steps = workflow["jobs"]["site"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    commands = " && ".join(s.get("run", "") for s in steps)
    assert "pip install -e '.[test]' && python -m pytest" in commands
    assert "python build.py build --check --format github" in commands


def test_the_readme_lists_every_rule_with_its_default_severity():
    from sitegen.model.check_rules import RULES

    readme = (PROJECT / "README.md").read_text()
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.severity} |" in readme, rule.id


def test_pages_checked_in_forked_workers_give_what_one_process_gives(example, capsys):
    """The workers' chunks come back whole: the same cache entries (findings, facts, keys)
    for every page as when one process reads them all."""
    assert main(["build", "--root", str(example)]) == 0
    capsys.readouterr()
    out = example / "public"
    sources = load_manifest(out) or {}
    _files, html, _stamps = list_files(out)
    assert len(html) == len(sources) == 17
    origin = "https://www.example.com"
    contexts = {url: PageContext(origin, True, Thresholds(), sources.get(url)) for url in html}
    alone = dict(parse_all(list(html.items()), contexts, jobs=1))
    assert can_fork()  # so that the next call forks: 3 workers take 6 chunks
    forked = dict(parse_all(list(html.items()), contexts, jobs=3))
    assert forked == alone and len(alone) == 17


def test_links_that_lead_nowhere_or_to_a_folder_are_not_pages(tmp_path, capsys):
    site = write_files(tmp_path / "elsewhere", FOREIGN)
    (site / "gone.html").symlink_to(tmp_path / "nowhere")
    (site / "folder.html").symlink_to(tmp_path)
    code, out = run(capsys, "check", str(site), "--root", str(tmp_path), "--format", "json")
    report = json.loads(out)
    assert report["pages"] == len([name for name in FOREIGN if name.endswith(".html")])
    assert code == 1  # the findings of the real pages, and no traceback


@pytest.mark.parametrize(
    "thresholds",
    ["near_duplicate: 5", "doorway: 0", "title_min: 2.5", "title_max: 'sixty'", "image_max_kb: 0"],
)
def test_check_refuses_thresholds_the_build_refuses(minimal_site, capsys, thresholds):
    assert main(["build", "--root", str(minimal_site)]) == 0
    with (minimal_site / "site.yaml").open("a") as file:
        file.write(f"check:\n  thresholds:\n    {thresholds}\n")
    capsys.readouterr()
    code = main(["check", str(minimal_site / "public"), "--root", str(minimal_site)])
    err = capsys.readouterr().err
    assert code == 1
    assert "site.yaml:" in err and "thresholds" in err


def test_a_damaged_check_cache_is_ignored_and_replaced(example, capsys):
    assert run(capsys, "build", "--root", str(example), "--check", "--format", "json")[0] == 0
    out = example / "public"
    first = json.loads(
        run(capsys, "check", str(out), "--root", str(example), "--format", "json")[1]
    )
    cache = cache_path(out, "check")
    data = marshal.loads(cache.read_bytes())
    for url in data["pages"]:
        data["pages"][url]["findings"] = [("no-such-rule", "made up", url, None)]
    data["rules"] = 5
    cache.write_bytes(marshal.dumps(data))
    again = json.loads(
        run(capsys, "check", str(out), "--root", str(example), "--format", "json")[1]
    )
    assert again["findings"] == first["findings"]
    assert again["parsed"] == again["pages"]  # every page read again
    third = json.loads(
        run(capsys, "check", str(out), "--root", str(example), "--format", "json")[1]
    )
    assert third["parsed"] == 0 and third["findings"] == first["findings"]  # a sound cache


def test_an_impossible_date_in_site_yaml_stops_check_at_its_line(minimal_site, capsys):
    assert main(["build", "--root", str(minimal_site)]) == 0
    with (minimal_site / "site.yaml").open("a") as file:
        file.write("updated: 2024-02-30\n")
    lines = len((minimal_site / "site.yaml").read_text().splitlines())
    capsys.readouterr()
    code = main(["check", str(minimal_site / "public"), "--root", str(minimal_site)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"site.yaml:{lines}:10: '2024-02-30' looks like a date, but is not one" in err
    assert "Traceback" not in err


def test_a_check_that_cannot_judge_still_answers_in_the_format_asked_for(minimal_site, capsys):
    """A broken site.yaml: `check --format json` printed nothing on stdout (a CI step
    parsing it got no JSON), and `--format github` no annotation (found by a fresh
    tester)."""
    assert main(["build", "--root", str(minimal_site)]) == 0
    text = (minimal_site / "site.yaml").read_text()
    (minimal_site / "site.yaml").write_text(text.replace("name:", "name: [", 1))
    capsys.readouterr()
    folder = str(minimal_site / "public")
    code, out = run(capsys, "check", folder, "--root", str(minimal_site), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["errors"] == 1
    assert report["usage_error"] is None
    text = (minimal_site / "site.yaml").read_text()
    (minimal_site / "site.yaml").write_text(text.replace("name: [", "name:", 1))
    code, good = run(capsys, "check", folder, "--root", str(minimal_site), "--format", "json")
    assert set(json.loads(good)) == set(report)  # the same keys, whatever happened
    (minimal_site / "site.yaml").write_text(text)
    [error] = report["source_errors"]
    assert (error["file"], error["line"]) == ("site.yaml", 1)
    assert error["message"].startswith("YAML syntax error")
    code, out = run(capsys, "check", folder, "--root", str(minimal_site), "--format", "github")
    assert code == 1 and out.startswith("::error file=site.yaml,line=1,col=")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_project_folder_that_does_not_exist_is_a_usage_error(minimal_site, capsys, fmt):
    """`check --root /nowhere public` judged the folder without any settings, exit 0."""
    assert main(["build", "--root", str(minimal_site)]) == 0
    capsys.readouterr()
    missing = str(minimal_site / "nowhere")
    code = main(["check", str(minimal_site / "public"), "--root", missing, "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"there is no project folder {missing}" in err
    if fmt == "json":
        report = json.loads(out)
        assert report["ok"] is False and report["errors"] == 0 and report["findings"] == []
        assert report["usage_error"] == f"there is no project folder {missing}"
    if fmt == "github":
        assert out == f"::error title=usage::there is no project folder {missing}\n"
    code = main(["check", str(minimal_site / "gone"), "--root", str(minimal_site), "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 2 and "there is no folder" in err
    if fmt == "json":
        assert json.loads(out)["ok"] is False


def test_only_redirect_rules_of_redirects_are_redirects(tmp_path):
    from sitegen.check.folder import read_redirects

    (tmp_path / "_redirects").write_text(
        "# comment\n"
        "/old  /new\n"
        "/moved  /there  302\n"
        "/forced  /x  301!  # a comment after the rule\n"
        "/api/*  https://api.example.net/:splat  200\n"
        "/app/*  /app/index.html  200!\n"
        "/*  /404.html  404\n"
        "/lonely\n"
    )
    assert read_redirects(tmp_path) == [("/old", "/new"), ("/moved", "/there"), ("/forced", "/x")]
