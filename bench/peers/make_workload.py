#!/usr/bin/env python3
"""Generate the synthetic multi-location workload, once per peer's input format.

    python make_workload.py --locations 100 --programs 10 --out /tmp/sitegen-peers/n100

writes, under OUT:
  source/    canonical input: programs/<slug>.md (YAML front matter + ~700-word
             Markdown body) and locations.yaml (list of records). The Python
             floor reads this directly.
  hugo/      Hugo site: data/{programs,locations}.yaml, assets/programs/<slug>.md
             (bodies), plus the config/layouts/content adapter from sites/hugo.
  hugo-once/ Hugo variant: programs as unpublished content pages (Markdown rendered
             once each), pair pages pull their .Content.
  eleventy/  Eleventy site: src/programs/<slug>.md (same files as source/),
             data/locations.yaml, plus config/templates/pairs.js from sites/eleventy.

Every peer renders exactly locations x programs pages at /<program>/<location>/.
Output is deterministic for a given --seed.
"""

import argparse
import json
import random
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PEERS = HERE / "sites"
BRAND = "Harbor Health"

PROGRAMS = [
    ("Intensive Outpatient Program", "IOP"),
    ("Partial Hospitalization Program", "PHP"),
    ("Outpatient Program", "OP"),
    ("Residential Treatment", "RTC"),
    ("Medication-Assisted Treatment", "MAT"),
    ("Dual Diagnosis Treatment", "dual diagnosis care"),
    ("Medical Detox", "detox"),
    ("Family Therapy Program", "family therapy"),
    ("Adolescent Outpatient Program", "teen outpatient"),
    ("Aftercare and Alumni Program", "aftercare"),
    ("Trauma-Focused Therapy", "trauma therapy"),
    ("Telehealth Outpatient Program", "telehealth"),
    ("Sober Living Support", "sober living"),
    ("Eating Disorder Outpatient", "ED outpatient"),
    ("Executive Treatment Program", "executive track"),
]

