"""Reading source files as UTF-8 text, with an error that says where the bad byte is."""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import SiteError, SourceRef, relative_path
from sitegen.filestats import read_capped
from sitegen.model.limits import MAX_SOURCE_BYTES


def read_text(path: Path, root: Path) -> str:
    """The file's text; a SiteError naming the line of the first byte that is not UTF-8,
    or the file when it has more than limits.MAX_SOURCE_BYTES (only that much is read)."""
    with path.open("rb") as file:
        data = read_capped(file, MAX_SOURCE_BYTES)
    if len(data) > MAX_SOURCE_BYTES:
        raise SiteError(
            f"file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB, the most a source "
            "file may have",
            SourceRef(relative_path(path, root)),
            "split the text into several files, or put large data elsewhere than content/",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise SiteError(
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)",
            SourceRef(relative_path(path, root), line, column),
            "save the file as UTF-8 (in most editors: File > Save with Encoding > UTF-8)",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")
