"""Near-duplicates and doorway pages: the bottom-k estimates against exact Jaccard and
containment, paragraph order, and the doorway rule on a built site and on a folder that
is not ours (place names from its JSON-LD)."""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

import pytest

from conftest import write_files
from sitegen.check import similarity
from sitegen.check.page import read_page
from sitegen.cli import main
from sitegen.rules.model import PageContext, Thresholds

VOCABULARY = [
    *("care", "team", "group", "therapy", "week", "plan", "session", "family", "home"),
    *("work", "stress", "sleep", "habit", "relapse", "support", "coping", "skill", "trust"),
    *("peer", "recovery", "routine", "clinic", "visit", "call", "day", "evening", "morning"),
    *("step", "goal", "talk", "help", "time", "life", "health", "mind", "body", "change"),
]


def words(rng: random.Random, n: int) -> list[str]:
    """`n` words drawn from a small vocabulary, numbered so that 5-word shingles rarely
    repeat by chance (as in real prose, where they rarely do)."""
    return [f"{rng.choice(VOCABULARY)}{rng.randrange(50)}" for _ in range(n)]


def pair(rng: random.Random, target: float) -> tuple[str, str]:
    """Two texts of 300 to 1,200 words whose shingle sets have a Jaccard similarity near
    `target`: the second is the first with some stretches replaced and some added."""
    first = words(rng, rng.randrange(300, 1200))
    second = list(first)
    changes = max(1, round(len(first) * (1 - target) / (1 + target) / 5))  # ~5 shingles each
    for _ in range(changes):
        at = rng.randrange(len(second))
        if rng.random() < 0.5:
            second[at] = "changed" + second[at]  # one word: five shingles
        else:
            second.insert(at, "added" + rng.choice(VOCABULARY))
    return " ".join(first), " ".join(second)


def exact(first: str, second: str) -> tuple[float, float]:
    """(Jaccard similarity, containment of the first in the second) of the shingle sets."""
    a, b = similarity.text_shingles(first), similarity.text_shingles(second)
    return len(a & b) / len(a | b), len(a & b) / len(a)


def sketch_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The former estimate, the Jaccard similarity of the sketches themselves."""
    return len(set(a) & set(b)) / len(set(a) | set(b))


def test_the_estimates_are_unbiased_against_exact_jaccard_and_containment():
    rng = random.Random(7)
    errors: dict[str, list[float]] = {"new": [], "old": [], "containment": [], "band": []}
    for i in range(400):
        first, second = pair(rng, 0.5 + 0.47 * i / 399)
        jaccard, contained = exact(first, second)
        a, b = similarity.sketch(first), similarity.sketch(second)
        assert len(a) == len(b) == similarity.SKETCH_SIZE
        score, a_in_b, _ = similarity.estimates(a, b)
        assert score == similarity.similarity(a, b) and a_in_b == similarity.containment(a, b)
        errors["new"].append(score - jaccard)
        errors["old"].append(sketch_jaccard(a, b) - jaccard)
        errors["containment"].append(a_in_b - contained)
        if 0.7 <= jaccard <= 0.91:  # where the thresholds are
            errors["band"].append(sketch_jaccard(a, b) - jaccard)
    assert abs(statistics.mean(errors["new"])) < 0.005
    assert abs(statistics.mean(errors["containment"])) < 0.005
    # what the sketches' own Jaccard similarity read: about 1.5 points low
    assert statistics.mean(errors["band"]) < -0.01 and statistics.mean(errors["old"]) < -0.01


def test_small_texts_are_compared_exactly():
    rng = random.Random(3)
    first = " ".join(words(rng, 60))
    second = first.replace(first.split()[30], "other", 1) + " and a few words more"
    a, b = similarity.sketch(first), similarity.sketch(second)
    assert len(a) < similarity.SKETCH_SIZE and len(b) < similarity.SKETCH_SIZE  # whole sets
    jaccard, contained = exact(first, second)
    score, a_in_b, _ = similarity.estimates(a, b)
    assert score == pytest.approx(jaccard, abs=1e-12)
    assert a_in_b == pytest.approx(contained, abs=1e-12)
    assert similarity.estimates(a, a) == (1.0, 1.0, 1.0)
    assert similarity.estimates(a, ()) == (0.0, 0.0, 0.0)


def test_texts_with_nothing_in_common_score_zero_whichever_hashes_are_smaller():
    k = similarity.SKETCH_SIZE
    low, high = tuple(range(k)), tuple(range(10 * k, 11 * k))  # no hash of `high` sampled
    assert similarity.estimates(high, low) == (0.0, 0.0, 0.0)
    assert similarity.estimates(low, high) == (0.0, 0.0, 0.0)
    assert similarity.estimates(high[:5], low) == (0.0, 0.0, 0.0)  # a whole small set


PARAGRAPHS = [
    "<h2>Getting here</h2>",
    "<p>The clinic is a short walk from the station, with parking behind the building.</p>",
    "<p>Groups meet in the morning and in the evening, four days a week.</p>",
    "<ul><li>Individual therapy once a week</li><li>Family sessions on Saturdays</li></ul>",
    "<p>Open late.</p>",  # shorter than a shingle: it still counts
    "<div>A block of text straight in a div, without a paragraph around it.</div>",
    "<blockquote>It fit around my job.</blockquote>",
    "<table><tr><td>Mon</td><td>9 to 5</td></tr></table>",
]  # fmt: skip


def main_sketch(blocks: list[str]) -> tuple[int, ...]:
    html = f"<!doctype html><html><body><main>{''.join(blocks)}</main></body></html>"
    facts, _ = read_page(html.encode(), "/x/", PageContext(None, False, Thresholds()))
    return facts.sketch


def test_the_order_of_paragraphs_does_not_change_the_sketch():
    rng = random.Random(5)
    sketch = main_sketch(PARAGRAPHS)
    for _ in range(5):
        shuffled = list(PARAGRAPHS)
        rng.shuffle(shuffled)
        assert main_sketch(shuffled) == sketch
    assert main_sketch([p for p in PARAGRAPHS if "Open late" not in p]) != sketch
    # newlines between blocks or none: the same
    assert main_sketch(["\n".join(PARAGRAPHS)]) == sketch


@pytest.fixture
def project(example_site: Path) -> Path:
    """A copy of the example project (conftest.example_site): its output and cache are the
    test's own."""
    return example_site


