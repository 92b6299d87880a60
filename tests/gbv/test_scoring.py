"""What scoring rules can check of GBV work: the referral's event names the kind of provider
and what was shared, so that a rule can ask "never to a provider she refused" or "never her
identity to a provider without consent"; the case's state holds consent per provider."""

from __future__ import annotations

import pytest

from sandbox.cases.models import Event
from sandbox.scoring.engine import all_match

from .conftest import GbvWorld

pytestmark = pytest.mark.django_db


class View:
    """The fields of an event the scorer reads."""

    def __init__(self, event: Event) -> None:
        self.details, self.changes = event.details, event.changes
        self.actor, self.case, self.action = event.actor_id, event.case_id, event.action


def test_referral_events_say_to_which_provider_and_what_was_shared(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health", "psychosocial"], identified=["psychosocial"])
    gbv.refer(case, "health")
    gbv.refer(case, "psychosocial")
    health, psychosocial = (View(e) for e in Event.objects.filter(
        space=gbv.space, action="referral.create").order_by("sequence"))
    identity_without_consent = {"details.disclosed": {"has": "identity"},
                                "details.to_provider": "health"}
    assert not all_match(health, identity_without_consent)
    assert all_match(health, {"details.to_provider": "health"})
    assert all_match(psychosocial, {"details.to_provider": "psychosocial",
                                    "details.disclosed": {"has": ["identity", "contact"]}})
    assert not all_match(health, {"details.to_provider": {"in": ["legal", "safety"]}})


def test_consent_per_provider_is_in_the_case_state(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"], identified=None)
    state = {f"data.{k}": v for k, v in case.data.items()}
    assert all_match(state, {"data.gbv_consent_providers": {"has": "health"},
                             "data.gbv_consent_share_identified": False})
    assert not all_match(state, {"data.gbv_consent_providers": {"has": "legal"}})
