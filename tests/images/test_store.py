"""The image cache's housekeeping (sitegen.images.store): a build marks the files it uses,
and once a day removes those no build used for MAX_UNUSED_DAYS days and the half-written
files of stopped builds; nothing else, whatever the folder holds."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sitegen.images.store import (
    LEFTOVER_SECONDS,
    MAX_UNUSED_DAYS,
    PRUNE_EVERY,
    PRUNED,
    ImageStore,
)
from sitegen.model.images import Variant

DAY = 86400


def variant(width: int) -> Variant:
    return Variant("images/x.jpg", "d" * 64, width, width, "webp", 80)


def kept(store: ImageStore, width: int, age_days: float, now: float) -> Path:
    """A file of the store for `variant(width)`, last used `age_days` ago."""
    store.put(variant(width), b"bytes")
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
