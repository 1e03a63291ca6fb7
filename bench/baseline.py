#!/usr/bin/env python3
"""The minimum a generator must do on the synthetic site, as a yardstick for ours.

Read the files, convert each program's Markdown once, render one Jinja template per
(location, program) page and write it. Single process, no validation.

    python bench/baseline.py --root /tmp/site --out /tmp/out
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jinja2
import markdown
import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

TEMPLATE = """<!doctype html>
<html lang="{{ site.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} | {{ site.name }}</title>
<meta name="description" content="{{ description }}">
<link rel="canonical" href="{{ site.base_url }}{{ url }}">
<meta property="og:title" content="{{ title }}">
<meta property="og:description" content="{{ description }}">
<link rel="stylesheet" href="/assets/css/site.css">
</head>
<body>
<header class="site-header">
  <a class="brand" href="/">{{ site.name }}</a>
  <nav class="main-nav" aria-label="Main">
    <ul>
      {% for item in site.navigation %}
      <li><a href="{{ item.url }}">{{ item.title }}</a></li>
      {% endfor %}
    </ul>
  </nav>
  <a class="btn btn-call" href="tel:{{ phone }}">Call {{ phone }}</a>
</header>
<main id="main">
  <nav class="breadcrumb"><a href="/">Home</a> / <a href="/{{ location.slug }}/">{{
    location.name }}</a> / {{ program.short_name }}</nav>
  <h1>{{ program.title }} in {{ location.city }}, {{ location.state }}</h1>
  <img src="/assets/{{ program.hero.src }}" alt="{{ program.hero.alt }}">
  <div class="prose">{{ body }}</div>
</main>
<footer class="site-footer">
  <p>{{ site.name }} &middot; {{ location.address.street }}, {{ location.city }},
  {{ location.state }} {{ location.address.postal_code }}</p>
  <p>Admissions: {{ site.organization.phone }} &middot; Text: {{ site.organization.text_phone }}</p>
  <ul>
    {% for item in site.navigation %}<li><a href="{{ item.url }}">{{ item.title }}</a></li>
    {% endfor %}
  </ul>
</footer>
</body>
</html>
"""


def split(text: str) -> tuple[dict, str]:
    """Front matter and body of a `---` delimited Markdown file."""
    if text.startswith("---\n"):
        front, _, body = text[4:].partition("\n---\n")
        return yaml.load(front, Loader=Loader) or {}, body
    return {}, text


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["extra"])


def components(meta: dict) -> dict[str, str]:
    """Precomputed HTML for each `{{ component("x") }}` of one program (once per program)."""
    benefits = "".join(
        f"<li><h3>{b['title']}</h3><p>{b['text']}</p></li>" for b in meta["benefits"]
    )
    quote = meta["quote"]
    faq = "".join(f"<dt>{f['question']}</dt><dd>{to_html(f['answer'])}</dd>" for f in meta["faq"])
    return {
        "banner": f'<p class="banner">{meta.get("banner", "")}</p>',
        "benefits": f'<ul class="benefits">{benefits}</ul>',
        "quote": f"<blockquote>{quote['text']}<cite>{quote['attribution']}</cite></blockquote>",
        "faq": f"<dl>{faq}</dl>",
    }


def substitute(html: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        html = html.replace("{{ " + name + " }}", value)
    return html


def build(root: Path, out: Path) -> int:
    site = yaml.load((root / "site.yaml").read_text(encoding="utf-8"), Loader=Loader)
    programs: dict[str, tuple[dict, str]] = {}
    for path in sorted((root / "content" / "programs").glob("*.md")):
        meta, body = split(path.read_text(encoding="utf-8"))
        html = to_html(body)  # once per program
        for name, snippet in components(meta).items():
            html = html.replace(f'<p>{{{{ component("{name}") }}}}</p>', snippet)
        programs[path.stem] = (meta, html)
    template = jinja2.Environment(autoescape=False).from_string(TEMPLATE)
    org = site["organization"]
    count = 0
    for path in sorted((root / "content" / "locations").glob("*.yaml")):
        location = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        location["slug"] = path.stem
        for slug in location["programs"]:
            meta, html = programs[slug]
            local_path = path.with_suffix("") / f"{slug}.md"
            local = ""
            if local_path.exists():
                local = to_html(split(local_path.read_text(encoding="utf-8"))[1])
            values = {
                "city": location["city"],
                "state": location["state"],
                "location_name": location["name"],
                "short_name": meta["short_name"],
                "program": meta["title"],
                "phone": location.get("phone", org["phone"]),
                "text_phone": org["text_phone"],
                "site_name": site["name"],
            }
            body = html.replace('<p>{{ component("local") }}</p>', local)
            page = template.render(
                site=site,
                location=location,
                program=meta,
                url=f"/{path.stem}/{slug}/",
                title=f"{meta['title']} in {location['city']}",
                description=substitute(meta["description"], values),
                phone=values["phone"],
                body=substitute(body, values),
            )
            target = out / path.stem / slug
            target.mkdir(parents=True, exist_ok=True)
            (target / "index.html").write_text(page, encoding="utf-8")
            count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True, help="synthetic site folder")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args()
    count = build(args.root, args.out)
    print(f"baseline: wrote {count} pages into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
