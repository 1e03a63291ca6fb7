"""How alike the main text of two pages is: Jaccard similarity of word shingles, estimated
from bottom-k sketches (the k smallest shingle hashes), so each page keeps a few hundred
bytes and a comparison costs microseconds.

The doorway test compares the texts with each page's own location names (city, location
name, state, phone numbers) replaced by one token: pages that differ only in those are
what Google's spam policies call doorway pages.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

SHINGLE_WORDS = 5
SKETCH_SIZE = 128
ALL_PAIRS_UP_TO = 200  # distinct texts in a group compared pairwise; beyond, by shared hashes
_WORD = re.compile(r"\w+")
LOCATION_TOKEN = "zzlocation"


def mask(text: str, terms: Iterable[str]) -> str:
    """`text` with each term (whole words, any case) replaced by one token."""
    for term in sorted({t for t in terms if t.strip()}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", LOCATION_TOKEN, text, flags=re.I)
    return text


def sketch(text: str) -> tuple[int, ...]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        words += [""] * (SHINGLE_WORDS - len(words))
    shingles = {
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode())
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    return tuple(heapq.nsmallest(SKETCH_SIZE, shingles))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two sketches."""
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union = heapq.nsmallest(SKETCH_SIZE, sa | sb)
    return sum(1 for h in union if h in sa and h in sb) / len(union)


def closest(sketches: dict[str, tuple[int, ...]]) -> dict[str, tuple[str, float]]:
    """For each page of a group, its most similar other page and the score. Pages with the
    same sketch are found by hashing; distinct sketches are compared pairwise in small
    groups and, in large ones, only when they share one of their smallest hashes."""
    by_sketch: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for url, s in sorted(sketches.items()):
        by_sketch[s].append(url)
    best: dict[str, tuple[str, float]] = {}
    for urls in by_sketch.values():
        for i, url in enumerate(urls):
            if len(urls) > 1:
                best[url] = (urls[1] if i == 0 else urls[0], 1.0)
    distinct = list(by_sketch)
    pairs: Iterable[tuple[int, int]]
    if len(distinct) <= ALL_PAIRS_UP_TO:
        pairs = ((i, j) for i in range(len(distinct)) for j in range(i + 1, len(distinct)))
    else:
        pairs = _candidate_pairs(distinct)
    for i, j in pairs:
        score = similarity(distinct[i], distinct[j])
        for left, right in ((i, j), (j, i)):
            for url in by_sketch[distinct[left]]:
                if url not in best or best[url][1] < score:
                    best[url] = (by_sketch[distinct[right]][0], score)
    return best


def _candidate_pairs(distinct: list[tuple[int, ...]]) -> set[tuple[int, int]]:
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(distinct):
        for h in s[:8]:
            index[h].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        for a in range(len(members)):
            for b in range(a + 1, min(len(members), a + 50)):
                pairs.add((members[a], members[b]))
    return pairs
