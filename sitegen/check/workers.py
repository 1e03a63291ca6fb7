"""Reading and checking pages in forked worker processes: each reads its own files, and
only what the cache keeps travels back (plain values)."""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sitegen.check.incremental import page_keys
from sitegen.check.model import PageFacts
from sitegen.check.page import PageContext, read_page

MIN_PAGES_PER_WORKER = 400
CHUNKS_PER_WORKER = 2  # 4 and 16 measured no faster (each chunk is one more result to send)

_contexts: dict[str, PageContext] = {}


_FACT_FIELDS = [f.name for f in dataclasses.fields(PageFacts)]


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


Parsed = tuple[str, dict]  # url, and its cache entry's sha1, blob, findings and keys


def parse_all(
    items: list[tuple[str, str]], contexts: dict[str, PageContext], jobs: int | None
) -> list[Parsed]:
    """Read and check each page; in forked workers when there are many (each reads its
    files itself: only the small results travel back)."""
    global _contexts
    workers = jobs or min(os.cpu_count() or 1, max(1, len(items) // MIN_PAGES_PER_WORKER))
    _contexts = contexts
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _parse_chunk(items)
    count = workers * CHUNKS_PER_WORKER
    chunks = [items[i::count] for i in range(count)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_parse_chunk, chunks))
    finally:
        _contexts = {}
    return [item for chunk in results for item in chunk]


def _parse_chunk(chunk: list[tuple[str, str]]) -> list[Parsed]:
    """Read and check pages, returning what the cache keeps (plain values, in the worker:
    the parent only files them away, and the rules across pages read the facts from the
    blobs when they need them)."""
    done = []
    for url, path in chunk:
        data = Path(path).read_bytes()
        facts, findings = read_page(data, url, _contexts[url])
        entry = {
            "sha1": sha1(data),
            "blob": marshal.dumps(tuple(getattr(facts, name) for name in _FACT_FIELDS)),
            "findings": [(f.rule, f.message, f.url, f.element) for f in findings],
            "keys": page_keys(facts),
        }
        done.append((url, entry))
    return done
