"""The checker's report: for people (grouped by page), JSON for CI, or GitHub workflow
annotations on the content files an editor changes."""

from __future__ import annotations

import json
from collections import defaultdict

from sitegen.check.model import CheckReport
from sitegen.rules.model import Finding

FORMATS = ("text", "json", "github")


def render(report: CheckReport, fmt: str, colour: bool = False) -> str:
    """The report in `fmt`, one of FORMATS: text for people (findings grouped by page, in
    colour with `colour`), json (one line) or github (workflow commands)."""
    if fmt == "json":
        return _json(report)
    if fmt == "github":
        return _github(report)
    return _text(report, colour)


def summary(report: CheckReport) -> str:
    """The last line of a text or github report: pages, time, errors and warnings."""
    cached = report.pages - report.parsed
    seconds = sum(report.timings.values())
    return (
        f"Checked {report.pages} pages ({report.parsed} read, {cached} unchanged since the last "
        f"check) in {seconds:.2f} s: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)."
    )


def _text(report: CheckReport, colour: bool) -> str:
    paint = {
        "error": (lambda s: f"\033[1;31m{s}\033[0m") if colour else str,
        "warning": (lambda s: f"\033[1;33m{s}\033[0m") if colour else str,
    }
    by_page: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_page[finding.url].append(finding)
    lines: list[str] = []
    for url, findings in by_page.items():
        source = findings[0].source
        lines.append(f"{url}" + (f"  (edit {source})" if source else ""))
        for f in findings:
            lines.append(f"  {paint[f.severity](f.severity):<7}  {f.rule}: {f.message}")
            if f.element:
                lines.append(f"           {f.element}")
            if f.source and (f.source != source or f.line):
                lines.append(f"           (edit {f.source}{f':{f.line}' if f.line else ''})")
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines)


def _json(report: CheckReport) -> str:
    data = {
        "ok": not report.errors,
        "pages": report.pages,
        "parsed": report.parsed,
        "origin": report.origin,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "timings": {k: round(v, 3) for k, v in report.timings.items()},
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "url": f.url,
                "message": f.message,
                "element": f.element,
                "file": f.source,
                "line": f.line,
            }
            for f in report.findings
        ],
    }
    # one line: the C encoder (an indented report of 20,000 findings takes 10 times longer)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _github(report: CheckReport) -> str:
    """::error file=...,line=...,title=...::message (GitHub's workflow commands)."""
    lines = []
    for f in report.findings:
        where = f"file={f.source},line={f.line or 1}," if f.source else ""
        message = escape_data(f"{f.url}: {f.message}")
        lines.append(f"::{f.severity} {where}title={escape_property(f.rule)}::{message}")
    lines.append(summary(report))
    return "\n".join(lines)


def escape_data(text: str) -> str:
    """A workflow command's message with %, CR and LF escaped (GitHub's rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property (file=, title=) with : and , escaped too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
