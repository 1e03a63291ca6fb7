"""Ids are unique on every page, whatever produced them: a heading of the body never takes
an id the layout gives, and a location's text never takes one of the body's."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

OUTPATIENT = "content/programs/outpatient-program.md"
PAGE = "public/los-angeles/outpatient-program/index.html"


@pytest.fixture
def example(example_site: Path) -> Path:
    """A copy of the example project (conftest.example_site)."""
    return example_site


def ids_of(html: str) -> Counter[str]:
    return Counter(e["id"] for e in BeautifulSoup(html, "lxml").find_all(id=True))


def test_every_page_of_the_example_has_one_h1_and_no_id_twice(example, build_cli):
    assert build_cli(example).code == 0
    pages = sorted((example / "public").rglob("*.html"))
    assert len(pages) == 17
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert len(BeautifulSoup(html, "lxml").find_all("h1")) == 1, page
        twice = [i for i, n in ids_of(html).items() if n > 1]
        assert twice == [], f"{page}: {twice}"


def test_a_body_heading_never_takes_an_id_of_the_layout(example, build_cli):
    """`## Contact` in a body took id="contact", so the page's own "send a message" link
    scrolled to the heading instead of the form's section."""
    path = example / OUTPATIENT
    text = path.read_text() + "\n[Write to us](#contact).\n\n## Contact\n\nCall us.\n"
    path.write_text(text, encoding="utf-8")
    assert build_cli(example).code == 0
    html = (example / PAGE).read_text(encoding="utf-8")
    assert ids_of(html)["contact"] == 1
    soup = BeautifulSoup(html, "lxml")
    assert soup.find(id="contact").name == "section"
    assert soup.find("h2", string="Contact")["id"] == "contact-2"
    # the text's own link to its heading follows the heading's new id
    assert soup.find("a", string="Write to us")["href"] == "#contact-2"


def test_a_heading_keeps_its_id_where_the_layout_of_its_page_has_no_such_id(example, build_cli):
    """Only the ids of the page's own layout (and what it uses) are reserved: `## Where`
    on an ordinary page stays #where, though the program layout has an id="where"."""
    page = example / "content/pages/insurance.md"
    page.write_text(page.read_text() + "\n[Find us](#where)\n\n## Where\n\nHere.\n")
    assert build_cli(example).code == 0
    soup = BeautifulSoup((example / "public/insurance/index.html").read_text(), "lxml")
    assert soup.find("h2", string="Where")["id"] == "where"
    assert soup.find("a", string="Find us")["href"] == "#where"


def test_a_local_text_heading_never_takes_an_id_of_the_body(example, build_cli):
    local = example / "content/locations/los-angeles/outpatient-program.md"
    local.parent.mkdir(exist_ok=True)
    local.write_text("---\n---\n## What is OP?\n\nOur own words.\n", encoding="utf-8")
    assert build_cli(example).code == 0
    html = (example / PAGE).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    # the body keeps its id (the same on every location's page); the local text, shown
    # first, gives way
    assert [h["id"] for h in soup.find_all("h2", string="What is OP?")] == [
        "what-is-op-2",
        "what-is-op",
    ]
    assert [i for i, n in ids_of(html).items() if n > 1] == []


def test_a_local_texts_footnotes_never_take_the_bodys_ids(example, build_cli):
    """A footnote in the body and one in the local text both became fn:1, so the body's
    note link jumped to the local note."""
    body = example / OUTPATIENT
    body.write_text(body.read_text() + "\nSee the note.[^1]\n\n[^1]: The body's note.\n")
    local = example / "content/locations/los-angeles/outpatient-program.md"
    local.write_text("---\n---\nOur own words.[^1]\n\n[^1]: The local note.\n", encoding="utf-8")
    assert build_cli(example).code == 0
    html = (example / PAGE).read_text(encoding="utf-8")
    assert [i for i, n in ids_of(html).items() if n > 1] == []
    soup = BeautifulSoup(html, "lxml")
    for link in soup.select("a.footnote-ref"):
        note = soup.find(id=link["href"][1:])
        assert note is not None
        text = link.find_parent("p").get_text()
        assert ("local" in note.get_text()) == ("Our own words" in text)
    # the other location's page, without a local text, keeps the body's numbering
    other = (example / "public/beverly-hills/outpatient-program/index.html").read_text()
    assert 'id="fn:1"' in other and 'id="fn:2-1"' not in other