# city, state, lat, lng, area code, zip prefix
CITIES = [
    ("Los Angeles", "CA", 34.0522, -118.2437, "213", "900"),
    ("Beverly Hills", "CA", 34.0736, -118.4004, "310", "902"),
    ("Santa Monica", "CA", 34.0195, -118.4912, "310", "904"),
    ("Pasadena", "CA", 34.1478, -118.1445, "626", "911"),
    ("Long Beach", "CA", 33.7701, -118.1937, "562", "908"),
    ("Glendale", "CA", 34.1425, -118.2551, "818", "912"),
    ("Burbank", "CA", 34.1808, -118.3090, "818", "915"),
    ("Torrance", "CA", 33.8358, -118.3406, "310", "905"),
    ("Irvine", "CA", 33.6846, -117.8265, "949", "926"),
    ("Newport Beach", "CA", 33.6189, -117.9298, "949", "926"),
    ("Anaheim", "CA", 33.8366, -117.9143, "714", "928"),
    ("San Diego", "CA", 32.7157, -117.1611, "619", "921"),
    ("La Jolla", "CA", 32.8328, -117.2713, "858", "920"),
    ("Riverside", "CA", 33.9806, -117.3755, "951", "925"),
    ("Palm Springs", "CA", 33.8303, -116.5453, "760", "922"),
    ("Santa Barbara", "CA", 34.4208, -119.6982, "805", "931"),
    ("San Francisco", "CA", 37.7749, -122.4194, "415", "941"),
    ("Oakland", "CA", 37.8044, -122.2712, "510", "946"),
    ("San Jose", "CA", 37.3382, -121.8863, "408", "951"),
    ("Sacramento", "CA", 38.5816, -121.4944, "916", "958"),
    ("Fresno", "CA", 36.7378, -119.7871, "559", "937"),
    ("Phoenix", "AZ", 33.4484, -112.0740, "602", "850"),
    ("Scottsdale", "AZ", 33.4942, -111.9261, "480", "852"),
    ("Tucson", "AZ", 32.2226, -110.9747, "520", "857"),
    ("Las Vegas", "NV", 36.1699, -115.1398, "702", "891"),
    ("Henderson", "NV", 36.0395, -114.9817, "702", "890"),
    ("Denver", "CO", 39.7392, -104.9903, "303", "802"),
    ("Boulder", "CO", 40.0150, -105.2705, "303", "803"),
    ("Austin", "TX", 30.2672, -97.7431, "512", "787"),
    ("Dallas", "TX", 32.7767, -96.7970, "214", "752"),
    ("Houston", "TX", 29.7604, -95.3698, "713", "770"),
    ("San Antonio", "TX", 29.4241, -98.4936, "210", "782"),
    ("Seattle", "WA", 47.6062, -122.3321, "206", "981"),
    ("Bellevue", "WA", 47.6101, -122.2015, "425", "980"),
    ("Portland", "OR", 45.5152, -122.6784, "503", "972"),
    ("Salt Lake City", "UT", 40.7608, -111.8910, "801", "841"),
    ("Miami", "FL", 25.7617, -80.1918, "305", "331"),
    ("Boca Raton", "FL", 26.3683, -80.1289, "561", "334"),
    ("Tampa", "FL", 27.9506, -82.4572, "813", "336"),
    ("Orlando", "FL", 28.5383, -81.3792, "407", "328"),
    ("Atlanta", "GA", 33.7490, -84.3880, "404", "303"),
    ("Nashville", "TN", 36.1627, -86.7816, "615", "372"),
    ("Chicago", "IL", 41.8781, -87.6298, "312", "606"),
    ("Evanston", "IL", 42.0451, -87.6877, "847", "602"),
    ("Minneapolis", "MN", 44.9778, -93.2650, "612", "554"),
    ("Boston", "MA", 42.3601, -71.0589, "617", "021"),
    ("Cambridge", "MA", 42.3736, -71.1097, "617", "021"),
    ("New York", "NY", 40.7128, -74.0060, "212", "100"),
    ("Brooklyn", "NY", 40.6782, -73.9442, "718", "112"),
    ("Philadelphia", "PA", 39.9526, -75.1652, "215", "191"),
]
STREETS = [
    "Wilshire Blvd",
    "Sunset Blvd",
    "Olympic Blvd",
    "Main St",
    "Ocean Ave",
    "Colorado Blvd",
    "Broadway",
    "Lake Ave",
    "Harbor Dr",
    "Pacific Coast Hwy",
    "Figueroa St",
    "Vermont Ave",
    "Santa Monica Blvd",
    "Ventura Blvd",
    "Canon Dr",
    "Beverly Dr",
    "Market St",
    "Mission St",
    "Park Ave",
    "Elm St",
    "Cedar Ave",
    "Oak St",
    "Maple Dr",
    "Pine St",
    "Washington Ave",
    "Jefferson St",
    "Lincoln Blvd",
    "Madison Ave",
    "Central Ave",
    "Grand Ave",
    "Spring St",
    "Hill St",
    "Camino Real",
    "Mesa Dr",
    "Valley Rd",
    "Ridge Rd",
    "Sierra Way",
    "Palm Ave",
]
NEIGHBORHOODS = [
    "the arts district",
    "the medical corridor",
    "downtown",
    "the waterfront",
    "midtown",
    "the university area",
    "the financial district",
    "the historic district",
    "uptown",
    "the business park",
    "the hillside neighborhoods",
    "the old town area",
]
LANDMARKS = [
    "the public library",
    "the central train station",
    "a large community park",
    "the county courthouse",
    "the farmers market",
    "the city hospital campus",
    "the convention center",
    "a busy shopping center",
    "the community college",
    "the main post office",
    "the river trail",
    "the civic center",
]

