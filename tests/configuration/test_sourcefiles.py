"""Reading YAML with lines: YAML 1.2 values, duplicate keys, merges, and problems that carry
a severity; and pydantic errors that name items by id."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from sandbox.common.sourcefiles import Problem, Source, parse_yaml, read_yaml, validation_problems
from sandbox.configuration.bundle.checks.structure import naming
from sandbox.configuration.bundle.schema import LookupSpec


def test_scalars_follow_yaml_1_2() -> None:
    data, _ = parse_yaml(
        "a: yes\nb: no\nc: on\nd: true\ne: 012\nf: 0x1F\ng: 1_000\nh: 1.5\ni: .inf\nj: ~\nk:\n"
        "l: 2024-01-02\nm: 2024-01-02T10:00:00Z\nn: '12'\no: !!str 12\np: 2024-1-2\nq: 1e3\nr: False\n")
    assert data == {
        "a": "yes", "b": "no", "c": "on", "d": True, "e": 12, "f": 31, "g": 1000, "h": 1.5,
        "i": float("inf"), "j": None, "k": None, "l": datetime.date(2024, 1, 2),
        "m": datetime.datetime(2024, 1, 2, 10, 0, tzinfo=datetime.UTC), "n": "12", "o": "12",
        "p": "2024-1-2", "q": 1000.0, "r": False,
    }


def test_every_key_and_item_knows_its_line() -> None:
    _, lines = parse_yaml("# comment\ntop:\n  - id: a\n    x: {b: 1,\n        c: 2}\n  -\n    id: b\nk: v\n")
    assert lines[("top",)] == 2
    assert lines[("top", 0)] == 3 and lines[("top", 0, "x", "c")] == 5
    assert lines[("top", 1)] == 7 and lines[("k",)] == 8


def test_merge_keys() -> None:
    data, _ = parse_yaml("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n")
    assert data["item"] == {"x": 1, "y": 3}


def test_duplicate_key_is_a_syntax_error_at_the_second_key(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    source, problems = read_yaml(path)
    assert source is None
    assert [str(p) for p in problems] == [
        f"{path}:3: YAML syntax error: found duplicate key \"a\" (first on line 1)"]


def test_byte_order_mark_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("\ufeffa: 1\n", encoding="utf-8")
    source, _ = read_yaml(path)
    assert source is not None and source.data == {"a": 1}
    path.write_text("", encoding="utf-8")
    source, problems = read_yaml(path)
    assert source is not None and source.data is None and problems == []


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: \xff\n")
    _, problems = read_yaml(path)
    assert problems[0].code == "not-utf8" and problems[0].message.startswith("not UTF-8 text")


def test_problem_severity_defaults_to_error_and_shows_warnings() -> None:
    error = Problem("f.yaml", 3, "bad")
    warning = Problem("f.yaml", 4, "odd", "warning", "odd-thing")
    assert error.severity == "error" and error.is_error and str(error) == "f.yaml:3: bad"
    assert str(warning) == "f.yaml:4: warning: odd"
    assert error.as_dict() == {"path": "f.yaml", "line": 3, "message": "bad", "severity": "error"}
    assert warning.as_dict()["code"] == "odd-thing"


def test_pydantic_errors_name_items_by_id() -> None:
    text = ("lookups:\n  - id: lookup-risk-level\n    name: {en: Risk}\n    options:\n"
            "      - {id: high, label: {en: High}}\n      - {id: hihg, label: High}\n")
    data, lines = parse_yaml(text)
    source = Source("lookups.yaml", data, lines)
    with pytest.raises(ValidationError) as excinfo:
        LookupSpec.model_validate(data["lookups"][0])
    found = validation_problems(excinfo.value, source, ("lookups", 0), LookupSpec, naming())
    assert [str(p) for p in found] == [
        "lookups.yaml:6: lookup 'lookup-risk-level', option 'hihg': label: expected a mapping, got text"]
    # Without naming (the scenario files' way), the location stays a key path.
    plain = validation_problems(excinfo.value, source, ("lookups", 0), LookupSpec)
    assert plain[0].message == "lookups[0].options[1].label: expected a mapping, got text"
