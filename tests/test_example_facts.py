"""End to end on a copy of the example site: the facts site.yaml holds (insurance plans,
phone numbers) are stated from there on every page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT
from sitegen.cli import main

IOP_HUB = "programs/intensive-outpatient-program/index.html"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("content", "layouts", "assets"):
        shutil.copytree(PROJECT / name, copy / name)
    shutil.copy2(PROJECT / "site.yaml", copy / "site.yaml")
    return copy


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
