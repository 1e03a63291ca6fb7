"""Splitting a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sitegen.errors import SiteError, SourceRef
from sitegen.load.yamlfile import parse_yaml
from sitegen.model.document import YamlDoc

FENCE = "---"


@dataclass(frozen=True)
class MarkdownSource:
    """A content file: its front matter and its body, with the body's first line in the file."""

    meta: YamlDoc
    body: str
    body_line: int


def split_front_matter(text: str, source: SourceRef) -> MarkdownSource:
    """Split a content file's text at its front matter: YAML between a first line '---' and
    the next line '---' (or '...'), then the Markdown body. Empty front matter is an empty
    mapping. Raises SiteError when the file does not start with '---', the front matter is
    not closed or is not a mapping, or its YAML is invalid (BuildFailed for several keys
    given twice)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise SiteError(
            "the file does not start with front matter",
            source.at(1),
            "start the file with a line '---', the YAML fields (title: ...), then another '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            yaml_text = "\n".join(lines[1:index])
            meta = parse_yaml(yaml_text, source.at(2), line_offset=1)
            if meta.data is None:
                meta = YamlDoc({}, source.at(1), meta.key_marks, meta.value_marks, meta.text_lines)
            elif not isinstance(meta.data, dict):
                raise SiteError(
                    "front matter must be a list of 'field: value' lines",
                    source.at(2),
                )
            else:
                meta = replace(meta, source=source.at(1))
            return MarkdownSource(meta, "\n".join(lines[index + 1 :]), index + 2)
    raise SiteError(
        "the front matter is not closed",
        source.at(1),
        "add a line '---' after the last front matter field, before the text",
    )
