"""The persistent image cache: every encoded variant under its key (Variant.key: the
source's bytes and the variant's settings), so a build encodes only what no build before
it encoded. Outside the output folder; shared by every project of the user."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.cache import cache_dir
from sitegen.errors import UsageError
from sitegen.model.images import Variant
from sitegen.model.project import CONFIG_FILE, SOURCE_FOLDERS

ENV = "SITEGEN_IMAGE_CACHE"


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
    being it): UsageError. One elsewhere in the project (.sitegen-image-cache) is fine."""
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

    def has(self, variant: Variant) -> bool:
        """Whether the variant was encoded before (by any build that used this folder)."""
        return self.path(variant).is_file()

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
