"""`check` on the right origin, on previews, and without noise: a folder whose pages name
another site than site.yaml's, a preview build of the example, and findings grouped by
their cause. Real builds of the example project, checked by the real command."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT
from sitegen.cli import main

OTHER = "https://www.other-provider.example"
OURS = "https://www.example.com"


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def report_of(capsys, *args: str) -> tuple[int, dict]:
    code, out = run(capsys, *args, "--format", "json")
    return code, json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example project, copied, with a production build in its public/."""
    copy = tmp_path_factory.mktemp("origin") / "project"
    shutil.copytree(
        PROJECT, copy, ignore=shutil.ignore_patterns("public", ".git", ".venv", "__pycache__")
    )
    assert main(["build", "--root", str(copy)]) == 0
    return copy


def moved(built: Path, to: Path, origin: str, only: str = "") -> Path:
    """The built example as another site's folder: every absolute URL of the example
    (canonical, og:url, JSON-LD, sitemap) rewritten to `origin`; with `only`, in the files
    whose path contains it. Not ours: no marker, no manifest."""
    shutil.copytree(built / "public", to, ignore=shutil.ignore_patterns(".*"))
    for path in to.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt") and only in str(path):
            path.write_text(path.read_text().replace(OURS, origin))
    return to


def test_a_folder_naming_another_site_is_judged_as_that_site_and_says_so(built, tmp_path, capsys):
    folder = moved(built, tmp_path / "other", OTHER)
    code, report = report_of(capsys, "check", str(folder), "--root", str(built))
    assert report["origin"] == OTHER and report["origin_source"] == "pages"
    assert OTHER in report["origin_note"] and OURS in report["origin_note"]
    assert code == 0 and report["errors"] == 0, report["findings"]
    # the text report says it once, at the top, and which origin it used at the end
    code, out = run(capsys, "check", str(folder), "--root", str(built))
    assert out.count("not site.yaml's base_url") == 1 and out.startswith("note: ")
    assert f"Judged as {OTHER} (from the pages' own URLs)." in out
    # --site-url wins, and then every canonical URL points elsewhere
    code, report = report_of(capsys, "check", str(folder), "--root", str(built), "--site-url", OURS)
    assert code == 1 and report["origin"] == OURS and report["origin_source"] == "site-url"
    assert report["origin_note"] is None
    rules = {f["rule"] for f in report["findings"]}
    assert {"canonical-invalid", "sitemap-extra", "sitemap-missing"} <= rules


def test_pages_that_disagree_are_judged_by_base_url(built, tmp_path, capsys):
    folder = moved(built, tmp_path / "mixed", OTHER, only="los-angeles")
    code, report = report_of(capsys, "check", str(folder), "--root", str(built))
    assert report["origin"] == OURS and report["origin_source"] == "base-url"
    assert report["origin_note"] is None
    wrong = {f["url"] for f in report["findings"] if f["rule"] == "canonical-invalid"}
    assert wrong and all(url.startswith("/los-angeles/") for url in wrong)
    assert code == 1


def test_without_site_yaml_the_origin_comes_from_the_pages(built, tmp_path, capsys):
    folder = moved(built, tmp_path / "other", OTHER)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, report = report_of(capsys, "check", str(folder), "--root", str(empty))
    assert report["origin"] == OTHER and report["origin_source"] == "pages"
    assert report["origin_note"] is None  # there is no base_url to differ from
    assert code == 0, report["findings"]


def test_a_preview_build_checks_green_and_its_noindex_is_required(built, tmp_path, capsys):
    out = tmp_path / "preview"
    code, report = report_of(
        capsys, "build", "--root", str(built), "--env", "preview", "--out", str(out), "--check"
    )
    assert code == 0 and report["errors"] == 0, report["findings"]
    production = json.loads(
        run(capsys, "check", str(built / "public"), "--root", str(built), "--format", "json")[1]
    )
    # the preview is judged as the production site it previews: the same findings
    assert {(f["rule"], f["url"]) for f in report["findings"]} == {
        (f["rule"], f["url"]) for f in production["findings"]
    }
    code, again = report_of(capsys, "check", str(out), "--root", str(built), "--env", "preview")
    assert code == 0 and again["findings"] == report["findings"]
    # a page the preview leaves open to search is an error
    page = out / "programs/index.html"
    page.write_text(page.read_text().replace('<meta name="robots" content="noindex">', ""))
    headers = out / "_headers"
    headers.write_text(headers.read_text().replace("  X-Robots-Tag: noindex\n", ""))
    code, report = report_of(capsys, "check", str(out), "--root", str(built), "--env", "preview")
    assert code == 1
    assert [(f["rule"], f["url"]) for f in report["findings"] if f["severity"] == "error"] == [
        ("preview-indexable", "/programs/")
    ]


