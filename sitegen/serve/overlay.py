"""The page the browser shows instead of any page while the last rebuild failed: the same
messages as the terminal, each with the offending line of its file; and the panel added to
every served page while the last good build had warnings (a navigation link to a draft,
which the preview shows but the published build refuses)."""

from __future__ import annotations

import unicodedata
from html import escape
from pathlib import Path

from sitegen.errors import SiteError, inert

CONTEXT_LINES = 2  # shown before and after the offending line
SHOWN_COLUMNS = 160  # characters of a long line shown, around the error's column


def overlay_html(errors: list[SiteError], root: Path) -> str:
    """A whole HTML page (noindex) listing the errors: each one's file:line:column, message,
    the lines around it (CONTEXT_LINES each side, its column marked with ^) read from the
    file under `root`, and hint. Every text is escaped (html.escape)."""
    items = "\n".join(_item(error, root) for error in errors)
    count = f"{len(errors)} error" + ("s" if len(errors) != 1 else "")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Build failed: {count}</title>
<style>{_STYLE}</style>
</head>
<body>
<main class="sitegen-overlay" role="alert">
<h1>The preview could not be rebuilt: {count}</h1>
<p class="lead">Fix what is named below and save: this page reloads by itself and shows
the site again. Until then, every page shows this message.</p>
<ol class="errors">
{items}
</ol>
</main>
</body>
</html>
"""


def warnings_panel(warnings: list[SiteError], root: Path) -> str:
    """An HTML fragment for the end of a served page's <body>: the warnings, each like an
    error of the overlay (file:line, message, the lines around it, hint), in a panel that
    covers the bottom of the page and can be folded away. Styles are scoped to the panel;
    every text is escaped."""
    items = "\n".join(_item(warning, root, "warning") for warning in warnings)
    count = f"{len(warnings)} warning" + ("s" if len(warnings) != 1 else "")
    return (
        f'<aside class="sitegen-warnings" role="status"><style>{_PANEL_STYLE}</style>'
        f"<details open><summary>Preview: {count} (the terminal shows "
        f"{'it' if len(warnings) == 1 else 'them'} too)</summary>"
        f'<ol class="errors">\n{items}\n</ol></details></aside>'
    )


def with_panel(page: bytes, panel: str) -> bytes:
    """`page` (HTML) with `panel` placed just before its last </body> (else at its end)."""
    cut = page.rfind(b"</body>")
    if cut == -1:
        return page + panel.encode("utf-8")
    return page[:cut] + panel.encode("utf-8") + page[cut:]


def _item(error: SiteError, root: Path, kind: str = "error") -> str:
    where = str(error.source) if error.source else "site"
    parts = [
        f'<li class="{kind}"><p class="where"><code>{escape(inert(where))}</code></p>',
        f'<p class="message">{escape(inert(error.message))}</p>',
    ]
    excerpt = _excerpt(error, root)
    if excerpt:
        parts.append(excerpt)
    if error.hint:
        hint = escape(inert(error.hint))
        parts.append(f'<p class="hint"><strong>How to fix it:</strong> {hint}</p>')
    parts.append("</li>")
    return "\n".join(parts)


def _excerpt(error: SiteError, root: Path) -> str:
    """The lines around the error's line, numbered, the offending one marked. Lines are
    counted as the build counts them (newlines only: a U+2028 or a form feed is no line
    end to an editor), shown with invisible characters as escapes (`inert`: a U+2028 the
    error is about shows as \\u2028), and a long one only around the error's column."""
    source = error.source
    if source is None or not source.line:
        return ""
    path = (root / source.path).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return ""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff")
    except OSError:  # (the build reads a file without its byte order mark too)
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if source.line > len(lines):
        return ""
    first = max(1, source.line - CONTEXT_LINES)
    last = min(len(lines), source.line + CONTEXT_LINES)
    rows = []
    column = source.column or 1
    window = max(0, column - 1 - SHOWN_COLUMNS // 2)  # of a long line: around the column
    for number in range(first, last + 1):
        mark = ' class="offending"' if number == source.line else ""
        line = lines[number - 1]
        start = window if len(line) > SHOWN_COLUMNS else 0  # a short line is shown whole
        shown = ("..." if start else "") + inert(line[start : start + SHOWN_COLUMNS])
        if len(line) > start + SHOWN_COLUMNS:
            shown += "..."
        rows.append(f'<span{mark}><span class="number">{number}</span>{escape(shown)}</span>')
        if number == source.line and source.column:  # where in the line, as the terminal says
            before = ("..." if start else "") + inert(line[start : column - 1])
            caret = " " * _cells(before) + "^"
            rows.append(f'<span class="caret"><span class="number"></span>{caret}</span>')
    return f'<pre class="source">{"".join(rows)}</pre>'


def _cells(text: str) -> int:
    """How many cells of a monospaced font `text` takes: two for a wide character (CJK,
    most emoji: Unicode's East Asian Width W and F), none for a combining mark."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


_STYLE = """
body{margin:0;background:#1d1f21;color:#f5f5f5;font:16px/1.5 system-ui,sans-serif}
.sitegen-overlay{max-width:60rem;margin:0 auto;padding:2rem 1.25rem}
h1{font-size:1.5rem;margin:0 0 .5rem;color:#ff8a80}
.lead{color:#d0d0d0;margin:0 0 1.5rem}
.errors{list-style:none;padding:0;margin:0}
.error{background:#2b2e31;border-left:4px solid #ff5252;border-radius:4px;
padding:1rem 1.25rem;margin:0 0 1rem}
.where{margin:0;font-size:.95rem}.where code{color:#80d8ff}
.message{margin:.25rem 0 .75rem;font-weight:600;font-size:1.1rem}
.source{background:#151719;border-radius:4px;padding:.5rem 0;margin:0 0 .75rem;
overflow-x:auto;font:14px/1.6 ui-monospace,monospace}
.source>span{display:block;padding:0 1rem;white-space:pre}
.source .offending{background:#5c2b2b;color:#fff}.source .caret{color:#ff8a80}
.number{display:inline-block;min-width:3ch;margin-right:1rem;color:#9a9a9a;text-align:right}
.hint{margin:0;color:#e0e0e0}.hint strong{color:#b9f6ca}
"""

_PANEL_STYLE = """
.sitegen-warnings{position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:50vh;
overflow:auto;background:#2b2e31;color:#f5f5f5;border-top:4px solid #ffb74d;
font:15px/1.5 system-ui,sans-serif;text-align:left}
.sitegen-warnings summary{cursor:pointer;padding:.5rem 1rem;font-weight:600;color:#ffcc80}
.sitegen-warnings ol{list-style:none;margin:0;padding:0 1rem .5rem}
.sitegen-warnings li{margin:0 0 .75rem}.sitegen-warnings p{margin:.15rem 0}
.sitegen-warnings code{color:#80d8ff}.sitegen-warnings .message{font-weight:600}
.sitegen-warnings pre{background:#151719;padding:.25rem 0;margin:.25rem 0;overflow-x:auto;
font:13px/1.5 ui-monospace,monospace}
.sitegen-warnings pre>span{display:block;padding:0 .75rem;white-space:pre}
.sitegen-warnings .offending{background:#5c4a2b}
.sitegen-warnings .number{display:inline-block;min-width:3ch;margin-right:.75rem;color:#9a9a9a}
.sitegen-warnings strong{color:#b9f6ca}
"""
