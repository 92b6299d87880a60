"""Whatever is written in a bundle, the validator reports problems and never fails itself."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.configuration.bundle.validate import validate_bundle

from .corpus import BASE

FILES = sorted(str(p.relative_to(BASE)) for p in BASE.rglob("*") if p.is_file())
TOKENS = ["", "x", "1", "true", "[]", "{}", "null", "[a, b]", "{field: age}", "- 1", "'é'", "all",
          "not", "24h", "medium", "{all: []}", "-1", "99999", "~", "'*'"]
edit = st.tuples(st.sampled_from(FILES), st.integers(min_value=0, max_value=60),
                 st.sampled_from(["delete", "value", "word"]), st.sampled_from(TOKENS))


def _mutate(target: Path, edits: list[tuple[str, int, str, str]]) -> None:
    for name, line, how, token in edits:
        path = target / name
        lines = path.read_text(encoding="utf-8").split("\n")
        index = line % len(lines)
        if how == "delete":
            del lines[index]
        elif how == "value" and ":" in lines[index]:
            lines[index] = lines[index][: lines[index].index(":") + 1] + " " + token
        else:
            words = lines[index].split(" ")
            words[line % len(words)] = token
            lines[index] = " ".join(words)
        path.write_text("\n".join(lines), encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, min_size=1, max_size=3))
def test_random_edits_give_problems_with_places_not_crashes(edits: list[tuple[str, int, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "bundle"
        shutil.copytree(BASE, target)
        _mutate(target, edits)
        parsed = validate_bundle(target)
        for problem in parsed.problems:
            assert problem.path.startswith(str(target)) and problem.line >= 1
            assert problem.severity in ("error", "warning") and problem.message
        assert parsed.valid == (not parsed.errors())
