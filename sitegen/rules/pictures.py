"""Each <img> of a page as a browser chooses its file: the <source>s of its <picture> and
its own src and srcset, with their media, sizes and candidates, in plain values
(sitegen.rules.model.Picture) for the image rules across pages (sitegen.check.images),
which read the files. Also every address an <img> or <source> loads (src and each srcset
candidate), for the link rules."""

from __future__ import annotations

import re
from collections.abc import Callable

from sitegen.model.srcset import candidates
from sitegen.rules.model import Candidate, Choice, Picture
from sitegen.rules.tree import Element

Resolve = Callable[[str], "tuple[str, str] | None"]  # an address -> (path, fragment) or None

MODERN_TYPES = frozenset({"image/avif", "image/webp"})
# what every current browser shows; a <source> of another type (image/jxl) is skipped
# by most of them, so it is not what they download
SHOWN_TYPES = MODERN_TYPES | {"image/jpeg", "image/png", "image/gif", "image/apng",
                              "image/svg+xml", "image/x-icon"}  # fmt: skip
MODERN_SUFFIXES = (".avif", ".webp")
_PIXELS = re.compile(r"^\s*(\d+)(?:\.\d*)?(?:px)?\s*$")  # width="300", "300px", "300.5"


def addresses(element: Element) -> list[str]:
    """The addresses an <img> or <source> (or another element's src) loads, stripped and
    not empty: its src, then each candidate URL of its srcset, in order."""
    found = [(element.get("src") or "").strip()]
    srcset = element.get("srcset")
    if srcset and element.tag in ("img", "source"):
        found += [c.url for c in candidates(srcset)]
    return [a for a in found if a]


def picture(img: Element, resolve: Resolve) -> Picture:
    """The <img> `img` as a browser chooses its file; `resolve` gives an address's internal
    (path, fragment), None for other sites' and what is no address."""
    choices: list[Choice] = []
    modern = False
    for source in _sources(img):
        kind = (source.get("type") or "").strip().lower()
        if not source.get("srcset") or (kind and kind not in SHOWN_TYPES):
            continue
        found = _candidates(source.get("srcset") or "", resolve)
        modern = modern or kind in MODERN_TYPES or _any_modern(found)
        media = (source.get("media") or "").strip()
        choices.append((media, (source.get("sizes") or "").strip(), found))
    srcset = img.get("srcset") or ""
    own = _candidates(srcset, resolve)
    src = (img.get("src") or "").strip()
    src_path = _path(src, resolve)
    if src and not any(width for _, width, _ in own) and not any(d == 1.0 for *_, d in own):
        own += ((src_path, 0, 1.0),)  # HTML: src is the 1x candidate when srcset has none
    modern = modern or _any_modern(own) or src.lower().endswith(MODERN_SUFFIXES)
    choices.append(("", (img.get("sizes") or "").strip(), own))
    return src_path, _width(img.get("width")), modern, tuple(choices)


def _sources(img: Element) -> list[Element]:
    """The <source>s of the <picture> that holds `img`, in order. libxml2's HTML parser
    does not know <source> is void, so it nests what follows one inside it
    (<picture><source><source><img>): the <picture> is the first ancestor that is no
    <source>."""
    parent = img.getparent()
    while parent is not None and parent.tag == "source":
        parent = parent.getparent()
    if parent is None or parent.tag != "picture":
        return []
    return [s for s in parent.iter("source") if s is not img]


def _candidates(srcset: str, resolve: Resolve) -> tuple[Candidate, ...]:
    return tuple(
        (_path(c.url, resolve), c.width or 0, 0.0 if c.width else c.density or 0.0)
        for c in candidates(srcset)
    )


def _path(address: str, resolve: Resolve) -> str | None:
    found = resolve(address) if address else None
    return found[0] if found else None


def _any_modern(found: tuple[Candidate, ...]) -> bool:
    return any(path and path.lower().endswith(MODERN_SUFFIXES) for path, _, _ in found)


def _width(value: str | None) -> int:
    """The width attribute in CSS px (HTML: a valid non-negative integer; 300px and 300.5
    are read as browsers read them), 0 when there is none or it is no number of pixels
    (100%)."""
    match = _PIXELS.match(value or "")
    return int(match.group(1)) if match else 0
