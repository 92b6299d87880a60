"""Writing a bundle: YAML that reads back as written, and never half a bundle."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from sandbox.configuration.importers.primero import writer
from sandbox.configuration.importers.primero.writer import emit, write_atomically


def test_emitted_yaml_reads_back_unchanged() -> None:
    data = {
        "id": "lookup-yes-no",
        "options": [
            {"id": "true", "label": {"en": "Yes", "es": "Sí"}},
            {"id": "Unknown", "label": {"en": "?"}},
            {"id": "1", "label": {"en": "a: b # c"}},
            {"id": "no", "label": {"en": "\"quoted\"\nline"}},
        ],
        "show_if": {"all": [{"field": "age", "ge": 6}, {"not": {"field": "x", "in": [True, "null", 3]}}]},
        "empty": [], "nothing": {}, "flag": False, "none": None,
    }
    assert YAML(typ="safe").load("\n".join(emit(data))) == data


def test_a_failure_while_writing_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bundle"
    target.mkdir()
    (target / "old.yaml").write_text("kept", encoding="utf-8")
    calls = {"n": 0}
    original = Path.write_text

    def failing_write(self: Path, *args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, {"a.yaml": "a: 1\n", "forms/b.yaml": "b: 2\n"}, force=True)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]
    assert [p.name for p in target.iterdir()] == ["old.yaml"]


def test_refuses_a_file_or_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(writer.OutputExists):
        write_atomically(tmp_path / "file", {"a.yaml": ""}, force=True)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x", encoding="utf-8")
    with pytest.raises(writer.OutputExists):
        write_atomically(tmp_path / "full", {"a.yaml": ""}, force=False)
