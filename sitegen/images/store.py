"""The persistent image cache: every encoded variant under its key (Variant.key: the
source's bytes and the variant's settings), so a build encodes only what no build before
it encoded. Outside the output folder; shared by every project of the user.

Each build marks the files it uses (their modification time is set to now), and once a
day a build removes the files no build used for `MAX_UNUSED_DAYS` days: those of pictures
since changed or removed, of old settings and of an older encoder, which would otherwise
pile up for ever (and, on Netlify, be restored and saved with every build). A file
removed that is needed again is encoded again; nothing else is lost."""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

from sitegen.cache import cache_dir
from sitegen.errors import UsageError
from sitegen.model.images import Variant
from sitegen.model.project import CONFIG_FILE, SOURCE_FOLDERS

ENV = "SITEGEN_IMAGE_CACHE"
MAX_UNUSED_DAYS = 30  # a file no build used for this long is removed (it is made again)
PRUNE_EVERY = 24 * 3600  # seconds: how often a build looks for such files
LEFTOVER_SECONDS = 24 * 3600  # a half-written file this old is a stopped build's
PRUNED = ".pruned"  # in the cache folder: its modification time is the last look's
_SHARD = re.compile(r"[0-9a-f]{2}")  # the store's own names, the only ones removed
_KEPT = re.compile(r"[0-9a-f]{64}\.[a-z0-9]+")
_LEFTOVER = re.compile(r"[0-9a-f]{64}\.[a-z0-9]+\.[0-9]+\.tmp")


def image_cache_dir(chosen: Path | None = None) -> Path:
    """The folder of the image cache: `chosen` (the --image-cache option), else
    $SITEGEN_IMAGE_CACHE, else images/ in the user's cache folder (sitegen.cache.cache_dir:
    ~/.cache/sitegen/images). CI and Netlify keep a folder between builds when told to:
    see the README, "Images"."""
    if chosen is not None:
        return chosen
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    return cache_dir() / "images"


def check_image_cache_dir(folder: Path, out: Path, root: Path) -> None:
    """Refuse an image cache `folder` inside a source folder of the project at `root`
    (in assets/ its files would be sources of the next build, each made in every width
    again: the folder would grow at every build) or inside the output folder `out` (or
    being it), or that is a file: UsageError. One elsewhere in the project
    (.sitegen-image-cache) is fine."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"the image cache {folder} is a file, not a folder; choose a folder")
    cache = folder.resolve()
    for name in (*SOURCE_FOLDERS, CONFIG_FILE):
        if cache.is_relative_to((root / name).resolve()):
            raise UsageError(
                f"the image cache {folder} is inside the source '{name}'; choose a folder "
                "outside the sources (e.g. .sitegen-image-cache)"
            )
    if cache.is_relative_to(out.resolve()):
        raise UsageError(
            f"the image cache {folder} is inside the output folder {out}; choose another"
        )


class ImageStore:
    """Encoded variants by key, one file each (<folder>/<key[:2]>/<key>.<format>),
    written atomically: a build that is stopped leaves no half file under a key."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, variant: Variant) -> Path:
        """Where the variant's bytes are (or will be) kept."""
        key = variant.key
        return self.folder / key[:2] / f"{key}.{variant.format}"

    def use(self, variant: Variant) -> bool:
        """Whether the variant was encoded before (by any build that used this folder),
        marking its file used now (one system call) so that `prune` keeps it. A cache
        that cannot be written (read-only) is used as it is."""
        path = self.path(variant)
        try:
            os.utime(path)
        except FileNotFoundError:
            return False
        except OSError:
            return path.is_file()
        return True

    def read(self, variant: Variant) -> bytes:
        """The variant's bytes; OSError when it is not in the cache."""
        return self.path(variant).read_bytes()

    def put(self, variant: Variant, data: bytes) -> None:
        """Keep the variant's bytes. Raises OSError when the folder cannot be written."""
        target = self.path(variant)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)

    def prune(self, now: float | None = None) -> int:
        """Remove the files no build used (`use`, `put`) for `MAX_UNUSED_DAYS` days, and the
        half-written files of builds stopped `LEFTOVER_SECONDS` ago; at most once every
        `PRUNE_EVERY` seconds (the `PRUNED` file's time says when it last looked). Only the
        store's own names are removed (<2 hex>/<64 hex>.<format>), links are not followed,
        and a file or folder that cannot be removed is left: never raises. The number of
        files removed."""
        now = time.time() if now is None else now
        stamp = self.folder / PRUNED
        with contextlib.suppress(OSError):  # else never looked: look now
            if 0 <= now - stamp.stat().st_mtime < PRUNE_EVERY:  # (a time ahead: look)
                return 0
        try:
            stamp.touch()
            os.utime(stamp, (now, now))
            shards = [
                entry.path
                for entry in os.scandir(self.folder)
                if _SHARD.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
            ]
        except OSError:  # missing, or not ours to write
            return 0
        unused, stopped = now - MAX_UNUSED_DAYS * 86400, now - LEFTOVER_SECONDS
        removed = 0
        for shard in sorted(shards):
            try:
                entries = list(os.scandir(shard))
            except OSError:
                continue
            for entry in entries:
                if _KEPT.fullmatch(entry.name):
                    before = unused
                elif _LEFTOVER.fullmatch(entry.name):
                    before = stopped
                else:
                    continue
                try:
                    if (
                        entry.is_file(follow_symlinks=False)
                        and entry.stat(follow_symlinks=False).st_mtime < before
                    ):
                        os.unlink(entry.path)
                        removed += 1
                except OSError:
                    continue
            with contextlib.suppress(OSError):
                os.rmdir(shard)  # when it is empty now
        return removed
