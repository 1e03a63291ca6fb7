"""Making the variants no build made before: grouped by source (each source decoded once),
spread over every core, each written into the persistent cache as soon as it is made."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.forks import cores, fork_map
from sitegen.images.encode import encode_variants
from sitegen.images.store import ImageStore
from sitegen.model.images import ImageProblem, Variant


@dataclass
class Encoded:
    """What `produce` did: the variants found in the cache, the variants encoded, the
    seconds each source took to encode (by its name in assets/, slowest first), and the
    sources that could not be decoded (name -> problem)."""

    cached: int = 0
    encoded: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    problems: dict[str, ImageProblem] = field(default_factory=dict)


def produce(
    wanted: Mapping[str, Sequence[Variant]],
    paths: Mapping[str, Path],
    store: ImageStore,
    jobs: int | None = None,
    starting: Callable[[int, int], None] | None = None,
) -> Encoded:
    """Encode the variants of `wanted` (by source name) that `store` does not hold, from
    the source files at `paths` (by the same names), on `jobs` processes (None: one per
    core), into `store`, first calling `starting(files, pictures)` when there is any to
    encode (a first build may take a while: the caller says so); those it holds are
    marked used (ImageStore.use), for its pruning. Never raises for a
    source that cannot be decoded: it is in the result's `problems`. Raises OSError when
    the cache cannot be written."""
    result = Encoded()
    missing: list[tuple[str, list[Variant]]] = []
    for name, variants in sorted(wanted.items()):
        new = [v for v in dict.fromkeys(variants) if not store.use(v)]  # kept: used now
        result.cached += len(variants) - len(new)
        if new:
            missing.append((name, new))
    if missing and starting is not None:
        starting(sum(len(variants) for _name, variants in missing), len(missing))
    # largest sources first: no core waits on one big picture at the end
    missing.sort(key=lambda item: -max(v.width * v.height for v in item[1]))

    def encode(index: int) -> tuple[str, int, float, ImageProblem | None]:
        name, variants = missing[index]
        start = time.perf_counter()
        count = 0
        try:
            for variant, data in encode_variants(paths[name], variants):
                store.put(variant, data)
                count += 1
        except ImageProblem as problem:
            return name, count, time.perf_counter() - start, problem
        return name, count, time.perf_counter() - start, None

    workers = min(jobs or cores(), len(missing)) - 1  # and this process: one per core
    for name, count, seconds, problem in fork_map(encode, len(missing), workers, share=True):
        result.encoded += count
        result.seconds[name] = seconds
        if problem is not None:
            result.problems[name] = problem
    result.seconds = dict(sorted(result.seconds.items(), key=lambda item: -item[1]))
    return result
