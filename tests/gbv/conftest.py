"""A GBV world for the tests of the GBV module: one space of the `gbv` module and the
fixed cast (GBV case worker, GBV supervisor, one provider of each type, a child
protection case worker, and a GBV case worker of another space)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Case
from sandbox.spaces.models import Member, Space
from tests.factories import MemberFactory, SpaceFactory

#: What identifies the survivor of the test world: none of it may reach a provider she
#: did not agree to share it with.
SURVIVOR = {"name_first": "Nadira", "name_last": "Belkacem-Ouali", "phone": "+000 555 0142",
            "date_of_birth": "1994-07-23", "address_current": "12 Rue des Oliviers"}
PROVIDERS = ("health", "psychosocial", "legal", "safety")


def survivor_data(**overrides: Any) -> dict[str, Any]:
    data = {**SURVIVOR, "survivor_type": "adult", "sex": "female", "age": 31,
            "location_current": "LR010101", "risk_level": "high"}
    data.update(overrides)
    return data


@dataclass
class GbvWorld:
    space: Space
    worker: Member            # the GBV case worker
    supervisor: Member        # the GBV supervisor of the worker's group
    providers: dict[str, Member]   # one per provider type
    cp_worker: Member         # a child protection case worker of the same space
    other_space: Member       # a GBV case worker of another space

    def case(self, **overrides: Any) -> Case:
        return s.case_register(actor=self.worker, data=survivor_data(**overrides))

    def consent(self, case: Case, *, services: list[str], identified: list[str] | None = None,
                statistics: bool = False) -> Case:
        """Record the survivor's consent: services with `services` providers; identified
        information with `identified` providers (None: refused); statistics."""
        s.consent_record(actor=self.worker, case=case, consent_type="services", given=True,
                         given_by="survivor")
        s.consent_record(actor=self.worker, case=case, consent_type="share_information",
                         given=identified is not None, given_by="survivor")
        s.consent_record(actor=self.worker, case=case, consent_type="statistics",
                         given=statistics, given_by="survivor")
        case.refresh_from_db()
        # Saving the consent form sets the whole section: keep the answers just recorded.
        data: dict[str, Any] = {key: case.data[key] for key in (
            "gbv_consent_services", "gbv_consent_share_identified", "gbv_consent_statistics")}
        data["gbv_consent_providers"] = services
        if identified is not None:
            data["gbv_consent_identified_providers"] = identified
        else:
            data["gbv_consent_refused"] = "No sharing of her name with anyone."
        s.case_update(actor=self.worker, case=case, section="gbv_consent", data=data)
        case.refresh_from_db()
        return case

    def refer(self, case: Case, provider: str, **kwargs: Any) -> Any:
        service = {"health": "health_care", "psychosocial": "psychosocial_support",
                   "legal": "legal_aid", "safety": "safe_shelter"}[provider]
        return s.referral_create(actor=self.worker, case=case, service_type=service,
                                 reason="specialised_care", to_member=self.providers[provider].pk,
                                 **kwargs)


@pytest.fixture
def gbv(default_config: object) -> GbvWorld:
    space = SpaceFactory(module="gbv")
    other = SpaceFactory(module="gbv")
    agencies = {"health": "lcs", "psychosocial": "cfi", "legal": "jlc", "safety": "alde"}
    return GbvWorld(
        space=space,
        worker=MemberFactory(space=space, role="gbv_caseworker", agency="amal",
                             user_groups=["amal_centre"]),
        supervisor=MemberFactory(space=space, role="gbv_supervisor", agency="amal",
                                 user_groups=["amal_centre"]),
        providers={p: MemberFactory(space=space, role=f"gbv_provider_{p}", agency=agencies[p],
                                    user_groups=[]) for p in PROVIDERS},
        cp_worker=MemberFactory(space=space, role="caseworker", agency="dsw",
                                user_groups=["dsw_north"]),
        other_space=MemberFactory(space=other, role="gbv_caseworker", agency="amal",
                                  user_groups=["amal_centre"]),
    )
