"""The configuration export reader: JSON values that know their lines."""

from __future__ import annotations

from sandbox.configuration.importers.primero.json_export import LineJsonReader, read_export_text
from sandbox.configuration.importers.primero.values import Arr, Obj, PrimeroSource

EXPORT = """{
  "data": {
    "Lookup": [
      {"unique_id": "lookup-a",
       "lookup_values_i18n": [{"id": "1", "display_text": {"en": "One"}}]},
      {"unique_id": "lookup-b", broken: true},
      {"unique_id": "lookup-c", "name_i18n": {"en": "C \\u00e9"}}
    ],
    "Report": [],
    "Mystery": []
  }
}
"""


def test_values_and_lines() -> None:
    reader = LineJsonReader('{\n  "a": [1, 2.5, -3e2,\n    true, null, "x\\n"],\n  "b": {}\n}', "f.json")
    data = reader.read()
    assert isinstance(data, Obj) and isinstance(data["a"], Arr)
    assert data["a"] == [1, 2.5, -300.0, True, None, "x\n"]
    assert (data.line_of("a"), data.line_of("b"), data["a"].line_of(3)) == (2, 4, 3)


def test_a_broken_record_is_reported_and_the_others_kept() -> None:
    source = PrimeroSource()
    read_export_text(EXPORT, "config.json", source)
    assert [item.data["unique_id"] for item in source.items] == ["lookup-a", "lookup-c"]
    assert source.items[1].data["name_i18n"] == {"en": "C é"}
    assert source.items[1].line == 7
    messages = [f"{p.path}:{p.line}: {p.message}" for p in source.problems]
    assert messages == [
        "config.json:6: cannot read: expected a key in double quotes",
        "config.json:10: unknown key 'Mystery', not read",
    ]
    assert source.skipped == [("Report", "config.json", 9)]


def test_a_file_that_cannot_be_read_at_all() -> None:
    source = PrimeroSource()
    read_export_text('{\n  "data": {\n    "Lookup": [1, 2\n', "bad.json", source)
    assert source.items == []
    assert [(p.line, p.message) for p in source.problems][-1][0] == 4
