"""The image cache's housekeeping (sitegen.images.store): a build marks the files it uses,
and once a day removes those no build used for MAX_UNUSED_DAYS days and the half-written
files of stopped builds; nothing else, whatever the folder holds."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sitegen.errors import UsageError
from sitegen.images.store import (
    LEFTOVER_SECONDS,
    MAX_UNUSED_DAYS,
    PRUNE_EVERY,
    PRUNED,
    ImageStore,
    check_image_cache_dir,
)
from sitegen.model.images import Variant

DAY = 86400


WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00"  # how a WebP file starts


def variant(width: int) -> Variant:
    return Variant("images/x.jpg", "d" * 64, width, width, "webp", 80)


def kept(store: ImageStore, width: int, age_days: float, now: float) -> Path:
    """A file of the store for `variant(width)`, last used `age_days` ago."""
    store.put(variant(width), WEBP)
    path = store.path(variant(width))
    os.utime(path, (now - age_days * DAY, now - age_days * DAY))
    return path


def test_a_file_no_build_used_for_a_month_goes_the_others_stay(tmp_path: Path) -> None:
    store, now = ImageStore(tmp_path / "cache"), time.time()
    old = kept(store, 100, MAX_UNUSED_DAYS + 1, now)
    recent = kept(store, 200, MAX_UNUSED_DAYS - 1, now)
    used = kept(store, 300, MAX_UNUSED_DAYS + 5, now)
    assert store.use(variant(300))  # a build uses it: its time is now
    assert not store.use(variant(400))  # never made
    assert store.prune(now) == 1
    assert not old.exists() and recent.exists() and used.exists()
    assert abs(used.stat().st_mtime - time.time()) < 60


def test_it_looks_once_a_day(tmp_path: Path) -> None:
    store, now = ImageStore(tmp_path / "cache"), time.time()
    store.folder.mkdir()
    assert store.prune(now) == 0  # an empty cache: it looked
    old = kept(store, 100, MAX_UNUSED_DAYS + 1, now)
    assert store.prune(now + PRUNE_EVERY / 2) == 0 and old.exists()  # looked today
    assert store.prune(now + PRUNE_EVERY + 1) == 1 and not old.exists()
    assert (store.folder / PRUNED).is_file()


def test_a_last_look_dated_ahead_of_the_clock_does_not_stop_it(tmp_path: Path) -> None:
    store, now = ImageStore(tmp_path / "cache"), time.time()
    old = kept(store, 100, MAX_UNUSED_DAYS + 1, now)
    (store.folder / PRUNED).touch()
    os.utime(store.folder / PRUNED, (now + 365 * DAY, now + 365 * DAY))
    assert store.prune(now) == 1 and not old.exists()


def test_a_stopped_builds_half_written_file_goes_after_a_day(tmp_path: Path) -> None:
    store, now = ImageStore(tmp_path / "cache"), time.time()
    path = store.path(variant(100))
    path.parent.mkdir(parents=True)
    stale, fresh = path.with_name(f"{path.name}.123.tmp"), path.with_name(f"{path.name}.9.tmp")
    for file, age in ((stale, LEFTOVER_SECONDS + 60), (fresh, 60)):
        file.write_bytes(b"half")
        os.utime(file, (now - age, now - age))
    assert store.prune(now) == 1
    assert not stale.exists() and fresh.exists()  # a build may be writing it


def test_only_the_stores_own_names_go_and_links_are_not_followed(tmp_path: Path) -> None:
    """A cache folder chosen by hand (--image-cache) may hold other files: they stay, and
    so do those a link leads to. An emptied shard folder goes."""
    store, now = ImageStore(tmp_path / "cache"), time.time()
    emptied = kept(store, 100, MAX_UNUSED_DAYS + 1, now).parent
    outside = tmp_path / "elsewhere"
    (outside / "ab").mkdir(parents=True)
    target = outside / "ab" / ("a" * 64 + ".webp")
    others = [
        store.folder / ("b" * 64 + ".webp"),  # not in a shard folder
        store.folder / "notes" / ("c" * 64 + ".webp"),  # a folder not named like a shard
        store.folder / "cd" / "photo.jpg",  # not a key's name
        store.folder / "cd" / ("C" * 64 + ".webp"),  # not lower-case hex
        target,
    ]
    for file in others:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(b"mine")
        os.utime(file, (now - 400 * DAY, now - 400 * DAY))
    (store.folder / "ef").symlink_to(outside / "ab")  # a shard that is a link
    (store.folder / "cd" / ("d" * 64 + ".webp")).symlink_to(target)  # a key that is a link
    os.utime(
        store.folder / "cd" / ("d" * 64 + ".webp"), (now - 400 * DAY,) * 2, follow_symlinks=False
    )
    assert store.prune(now) == 0 + 1  # the one old file of the store
    assert all(file.exists() for file in others)
    assert not emptied.exists()  # its only file went
    assert (store.folder / "cd" / ("d" * 64 + ".webp")).is_symlink()


def test_a_cache_it_cannot_write_is_used_as_it_is(tmp_path: Path, monkeypatch) -> None:
    """A read-only cache (a shared folder, a mounted volume): marking a file used fails,
    and the file is used all the same; nothing is removed."""
    store, now = ImageStore(tmp_path / "cache"), time.time()
    path = kept(store, 100, MAX_UNUSED_DAYS + 1, now)

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(os, "utime", refused)
    assert store.use(variant(100)) is True
    assert store.use(variant(200)) is False
    assert store.prune(now) == 0 and path.exists()  # it cannot mark its look either


def test_a_missing_cache_folder_is_no_error(tmp_path: Path) -> None:
    assert ImageStore(tmp_path / "none").prune() == 0
    assert not (tmp_path / "none").exists()


def test_an_image_cache_that_is_a_file_is_refused_before_anything_is_encoded(
    tmp_path: Path,
) -> None:
    from conftest import PROJECT
    from sitegen.cli import main

    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    site = tmp_path / "site"
    site.mkdir()
    for name in ("content", "layouts", "assets", "site.yaml"):
        source = PROJECT / name
        if source.is_dir():
            import shutil

            shutil.copytree(source, site / name)
        else:
            (site / name).write_bytes(source.read_bytes())
    assert main(["build", "--root", str(site), "--image-cache", str(cache)]) == 2
    assert cache.read_text() == "not a folder" and not (site / "public").exists()


# --- what a pull request could commit into a cache folder in the checkout -------------------


def _planted(store: ImageStore, width: int) -> Path:
    path = store.path(variant(width))
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_a_link_in_the_cache_is_not_a_kept_file_and_is_replaced(tmp_path: Path) -> None:
    """A link to /proc/self/environ (or any file) under a variant's name would publish
    the build's environment as a picture: it is not used, and putting the variant
    replaces the link, never writing through it."""
    secret = tmp_path / "secret"
    secret.write_bytes(WEBP + b"SECRET=xyz")  # even one that starts like a picture
    store = ImageStore(tmp_path / "cache")
    path = _planted(store, 100)
    path.symlink_to(secret)
    assert not store.use(variant(100))
    try:
        store.read(variant(100))
        raise AssertionError("read through a link")
    except FileNotFoundError:
        pass
    store.put(variant(100), WEBP + b"mine")
    assert not path.is_symlink() and path.read_bytes() == WEBP + b"mine"
    assert secret.read_bytes() == WEBP + b"SECRET=xyz"
    assert store.read(variant(100)) == WEBP + b"mine"


def test_a_file_that_is_not_a_picture_of_its_format_is_not_used(tmp_path: Path) -> None:
    store = ImageStore(tmp_path / "cache")
    _planted(store, 100).write_bytes(b"SECRET=xyz\0PATH=/usr/bin")
    _planted(store, 200).write_bytes(b"")
    _planted(store, 300).write_bytes(b"\xff\xd8\xff\xe0 a JPEG under a WebP's name")
    assert not any(store.use(variant(w)) for w in (100, 200, 300))


def test_a_named_pipe_or_device_is_not_waited_on(tmp_path: Path) -> None:
    """A FIFO under a variant's name hung the build; /dev/zero read until memory ran out."""
    store = ImageStore(tmp_path / "cache")
    os.mkfifo(_planted(store, 100))
    _planted(store, 200).symlink_to("/dev/zero")
    started = time.monotonic()
    assert not store.use(variant(100)) and not store.use(variant(200))
    assert time.monotonic() - started < 5