def local_text(city: str, seed: int) -> str:
    """A page's own text: about 400 words no other page has."""
    rng = random.Random(seed)
    paragraphs = [" ".join(words(rng, 80)) + "." for _ in range(5)]
    return f"---\ndescription: IOP in {city}.\n---\n## IOP in {city}\n\n" + "\n\n".join(paragraphs)


def findings(capsys, *args: str) -> dict[str, dict[str, str]]:
    """(rule, URL) -> message of the doorway and near-duplicate findings of a check."""
    main([*args, "--format", "json"])
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    rules = ("doorway", "near-duplicate")
    found: dict[str, dict[str, str]] = {rule: {} for rule in rules}
    for f in report["findings"]:
        if f["rule"] in rules:
            found[f["rule"]][f["url"]] = f["message"]
    return found


def test_a_new_location_without_text_of_its_own_is_a_doorway_beside_ones_with_text(project, capsys):
    """Three locations of the IOP: two with text of their own, the new one without. The
    new one's text is all on the others' pages (once the names are swapped); theirs is
    not on its page, nor on each other's."""
    new = (project / "content/locations/beverly-hills.yaml").read_text()
    new = new.replace("Beverly Hills", "Pasadena").replace("outpatient-program]", "]")
    new = new.replace("program, ]", "program]")
    (project / "content/locations/pasadena.yaml").write_text(new)
    for seed, (slug, city) in enumerate((("los-angeles", "Los Angeles"),
                                         ("beverly-hills", "Beverly Hills"))):  # fmt: skip
        page = project / f"content/locations/{slug}/intensive-outpatient-program.md"
        page.write_text(local_text(city, seed))
    found = findings(capsys, "build", "--root", str(project), "--check")
    iop = {url for url in found["doorway"] if url.endswith("/intensive-outpatient-program/")}
    assert iop == {"/pasadena/intensive-outpatient-program/"}
    message = found["doorway"]["/pasadena/intensive-outpatient-program/"]
    assert "/intensive-outpatient-program/ (warning at 90%)" in message
    assert "100% of the main text is also on /" in message or "99% of" in message
    assert "add text about this location" in message


