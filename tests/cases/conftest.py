"""A world for the case system's tests: one space, a cast of members, helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Case
from sandbox.spaces.models import Member, Space
from tests.factories import MemberFactory, SpaceFactory


def registration_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name_first": "Amina", "name_last": "Diallo", "sex": "female", "age": 11,
        "location_current": "LR010101", "date_identified": "2026-03-01",
        "identified_by": "community_volunteer", "protection_concerns": ["separated"],
        "risk_level": "high",
    }
    data.update(overrides)
    return data


def assessment_data() -> dict[str, Any]:
    return {"assessment_summary": "Amina is safe with a neighbour; she needs her family traced.",
            "assessed_needs": ["family_tracing", "psychosocial"]}


def case_plan_data() -> dict[str, Any]:
    return {"case_plan_items": [{
        "plan_need": "family_tracing", "plan_goal": "Reunify Amina with her family",
        "plan_action": "Refer to the tracing agency", "plan_responsible": "Case worker",
        "plan_target_date": "2026-03-20"}]}


def closure_data() -> dict[str, Any]:
    return {"closure_reason": "reunified", "closure_date": "2026-03-03",
            "closure_final_situation": "Living with her aunt; safe; attending school."}


@dataclass
class World:
    space: Space
    worker: Member
    colleague: Member         # a case worker of the same group
    supervisor: Member
    provider: Member          # a service provider (referral recipient)
    outsider: Member          # a case worker of another agency
    admin: Member

    def case(self, **overrides: Any) -> Case:
        return s.case_register(actor=self.worker, data=registration_data(**overrides))

    def consented(self, **overrides: Any) -> Case:
        case = self.case(**overrides)
        for kind in ("services", "share_information"):
            s.consent_record(actor=self.worker, case=case, consent_type=kind, given=True,
                             given_by="both")
        case.refresh_from_db()
        return case


@pytest.fixture
def world(default_config: object) -> World:
    space = SpaceFactory()
    return World(
        space=space,
        worker=MemberFactory(space=space, role="caseworker", user_groups=["dsw_north"]),
        colleague=MemberFactory(space=space, role="caseworker", user_groups=["dsw_north"]),
        supervisor=MemberFactory(space=space, role="supervisor", user_groups=["dsw_north"]),
        provider=MemberFactory(space=space, role="service_provider", agency="lcs", user_groups=[]),
        outsider=MemberFactory(space=space, role="caseworker", agency="cfi", user_groups=[]),
        admin=MemberFactory(space=space, role="administrator", user_groups=[]),
    )


from .v2world import v2  # noqa: E402,F401  (the format 2 world, for the tests of format 2)