def test_a_shard_that_is_a_link_is_never_written_through(tmp_path: Path) -> None:
    """Links .sitegen-image-cache/00..ff -> elsewhere made the build write there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = ImageStore(tmp_path / "cache")
    store.folder.mkdir()
    shard = store.path(variant(100)).parent
    shard.symlink_to(elsewhere, target_is_directory=True)
    assert not store.use(variant(100))
    store.put(variant(100), WEBP)
    assert list(elsewhere.iterdir()) == [] and shard.is_dir() and not shard.is_symlink()


def test_the_prune_stamp_is_never_made_through_a_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    store = ImageStore(tmp_path / "cache")
    store.folder.mkdir()
    (store.folder / PRUNED).symlink_to(victim)
    assert store.prune(time.time()) == 0
    assert not victim.exists()


def test_a_cache_folder_that_is_not_a_folder_of_its_own_is_refused(tmp_path: Path) -> None:
    """--image-cache / filled the root with shard folders, and pruning would remove files
    there by their names; a folder holding the project is no better."""
    root = tmp_path / "project"
    root.mkdir()
    for folder in (Path("/"), Path.home(), tmp_path, root):
        with pytest.raises(UsageError, match="a folder of its own"):
            check_image_cache_dir(folder, root / "public", root)
    check_image_cache_dir(root / ".sitegen-image-cache", root / "public", root)  # fine


def test_a_cache_folder_reached_through_a_link_in_the_project_is_refused(tmp_path: Path) -> None:
    """A pull request can commit .sitegen-image-cache as a link to anywhere."""
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / ".sitegen-image-cache").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UsageError, match="through the link"):
        check_image_cache_dir(root / ".sitegen-image-cache", root / "public", root)


def test_a_prune_stamp_that_is_a_named_pipe_is_not_waited_on(tmp_path: Path) -> None:
    store = ImageStore(tmp_path / "cache")
    store.folder.mkdir()
    os.mkfifo(store.folder / PRUNED)
    os.utime(store.folder / PRUNED, (0, 0))  # looked long ago: it would look now
    started = time.monotonic()
    assert store.prune(time.time()) == 0
    assert time.monotonic() - started < 5
