"""sitegen.model.srcset: a srcset's image candidates, as WHATWG HTML parses them."""

from __future__ import annotations

import pytest

from sitegen.model.srcset import Candidate, candidates


def test_width_descriptors():
    assert candidates("/a-356.jpg 356w, /a-728.jpg 728w") == [
        Candidate("/a-356.jpg", 356),
        Candidate("/a-728.jpg", 728),
    ]


def test_density_descriptors_and_none():
    assert candidates("a.jpg, a@2x.jpg 2x, a@1.5x.jpg 1.5x") == [
        Candidate("a.jpg", density=1.0),
        Candidate("a@2x.jpg", density=2.0),
        Candidate("a@1.5x.jpg", density=1.5),
    ]


def test_whitespace_and_commas_around_candidates():
    assert candidates("\n  /a.jpg   100w ,\t/b.jpg 200w ,, ") == [
        Candidate("/a.jpg", 100),
        Candidate("/b.jpg", 200),
    ]
    assert candidates("/a.jpg,/b.jpg 2x") == [Candidate("/a.jpg,/b.jpg", density=2.0)]


def test_a_url_may_hold_commas_and_end_with_them():
    assert candidates("/img,q_80/a.jpg 1x, /img,q_80/b.jpg 2x") == [
        Candidate("/img,q_80/a.jpg", density=1.0),
        Candidate("/img,q_80/b.jpg", density=2.0),
    ]
    # a URL's trailing commas end the candidate: no descriptors
    assert candidates("/a.jpg,, /b.jpg 2x") == [
        Candidate("/a.jpg", density=1.0),
        Candidate("/b.jpg", density=2.0),
    ]


def test_a_comma_in_parentheses_belongs_to_the_descriptor():
    # future descriptor syntax: the whole candidate is invalid, the next one is kept
    assert candidates("/a.jpg foo(1, 2), /b.jpg 300w") == [Candidate("/b.jpg", 300)]


@pytest.mark.parametrize(
    "srcset",
    ["/a.jpg 0w", "/a.jpg 1.5w", "/a.jpg -2w", "/a.jpg 2x 100w", "/a.jpg 100w 100w",
     "/a.jpg big", "/a.jpg -1x", "/a.jpg 100h", "/a.jpg 2x 100h", "/a.jpg 1e"],
)  # fmt: skip
def test_invalid_descriptors_drop_the_candidate(srcset: str):
    assert candidates(srcset + ", /ok.jpg 400w") == [Candidate("/ok.jpg", 400)]


def test_a_height_goes_with_a_width():
    assert candidates("/a.jpg 100w 50h") == [Candidate("/a.jpg", 100)]


def test_nothing():
    assert candidates("") == []
    assert candidates(" , ,") == []
