"""End to end on a copy of the example site: the facts site.yaml holds (insurance plans,
phone numbers) are stated from there on every page, and each place shows the phone number
the README's rule says ("Which phone number each place shows")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.cli import main

ADMISSIONS = "tel:+13234578208"
OWN = "tel:+13105550134"  # fictional: Beverly Hills' own number in these tests
IOP_HUB = "programs/intensive-outpatient-program/index.html"


@pytest.fixture
def example(example_site: Path) -> Path:
    return example_site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new), encoding="utf-8")


def build(root: Path) -> Path:
    assert main(["build", "--root", str(root)]) == 0
    return root / "public"


def soup(public: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((public / page).read_text(encoding="utf-8"), "lxml")


def json_ld(doc: BeautifulSoup, kind: str) -> dict:
    blocks = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
    [found] = [b for b in blocks if b.get("@type") == kind]
    return found


def test_changing_site_yaml_s_plans_changes_every_page_that_names_them(example):
    edit(
        example / "site.yaml",
        "in_network: [Anthem Blue Cross, MHN Health Net]",
        "in_network: [Anthem Blue Cross, Example Health Plan]",
    )
    edit(
        example / "site.yaml",
        "also_accepted: [Cigna, Aetna, UnitedHealthcare]",
        "also_accepted: [Cigna, Sample PPO, UnitedHealthcare]",
    )
    public = build(example)
    networks, plans = (
        "Anthem Blue Cross and Example Health Plan",
        "Cigna, Sample PPO and UnitedHealthcare",
    )

    insurance = soup(public, "insurance/index.html")
    body = " ".join(insurance.find("div", class_="prose").get_text(" ").split())
    assert f"in network with {networks}." in body
    assert f"for example {plans}." in body
    description = insurance.find("meta", attrs={"name": "description"})["content"]
    assert f"in network with {networks} and accepts most PPO plans" in description

    answer = f"in network with {networks} and accepts most PPO plans, such as {plans}."
    for page in (IOP_HUB, "los-angeles/intensive-outpatient-program/index.html"):
        faq = " ".join(soup(public, page).find("div", class_="faq").get_text(" ").split())
        assert answer in faq, page
    questions = json_ld(soup(public, IOP_HUB), "FAQPage")["mainEntity"]
    [insured] = [q for q in questions if q["name"] == "Does insurance cover IOP?"]
    assert answer in " ".join(insured["acceptedAnswer"]["text"].split())

    for file in public.rglob("*"):
        if file.is_file() and file.suffix in {".html", ".xml", ".txt", ".json", ""}:
            text = file.read_text(encoding="utf-8")
            assert "MHN Health Net" not in text, file
            assert "Aetna" not in text, file


def call_links(doc: BeautifulSoup, selector: str) -> list[str]:
    return [a["href"] for a in doc.select(selector) if a["href"].startswith("tel:")]


@pytest.mark.parametrize(
    "page", ["beverly-hills/index.html", "beverly-hills/intensive-outpatient-program/index.html"]
)
def test_a_location_s_own_number_shows_where_the_page_speaks_for_it(example, page):
    edit(
        example / "content/locations/beverly-hills.yaml",
        "programs: [",
        'phone: "(310) 555-0134"\nprograms: [',
    )
    public = build(example)
    doc = soup(public, page)
    # site-wide, the same on every page: the admissions line
    assert call_links(doc, ".site-header a") == [ADMISSIONS]
    assert call_links(doc, ".site-footer a") == [ADMISSIONS]
    assert call_links(doc, ".callbar a") == [ADMISSIONS]
    assert call_links(doc, "section.insurance a") == [ADMISSIONS]
    # the location's own: hero, call to action, contact section (with admissions beside it)
    assert call_links(doc, ".hero-actions a") == [OWN]
    assert call_links(doc, ".cta-band a") == ([OWN] if "program" in page else [])
    assert call_links(doc, "section.contact a") == [OWN, ADMISSIONS]
    labels = [s.get_text() for s in doc.select("section.contact .contact-label")]
    assert labels[:2] == ["Call Beverly Hills", "Admissions"]
    # the clinic's structured data: its own number, a tel: link on the page
    assert json_ld(doc, "MedicalClinic")["telephone"] == OWN.removeprefix("tel:")
    # {{ phone }} in the location's about text (on the hub) is its own number too
    if page == "beverly-hills/index.html":
        about = doc.find(id="about-title").find_parent("section").get_text()
        assert "(310) 555-0134" in about and "(323) 457-8208" not in about
    assert main(["check", str(public)]) == 0


@pytest.mark.parametrize(
    "page", ["los-angeles/index.html", "los-angeles/intensive-outpatient-program/index.html"]
)
def test_a_location_without_a_number_of_its_own_shows_admissions_everywhere(example, page):
    public = build(example)
    doc = soup(public, page)
    tel = {a["href"] for a in doc.find_all("a", href=True) if a["href"].startswith("tel:")}
    assert tel == {ADMISSIONS}
    assert call_links(doc, "section.contact a") == [ADMISSIONS]
    labels = [s.get_text() for s in doc.select("section.contact .contact-label")]
    assert labels[:2] == ["Call", "Text us"]
    assert json_ld(doc, "MedicalClinic")["telephone"] == ADMISSIONS.removeprefix("tel:")
