"""How alike the main text of two pages is: Jaccard similarity of word shingles, estimated
from bottom-k sketches (the k smallest shingle hashes), so each page keeps a few hundred
bytes and a comparison costs microseconds.

The doorway test compares the texts with each page's own location names (city, location
name, state, phone numbers) replaced by one token: pages that differ only in those are
what Google's spam policies call doorway pages.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

SHINGLE_WORDS = 5
SKETCH_SIZE = 128
ALL_PAIRS_UP_TO = 60  # distinct texts in a group compared pairwise; beyond, with neighbours
LOCATION_TOKEN = "zzlocation"


def mask(text: str, terms: Iterable[str]) -> str:
    """`text` as its words (lower case, single spaces), with each term replaced by one
    token wherever its words stand together."""
    return " ".join(_masked_words(text, terms).decode().split())


def masked_sketch(text: str, terms: Iterable[str]) -> tuple[int, ...]:
    """The sketch of `mask(text, terms)`, without turning the masked words back into text."""
    return _cached_sketch(_masked_words(text, terms))


def sketch(text: str) -> tuple[int, ...]:
    """The sketch of `text`'s words."""
    return _cached_sketch(_words(text))


# UTF-8 bytes: ASCII letters and digits stay, other ASCII becomes a space, and the bytes of
# other characters (accented letters) stay part of their word.
_WORD_BYTES = bytes(c if chr(c).isalnum() or c >= 0x80 else 0x20 for c in range(256))


# Typographic punctuation that parts words as ASCII punctuation does (curly quotes and
# apostrophes, dashes, ellipsis, guillemets, middle dot, bullet); spaces beyond ASCII
# (no-break, thin) are parted by str.split.
_OTHER_PUNCTUATION = (
    "\u2019\u2018\u201c\u201d\u201e\u2014\u2013\u2026\u00ab\u00bb\u2039\u203a\u00b7\u2022"
)
_SOFT_HYPHEN = "\u00ad"  # invisible: the word goes on


def _words(text: str) -> bytes:
    """`text` in lower case as UTF-8, with a space (or several) around each word."""
    text = text.lower()
    if not text.isascii():  # a few str operations, only for texts that need them
        text = " ".join(text.replace(_SOFT_HYPHEN, "").split())
        for mark in _OTHER_PUNCTUATION:
            if mark in text:
                text = text.replace(mark, " ")
    return b" " + text.encode().translate(_WORD_BYTES) + b" "


def _masked_words(text: str, terms: Iterable[str]) -> bytes:
    return _terms_pattern(tuple(terms)).sub(_TOKEN, _words(text))


_TOKEN = f" {LOCATION_TOKEN}".encode()


@functools.lru_cache(maxsize=4096)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[bytes]:
    """A space, then any term's words with any spaces between them, then a space (which
    is not taken, so that a term right after another is found too). Longest first, so
    that a city inside a longer name does not break the longer name's match. On the
    words' bytes, where a term can only start after a space, this is several times
    faster than a regular expression looking for word boundaries in the text."""
    spelled = dict.fromkeys(tuple(_words(term).split()) for term in terms)
    alternatives = [b" +".join(map(re.escape, words)) for words in spelled if words]
    alternatives.sort(key=len, reverse=True)
    return re.compile(b" (?:" + (b"|".join(alternatives) or b"(?!)") + b")(?= )")


def _cached_sketch(words: bytes) -> tuple[int, ...]:
    """Computed once per distinct text in a process: pages made from one template often
    have the same text once the location names are masked."""
    key = hashlib.blake2b(words, digest_size=16).digest()
    found = _SKETCHES.get(key)
    if found is None:
        if len(_SKETCHES) >= 4096:
            _SKETCHES.clear()
        found = _SKETCHES[key] = _sketch(words)
    return found


_SKETCHES: dict[bytes, tuple[int, ...]] = {}


def _sketch(words: bytes) -> tuple[int, ...]:
    """The smallest shingle hashes. Each word is hashed with crc32 (the same in every
    process and run, unlike Python's str hash) and a shingle is the hash of a tuple of
    word hashes (ints hash the same everywhere too); all of it runs in C."""
    codes = list(map(zlib.crc32, words.split()))
    if len(codes) < SHINGLE_WORDS:
        codes += [0] * (SHINGLE_WORDS - len(codes))
    shingles = set(map(hash, zip(*(codes[i:] for i in range(SHINGLE_WORDS)), strict=False)))
    return tuple(sorted(shingles)[:SKETCH_SIZE])


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two sketches: the Jaccard
    similarity of the sketches themselves (close to the texts' for similar texts, which
    are the ones the rules care about; it reads low for dissimilar ones)."""
    if not a or not b:
        return 0.0
    sa, sb = _frozen(a), _frozen(b)
    return len(sa & sb) / len(sa | sb)


@functools.lru_cache(maxsize=65536)
def _frozen(s: Sequence[int]) -> frozenset[int]:
    return frozenset(s)


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


NEIGHBOURS = 8


def _candidate_pairs(distinct: list[tuple[int, ...]]) -> set[tuple[int, int]]:
    """Pairs worth comparing in a large group: similar texts share most of their smallest
    hashes, so they sort near each other; each sketch is compared with its neighbours in
    three orders (by its smallest hashes, by the next ones, and by the ones after)."""
    pairs: set[tuple[int, int]] = set()
    for start in (0, 8, 16):
        order = sorted(range(len(distinct)), key=lambda i: distinct[i][start:])
        for position, i in enumerate(order):
            for j in order[position + 1 : position + 1 + NEIGHBOURS]:
                pairs.add((min(i, j), max(i, j)))
    return pairs
