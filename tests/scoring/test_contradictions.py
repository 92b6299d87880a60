"""check_scenarios fails a scenario that contradicts itself: purpose-built scenarios, each
with one contradiction (`# expect:` and `# line:` in its header), and the library passes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from sandbox.configuration.runtime import get_config
from sandbox.scoring.golive.check import check_one

pytestmark = pytest.mark.django_db

CORPUS = sorted((Path(__file__).parent / "contradictory").glob("*.yaml"))
UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"


def _header(path: Path) -> tuple[str, int]:
    text = path.read_text(encoding="utf-8")
    expect = re.search(r"^# expect: (.+)$", text, re.MULTILINE)
    line = re.search(r"^# line: (\d+)$", text, re.MULTILINE)
    assert expect and line
    return expect.group(1).strip(), int(line.group(1))


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_each_contradiction_fails_the_scenario_at_its_rule(default_config: Any, path: Path) -> None:
    expected, line = _header(path)
    result = check_one(path, get_config(default_config))
    assert result["ok"] is False
    assert any(p.startswith(f"{path}:{line}: ") and expected in p for p in result["problems"]), \
        result["problems"]


def test_the_corpus_covers_each_contradiction() -> None:
    assert {p.stem for p in CORPUS} >= {"met-before-acting", "script-approves-closure",
                                        "script-rejects-referrals", "rule-without-objective"}


def test_a_rule_met_at_start_on_purpose_is_accepted(default_config: Any, tmp_path: Path) -> None:
    text = (Path(__file__).parent / "contradictory" / "met-before-acting.yaml").read_text(
        encoding="utf-8").replace("    field: status\n    equals: open\n",
                                  "    field: status\n    equals: open\n    met_at_start: true\n")
    path = tmp_path / "on-purpose.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_one(path, get_config(default_config))
    assert not [p for p in result["problems"] if "already met" in p]


def test_the_library_scenario_that_had_these_contradictions_passes(default_config: Any) -> None:
    result = check_one(UASC, get_config(default_config))
    assert result["ok"], result["problems"]
    assert result["empty"]["percent"] == 0.0
