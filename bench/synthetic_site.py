#!/usr/bin/env python3
"""Generate a deterministic synthetic site: N locations x 10 programs, using the real layouts.

python bench/synthetic_site.py --out /tmp/site --locations 100
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent


def _items(text: str) -> list[str]:
    return text.split("|")


PROGRAMS = [
    ("Intensive Outpatient Program", "IOP"),
    ("Partial Hospitalization Program", "PHP"),
    ("Outpatient Program", "OP"),
    ("Medication Assisted Treatment", "MAT"),
    ("Dual Diagnosis Treatment", "Dual Diagnosis"),
    ("Family Therapy Program", "Family Therapy"),
    ("Trauma Therapy Program", "Trauma Therapy"),
    ("Anxiety Treatment Program", "Anxiety Care"),
    ("Depression Treatment Program", "Depression Care"),
    ("Alcohol Recovery Program", "Alcohol Recovery"),
]
HEROES = ["group-therapy", "individual-therapy", "php", "outpatient", "family"]
CARD_IMAGES = ["privacy", "community", "flexibility", "cost", "peer-support", "family"]
PHOTOS = ["los-angeles", "beverly-hills", "peer-support", "community", "group-therapy"]
PLACES = _items(
    "Oakridge|Maple Falls|Cedar Grove|Riverside|Pine Hills|Lakewood|Fairview|"
    "Brookside|Silver Creek|Greenfield|Harbor View|Elm Park"
)
STATES = ["CA", "NY", "TX", "FL", "WA", "OR", "IL", "CO", "AZ", "GA", "MA", "NC"]
SUBJECTS = _items(
    "Your care team|Each group|Our clinicians|The program|Every session|A therapist|"
    "Your plan|Peer support|Family work|Each week"
)
VERBS = _items(
    "helps you build|focuses on|makes room for|gives you time for|is shaped around|"
    "supports|takes a close look at|strengthens|adds"
)
OBJECTS = _items(
    "coping skills for cravings|routines that protect your recovery|"
    "honest conversations about stress|ways to handle setbacks|healthy sleep|"
    "relapse prevention plans|trust with the people at home|steady daily habits|"
    "tools for anxiety and low mood|a plan for the weeks after treatment"
)
TAILS = _items(
    "while you live at home|at a pace that suits you|with people who understand|"
    "in {{ city }}, {{ state }}|alongside your work and family life|"
    "with support from {{ site_name }}|step by step|in small, practical ways"
)
TOPICS = ["Schedule", "Therapy", "Skills", "Family", "Aftercare", "Medication", "Support"]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."


def paragraph(rng: random.Random, n: int = 4) -> str:
    return " ".join(sentence(rng) for _ in range(n))


def plain(rng: random.Random, n: int) -> str:
    """A paragraph without location variables (for summary, benefits, quote and FAQ)."""
    text = paragraph(rng, n).replace("{{ city }}, {{ state }}", "near you")
    return text.replace("{{ site_name }}", "our team")


def slugify(text: str) -> str:
    return "-".join(text.lower().split())


def program_body(rng: random.Random, title: str) -> str:
    """A ~700-word Markdown body with headings, lists, a table, links, an image and components."""
    items = lambda n: "\n".join(f"- **{rng.choice(TOPICS)}:** {sentence(rng)}" for _ in range(n))  # noqa: E731
    steps = "\n".join(f"{i}. {sentence(rng)}" for i in range(1, 5))
    rows = "\n".join(
        f"| Weeks {w * 4 + 1} to {w * 4 + 4} | {rng.randint(2, 5)} days | {sentence(rng)} |"
        for w in range(4)
    )
    hero = rng.choice(HEROES)
    parts = [
        f"The {title} at {{{{ site_name }}}} in {{{{ city }}}} offers care you can fit into your "
        f"week. {paragraph(rng, 3)}",
        f"To talk it through, call {{{{ phone }}}}. {paragraph(rng, 3)}",
        f"## What is {{{{ short_name }}}}?\n\n{paragraph(rng)}\n\n{items(4)}",
        f"## Who is {{{{ short_name }}}} for?\n\n{paragraph(rng)} See all "
        "[our programs](/programs/) or [contact us](/contact/) to ask.",
        '{{ component("local") }}',
        '{{ component("banner") }}',
        f"## Benefits of {{{{ short_name }}}} in {{{{ city }}}}\n\n{paragraph(rng, 3)}",
        '{{ component("benefits") }}',
        '{{ component("quote") }}',
        f"## What happens during {{{{ short_name }}}}?\n\n{paragraph(rng)}",
        f"### A typical week in {{{{ city }}}}\n\n{paragraph(rng, 3)}\n\n{steps}",
        f"### Sample schedule\n\n| Stage | Days a week | Focus |\n|---|---|---|\n{rows}",
        f"![Illustration of {title.lower()} in session](/assets/images/{hero}.svg)",
        f"### Paying for care\n\n{paragraph(rng, 3)} Read about [insurance](/insurance/) "
        "or call {{ phone }}.",
        f"## Getting started in {{{{ city }}}}, {{{{ state }}}}\n\n{paragraph(rng, 3)}\n\n"
        f"{items(3)}\n\nCall {{{{ phone }}}} and ask about {{{{ short_name }}}} in {{{{ city }}}}.",
        "## Frequently asked questions",
        '{{ component("faq") }}',
    ]
    return "\n\n".join(parts) + "\n"


def program_file(rng: random.Random, index: int, title: str, short: str) -> str:
    meta = {
        "title": title,
        "short_name": short,
        "description": f"{title} for addiction and mental health in {{{{ city }}}}, "
        f"{{{{ state }}}}. {sentence(rng)}",
        "summary": plain(rng, 2),
        "order": index + 1,
        "hero": {
            "src": f"images/{HEROES[index % len(HEROES)]}.svg",
            "alt": f"Illustration: {title}",
        },
        "banner": f"Day and evening {short} schedules in {{{{ city }}}}",
        "benefits": [
            {
                "title": f"{rng.choice(TOPICS)} {n + 1}",
                "text": plain(rng, 2),
                "image": f"images/{CARD_IMAGES[(index + n) % len(CARD_IMAGES)]}.svg",
                "alt": f"Illustration for benefit {n + 1}",
            }
            for n in range(4)
        ],
        "quote": {"text": plain(rng, 2), "attribution": "Synthetic clinical team"},
        "faq": [
            {
                "question": f"{rng.choice(SUBJECTS)}: question {n + 1} about {short}?",
                "answer": plain(rng, 3),
            }
            for n in range(4)
        ],
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n{program_body(rng, title)}"


def location_data(rng: random.Random, i: int, name: str, slugs: list[str]) -> dict:
    return {
        "name": name,
        "city": name,
        "state": STATES[i % len(STATES)],
        "description": f"Outpatient treatment for addiction and mental health in {name}. "
        + sentence(rng)  # shown as written: no variables in a location's description
        .replace("{{ city }}", name)
        .replace("{{ state }}", STATES[i % len(STATES)])
        .replace("{{ site_name }}", "our team"),
        "summary": f"Day and evening programs in {name}.",
        "programs": list(slugs),
        "about": f"{{{{ site_name }}}} helps people in {{{{ city }}}}. {paragraph(rng, 4)}\n\n"
        f"Call {{{{ phone }}}} or text {{{{ text_phone }}}}.\n",
        "photos": [
            {
                "src": f"images/{PHOTOS[(i + k) % len(PHOTOS)]}.svg",
                "alt": f"Illustration {k + 1} of {name}",
            }
            for k in range(2)
        ],
        "phone": f"(323) 555-01{i % 100:02d}",
        "address": {"street": f"{100 + i} Example Street", "postal_code": f"{10000 + i:05d}"},
        "geo": {
            "latitude": round(rng.uniform(25, 48), 4),
            "longitude": round(rng.uniform(-124, -70), 4),
        },
        "hours": ["Mo-Fr 09:00-17:00"],
    }


def local_text(rng: random.Random, short: str) -> str:
    return (
        f"---\ndescription: {short} in {{{{ city }}}}, {{{{ state }}}}. {sentence(rng)}\n---\n"
        f"## {{{{ short_name }}}} in {{{{ city }}}}\n\n{paragraph(rng, 4)}\n\n"
        f"{paragraph(rng, 3)}\n"
    )


def make_site(root: Path, locations: int, programs: int = 10, seed: int = 1) -> None:
    """Write a site with `locations` x `programs` program pages into `root` (replacing it)."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    for sub in ("programs", "locations", "pages"):
        (content / sub).mkdir(parents=True)
    shutil.copytree(PROJECT / "layouts", root / "layouts")
    shutil.copytree(PROJECT / "assets", root / "assets")
    shutil.copy(PROJECT / "site.yaml", root / "site.yaml")
    for page in sorted((PROJECT / "content" / "pages").glob("*.md")):
        shutil.copy(page, content / "pages" / page.name)
    specs = [PROGRAMS[n % len(PROGRAMS)] for n in range(programs)]
    specs = [(t if n < len(PROGRAMS) else f"{t} {n}", s) for n, (t, s) in enumerate(specs)]
    slugs = [slugify(title) for title, _ in specs]
    for n, (title, short) in enumerate(specs):
        text = program_file(rng, n, title, short)
        (content / "programs" / f"{slugs[n]}.md").write_text(text, encoding="utf-8")
    for i in range(locations):
        name = f"{PLACES[i % len(PLACES)]} {i + 1}"
        slug = slugify(name)
        data = location_data(rng, i, name, slugs)
        dump = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        (content / "locations" / f"{slug}.yaml").write_text(dump, encoding="utf-8")
        if i % 10 == 0:  # 1 location in 10 has local text for every program it offers
            (content / "locations" / slug).mkdir()
            for n, slug_p in enumerate(slugs):
                text = local_text(rng, specs[n][1])
                (content / "locations" / slug / f"{slug_p}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="site folder (replaced)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--locations", type=int)
    group.add_argument("--pages", type=int, help="program pages; locations = pages / programs")
    parser.add_argument("--programs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    locations = args.locations if args.locations is not None else args.pages // args.programs
    make_site(args.out, locations, args.programs, args.seed)
    print(f"wrote {locations} locations x {args.programs} programs into {args.out}")


if __name__ == "__main__":
    main()
