"""A pull request cannot make the build read outside the project: a source that is a link
leading out of it is an error naming the file, before anything is read or written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import assert_refused, built_once, run_bounded, snapshot


@pytest.mark.parametrize(
    "link",
    [
        "assets/env.txt",
        "assets/images/secret.svg",
        "content/pages/secret.md",
        "content/locations/secret.yaml",
        "layouts/partials/secret.html",
    ],
)
def test_a_source_linked_to_a_file_outside_the_project_is_refused(
    example_site: Path, build_cli, tmp_path: Path, link: str
) -> None:
    before = built_once(example_site, build_cli)
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("TOKEN=hunter2\n")
    (example_site / link).symlink_to(secret)
    run = assert_refused(
        example_site,
        build_cli,
        before,
        f"error: {link}: this is a link to {os.path.realpath(secret)}, outside the project",
        "hint: copy the file into the project instead of linking to it",
    )
    assert "hunter2" not in run.out + run.err


def test_the_environment_of_the_build_is_never_published(example_site, build_cli, monkeypatch):
    """Item 1 of issue 12, as CI runs it: a real build process, with a secret in its
    environment, given `assets/env.txt` -> /proc/self/environ."""
    before = built_once(example_site, build_cli)
    (example_site / "assets/env.txt").symlink_to("/proc/self/environ")
    monkeypatch.setenv("NETLIFY_AUTH_TOKEN", "hunter2-secret")
    run = run_bounded(example_site, limit=60)
    assert run.code == 1
    assert "error: assets/env.txt: this is a link to /proc/" in run.err
    assert "hunter2-secret" not in run.out + run.err
    assert snapshot(example_site / "public") == before
    assert not (example_site / "public/assets/env.txt").exists()


def test_a_linked_folder_outside_is_reported_once_and_not_entered(
    example_site, build_cli, tmp_path
):
    before = built_once(example_site, build_cli)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (elsewhere / "deep" / "x.svg").write_text("<svg/>")
    (example_site / "assets/more").symlink_to(elsewhere)
    run = assert_refused(example_site, build_cli, before, "error: assets/more: this is a link")
    assert "x.svg" not in run.err


def test_links_inside_the_project_are_followed(example_site, build_cli):
    images = example_site / "assets/images"
    (images / "same.svg").symlink_to(images / "privacy.svg")
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert any((example_site / "public/assets/images").glob("same*.svg"))


def test_the_build_never_writes_through_a_link_in_the_output(example_site, build_cli, tmp_path):
    """public/beverly-hills/ replaced by a link to a folder elsewhere: the next build takes
    the link away and writes its pages into public/, the folder elsewhere untouched."""
    built_once(example_site, build_cli)
    public = example_site / "public"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine\n")
    shutil.rmtree(public / "beverly-hills")
    (public / "beverly-hills").symlink_to(elsewhere, target_is_directory=True)
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert not (public / "beverly-hills").is_symlink()
    assert (public / "beverly-hills/index.html").is_file()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("target", [".git/config", ".env"])
def test_a_link_to_a_hidden_file_of_the_project_is_refused(example_site, build_cli, target):
    """CI's checkout keeps its token in .git/config; a site's secrets sit in .env."""
    before = built_once(example_site, build_cli)
    secret = example_site / target
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("extraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (example_site / "assets/notes.txt").symlink_to(secret)
    run = assert_refused(
        example_site,
        build_cli,
        before,
        f"error: assets/notes.txt: this is a link to {target}, a hidden file or folder",
    )
    assert "c2VjcmV0" not in run.out + run.err


def test_a_journal_a_pull_request_commits_cannot_reach_outside_the_output(
    example_site, build_cli, tmp_path
):
    """A committed `.public.commit` and staging folder holding a link to a folder
    elsewhere: the next build finishes that 'commit' without going through the link, and
    the folder elsewhere keeps its files."""
    built_once(example_site, build_cli)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "secret.txt").write_text("keep me\n")
    staging = example_site / ".public.staging-evil"
    staging.mkdir()
    (staging / "x").symlink_to(victim, target_is_directory=True)
    (example_site / ".public.commit").write_text(
        '{"sitegen-commit":1,"build":"evil","moves":["x"],"removals":["x/secret.txt"]}'
    )
    run = build_cli(example_site)
    assert (victim / "secret.txt").read_text() == "keep me\n"
    assert not (example_site / "public/x").exists()
    assert run.code in (0, 1), run.err
