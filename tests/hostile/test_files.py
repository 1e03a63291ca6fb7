"""The files rules: the build reads only the project's regular files. A named pipe, a socket
or a device among the sources is an error naming it (reading a pipe would wait forever); a
link leading outside is one too, unless it leads into a folder site.yaml names in
`files.allow_outside`, which must be a folder of shared files and nothing wider."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from conftest import assert_refused, built_once, run_bounded, snapshot

SHARED = "files:\n  allow_outside: [../shared-assets]\n"


@pytest.mark.parametrize(
    "name",
    [
        "content/programs/pipe.md",
        "content/locations/pipe.yaml",
        "content/pages/pipe.md",
        "layouts/partials/pipe.html",
        "assets/css/pipe.css",
    ],
)
def test_a_named_pipe_among_the_sources_is_refused_naming_it(example_site: Path, name: str):
    public = example_site / "public"
    first = run_bounded(example_site)
    assert first.code == 0, first.err
    before = snapshot(public)
    os.mkfifo(example_site / name)
    run = run_bounded(example_site, limit=60)
    assert run.code == 1
    assert f"error: {name}: this is a named pipe (FIFO), not a file" in run.err
    assert snapshot(public) == before


def test_site_yaml_as_a_named_pipe_is_refused(example_site: Path) -> None:
    (example_site / "site.yaml").unlink()
    os.mkfifo(example_site / "site.yaml")
    run = run_bounded(example_site, limit=60)
    assert run.code == 1 and "error: site.yaml: this is a named pipe (FIFO)" in run.err


def test_a_socket_among_the_sources_is_refused(example_site: Path, build_cli) -> None:
    before = built_once(example_site, build_cli)
    # a socket's path must be short: bind in the folder, with a relative name
    here = os.getcwd()
    os.chdir(example_site / "assets")
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind("s.sock")
            message = "error: assets/s.sock: this is a socket"
            assert_refused(example_site, build_cli, before, message)
    finally:
        os.chdir(here)


def test_a_link_to_a_device_is_refused(example_site: Path, build_cli) -> None:
    before = built_once(example_site, build_cli)
    (example_site / "content/pages/zero.md").symlink_to("/dev/zero")
    run = assert_refused(
        example_site, build_cli, before, "error: content/pages/zero.md: this is a link"
    )
    assert "a folder of the system is never read" in run.err
    assert "allow_outside" not in run.err  # which refuses /dev: not a way out


def _shared(example_site: Path) -> Path:
    shared = example_site.parent / "shared-assets"
    shared.mkdir()
    (shared / "badge.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    return shared


def test_a_link_into_an_allowed_folder_is_followed(example_site: Path, build_cli) -> None:
    shared = _shared(example_site)
    (example_site / "assets/images/badge.svg").symlink_to(shared / "badge.svg")
    (example_site / "assets/shared").symlink_to(shared, target_is_directory=True)
    refused = build_cli(example_site)
    assert refused.code == 1 and "error: assets/images/badge.svg: this is a link" in refused.err
    assert "files.allow_outside" in refused.err  # the hint names the setting
    with open(example_site / "site.yaml", "a", encoding="utf-8") as config:
        config.write(SHARED)
    run = build_cli(example_site)
    assert run.code == 0, run.err
    assert any((example_site / "public/assets/images").glob("badge*.svg"))


def test_an_allowed_folder_does_not_let_links_or_pipes_through(
    example_site: Path, build_cli, tmp_path: Path
) -> None:
    shared = _shared(example_site)
    with open(example_site / "site.yaml", "a", encoding="utf-8") as config:
        config.write(SHARED)
    before = built_once(example_site, build_cli)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=hunter2\n")
    (shared / "secret.svg").symlink_to(secret)  # allowed folder, link leading further out
    (example_site / "assets/images/secret.svg").symlink_to(shared / "secret.svg")
    run = assert_refused(
        example_site,
        build_cli,
        before,
        f"error: assets/images/secret.svg: this is a link to {os.path.realpath(secret)}",
    )
    assert "hunter2" not in run.out + run.err
    (example_site / "assets/images/secret.svg").unlink()
    os.mkfifo(shared / "pipe.css")  # a pipe inside a linked allowed folder
    (example_site / "assets/shared").symlink_to(shared, target_is_directory=True)
    message = "error: assets/shared/pipe.css: this is a named pipe"
    assert_refused(example_site, build_cli, before, message)


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("/", "relative to the project"),
        ("/etc", "relative to the project"),
        ("~/shared", "relative to the project"),
        ("..", "which holds the project itself"),
        (".", "which holds the project itself"),
        ("../nowhere", "there is no folder"),
        ("../.ssh", "a hidden folder"),
        ("../../../../../../../../proc", "a folder of the system"),
        ("../../../../../../../../../..", "the file system's root"),
    ],
)
def test_allow_outside_names_one_folder_of_shared_files_and_nothing_wider(
    example_site: Path, build_cli, written: str, why: str
) -> None:
    (example_site.parent / ".ssh").mkdir()
    before = built_once(example_site, build_cli)
    with open(example_site / "site.yaml", "a", encoding="utf-8") as config:
        config.write(f"files:\n  allow_outside: ['{written}']\n")
    line = len((example_site / "site.yaml").read_text().splitlines())
    assert_refused(
        example_site,
        build_cli,
        before,
        f"error: site.yaml:{line}",
        f"files.allow_outside cannot name '{written}'",
        why,
    )


def test_allow_outside_must_be_a_list_of_folders(example_site: Path, build_cli) -> None:
    before = built_once(example_site, build_cli)
    with open(example_site / "site.yaml", "a", encoding="utf-8") as config:
        config.write("files:\n  allow_outside: ../shared-assets\n  follow: everything\n")
    assert_refused(example_site, build_cli, before, "files.allow_outside", "files.follow")


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("content/programs", "programs"),  # a link to itself
        ("content/pages", "pages"),
        ("assets/self", "."),  # a link to the folder it is in
        ("assets/images/up", "../../assets"),  # to a folder above it
    ],
)
def test_a_link_that_leads_round_in_a_circle_is_an_error_naming_it(
    minimal_site: Path, link: str, target: str
) -> None:
    """Walked through, such a link goes round until the system's limit on links: it is an
    error at the link itself, found before anything is read."""
    import shutil

    if (minimal_site / link).is_dir():
        shutil.rmtree(minimal_site / link)
    (minimal_site / link).symlink_to(target)
    run = run_bounded(minimal_site)
    assert run.code == 1
    assert f"error: {link}: this link leads round in a circle" in run.err
    assert "cannot write the output" not in run.err
