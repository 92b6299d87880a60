"""The broken-bundle corpus: each case is a few edits of the small valid bundle in
`base_bundle/` and the complete list of problems they must produce.

A case file (`broken/NAME.yaml`) says what is wrong in a comment, then:

    edits:                                   # applied in order to a copy of base_bundle/
      - {file: lookups.yaml, replace: "id: high", with: "id: hihg"}
      - {file: forms/extra.yaml, write: "..."}      # a whole new (or replaced) file
      - {file: roles.yaml, append: "..."}           # text added at the end
      - {file: locations.csv, delete: true}
    expect:                                  # every problem, exactly: PATH:LINE: message
      - "policy.yaml:5: ..."

Expectations list every problem, so a false knock-on report fails the case too.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sandbox.common.sourcefiles import Problem, parse_yaml

HERE = Path(__file__).parent
BASE = HERE / "base_bundle"
BROKEN = HERE / "broken"


def read_case(path: Path) -> dict[str, Any]:
    data, _ = parse_yaml(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and "edits" in data and "expect" in data, f"{path}: edits and expect"
    return data


def apply_edits(target: Path, edits: list[dict[str, Any]]) -> None:
    for edit in edits:
        path = target / edit["file"]
        if edit.get("delete"):
            path.unlink()
            continue
        if "write" in edit:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edit["write"], encoding="utf-8")
            continue
        text = path.read_text(encoding="utf-8")
        if "append" in edit:
            text += edit["append"]
        else:
            old, new = edit["replace"], edit["with"]
            assert text.count(old) == 1, f"{edit['file']}: {old!r} found {text.count(old)} times"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")


def make_bundle(tmp_path: Path, edits: list[dict[str, Any]]) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(BASE, target)
    apply_edits(target, edits)
    return target


def relative(problem: Problem, bundle: Path) -> str:
    """A problem as the corpus writes it: its path relative to the bundle."""
    text = str(problem)
    prefix = str(bundle) + "/"
    return text.replace(prefix, "")
