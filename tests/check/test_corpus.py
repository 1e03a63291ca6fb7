"""Precision and recall of `check` on a corpus of its own (tests/check/corpus_site.py): a
fictional multi-location site of clean pages and pages that each carry one planted defect,
one or more for every rule. Each rule is a test case: all of its planted defects found,
and no finding of it that was not planted (on a clean page, or on a page planted with
another rule). `python bench/corpus.py` prints the whole table."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import corpus_site
import pytest
from corpus_site import (
    DOORWAY,
    NEAR_DUPLICATE,
    Corpus,
    RuleScore,
    at,
    details,
    run_all,
    table,
)

from sitegen.check import similarity
from sitegen.model.check_rules import RULES
from sitegen.rules.tree import NOT_MAIN, NOT_SHOWN, parse, remove, tel_hrefs, text_of

CASES = sorted(RULES)


Scored = tuple[list[Corpus], dict[str, RuleScore]]


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Scored:
    return run_all(tmp_path_factory.mktemp("corpus"))


def report(scores: dict[str, RuleScore]) -> str:
    return table(scores, {r.id: r.severity for r in RULES.values()}) + "\n\n" + details(scores)


def test_every_rule_has_a_planted_defect(scored: Scored) -> None:
    corpora, _scores = scored
    planted = {d.rule for c in corpora for d in c.defects}
    assert not set(RULES) - planted, "rules without a planted defect in corpus_site.py"
    assert not planted - set(RULES), "planted defects of rules that do not exist"


@pytest.mark.parametrize("rule", CASES)
def test_rule(scored: Scored, rule: str) -> None:
    """Recall 100% and no false alarm (warnings included) for `rule`."""
    _corpora, scores = scored
    s = scores[rule]
    if not s.planted or s.missed or s.false_alarms:
        pytest.fail(
            f"{rule}: {s.found} of {s.planted} found, {len(s.false_alarms)} false alarm(s)\n"
            + details({rule: s}, limit=20)
            + "\n\n"
            + table(scores, {r.id: r.severity for r in RULES.values()}),
            pytrace=False,
        )


def test_no_finding_of_an_unknown_rule(scored: Scored) -> None:
    _corpora, scores = scored
    assert set(scores) <= set(CASES), report(scores)


# --- the corpus itself: its clean pages are clean, its defects are what they say ---------------


def main_texts(corpus: Corpus) -> dict[str, tuple[str, list[str]]]:
    """Each indexable page's main text (as the checker takes it) and its clinic's names."""
    texts: dict[str, tuple[str, list[str]]] = {}
    for url, file in corpus.pages.items():
        data = (corpus.folder / file).read_bytes()
        if not data.strip() or b'content="noindex"' in data or url == "/404.html":
            continue
        root = parse(data)
        terms: list[str] = []
        for script in root.iter("script"):
            try:
                block = json.loads(script.text or "")
            except ValueError:
                continue
            if isinstance(block, dict) and block.get("@type") == "MedicalClinic":
                address = block.get("address", {})
                terms += [block.get("name", ""), address.get("addressLocality", "")]
        remove(root, NOT_SHOWN)
        main = root.find(".//main")
        assert main is not None, url
        remove(main, NOT_MAIN - NOT_SHOWN)
        texts[url] = (text_of(main), [t for t in terms if t])
    return texts


def test_clean_pages_are_far_from_near_duplicates_and_doorways(scored: Scored) -> None:
    """Compared as they are and with each page's location names masked, no two clean pages
    come near the thresholds (80% and 90%): their local text is their own."""
    corpus = scored[0][0]
    texts = main_texts(corpus)
    clean = [u for u in corpus.clean if u in texts]
    raw = {u: similarity.sketch(texts[u][0]) for u in clean}
    masked = {u: similarity.masked_sketch(*texts[u]) for u in clean}
    for sketches in (raw, masked):
        worst = max(
            (similarity.similarity(sketches[a], sketches[b]), a, b)
            for a, b in itertools.combinations(clean, 2)
        )
        assert worst[0] < 0.5, worst


def test_the_planted_pairs_are_what_they_say(scored: Scored) -> None:
    """The doorway page is its sibling's text with the names swapped (the same once masked,
    too different to be a near-duplicate as it is); the near-duplicate reuses most of its
    sibling's text (above 80%, below the doorway threshold)."""
    texts = main_texts(scored[0][0])
    shown, program, source = DOORWAY
    door, sibling = texts[at(shown, program)], texts[at(source, program)]
    masked = [similarity.masked_sketch(*door), similarity.masked_sketch(*sibling)]
    assert similarity.similarity(*masked) == 1.0
    assert similarity.similarity(similarity.sketch(door[0]), similarity.sketch(sibling[0])) < 0.7
    copy, original = (similarity.sketch(texts[u][0]) for u in NEAR_DUPLICATE)
    assert 0.8 < similarity.similarity(copy, original) < 0.9


def test_clean_pages_meet_the_lengths_and_have_one_of_everything(scored: Scored) -> None:
    corpus = scored[0][0]
    for url in corpus.clean:
        page = (corpus.folder / corpus.pages[url]).read_text(encoding="utf-8")
        root = parse(page.encode())
        title = root.findtext(".//title") or ""
        description = root.find(".//meta[@name='description']")
        assert description is not None, url
        assert 30 <= len(title) <= 60 and 70 <= len(description.get("content") or "") <= 160, url
        assert len(root.findall(".//h1")) == 1 and root.get("lang") == "en", url
        for tel in tel_hrefs(root):
            assert tel.startswith("tel:+1541555"), url
        for img in root.iter("img"):
            assert img.get("alt") and img.get("width") and img.get("height"), url
            assert Path(corpus.folder, str(img.get("src"))[1:]).stat().st_size < 10_000, url


def test_phone_numbers_are_fictional() -> None:
    """Every phone number of the corpus is +1 XXX 555-01xx (reserved for fiction)."""
    text = Path(corpus_site.__file__).read_text(encoding="utf-8")
    numbers = set(re.findall(r"\+1\d{10}", text))
    assert numbers and all(n[5:10] == "55501" for n in numbers)
