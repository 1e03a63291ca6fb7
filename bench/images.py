#!/usr/bin/env python3
"""Time the pictures: cold builds with an empty and with a warm image cache.

python bench/images.py [--photos 100] [--work /tmp/sitegen-bench-images] [--project .]

1. The example site of `--project` (its own pictures), built into a fresh folder with an
   empty image cache, then again into a fresh folder with the cache the first build
   filled.
2. A synthetic site: the example plus `--photos` distinct photo-like JPEGs (2400 x 1600,
   generated with a fixed seed: a gradient, shapes, blur and film grain, about 0.5-1 MB
   each, so they encode like photographs), each a photo of the Los Angeles location;
   built the same two ways.

Each build is `build.py build --json` in a child process; the figures are its wall time,
the images step's time, the files encoded and found in the cache, and the slowest
pictures' encoding times. Everything is written under --work, nothing in the project.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def photo(seed: int, path: Path) -> None:
    """A 2400 x 1600 photo-like JPEG: soft light, a few blurred shapes, grain."""
    rng = random.Random(seed)
    width, height = 2400, 1600
    light = Image.radial_gradient("L").resize((width, height)).point(lambda v: 255 - v // 2)
    tints = [rng.uniform(0.5, 1.0) for _ in range(3)]
    base = Image.merge("RGB", [light.point(lambda v, k=k: int(v * k)) for k in tints])
    draw = ImageDraw.Draw(base)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(80, 500)
        colour = tuple(rng.randrange(30, 230) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(12))
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    Image.blend(base, grain, 0.12).save(path, "JPEG", quality=88)


def synthetic_site(project: Path, target: Path, photos: int) -> Path:
    """The example project with `photos` distinct photos of its Los Angeles location."""
    if target.exists():
        shutil.rmtree(target)
    for name in ("content", "layouts", "assets"):
        shutil.copytree(project / name, target / name)
    shutil.copy(project / "site.yaml", target / "site.yaml")
    folder = target / "assets/images/bench"
    folder.mkdir(parents=True)
    lines = []
    for index in range(photos):
        photo(index, folder / f"photo-{index:03d}.jpg")
        lines.append(f"  - src: images/bench/photo-{index:03d}.jpg\n")
        lines.append(f"    alt: Generated test picture number {index}\n")
    location = target / "content/locations/los-angeles.yaml"
    text = location.read_text(encoding="utf-8")
    text = text.replace("photos:\n", "photos:\n" + "".join(lines), 1)
    location.write_text(text, encoding="utf-8")
    return target


def build(project: Path, root: Path, out: Path, cache: Path) -> dict:
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, str(project / "build.py"), "build", "--root", str(root),
               "--out", str(out), "--image-cache", str(cache), "--json"]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr}\n{done.stdout}")
    report = json.loads(done.stdout)
    report["wall"] = seconds
    return report


def line(name: str, report: dict) -> str:
    images = report["images"] or {"encoded": 0, "cached": 0, "seconds": {}}
    slowest = sorted(images["seconds"].items(), key=lambda item: -item[1])[:2]
    slow = ", ".join(f"{Path(n).name} {s:.2f} s" for n, s in slowest) or "-"
    return (
        f"{name:<34} {report['wall']:7.2f} s  images {report['timings'].get('images', 0):7.2f} s"
        f"  encoded {images['encoded']:5d}  cached {images['cached']:5d}  slowest: {slow}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench-images"))
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    work, project = args.work, args.project.resolve()
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    site = synthetic_site(project, work / "site", args.photos)
    sources = sum(p.stat().st_size for p in (site / "assets/images/bench").iterdir())
    seconds = time.perf_counter() - start
    print(f"made {args.photos} photos ({sources / 1e6:.1f} MB) in {seconds:.1f} s")
    for name, root in (("example", project), (f"{args.photos}-photo site", site)):
        cache = work / f"cache-{root.name}"
        if cache.exists():
            shutil.rmtree(cache)
        print(line(f"{name}, empty image cache", build(project, root, work / "out", cache)))
        print(line(f"{name}, warm image cache", build(project, root, work / "out", cache)))


if __name__ == "__main__":
    main()
