"""Scenario (and bundle) files: alias bombs and absurd nesting are refused quickly, with PATH:LINE."""

from __future__ import annotations

import time
from pathlib import Path

from sandbox.common.sourcefiles import MAX_ALIAS_EXPANSION, MAX_DEPTH, read_yaml
from sandbox.simulation.scenario.load import read_scenario


def _bomb() -> str:
    # Nine levels of ten aliases each: 10**10 values once expanded.
    lines = ["id: bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(9):
        name, previous = chr(98 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    return "\n".join(lines) + "\n"


def _timed_read(path: Path) -> tuple[list[str], float]:
    started = time.perf_counter()
    parsed = read_scenario(path)
    return [str(p) for p in parsed.problems], time.perf_counter() - started


def test_an_alias_bomb_is_refused_at_the_alias_that_goes_too_far(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb(), encoding="utf-8")
    problems, seconds = _timed_read(path)
    # `b` expands 10 lists of 11 values, `c` 10 of 111, `d` 10 of 1,111: past the bound on line 5.
    assert problems == [f"{path}:5: YAML syntax error: aliases expand to more than "
                        f"{MAX_ALIAS_EXPANSION} values"]
    assert seconds < 0.5


def test_deep_flow_nesting_is_refused_without_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: deep\nworld:\n  data: " + "[" * 100_000 + "]" * 100_000 + "\n",
                    encoding="utf-8")
    problems, seconds = _timed_read(path)
    assert problems == [f"{path}:3: YAML syntax error: nested more than {MAX_DEPTH} levels deep"]
    assert seconds < 0.5


def test_deep_block_nesting_names_the_line_where_it_goes_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 10)) + "  " * (MAX_DEPTH + 10) + "v: 1\n"
    path.write_text(text, encoding="utf-8")
    source, problems = read_yaml(path)
    assert source is None
    assert [p.line for p in problems] == [MAX_DEPTH + 1]


def test_ordinary_aliases_and_merge_keys_still_work(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {x: 1, y: [1, 2]}\nother:\n  <<: *b\n  z: *b\nlist: [*b, *b]\n",
                    encoding="utf-8")
    source, problems = read_yaml(path)
    assert problems == []
    assert source is not None
    assert source.data["other"] == {"x": 1, "y": [1, 2], "z": {"x": 1, "y": [1, 2]}}
    assert source.data["list"] == [{"x": 1, "y": [1, 2]}] * 2


def test_aliases_just_under_the_bound_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    # An anchored list of 99 scalars is 100 values; 100 aliases of it make 10,000.
    path.write_text("a: &a [" + ", ".join(["1"] * 99) + "]\nb: [" + ", ".join(["*a"] * 100) + "]\n",
                    encoding="utf-8")
    source, problems = read_yaml(path)
    assert problems == [] and source is not None
    assert len(source.data["b"]) == 100
