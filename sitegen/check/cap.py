"""At most MAX_PER_RULE findings of one rule on one page: a page with a million broken
links is one cause said twenty times and counted, not a million-line report (the build's
editor errors are capped the same way: sitegen.model.limits.MAX_ERRORS_PER_TEXT)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sitegen.model.limits import MAX_ERRORS_PER_TEXT
from sitegen.rules.model import Finding
from sitegen.streams import counted

MAX_PER_RULE = MAX_ERRORS_PER_TEXT  # findings of one rule on one page (or site file)


def capped(findings: Iterable[Finding]) -> list[Finding]:
    """`findings` in their order, at most MAX_PER_RULE of each (rule, url), and for each
    (rule, url) with more, one finding more that says how many were left out."""
    seen: Counter[tuple[str, str]] = Counter()
    kept: list[Finding] = []
    for finding in findings:
        key = (finding.rule, finding.url)
        seen[key] += 1
        if seen[key] <= MAX_PER_RULE:
            kept.append(finding)
    for (rule, url), count in seen.items():
        if count > MAX_PER_RULE:
            more = count - MAX_PER_RULE
            kept.append(
                Finding(
                    rule,
                    f"and {counted(more, f'more {rule} finding')} here, not listed one by one",
                    url,
                )
            )
    return kept
