#!/usr/bin/env python3
"""Precision and recall of `check` on the corpus of tests/check/corpus_site.py: a fictional
multi-location site with clean pages and one planted defect per page for every rule (and
a preview build with one indexable page). Prints the per-rule table (planted, found,
recall, false alarms) with totals, then every miss and false alarm.

python bench/corpus.py [--work DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "check"))
from corpus_site import details, run_all, table

from sitegen.model.check_rules import RULES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--work", type=Path, help="write the corpus here (default: a temporary folder)"
    )
    parser.add_argument(
        "--limit", type=int, default=6, help="misses and false alarms shown per rule"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        corpora, scores = run_all(work)
        pages = sum(len(c.pages) for c in corpora)
        clean = sum(len(c.clean) for c in corpora)
        print(f"{pages} pages, {clean} of them clean, in {len(corpora)} folders ({work})\n")
        print(table(scores, {r.id: r.severity for r in RULES.values()}))
        print()
        print(details(scores, args.limit))


if __name__ == "__main__":
    main()
