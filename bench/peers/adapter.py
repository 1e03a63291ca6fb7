#!/usr/bin/env python3
"""Convert the peer benchmark's workload (make_workload.py's `source/`) into a site the
product (sitegen; --product is its checkout, default: the current folder) builds with its
full layouts.

    python adapter.py SOURCE_DIR SITE_DIR [--product PROJECT_CHECKOUT]

Run it with the product's venv Python (it needs PyYAML and Pillow, both product deps).

SOURCE_DIR (make_workload.py's canonical input):
  programs/<slug>.md   front matter {title, order, description, summary, faq: [{q, a}]}
                       + a ~700-word Markdown body
  locations.yaml       list of {slug, name, city, state, street, postal_code, phone,
                       geo {lat, lng}, hours ["Mon-Fri 7:00 AM - 7:00 PM", "Sat ...",
                       "Sun ..."], programs [slugs], intro}

SITE_DIR (replaced) gets, in the product's content format (docs/content-format.md):
  site.yaml, layouts/, assets/, content/pages/*.md   the product's example site, as is,
      except site.yaml's `name` and `organization.name`, set to the workload's brand
      ("Harbor Health", so titles end like the peers'); assets/images gets one
      placeholder JPEG per program for the image each body places
  content/pages/{admissions,approach,family,levels-of-care}.md   short pages for the
      internal links the workload's bodies use and the example site lacks (so the
      product's `check` sees no broken links of the workload's making)
  content/programs/<slug>.md   title, order, summary, faq (q/a -> question/answer) and the
      body as in the source; short_name = the abbreviation in the source description's
      "Title (ABBR) at"; description = source description + " Serving {{ city }},
      {{ state }}." (what the floor template prints); hero = one of the example's
      illustrations, by order; body: image paths /images/X -> /assets/images/X, and
      "## Frequently asked questions" + {{ component("faq") }} appended (the peers print
      the FAQ after the body; the product's layout shows it only where a body places it)
  content/locations/<slug>.yaml   name, city, state, phone, about (= intro),
      address {street, postal_code}, geo {latitude, longitude}, hours converted to
      schema.org form ("Mon-Fri 7:00 AM - 7:00 PM" -> "Mo-Fr 07:00-19:00"; lines with no
      times such as "Sun closed" or "Sat by appointment" are left out),
      programs = every program (in program order), description and summary made
      deterministically from the record (the source has none)

Deterministic: the same SOURCE_DIR gives the same bytes.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BRAND = "Harbor Health"
HEROES = [  # illustrations of the product's example site (assets/images/*.svg)
    ("group-therapy", "Illustration of a small group therapy session"),
    ("individual-therapy", "Illustration of a one-to-one therapy session"),
    ("php", "Illustration of a day treatment room"),
    ("outpatient", "Illustration of an outpatient therapy visit"),
    ("family", "Illustration of a family talking together"),
    ("peer-support", "Illustration of a peer support group meeting"),
    ("community", "Illustration of several people standing together"),
]
DAYS = {"Mon": "Mo", "Tue": "Tu", "Wed": "We", "Thu": "Th", "Fri": "Fr", "Sat": "Sa",
        "Sun": "Su"}  # fmt: skip
HOURS = re.compile(
    r"^(?P<days>[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?) "
    r"(?P<h1>\d{1,2}):(?P<m1>\d\d) (?P<p1>AM|PM) - (?P<h2>\d{1,2}):(?P<m2>\d\d) (?P<p2>AM|PM)$"
)
EXTRA_PAGES = {  # internal links in the workload's bodies (make_workload.LINKS)
    "admissions": "Admissions",
    "approach": "Our clinical approach",
    "family": "Family resources",
    "levels-of-care": "Levels of care",
}


def dump(obj: Any) -> str:
    return yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=100)


def split_front(text: str) -> tuple[dict[str, Any], str]:
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=LOADER), body.lstrip("\n")


def to_24h(h: str, m: str, p: str) -> str:
    hour = int(h) % 12 + (12 if p == "PM" else 0)
    return f"{hour:02d}:{m}"


def schema_hours(line: str) -> str | None:
    """'Mon-Fri 7:00 AM - 7:00 PM' -> 'Mo-Fr 07:00-19:00'; None for lines without times."""
    match = HOURS.match(line)
    if not match:
        return None
    days = "-".join(DAYS[d] for d in match["days"].split("-"))
    start = to_24h(match["h1"], match["m1"], match["p1"])
    end = to_24h(match["h2"], match["m2"], match["p2"])
    return f"{days} {start}-{end}"


def short_name(front: dict[str, Any]) -> str:
    match = re.match(re.escape(front["title"]) + r" \((.+?)\) at ", front["description"])
    return match.group(1) if match else str(front["title"])


def program_file(slug: str, front: dict[str, Any], body: str) -> str:
    order = int(front.get("order", 100))
    hero, alt = HEROES[(order - 1) % len(HEROES)]
    meta = {
        "title": front["title"],
        "short_name": short_name(front),
        "description": front["description"].rstrip() + " Serving {{ city }}, {{ state }}.",
        "summary": front["summary"],
        "order": order,
        "hero": {"src": f"images/{hero}.svg", "alt": f"{alt}: {front['title']}"},
        "faq": [{"question": f["q"], "answer": f["a"]} for f in front.get("faq", [])],
    }
    body = re.sub(r"\]\(/images/", "](/assets/images/", body).rstrip("\n")
    body += '\n\n## Frequently asked questions\n\n{{ component("faq") }}\n'
    return f"---\n{dump(meta)}---\n{body}"


def body_images(body: str) -> list[str]:
    return re.findall(r"\]\(/images/([^)\s]+)", body)


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?\.)(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def location_file(loc: dict[str, Any], program_slugs: list[str]) -> str:
    offered = list(loc.get("programs") or [])
    if sorted(offered) != sorted(program_slugs):
        print(
            f"note: {loc['slug']} offered {len(offered)} programs; offering all "
            f"{len(program_slugs)}",
            file=sys.stderr,
        )
    hours = [h for h in (schema_hours(line) for line in loc.get("hours", [])) if h]
    data = {
        "name": loc["name"],
        "city": loc["city"],
        "state": loc["state"],
        "description": f"Addiction and mental health treatment at {loc['name']}, "
        f"{loc['street']}, {loc['city']}, {loc['state']} {loc['postal_code']}. "
        f"Call {loc['phone']}.",
        "summary": first_sentence(loc["intro"]),
        "programs": list(program_slugs),
        "about": loc["intro"].strip(),
        "phone": loc["phone"],
        "address": {"street": loc["street"], "postal_code": str(loc["postal_code"])},
        "geo": {"latitude": float(loc["geo"]["lat"]), "longitude": float(loc["geo"]["lng"])},
        "hours": hours,
    }
    if not hours:
        del data["hours"]
    return dump(data)


def placeholder_jpeg(name: str) -> bytes:
    """A small flat JPEG (deterministic: same name, same bytes)."""
    from PIL import Image

    shade = sum(name.encode()) % 64
    img = Image.new("RGB", (960, 640), (180 + shade // 2, 200 + shade // 3, 210 + shade // 4))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def site_yaml(product: Path) -> str:
    text = (product / "site.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=LOADER)
    old = data["name"]
    # keep the file as written (comments, order); swap the brand on its two lines only
    text = re.sub(rf"^name: {re.escape(old)}$", f"name: {BRAND}", text, count=1, flags=re.M)
    text = re.sub(
        rf"^(  name: ){re.escape(data['organization']['name'])}$",
        rf"\g<1>{BRAND}",
        text,
        count=1,
        flags=re.M,
    )
    check = yaml.load(text, Loader=LOADER)
    assert check["name"] == BRAND and check["organization"]["name"] == BRAND, "site.yaml swap"
    return text


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("source", type=Path)
    ap.add_argument("site", type=Path)
    ap.add_argument("--product", type=Path, default=Path("."))
    a = ap.parse_args()
    src, site, product = a.source, a.site, a.product
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "programs").mkdir(parents=True)
    (site / "content" / "locations").mkdir(parents=True)
    shutil.copytree(product / "layouts", site / "layouts")
    shutil.copytree(product / "assets", site / "assets")
    shutil.copytree(product / "content" / "pages", site / "content" / "pages")
    (site / "site.yaml").write_text(site_yaml(product), "utf-8")
    for slug, title in EXTRA_PAGES.items():
        page = site / "content" / "pages" / f"{slug}.md"
        if not page.exists():
            meta = {
                "title": title,
                "description": f"{title} at {BRAND}: what to know before you call, "
                "and how admissions can help you take the first step.",
            }
            page.write_text(
                f"---\n{dump(meta)}---\n{title} at {{{{ site_name }}}}: call "
                "admissions at {{ phone }} or text {{ text_phone }}.\n",
                "utf-8",
            )

    programs = []
    for f in sorted((src / "programs").glob("*.md")):
        front, body = split_front(f.read_text("utf-8"))
        programs.append((int(front.get("order", 100)), f.stem, front, body))
    programs.sort()
    slugs = [slug for _, slug, _, _ in programs]
    images = set()
    for _, slug, front, body in programs:
        (site / "content" / "programs" / f"{slug}.md").write_text(
            program_file(slug, front, body), "utf-8"
        )
        images.update(body_images(body))
    for name in sorted(images):
        target = site / "assets" / "images" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(placeholder_jpeg(name))

    locations = yaml.load((src / "locations.yaml").read_text("utf-8"), Loader=LOADER)
    for loc in locations:
        (site / "content" / "locations" / f"{loc['slug']}.yaml").write_text(
            location_file(loc, slugs), "utf-8"
        )
    print(
        f"{site}: {len(locations)} locations x {len(slugs)} programs = "
        f"{len(locations) * len(slugs)} program-location pages "
        f"(+ {len(locations)} location hubs, {len(slugs)} program hubs, "
        f"{len(list((site / 'content' / 'pages').glob('*.md')))} pages)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
