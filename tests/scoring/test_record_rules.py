"""`record` rules on a played space: the final state of referrals, services, approvals, tasks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from ruamel.yaml import YAML

from sandbox.scoring.attempts import score_space
from sandbox.simulation.services import play_solution
from sandbox.simulation.world import seed_from_file

pytestmark = pytest.mark.django_db

UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"
RULES = [
    {"id": "tracing-accepted", "rule": "record", "record": "referral", "case": "amina",
     "where": {"service_type": "family_tracing"}, "status": {"in": ["accepted", "done"]},
     "points": 10},
    {"id": "tracing-rejected", "rule": "record", "record": "referral", "case": "amina",
     "status": "rejected", "points": 10},
    {"id": "plan-approved", "rule": "record", "record": "approval", "case": "amina",
     "where": {"kind": "case_plan"}, "status": "approved", "points": 10},
    {"id": "no-task-overdue", "rule": "record", "record": "task", "case": "amina",
     "status": "overdue", "points": 10},
]


@pytest.fixture
def space(default_config, tmp_path):
    path = tmp_path / "uasc.yaml"
    shutil.copy(UASC, path)
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["expected"].extend(RULES)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return seed_from_file(path, slug="records")


def test_record_rules_read_the_final_state_of_the_case_records(space):
    before = {r.id: r.passed for r in score_space(space).rules}
    assert not before["tracing-accepted"] and not before["plan-approved"]
    play_solution(space)
    after = {r.id: r.passed for r in score_space(space).rules}
    assert after["tracing-accepted"] is True
    assert after["tracing-rejected"] is False
    assert after["plan-approved"] is True
    assert after["no-task-overdue"] is False
