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
import errno
import os
import re
import stat
import time
from pathlib import Path

from sitegen.cache import cache_dir
from sitegen.errors import UsageError
from sitegen.filestats import read_capped
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
MAX_VARIANT_BYTES = 64 * 1024 * 1024  # an encoded variant is far smaller (8,000 px at most)
# how a file of each format starts: a kept file that does not is not one of ours
_SIGNATURES = {
    "jpeg": (0, b"\xff\xd8\xff"),
    "png": (0, b"\x89PNG\r\n\x1a\n"),
    "webp": (8, b"WEBP"),
    "avif": (4, b"ftyp"),
}


def _starts_as(head: bytes, format_: str) -> bool:
    """Whether `head` (a file's first 16 bytes) starts as a file of `format_` does (its
    signature; WebP's RIFF header too)."""
    offset, signature = _SIGNATURES.get(format_, (0, b"\0\0unknown"))
    if format_ == "webp" and not head.startswith(b"RIFF"):
        return False
    return head[offset : offset + len(signature)] == signature


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
    being it), that is a file, the file system's root, the home folder or a folder holding
    the project (its pruning removes files by their names), or that is in the project
    through a link (committed, it would send the cache's reads and writes anywhere):
    UsageError. A folder elsewhere in the project (.sitegen-image-cache) is fine."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"the image cache {folder} is a file, not a folder; choose a folder")
    cache = folder.resolve()
    project = root.resolve()
    try:
        home: Path | None = Path.home().resolve()
    except (RuntimeError, KeyError):  # no HOME and no user entry: no home folder to spare
        home = None
    if cache == Path(cache.anchor) or cache == home or project.is_relative_to(cache):
        raise UsageError(
            f"the image cache {folder} is the file system's root, the home folder or a "
            "folder holding the project; choose a folder of its own (its files are removed "
            "when unused), e.g. .sitegen-image-cache"
        )
    inside = Path(os.path.abspath(folder))
    if inside.is_relative_to(os.path.abspath(root)):  # a link in the checkout: anywhere
        step = Path(os.path.abspath(root))
        for part in inside.relative_to(step).parts:
            step = step / part
            if step.is_symlink():
                raise UsageError(
                    f"the image cache {folder} is inside the project through the link "
                    f"{step}; a link in the project may lead anywhere: make it a folder"
                )
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
        marking its file used now (one system call on the open file) so that `prune`
        keeps it. A cache that cannot be written (read-only) is used as it is. Only a
        kept file counts (`_open_kept`): anything else under its name is encoded again
        and replaced."""
        fd = self._open_kept(variant)
        if fd is None:
            return False
        try:
            with contextlib.suppress(OSError):
                os.utime(fd)
        finally:
            os.close(fd)
        return True

    def read(self, variant: Variant) -> bytes:
        """The variant's bytes; OSError when the cache does not keep it (`_open_kept`)."""
        fd = self._open_kept(variant)
        if fd is None:
            raise FileNotFoundError(errno.ENOENT, "not in the image cache", str(self.path(variant)))
        with os.fdopen(fd, "rb") as file:  # by its size: no 64 MB buffer made first
            return read_capped(file, MAX_VARIANT_BYTES)[:MAX_VARIANT_BYTES]

    def _open_kept(self, variant: Variant) -> int | None:
        """A descriptor of the variant's file when the cache keeps one: a regular file
        (not a link, named pipe or device, opened without following a link and without
        waiting), in a shard folder that is a folder (not a link), of at most
        MAX_VARIANT_BYTES, that starts as a file of its format starts. Else None: a cache
        folder in a checkout (Netlify's) may hold what a pull request committed there, and
        a link to /proc/self/environ would publish the build's environment as a picture."""
        path = self.path(variant)
        try:
            if not stat.S_ISDIR(os.lstat(path.parent).st_mode):
                return None
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            found = os.fstat(fd)
            if (
                stat.S_ISREG(found.st_mode)
                and 0 < found.st_size <= MAX_VARIANT_BYTES
                and _starts_as(os.pread(fd, 16, 0), variant.format)
            ):
                return fd
        except OSError:
            pass
        os.close(fd)
        return None

    def put(self, variant: Variant, data: bytes) -> None:
        """Keep the variant's bytes (written beside, then renamed over whatever had its
        name; a shard that is not a folder, such as a link, is replaced by one). Raises
        OSError when the folder cannot be written."""
        target = self.path(variant)
        shard = target.parent
        try:
            if not stat.S_ISDIR(os.lstat(shard).st_mode):
                os.unlink(shard)  # a link or file under a shard's name: never written through
        except FileNotFoundError:
            pass
        shard.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        with os.fdopen(os.open(temporary, flags, 0o644), "wb") as file:
            file.write(data)
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
            if 0 <= now - os.lstat(stamp).st_mtime < PRUNE_EVERY:  # (a time ahead: look)
                return 0
        try:  # the stamp never through a link (it would make or touch a file elsewhere)
            flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            fd = os.open(stamp, flags, 0o644)  # (a named pipe: ENXIO, not a wait)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    return 0
                os.utime(fd, (now, now))
            finally:
                os.close(fd)
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
