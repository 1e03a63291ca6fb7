"""The files of assets/ as the build publishes them: each file's name, URL and bytes' path,
and the sizes of the images among them."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.model.images import ImageProblem, Pictures, SourceImage

# Pictures social networks and search features show (not SVG), by suffix, with their type.
RASTER_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".jfif": "image/jpeg", ".jpe": "image/jpeg",
                ".webp": "image/webp", ".gif": "image/gif"}  # fmt: skip


@dataclass(frozen=True)
class Asset:
    """One file of assets/: its name there, the URL it is published at, and its bytes' path."""

    name: str
    url: str
    path: Path

    @property
    def output(self) -> str:
        """The file's path in the output folder: /assets/css/site.1a2b3c4d5e.css ->
        assets/css/site.1a2b3c4d5e.css."""
        return self.url.lstrip("/")


Measure = Callable[[Path], tuple[int, int]]
"""(width, height) in pixels of an image file; ValueError when it is not a readable image."""


def _unmeasured(path: Path) -> tuple[int, int]:
    raise ValueError(f"{path.name}: no way to measure images was given")


def leads_out(name: str) -> bool:
    """Whether the path `name`, relative to assets/, leads out of it through `..` parts
    (`../site.yaml`; not `images/../images/a.png`, which stays inside)."""
    depth = 0
    for part in name.replace("\\", "/").split("/"):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            return True
    return False


@dataclass
class AssetCatalog:
    """The files of assets/ by their name there (css/site.css), and the sizes of the
    images among them, measured the first time they are asked for (by `measure`)."""

    assets: dict[str, Asset] = field(default_factory=dict)
    measure: Measure = _unmeasured
    sources: dict[str, SourceImage] = field(default_factory=dict)  # raster sources, read
    dangling: dict[str, Path] = field(default_factory=dict)  # links to nothing, by name
    problems: dict[str, ImageProblem] = field(default_factory=dict)  # rasters that cannot be
    pictures: Pictures = field(default_factory=Pictures)  # the build's plan of their files
    _sizes: dict[str, tuple[int, int]] = field(default_factory=dict)

    def url(self, name: str) -> str:
        """The published URL of assets/<name>; KeyError with a suggestion when it is missing."""
        asset = self.assets.get(name.lstrip("/").removeprefix("assets/"))
        if asset is None:
            raise KeyError(self.missing_message(name))
        return asset.url

    def missing_message(self, name: str) -> str:
        """The message for a missing assets/<name>, suggesting the closest existing name;
        a name that leads out of assets/ (`../site.yaml`) is told so: no file there is
        ever published through it."""
        if leads_out(name):
            return f"'{name}' leads out of the assets/ folder, where every published file is"
        close = difflib.get_close_matches(name, list(self.assets), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"there is no file assets/{name}{hint}"

    def has(self, name: str) -> bool:
        """Whether assets/<name> exists (`name` relative to assets/, no leading slash)."""
        return name in self.assets

    def image_size(self, name: str) -> tuple[int, int]:
        """(width, height) in pixels of the image assets/<name> as shown (a raster source's
        EXIF orientation applied), measured once and then remembered; KeyError when there
        is no such file, ValueError when it is not a readable image."""
        if name in self.sources:
            return self.sources[name].width, self.sources[name].height
        if name in self.problems:
            raise ValueError(str(self.problems[name]))
        if name not in self._sizes:
            self._sizes[name] = self.measure(self.assets[name].path)
        return self._sizes[name]
