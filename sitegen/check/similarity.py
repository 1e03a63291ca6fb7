"""How alike the main text of two pages is: Jaccard similarity of word shingles, and how
much of one page's text is also on another (containment), both estimated from bottom-k
sketches (the k smallest shingle hashes), so each page keeps a few hundred bytes and a
comparison costs microseconds.

A text is read block by block (paragraphs, list items, headings, cells: the caller marks
where each ends with BLOCK_MARK): no shingle crosses from one block into the next, so the
order of the blocks does not matter.

The doorway test compares the texts with each page's own location names (city, location
name, state, phone numbers) replaced by one token: pages that differ only in those are
what Google's spam policies call doorway pages.
"""

from __future__ import annotations

import bisect
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
BLOCK_MARK = "\x7f"  # ends a block of text (an XML character, unlike U+001E, and never a word)


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
# other characters (accented letters) stay part of their word; BLOCK_MARK stays.
_WORD_BYTES = bytes(c if chr(c).isalnum() or c >= 0x7F else 0x20 for c in range(256))
_MARK = BLOCK_MARK.encode()
_SPACED_MARK = b" " + _MARK + b" "


# Typographic punctuation that parts words as ASCII punctuation does (curly quotes and
# apostrophes, dashes, ellipsis, guillemets, middle dot, bullet), and the spaces beyond
# ASCII (no-break, thin: every character str.split parts on).
_OTHER_PUNCTUATION = (
    "\u2019\u2018\u201c\u201d\u201e\u2014\u2013\u2026\u00ab\u00bb\u2039\u203a\u00b7\u2022"
)
_OTHER_SPACES = (
    "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_SOFT_HYPHEN = "\u00ad".encode()  # invisible: the word goes on
# Their UTF-8 bytes, found in the bytes in one pass (UTF-8 never matches inside another
# character): twice as fast as splitting and joining the text.
_PARTING = re.compile(b"|".join(re.escape(c.encode()) for c in _OTHER_PUNCTUATION + _OTHER_SPACES))


def _words(text: str) -> bytes:
    """`text` in lower case as UTF-8, with a space (or several) around each word and
    around each BLOCK_MARK."""
    data = text.lower().encode().translate(_WORD_BYTES)
    if not data.isascii():  # only texts that need it
        data = _PARTING.sub(b" ", data.replace(_SOFT_HYPHEN, b""))
    return b" " + data.replace(_MARK, _SPACED_MARK) + b" "


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
    """The SKETCH_SIZE smallest hashes of `shingle_hashes(words)`. Hashes are uniform over
    64-bit ints, so only those below a cut that keeps about twice SKETCH_SIZE of them
    are sorted (in C; a third faster than sorting all); when fewer pass (about 1 in
    10^17), all are sorted."""
    hashes = shingle_hashes(words)
    if len(hashes) > 2 * SKETCH_SIZE:
        cut = -(2**63) + (2**64 // len(hashes)) * 2 * SKETCH_SIZE
        smallest = sorted(filter(cut.__gt__, hashes))
        if len(smallest) >= SKETCH_SIZE:
            return tuple(smallest[:SKETCH_SIZE])
    return tuple(sorted(hashes)[:SKETCH_SIZE])


# Between two blocks (and before the first and after the last), four marks: a window of
# five words then never holds words of two blocks, and the windows that hold a block's
# first or last words with marks are the same wherever the block stands.
_BOUNDARIES = re.compile(re.escape(_MARK) + b"[ " + re.escape(_MARK) + b"]*")
_PADDING = b" " + b" ".join([_MARK] * (SHINGLE_WORDS - 1)) + b" "


def shingle_hashes(words: bytes) -> set[int]:
    """The hashes of every shingle (SHINGLE_WORDS words in a row) of `words` (the bytes
    of _words or _masked_words). Each word is hashed with crc32 (the same in every
    process and run, unlike Python's str hash) and a shingle is the hash of a tuple of
    word hashes (ints hash the same everywhere too); all of it runs in C. Each block is
    read between SHINGLE_WORDS - 1 block marks, so a block shorter than a shingle still
    gives shingles of its own words, and moving a block elsewhere gives the same set."""
    padded = _BOUNDARIES.sub(_PADDING, _MARK + words + _MARK)
    codes = list(map(zlib.crc32, padded.split()))
    return set(map(hash, zip(*(codes[i:] for i in range(SHINGLE_WORDS)), strict=False)))


def text_shingles(text: str) -> set[int]:
    """Every shingle hash of `text` (the set a sketch of `text` is the bottom of): what
    the estimates are measured against."""
    return shingle_hashes(_words(text))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity |A and B| / |A or B| of the shingle sets behind
    sketches `a` and `b` (0.0 when either is empty): see estimates."""
    return estimates(a, b)[0]


def containment(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated share |A and B| / |A| of the shingles of `a`'s text that are also in
    `b`'s (0.0 when either is empty): see estimates."""
    return estimates(a, b)[1]


def estimates(a: Sequence[int], b: Sequence[int]) -> tuple[float, float, float]:
    """(Jaccard similarity, containment of A in B, containment of B in A) of the shingle
    sets A and B behind two sketches (sorted bottom-k hashes, SKETCH_SIZE of them, or the
    whole set when it is smaller: then its estimates are exact).

    The k smallest hashes of SA | SB are the bottom-k sketch of A | B, a uniform sample
    of k shingles of A | B (Broder, "On the resemblance and containment of documents",
    1997; Cohen and Kaplan, "Summarizing data using bottom-k sketches", PODC 2007). The
    Jaccard estimate is the fraction of that sample in both SA and SB: unbiased, unlike
    the Jaccard similarity of the sketches themselves, |SA & SB| / |SA | SB|, which reads
    1 to 2 points low at similarities of 0.7 to 0.9. The containment of A in B is the
    fraction, among the sample's shingles that are in A, of those also in B: given how
    many fall in A, they are a uniform sample of A, so this ratio is unbiased too (it is
    taken over about k |A| / |A | B| shingles). Every shingle of A up to the sample's
    largest hash is in SA (at most k of A are that small), and likewise for B, so
    membership is read from the sketches alone. Cost: a set intersection, four bisects
    and, unless the sample is the hashes both sketches know, a sort of the ones above it."""
    if not a or not b:
        return 0.0, 0.0, 0.0
    return _estimates(a, b, len(_frozen(a) & _frozen(b)))


def _estimates(a: Sequence[int], b: Sequence[int], common: int) -> tuple[float, float, float]:
    """estimates(a, b) of non-empty sketches with `common` hashes in common."""
    k = SKETCH_SIZE
    full_a, full_b = len(a) >= k, len(b) >= k
    if not full_a and not full_b:  # both sketches are whole sets: exact
        return common / (len(a) + len(b) - common), common / len(a), common / len(b)
    # the largest hash up to which every hash of A | B is known
    largest = min(a[-1], b[-1]) if full_a and full_b else a[-1] if full_a else b[-1]
    in_a, in_b = bisect.bisect_right(a, largest), bisect.bisect_right(b, largest)
    extra = in_a + in_b - common - k  # hashes known up to `largest` beyond the k smallest
    kth = largest if extra <= 0 else _kth_largest(a[:in_a], b[:in_b], extra + 1)
    in_a, in_b = bisect.bisect_right(a, kth), bisect.bisect_right(b, kth)
    both = in_a + in_b - k  # |sample| = k = in_a + in_b - both
    # no shingle of A in the sample: A is a small part of A | B, and none of it seen in B
    return both / k, both / in_a if in_a else 0.0, both / in_b if in_b else 0.0


def _kth_largest(a: Sequence[int], b: Sequence[int], n: int) -> int:
    """The `n`-th largest distinct value of sorted `a` and `b` together (it is among the
    `n` largest of each)."""
    return sorted({*a[-n:], *b[-n:]}, reverse=True)[n - 1]


@functools.lru_cache(maxsize=65536)
def _frozen(s: Sequence[int]) -> frozenset[int]:
    return frozenset(s)


Nearest = dict[str, tuple[str, float]]  # by URL: the other page, and a score from 0 to 1


def closest(sketches: dict[str, tuple[int, ...]]) -> Nearest:
    """For each page of a group, its most similar other page and the Jaccard estimate."""
    return nearest(sketches)[0]


def nearest(sketches: dict[str, tuple[int, ...]]) -> tuple[Nearest, Nearest]:
    """For each page of a group (sketches by URL): its most similar other page with the
    Jaccard estimate, and the other page that holds the largest share of its text with
    that share (containment). Pages with the same sketch are found by hashing; distinct
    sketches are compared pairwise in small groups and, in large ones, only when they
    sort near each other (a page made of a sibling's text minus that sibling's own does:
    its smallest hashes are among the sibling's)."""
    by_sketch: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for url, s in sorted(sketches.items()):
        by_sketch[s].append(url)
    best: Nearest = {}
    held: Nearest = {}
    for urls in by_sketch.values():
        for i, url in enumerate(urls):
            if len(urls) > 1:
                best[url] = held[url] = (urls[1] if i == 0 else urls[0], 1.0)
    distinct = list(by_sketch)
    pairs: Iterable[tuple[int, int]]
    if len(distinct) <= ALL_PAIRS_UP_TO:
        pairs = ((i, j) for i in range(len(distinct)) for j in range(i + 1, len(distinct)))
    else:
        pairs = _candidate_pairs(distinct)
    sets = [frozenset(s) for s in distinct]
    # by index into `distinct`: the best other index and its score so far
    scores, shares = [-1.0] * len(distinct), [-1.0] * len(distinct)
    similar, holding = [0] * len(distinct), [0] * len(distinct)
    for i, j in pairs:
        score, i_in_j, j_in_i = _estimates(distinct[i], distinct[j], len(sets[i] & sets[j]))
        for left, right, share in ((i, j, i_in_j), (j, i, j_in_i)):
            if scores[left] < score:
                scores[left], similar[left] = score, right
            if shares[left] < share:
                shares[left], holding[left] = share, right
    for i, s in enumerate(distinct):
        for url in by_sketch[s] if scores[i] >= 0 else ():
            if url not in best or best[url][1] < scores[i]:
                best[url] = (by_sketch[distinct[similar[i]]][0], scores[i])
            if url not in held or held[url][1] < shares[i]:
                held[url] = (by_sketch[distinct[holding[i]]][0], shares[i])
    return best, held


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
