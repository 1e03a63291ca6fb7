"""Reading and checking many pages, on several cores (sitegen.forks): each forked worker
reads its own files, and only what the cache keeps of each page travels back."""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from pathlib import Path

from sitegen.check.incremental import PageEntry, page_keys
from sitegen.check.page import read_page
from sitegen.forks import cores, fork_map
from sitegen.rules.model import PageContext, PageFacts

MIN_PAGES_PER_WORKER = 400
CHUNKS_PER_WORKER = 2  # 4 and 16 measured no faster (each chunk is one more result to send)

_FACT_FIELDS = [f.name for f in dataclasses.fields(PageFacts)]

Parsed = tuple[str, PageEntry]  # a page's URL, and its entry's sha1, blob, findings, keys, nodes


def sha1(data: bytes) -> str:
    """The hex SHA-1 of a file's bytes (how the cache tells a changed page)."""
    return hashlib.sha1(data).hexdigest()


def worker_count(pages: int, jobs: int | None) -> int:
    """`jobs` when given, else one worker per MIN_PAGES_PER_WORKER pages, at most one per
    core (a worker costs a fork and sending its results back)."""
    return jobs or min(cores(), max(1, pages // MIN_PAGES_PER_WORKER))


def parse_all(
    items: list[tuple[str, str]], contexts: dict[str, PageContext], jobs: int | None
) -> list[Parsed]:
    """Read and check each page of `items` ((URL, file path)) with its context, in that
    order with one worker, else chunk by chunk. With several workers the pages are read
    in forked processes (sitegen.forks.fork_map; each reads its files itself: only the
    chunk's number goes out and its small results come back). Raises OSError when a file
    cannot be read."""
    workers = worker_count(len(items), jobs)
    if workers <= 1:
        return _parse_chunk(items, contexts)
    count = workers * CHUNKS_PER_WORKER
    chunks = [items[i::count] for i in range(count)]
    results = fork_map(lambda index: _parse_chunk(chunks[index], contexts), count, workers)
    return [item for chunk in results for item in chunk]


def _parse_chunk(chunk: list[tuple[str, str]], contexts: dict[str, PageContext]) -> list[Parsed]:
    """Read and check pages, returning what the cache keeps (plain values, in the worker:
    the parent only files them away, and the rules across pages read the facts from the
    blobs when they need them)."""
    done: list[Parsed] = []
    for url, path in chunk:
        data = Path(path).read_bytes()
        facts, findings = read_page(data, url, contexts[url])
        entry: PageEntry = {
            "sha1": sha1(data),
            "blob": marshal.dumps(tuple(getattr(facts, name) for name in _FACT_FIELDS)),
            "findings": [f.plain() for f in findings],
            "keys": page_keys(facts),
            "nodes": marshal.dumps(facts.nodes) if facts.nodes else b"",
        }
        done.append((url, entry))
    return done