def test_a_production_check_of_a_preview_says_what_it_is_once(built, tmp_path, capsys):
    """Checked as production, a preview is all noindex: one cause, not one per page."""
    out = tmp_path / "preview"
    assert main(["build", "--root", str(built), "--env", "preview", "--out", str(out)]) == 0
    capsys.readouterr()
    code, report = report_of(capsys, "check", str(out), "--root", str(built))
    assert code == 1
    errors = [c for c in report["causes"] if c["severity"] == "error"]
    assert len(errors) == 1 and errors[0]["rule"] == "noindex-in-production"
    assert "--env preview" in errors[0]["message"] and errors[0]["file"] is None
    assert len(errors[0]["pages"]) == 15  # all but the not-found and thank-you pages
    # the same on a folder that is not ours: the sitemap says which pages are meant
    foreign = shutil.copytree(out, tmp_path / "foreign", ignore=shutil.ignore_patterns(".*"))
    code, report = report_of(capsys, "check", str(foreign), "--root", str(tmp_path))
    errors = [c for c in report["causes"] if c["severity"] == "error"]
    assert [c["rule"] for c in errors] == ["noindex-in-production"]
    assert len(errors[0]["pages"]) == 15


def test_a_preview_check_of_a_production_build_says_what_it_is_once(built, capsys):
    code, report = report_of(
        capsys, "check", str(built / "public"), "--root", str(built), "--env", "preview"
    )
    errors = [c for c in report["causes"] if c["severity"] == "error"]
    assert code == 1 and len(errors) == 1 and errors[0]["rule"] == "preview-indexable"
    assert "looks like a production build" in errors[0]["message"]
    assert errors[0]["file"] is None and len(errors[0]["pages"]) == 15


def test_one_cause_is_one_entry_with_the_pages_it_affects(built, capsys):
    code, report = report_of(capsys, "check", str(built / "public"), "--root", str(built))
    clinic = [f for f in report["findings"] if f["rule"] == "clinic-recommended"]
    causes = [c for c in report["causes"] if c["rule"] == "clinic-recommended"]
    assert len(clinic) == 7 and len(causes) == 2  # two location files, seven pages
    assert sorted(url for c in causes for url in c["pages"]) == sorted(f["url"] for f in clinic)
    assert {c["file"] for c in causes} == {
        "content/locations/los-angeles.yaml",
        "content/locations/beverly-hills.yaml",
    }
    code, out = run(capsys, "check", str(built / "public"), "--root", str(built))
    assert code == 0 and out.count("clinic-recommended") == 2
    assert re.search(r"on 4 pages: /los-angeles/, ", out)
    # 11 warnings from 6 causes, and the example's photos are over img-file-size's 300 KB
    # (the build copies them as they are) until the build makes smaller variants
    assert len([c for c in report["causes"] if c["rule"] != "img-file-size"]) == 6
    assert out.splitlines()[-1].endswith(f" from {len(report['causes'])} causes.")
    code, out = run(
        capsys, "check", str(built / "public"), "--root", str(built), "--format", "github"
    )
    assert code == 0 and out.count("title=clinic-recommended") == 2


def test_the_thank_you_page_is_noindex_and_no_orphan(built, capsys):
    code, report = report_of(capsys, "check", str(built / "public"), "--root", str(built))
    assert code == 0 and not [f for f in report["findings"] if f["rule"] == "orphan-page"]
    sitemap = (built / "public/sitemap.xml").read_text()
    assert "/contact/thanks/" not in sitemap
