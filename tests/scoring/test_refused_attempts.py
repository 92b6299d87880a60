"""A refused attempt is an event a rule can score ("tried to refer without consent"),
and the case does not change (database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sandbox.cases import services as cs
from sandbox.cases.models import Case, Referral
from sandbox.common.errors import NotAllowed
from sandbox.scoring.attempts import score_space
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.scenario.load import read_scenario
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Member

pytestmark = pytest.mark.django_db

UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"
TRIED = """\
  - id: tried-without-consent
    rule: never
    action: referral.create.refused
    where: {details.code: consent_required, details.service_type: family_tracing}
    objective: 2
    penalty: 5
"""


def test_a_rule_scores_a_referral_refused_for_consent(default_config, tmp_path: Path) -> None:
    text = UASC.read_text(encoding="utf-8").replace("pass_mark:", TRIED + "pass_mark:", 1)
    path = tmp_path / "uasc-tried.yaml"
    path.write_text(text, encoding="utf-8")
    parsed = read_scenario(path)
    assert parsed.valid, parsed.problems
    space = seed_from_file(path, slug="uasc-tried")
    worker = Member.objects.get(space=space, ref="caseworker")
    amina = Case.objects.get(pk=SpaceSeed.objects.get(space=space).cases["amina"])
    tracing = Member.objects.get(space=space, ref="tracing")
    before = score_space(space)
    assert next(r for r in before.rules if r.id == "tried-without-consent").passed

    with pytest.raises(NotAllowed):
        cs.referral_create(actor=worker, case=amina, service_type="family_tracing",
                           reason="case_plan_service", to_member=tracing.pk)
    assert not Referral.objects.filter(case=amina).exists()

    after = score_space(space)
    tried = next(r for r in after.rules if r.id == "tried-without-consent")
    assert not tried.passed and tried.points == -5 and len(tried.evidence) == 1
    refer = next(r for r in after.rules if r.id == "no-referral-without-consent")
    assert refer.passed  # the refused attempt is not a referral
