"""records.text_at: a text field as a ContentText at its file's line, made once per
document, path and value (a rebuild of the resident process asks again for the texts of
the 999 locations it did not change)."""

from __future__ import annotations

from types import SimpleNamespace

from sitegen.errors import SourceRef
from sitegen.model.document import YamlDoc
from sitegen.model.records import text_at


def test_a_text_is_made_once_per_document_path_and_value():
    doc = YamlDoc(
        {"about": "Near the station."},
        SourceRef("content/locations/a.yaml"),
        key_marks={("about",): (7, 1)},
        value_marks={("about",): (7, 8, None)},
    )
    record = SimpleNamespace(doc=doc)
    first = text_at(record, ("about",), "Near the station.")
    assert first.text == "Near the station." and first.source.line == 7
    assert text_at(record, ("about",), "Near the station.") is first
    other = text_at(record, ("about",), "Other words.")
    assert other is not first and other.text == "Other words."
    again = YamlDoc(doc.data, doc.source, doc.key_marks, doc.value_marks)  # the file read again
    assert text_at(SimpleNamespace(doc=again), ("about",), "Near the station.") is not first
    assert again == doc  # the memo takes no part in comparing documents
