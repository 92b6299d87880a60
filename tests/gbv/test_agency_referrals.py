"""A referral to an agency, not to one of its members, is held to the survivor's consent
per provider like any other: the agency says which kind of provider it is (`provider` in
agencies.yaml); where it does not, identifying information is not shared with it. The
agency's staff who answer the referral then see only what was disclosed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from sandbox.cases import services as s
from sandbox.cases.models import DEFAULT_DISCLOSED, Case, Event, Referral
from sandbox.cases.permissions import identity_visible, role_of
from sandbox.cases.selectors import referrals_received
from sandbox.common.errors import NotAllowed
from sandbox.configuration.models import Agency, Bundle
from sandbox.configuration.runtime import clear_cache
from tests.factories import MemberFactory

from .conftest import GbvWorld

pytestmark = pytest.mark.django_db

IDENTIFYING = ["identity", "contact", "family"]


def refer_to_agency(gbv: GbvWorld, case: Case, agency: str, **kwargs: Any) -> Referral:
    return s.referral_create(actor=gbv.worker, case=case, service_type="health_care",
                             reason="specialised_care", to_agency=agency, **kwargs)


def last_event(gbv: GbvWorld, action: str = "referral.create") -> Event:
    return Event.objects.filter(space=gbv.space, action=action).latest("sequence")


@pytest.fixture
def jlc_without_kind(default_config: Bundle) -> Iterator[None]:
    """The legal clinic as a bundle that does not say what kind of provider it is."""
    Agency.objects.filter(bundle=default_config, code="jlc").update(providers=[])
    Bundle.objects.filter(pk=default_config.pk).update(loaded_at=timezone.now())
    clear_cache()
    yield
    clear_cache()


def test_an_agency_referral_names_the_agency_s_kind_of_provider(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"], identified=["health"])
    referral = refer_to_agency(gbv, case, "lcs")
    assert referral.to_member is None and referral.to_agency == "lcs"
    event = last_event(gbv)
    assert event.details["to_provider"] == "health" and event.details["to_agency"] == "lcs"
    # She agreed that the health provider knows who she is: the default is shared whole.
    assert referral.disclosed == [str(v) for v in DEFAULT_DISCLOSED]
    assert "identity" in referral.disclosed


def test_an_agency_she_did_not_agree_to_is_refused(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health"], identified=["health"])
    with pytest.raises(NotAllowed) as refused:
        s.referral_create(actor=gbv.worker, case=case, service_type="legal_aid",
                          reason="specialised_care", to_agency="jlc")
    assert refused.value.code == "consent_required"
    assert not Referral.objects.filter(case=case).exists()
    assert last_event(gbv, "referral.create.refused").details["to_agency"] == "jlc"


def test_identity_is_left_out_for_an_agency_without_her_consent_to_share_it(gbv: GbvWorld) -> None:
    case = gbv.consent(gbv.case(), services=["health", "psychosocial"], identified=["health"])
    referral = s.referral_create(actor=gbv.worker, case=case, service_type="psychosocial_support",
                                 reason="specialised_care", to_agency="cfi")
    assert not set(IDENTIFYING) & set(referral.disclosed)
    assert last_event(gbv).details["to_provider"] == "psychosocial"
    with pytest.raises(NotAllowed) as refused:
        s.referral_create(actor=gbv.worker, case=case, service_type="psychosocial_support",
                          reason="specialised_care", to_agency="cfi",
                          disclosed=["identity", "concerns"])
    assert refused.value.code == "consent_required"
    assert "did not agree to share identified information" in str(refused.value.message)


def test_an_agency_of_several_kinds_is_the_kind_she_agreed_to(gbv: GbvWorld) -> None:
    # Amal is health, psychosocial and safety: she agreed to psychosocial support only.
    case = gbv.consent(gbv.case(), services=["psychosocial"], identified=None)
    referral = s.referral_create(actor=gbv.worker, case=case, service_type="psychosocial_support",
                                 reason="specialised_care", to_agency="amal")
    assert last_event(gbv).details["to_provider"] == "psychosocial"
    assert referral.disclosed == ["concerns"]


@pytest.mark.usefixtures("jlc_without_kind")
def test_an_agency_of_unknown_kind_never_receives_identifying_information(gbv: GbvWorld) -> None:
    # Every provider may know who she is, but nobody knows what kind the clinic is.
    everyone = ["health", "psychosocial", "legal", "safety"]
    case = gbv.consent(gbv.case(), services=everyone, identified=everyone)
    referral = s.referral_create(actor=gbv.worker, case=case, service_type="legal_aid",
                                 reason="specialised_care", to_agency="jlc")
    assert not set(IDENTIFYING) & set(referral.disclosed) and referral.disclosed
    assert "to_provider" not in last_event(gbv).details
    with pytest.raises(NotAllowed) as refused:
        s.referral_create(actor=gbv.worker, case=case, service_type="legal_aid",
                          reason="specialised_care", to_agency="jlc", disclosed=["identity"])
    assert refused.value.code == "consent_required"
    assert "does not say what kind of provider it is" in str(refused.value.message)


@pytest.mark.usefixtures("jlc_without_kind")
def test_the_child_protection_module_is_unchanged_by_agency_kinds(gbv: GbvWorld) -> None:
    """A module whose policy does not record consent per provider shares as it always has."""
    config = gbv.space.config
    assert not config.modules["cp"].policy.consent_providers
    assert config.agencies["jlc"].providers == ()


@pytest.mark.parametrize(("identified", "sees_her_name"), [(None, False), (["health"], True)])
def test_the_agency_s_staff_see_only_what_was_disclosed(gbv: GbvWorld, identified: list[str] | None,
                                                        sees_her_name: bool) -> None:
    nurse = MemberFactory(space=gbv.space, role="gbv_provider_health", agency="lcs",
                          user_groups=["lcs_health"])
    case = gbv.consent(gbv.case(), services=["health"], identified=identified)
    referral = refer_to_agency(gbv, case, "lcs")
    assert ("identity" in referral.disclosed) is sees_her_name
    assert list(referrals_received(viewer=nurse)) == [referral]
    s.referral_accept(actor=nurse, referral=referral)
    referral.refresh_from_db()
    assert referral.to_member_id == nurse.pk
    case.refresh_from_db()
    module = gbv.space.config.modules["gbv"]
    assert identity_visible(role_of(nurse, gbv.space.config), case, module) is sees_her_name