# Sentence material. Subjects carry their verb form (singular/plural).
SUBJECTS = [
    ("Our clinical team", "s"),
    ("Each participant", "s"),
    ("The program", "s"),
    ("Licensed therapists", "p"),
    ("Family members", "p"),
    ("A dedicated case manager", "s"),
    ("Peer mentors", "p"),
    ("The psychiatric provider", "s"),
    ("Group facilitators", "p"),
    ("Many clients", "p"),
    ("The individual care plan", "s"),
    ("Weekly sessions", "p"),
    ("The nursing staff", "s"),
    ("Every schedule", "s"),
    ("Our admissions coordinators", "p"),
    ("The aftercare team", "s"),
    ("Small process groups", "p"),
    ("A registered dietitian", "s"),
]
VERBS = [
    ("builds", "build"),
    ("focuses on", "focus on"),
    ("reinforces", "reinforce"),
    ("supports", "support"),
    ("introduces", "introduce"),
    ("reviews", "review"),
    ("strengthens", "strengthen"),
    ("tracks", "track"),
    ("coordinates", "coordinate"),
    ("adapts", "adapt"),
    ("measures", "measure"),
    ("explores", "explore"),
    ("protects", "protect"),
    ("prioritizes", "prioritize"),
    ("revisits", "revisit"),
    ("documents", "document"),
    ("encourages", "encourage"),
    ("clarifies", "clarify"),
]
OBJECTS = [
    "coping skills for high-risk situations",
    "a written relapse prevention plan",
    "medication management and side effects",
    "sleep and nutrition routines",
    "honest communication with loved ones",
    "progress toward personal goals",
    "emotional regulation techniques",
    "the link between stress and cravings",
    "healthy boundaries at home and at work",
    "the return to daily responsibilities",
    "motivation during the difficult early weeks",
    "symptoms of anxiety and depression",
    "a realistic plan for weekends and holidays",
    "safe use of prescribed medication",
    "practical tools for managing conflict",
    "connection with community support groups",
    "self-compassion after a setback",
    "the skills learned in earlier sessions",
    "triggers that show up in everyday routines",
    "mindfulness and grounding exercises",
    "a steady structure for each day",
    "trust that was strained by substance use",
]
TAILS = [
    "in small groups",
    "over the first two weeks",
    "with input from the whole care team",
    "at a pace that fits work and school",
    "using evidence-based methods such as CBT and DBT",
    "before any change in the level of care",
    "through one-on-one sessions",
    "with regular check-ins",
    "in a calm and private setting",
    "as symptoms change",
    "without pressure or judgment",
    "alongside family sessions",
    "from the first day onward",
    "during morning and evening tracks",
    "with clear and measurable goals",
    "based on each person's history",
    "in coordination with outside physicians",
]
OPENERS = [
    "",
    "",
    "",
    "",
    "In addition, ",
    "Over time, ",
    "For many people, ",
    "In practice, ",
    "Throughout treatment, ",
    "As a result, ",
    "Most weeks, ",
    "When it helps, ",
]
LINKS = [
    ("verify your insurance", "/insurance/"),
    ("admissions process", "/admissions/"),
    ("our clinical approach", "/approach/"),
    ("family resources", "/family/"),
    ("the SAMHSA helpline", "https://www.samhsa.gov/find-help/national-helpline"),
    ("NIMH health topics", "https://www.nimh.nih.gov/health/topics"),
    ("contact the admissions team", "/contact/"),
    ("levels of care", "/levels-of-care/"),
]
BULLETS = [
    "Individual therapy with a licensed clinician",
    "Group therapy three to five days a week",
    "Psychiatric evaluation and medication review",
    "Family education workshops",
    "Relapse prevention planning",
    "Mindfulness and stress reduction practice",
    "Care coordination with primary care doctors",
    "Drug and alcohol screening",
    "Trauma-informed care",
    "Life skills and vocational support",
    "Nutrition counseling",
    "Alumni events and peer support",
    "Sleep hygiene coaching",
    "Crisis planning",
    "Cognitive behavioral therapy (CBT)",
    "Dialectical behavior therapy (DBT) skills",
    "Motivational interviewing",
    "Holistic options such as yoga and art therapy",
]
H2_TITLES = [
    "What to expect in {t}",
    "Who {a} is for",
    "How {a} works",
    "Therapies used in {a}",
    "A typical week",
    "Insurance and cost",
    "Moving between levels of care",
    "Family involvement",
    "Measuring progress",
    "Getting started",
]
H3_TITLES = [
    "Mornings",
    "Afternoons",
    "Evening track",
    "Individual sessions",
    "Group sessions",
    "Medication support",
    "Family sessions",
    "Discharge planning",
    "Length of stay",
    "Privacy and confidentiality",
]
FAQ_QS = [
    "How long does {a} usually last?",
    "Can I keep working while in {a}?",
    "Does insurance cover {a}?",
    "What happens after {a} ends?",
    "Is {a} right for me?",
    "How many hours a week is {a}?",
    "Can family members take part in {a}?",
    "Do I need a referral for {a}?",
]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Writer:
    """Seeded prose generator: sentences from combinatorial parts."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def sentence(self, emphasis: bool = True, link: bool = True) -> str:
        r = self.r
        subj, num = r.choice(SUBJECTS)
        verb = r.choice(VERBS)[0 if num == "s" else 1]
        obj = r.choice(OBJECTS)
        if emphasis and r.random() < 0.12:
            obj = f"*{obj}*" if r.random() < 0.5 else f"**{obj}**"
        text = f"{subj} {verb} {obj} {r.choice(TAILS)}"
        opener = r.choice(OPENERS)
        if opener:
            text = opener + text[0].lower() + text[1:]
        if link and r.random() < 0.06:
            label, url = r.choice(LINKS)
            text += f" (see [{label}]({url}))"
        return text + "."

    def paragraph(self, lo: int = 2, hi: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def bullets(self, lo: int = 4, hi: int = 7) -> str:
        return "\n".join(f"- {b}" for b in self.r.sample(BULLETS, self.r.randint(lo, hi)))


def words(text: str) -> int:
    return len(text.split())


def make_program(
    i: int, title: str, abbr: str, rng: random.Random
) -> tuple[str, dict[str, Any], str]:
    w = Writer(rng)
    slug = slugify(title)
    fmt = {"t": title, "a": abbr}
    h2s = [h.format(**fmt) for h in rng.sample(H2_TITLES, 5)]
    h3s = rng.sample(H3_TITLES, 4)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    acts = [
        "Process group",
        "Skills group",
        "Individual therapy",
        "Family session",
        "Psychiatry check-in",
        "Mindfulness",
        "Relapse prevention",
        "Free time",
        "Art therapy",
    ]
    table = ["| Day | Morning | Afternoon | Hours |", "| --- | --- | --- | ---: |"]
    for d in days[: rng.randint(4, 6)]:
        table.append(f"| {d} | {rng.choice(acts)} | {rng.choice(acts)} | {rng.randint(2, 6)} |")
    link_label, link_url = rng.choice(LINKS[:4])
    blocks = [
        w.paragraph(2, 4),
        f"## {h2s[0]}",
        w.paragraph(),
        w.paragraph(2, 4),
        f"### {h3s[0]}",
        w.paragraph(3, 4),
        w.bullets(),
        f"### {h3s[1]}",
        w.paragraph(3, 4),
        f'![{title} group room](/images/{slug}-room.jpg "{title} at {BRAND}")',
        f"## {h2s[1]}",
        w.paragraph(),
        w.bullets(3, 5),
        w.paragraph(2, 4),
        f"## {h2s[2]}",
        "The schedule below is an example; your own plan may differ.",
        "\n".join(table),
        w.paragraph(2, 4),
        f"### {h3s[2]}",
        w.paragraph(2, 4),
        f"## {h2s[3]}",
        w.paragraph(),
        f"### {h3s[3]}",
        w.paragraph(2, 4),
        f"## {h2s[4]}",
        f"To begin, [{link_label}]({link_url}) or call the location nearest you. "
        + w.paragraph(2, 3),
    ]
    # Top up to ~700 words with extra paragraphs placed after random headings.
    while words("\n\n".join(blocks)) < 690:
        heads = [k for k, b in enumerate(blocks) if b.startswith("#")]
        blocks.insert(rng.choice(heads) + 1, w.paragraph(2, 4))
    body = "\n\n".join(blocks) + "\n"
    faq = []
    for q in rng.sample(FAQ_QS, rng.randint(4, 6)):
        faq.append(
            {"q": q.format(**fmt), "a": " ".join(w.sentence(False, False) for _ in range(2))}
        )
    front = {
        "title": title,
        "order": i + 1,
        "description": f"{title} ({abbr}) at {BRAND}: "
        + w.sentence(False, False)[:-1].lower()
        + ", with flexible schedules and licensed clinicians.",
        "summary": w.sentence(False, False) + " " + w.sentence(False, False),
        "faq": faq,
    }
    return slug, front, body


def make_locations(n: int, program_slugs: list[str], rng: random.Random) -> list[dict[str, Any]]:
    w = Writer(rng)
    seen, locs = set(), []
    for i in range(n):
        city, state, lat, lng, area, zprefix = CITIES[i] if i < len(CITIES) else rng.choice(CITIES)
        street = rng.choice(STREETS)
        slug = slugify(f"{city} {street}")
        k = 2
        while slug in seen:
            slug = slugify(f"{city} {street} {k}")
            k += 1
        seen.add(slug)
        suffix = f" {k - 1}" if k > 2 else ""
        name = f"{BRAND} {city} ({street}{suffix})"
        number = rng.randint(100, 9899)
        hood, mark = rng.choice(NEIGHBORHOODS), rng.choice(LANDMARKS)
        intro = [
            f"{name} sits at {number} {street} in {hood} of {city}, a short walk from {mark}.",
            f"Patients from across {city} and nearby communities in {state} come here for "
            f"care that fits around work, school and family life.",
            rng.choice(
                [
                    "Free parking is available behind the building, "
                    "and two bus lines stop at the corner.",
                    "The clinic shares a quiet courtyard with a pharmacy and a small cafe.",
                    "Street parking is limited, "
                    "so many clients use the nearby garage or public transit.",
                    "The second-floor suite has private therapy rooms and a bright group space.",
                ]
            ),
        ]
        while words(" ".join(intro)) < 115:
            intro.append(w.sentence(False, False).replace("The program", f"The {city} team"))
        locs.append(
            {
                "slug": slug,
                "name": name,
                "city": city,
                "state": state,
                "street": f"{number} {street}",
                "postal_code": f"{zprefix}{rng.randint(10, 99)}",
                "phone": f"({area}) {rng.randint(200, 989)}-{rng.randint(1000, 9999)}",
                "geo": {
                    "lat": round(lat + rng.uniform(-0.05, 0.05), 5),
                    "lng": round(lng + rng.uniform(-0.05, 0.05), 5),
                },
                "hours": [
                    f"Mon-Fri {rng.choice(['7:00 AM', '8:00 AM', '9:00 AM'])} - "
                    f"{rng.choice(['6:00 PM', '7:00 PM', '8:00 PM'])}",
                    "Sat "
                    + rng.choice(["9:00 AM - 1:00 PM", "9:00 AM - 3:00 PM", "by appointment"]),
                    f"Sun {rng.choice(['closed', 'telehealth only'])}",
                ],
                "programs": list(program_slugs),
                "intro": " ".join(intro),
            }
        )
    return locs


def dump_yaml(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=100), "utf-8")


def program_file(front: dict[str, Any], body: str) -> str:
    return (
        "---\n"
        + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100)
        + "---\n\n"
        + body
    )


def copy_peer(name: str, dest: Path) -> None:
    shutil.copytree(PEERS / name, dest, dirs_exist_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--locations", "-n", type=int, default=100)
    ap.add_argument("--programs", "-m", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    if not 1 <= a.programs <= len(PROGRAMS):
        ap.error(f"--programs must be 1..{len(PROGRAMS)}")
    rng = random.Random(a.seed)
    programs = [make_program(i, t, ab, rng) for i, (t, ab) in enumerate(PROGRAMS[: a.programs])]
    slugs = [s for s, _, _ in programs]
    locations = make_locations(a.locations, slugs, rng)
    out = a.out
    if out.exists():
        shutil.rmtree(out)

    # canonical source (the Python floor reads this)
    src = out / "source"
    for slug, front, body in programs:
        (src / "programs").mkdir(parents=True, exist_ok=True)
        (src / "programs" / f"{slug}.md").write_text(program_file(front, body), "utf-8")
    dump_yaml(locations, src / "locations.yaml")
    prog_list = [dict(slug=s, **f) for s, f, _ in programs]

    # Hugo: data files + Markdown bodies as global resources, pages via content adapter
    hugo = out / "hugo"
    copy_peer("hugo", hugo)
    dump_yaml(locations, hugo / "data" / "locations.yaml")
    dump_yaml(prog_list, hugo / "data" / "programs.yaml")
    for slug, _, body in programs:
        (hugo / "assets" / "programs").mkdir(parents=True, exist_ok=True)
        (hugo / "assets" / "programs" / f"{slug}.md").write_text(body, "utf-8")

    # Hugo variant: program Markdown as (unpublished) content pages, rendered once;
    # the pair pages pull .Content from them.
    hugo1 = out / "hugo-once"
    copy_peer("hugo-once", hugo1)
    dump_yaml(locations, hugo1 / "data" / "locations.yaml")
    dump_yaml(prog_list, hugo1 / "data" / "programs.yaml")
    (hugo1 / "content" / "programs").mkdir(parents=True, exist_ok=True)
    for slug, front, body in programs:
        (hugo1 / "content" / "programs" / f"{slug}.md").write_text(
            program_file(front, body), "utf-8"
        )

    # Eleventy: program Markdown templates (a collection) + a data file of pairs
    ele = out / "eleventy"
    copy_peer("eleventy", ele)
    dump_yaml(locations, ele / "data" / "locations.yaml")
    (ele / "src" / "programs").mkdir(parents=True, exist_ok=True)
    for slug, front, body in programs:
        (ele / "src" / "programs" / f"{slug}.md").write_text(program_file(front, body), "utf-8")
    (ele / "src" / "programs" / "programs.json").write_text(
        json.dumps({"permalink": False}), "utf-8"
    )

    words_per = [words(b) for _, _, b in programs]
    print(
        f"{out}: {len(locations)} locations x {len(programs)} programs = "
        f"{len(locations) * len(programs)} pages; "
        f"body words min/max {min(words_per)}/{max(words_per)}"
    )


if __name__ == "__main__":
    main()
