""""Registered this child twice": a rule on the duplicate a registration names (database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sandbox.cases import services as cs
from sandbox.cases.models import Case
from sandbox.scoring.attempts import score_space
from sandbox.simulation.scenario.load import read_scenario
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Member

pytestmark = pytest.mark.django_db

UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"
TWICE = """\
  - id: registered-twice
    rule: never
    action: case.register
    where: {details.duplicate_of: {exists: true}}
    objective: 1
    penalty: 10
"""
AMINA = {"name_first": "Amina", "name_last": "Inconnue", "age": 11, "sex": "female",
         "date_identified": "2026-03-01",
         "identified_by": "community_volunteer", "protection_concerns": ["separated"],
         "risk_level": "high"}


def test_a_new_record_for_a_child_already_known_breaks_the_rule(default_config,
                                                                tmp_path: Path) -> None:
    text = UASC.read_text(encoding="utf-8").replace("pass_mark:", TWICE + "pass_mark:", 1)
    path = tmp_path / "uasc-twice.yaml"
    path.write_text(text, encoding="utf-8")
    parsed = read_scenario(path)
    assert parsed.valid, parsed.problems
    space = seed_from_file(path, slug="uasc-twice")
    worker = Member.objects.get(space=space, ref="caseworker")
    module = space.config.modules[space.module]
    identified = Case.objects.get(space=space, registration_status="identified",
                                  name_first="Amina")
    # A new record instead of registering the one identified yesterday.
    data = {**{k: v for k, v in AMINA.items() if k in module.fields}, **identified.data}
    cs.case_register(actor=worker, data=data)
    result = next(r for r in score_space(space).rules if r.id == "registered-twice")
    assert not result.passed and result.points == -10 and len(result.evidence) == 1

