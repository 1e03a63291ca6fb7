"""The checker's report: for people (findings grouped by their cause: the file to change
and what is wrong there, with the pages it affects), JSON for CI (every finding, page by
page, and the same causes), or GitHub workflow annotations (one per cause, on the content
file an editor changes)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sitegen.check.model import CheckReport
from sitegen.errors import SiteError, inert
from sitegen.rules.model import Finding
from sitegen.streams import counted

FORMATS = ("text", "json", "github")
PAGES_SHOWN = 6  # pages a cause lists in the text report before "and N more"


@dataclass
class Cause:
    """Findings that one change fixes: the same rule, severity and message (and element),
    attributed to the same file and line, on one or more pages."""

    rule: str
    severity: str
    message: str
    element: str | None
    source: str | None  # the file to change, when known
    line: int | None
    pages: list[str] = field(default_factory=list)  # URLs, in the report's order


def causes(findings: list[Finding]) -> list[Cause]:
    """`findings` grouped by cause, in the order of each cause's first finding."""
    found: dict[tuple, Cause] = {}
    for f in findings:
        key = (f.rule, f.severity, f.message, f.element, f.source, f.line)
        cause = found.get(key)
        if cause is None:
            cause = found[key] = Cause(f.rule, f.severity, f.message, f.element, f.source, f.line)
        cause.pages.append(f.url)
    return list(found.values())


def render(report: CheckReport, fmt: str, colour: bool = False) -> str:
    """The report in `fmt`, one of FORMATS: text for people (grouped by the file to change,
    then by cause; in colour with `colour`), json (one line) or github (workflow
    commands)."""
    if fmt == "json":
        return _json(report)
    if fmt == "github":
        return _github(report)
    return _text(report, colour)


def summary(report: CheckReport) -> str:
    """The last line of a text or github report: pages, time, errors and warnings, and the
    causes they come from."""
    cached = report.pages - report.parsed
    seconds = sum(report.timings.values())
    return (
        f"Checked {counted(report.pages, 'page')} ({report.parsed} read, {cached} unchanged "
        f"since the last check) in {seconds:.2f} s: {counted(len(report.errors), 'error')}, "
        f"{counted(len(report.warnings), 'warning')}"
        + (f" from {counted(len(causes(report.findings)), 'cause')}." if report.findings else ".")
    )


def origin_line(report: CheckReport) -> str:
    """Which origin the pages were judged by, and where it came from."""
    if report.origin is None:
        return "Judged without an origin: no --site-url, site.yaml or canonical URL names one."
    came = {
        "site-url": "--site-url",
        "base-url": "site.yaml's base_url",
        "pages": "the pages' own URLs",
    }.get(report.origin_source or "", "")
    return f"Judged as {inert(report.origin)} (from {came})."


def _text(report: CheckReport, colour: bool) -> str:
    paint: dict[str, Callable[[str], str]] = {
        "error": (lambda s: f"\033[1;31m{s}\033[0m") if colour else str,
        "warning": (lambda s: f"\033[1;33m{s}\033[0m") if colour else str,
    }
    lines: list[str] = []
    if report.origin_note:
        lines += [paint["warning"]("note") + f": {inert(report.origin_note)}", ""]
    by_heading: dict[str, list[Cause]] = {}
    for cause in causes(report.findings):
        heading = cause.source or (cause.pages[0] if len(cause.pages) == 1 else "several pages")
        by_heading.setdefault(heading, []).append(cause)
    for heading, found in sorted(by_heading.items(), key=lambda item: _order(item[0])):
        lines.append(inert(heading))
        for c in found:
            lines.append(f"  {paint[c.severity](c.severity):<7}  {c.rule}: {inert(c.message)}")
            if c.element and "<" in c.element:  # markup; not a bare tag name ("a", "img")
                lines.append(f"           {inert(c.element)}")
            if c.line:
                lines.append(f"           (edit {inert(c.source or '')}:{c.line})")
            if c.pages != [heading]:
                lines.append(f"           {inert(_pages(c.pages))}")
        lines.append("")
    lines += [origin_line(report), summary(report)]
    return "\n".join(lines)


def _order(heading: str) -> tuple[int, str]:
    """Files first (content/..., site.yaml), then pages by URL, then causes of many pages."""
    return (1 if heading.startswith("/") else 2 if heading == "several pages" else 0, heading)


def _pages(pages: list[str]) -> str:
    shown = ", ".join(pages[:PAGES_SHOWN])
    more = len(pages) - PAGES_SHOWN
    where = "on 1 page" if len(pages) == 1 else f"on {len(pages)} pages"
    rest = f" and {more} more (--format json lists them)" if more > 0 else ""
    return f"{where}: {shown}{rest}"


def as_data(report: CheckReport) -> dict:
    """The report as JSON-ready data: what `render(report, "json")` writes (its fields:
    ok, pages, parsed, origin, origin_source, origin_note, errors and warnings (counts),
    timings (seconds), findings and causes (rule, severity, message, element, file, line;
    each finding's url, each cause's pages), and source_errors and usage_error, empty: a
    check that could not judge fills them (failed_data))."""
    return {
        "ok": not report.errors,
        "pages": report.pages,
        "parsed": report.parsed,
        "origin": report.origin,
        "origin_source": report.origin_source,
        "origin_note": report.origin_note,
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
        "causes": [
            {
                "rule": c.rule,
                "severity": c.severity,
                "message": c.message,
                "element": c.element,
                "file": c.source,
                "line": c.line,
                "pages": c.pages,
            }
            for c in causes(report.findings)
        ],
        "source_errors": [],
        "usage_error": None,
    }


def failed_data(errors: Sequence[SiteError], usage: str | None = None) -> dict:
    """The JSON report of a check that could not judge the folder: `as_data`'s fields for
    no pages and no findings, "ok" false, and what stopped it: "source_errors" (the
    project's errors, as the build's --json gives them: file, line, column, message,
    hint; "errors" counts them) and "usage_error" (a bad folder or option, else None). A
    CI script reads the same keys whatever happened."""
    empty = as_data(CheckReport(findings=[], pages=0, parsed=0, origin=None))
    return empty | {
        "ok": False,
        "errors": len(errors),
        "source_errors": [error.as_dict() for error in errors],
        "usage_error": usage,
    }


def _json(report: CheckReport) -> str:
    data = as_data(report)
    # one line: the C encoder (an indented report of 20,000 findings takes 10 times longer)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _github(report: CheckReport) -> str:
    """::error file=...,line=...,title=...::message (GitHub's workflow commands), one per
    cause."""
    lines = []
    if report.origin_note:
        lines.append(f"::notice title=origin::{escape_data(inert(report.origin_note))}")
    for c in causes(report.findings):
        where = f"file={escape_property(inert(c.source))},line={c.line or 1}," if c.source else ""
        message = escape_data(inert(f"{c.message} ({_pages(c.pages)})"))
        lines.append(f"::{c.severity} {where}title={escape_property(c.rule)}::{message}")
    lines.append(summary(report))
    return "\n".join(lines)


def escape_data(text: str) -> str:
    """A workflow command's message with %, CR and LF escaped (GitHub's rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property (file=, title=) with : and , escaped too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