def clinic_page(city: str, street: str, phone: str, data: bool = True) -> str:
    """A page of a site that is not ours: the same text for every city."""
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": f"Outpatient care in {city}"},
            {"@type": "MedicalClinic", "name": f"Harbor Health {city}", "telephone": phone,
             "address": {"@type": "PostalAddress", "streetAddress": street,
                         "addressLocality": city, "addressRegion": "OR", "postalCode": "97201"}},
        ],
    }  # fmt: skip
    digits = "".join(c for c in phone if c.isdigit())[1:]
    shown = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if data else ""
    rng = random.Random(11)  # the same text on every page
    body = "".join(f"<p>{' '.join(words(rng, 60))} in {city}.</p>" for _ in range(6))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Outpatient care in {city} at Harbor Health</title>{script}</head>
<body><main><h1>Outpatient care in {city}</h1>{body}
<p>Visit Harbor Health {city} at {street}, {city}, OR 97201, or call {shown}.</p>
</main></body></html>"""


CITIES = [("Portland", "12 Oak Street", "+1-503-555-0100"),
          ("Salem", "4 Elm Road", "+1-503-555-0101"),
          ("Eugene", "77 Pine Avenue", "+1-541-555-0102")]  # fmt: skip


def test_pages_that_differ_only_by_the_places_their_json_ld_names_are_doorways(tmp_path, capsys):
    pages = {
        f"{city.lower()}.html": clinic_page(city, street, phone) for city, street, phone in CITIES
    }
    site = write_files(tmp_path / "elsewhere", pages)  # fmt: skip
    found = findings(capsys, "check", str(site), "--root", str(tmp_path))
    assert set(found["doorway"]) == {"/portland.html", "/salem.html", "/eugene.html"}
    assert "100% of the main text is also on /" in found["doorway"]["/salem.html"]


def test_without_json_ld_the_pages_are_compared_as_they_are(tmp_path, capsys):
    pages = {f"{city.lower()}.html": clinic_page(city, street, phone, data=False)
             for city, street, phone in CITIES}  # fmt: skip
    site = write_files(tmp_path / "elsewhere", pages)
    found = findings(capsys, "check", str(site), "--root", str(tmp_path))
    assert not found["doorway"]
    assert set(found["near-duplicate"]) == {"/portland.html", "/salem.html", "/eugene.html"}


def test_near_duplicates_are_found_from_80_percent(tmp_path, capsys):
    """Pages of a site that is not ours, without names to swap: a pair at about 88%
    (exact) is reported with its sibling, a pair at about 65% is not."""
    rng = random.Random(13)
    close = pair(rng, 0.88)
    far = pair(rng, 0.65)
    texts = {"a.html": close[0], "b.html": close[1], "c.html": far[0], "d.html": far[1]}
    assert 0.85 < exact(*close)[0] < 0.91 and exact(*far)[0] < 0.7
    pages = {
        name: f"<!doctype html><html><head><title>{name}</title></head><body><main>"
        f"<p>{text}</p></main></body></html>"
        for name, text in texts.items()
    }
    site = write_files(tmp_path / "elsewhere", pages)
    found = findings(capsys, "check", str(site), "--root", str(tmp_path))
    assert set(found["near-duplicate"]) == {"/a.html", "/b.html"}
    assert "the same as /b.html (warning at 80%)" in found["near-duplicate"]["/a.html"]
    assert not found["doorway"]


def test_in_a_large_group_a_page_without_text_of_its_own_is_found_inside_a_sibling():
    """Past ALL_PAIRS_UP_TO distinct texts only neighbours in sketch order are compared:
    a page made of the shared text alone still meets a sibling that holds all of it."""
    rng = random.Random(3)
    shared = [" ".join(words(rng, 60)) for _ in range(10)]  # ten paragraphs
    mark = similarity.BLOCK_MARK
    sketches = {
        f"/location{i}/": similarity.sketch(mark.join([*shared, " ".join(words(rng, 30 + 3 * i))]))
        for i in range(100)
    }
    sketches["/new/"] = similarity.sketch(mark.join(shared))
    assert len(set(sketches.values())) > similarity.ALL_PAIRS_UP_TO
    closest, holding = similarity.nearest(sketches)
    sibling, share = holding["/new/"]
    assert sibling.startswith("/location") and share > 0.95
    assert closest["/new/"][1] < share  # the siblings have text the new page lacks
