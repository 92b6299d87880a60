"""The runtime configuration of a format 2 bundle: what the case system reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.configuration.bundle.load import load_bundle
from sandbox.configuration.runtime import BundleConfig, PolicyDef, get_config
from tests.conftest import DEFAULT_BUNDLE

BUNDLE_V2 = Path(__file__).parents[1] / "cases" / "fixtures" / "bundle_v2"


@pytest.fixture
def config(db: object) -> BundleConfig:
    return get_config(load_bundle(BUNDLE_V2))


def test_fields_carry_the_new_attributes(config: BundleConfig) -> None:
    fields = config.modules["primero-cp"].fields
    assert fields["record_source"].hidden and not fields["record_source"].readonly
    assert fields["registration_date"].readonly and fields["registration_date"].default == "today"
    assert fields["name_first"].validation["pattern"] == "[A-Za-z' -]+"
    assert fields["lead_agency"].options_from == "agencies" and fields["lead_agency"].has_options
    assert fields["identity_documents"].accept == ("pdf", "png")
    assert fields["identity_documents"].max_size_kb == 1
    assert not fields["identity_heading"].stores_value and fields["name_first"].stores_value
    assert fields["date_identified"].type == "datetime"


def test_one_field_on_two_sections(config: BundleConfig) -> None:
    module = config.modules["primero-cp"]
    assert module.sections_of("name_first") == ("basic-identity", "closure-form")
    assert list(module.fields).count("name_first") == 1
    closure = module.section("closure-form")
    assert closure is not None
    occurrence = next(f for f in closure.fields if f.code == "name_first")
    assert occurrence.section == "closure-form" and occurrence.label == {"en": "First name (check)"}
    assert module.fields["name_first"].section == "basic-identity"


def test_roles_approval_rights_per_kind(config: BundleConfig) -> None:
    manager = config.roles["role-plan-manager"]
    assert manager.can("approval.decide") and manager.can("approval.request")
    assert manager.can_decide("case_plan") and not manager.can_decide("closure")
    assert manager.can_request("closure") and not manager.can_request("assessment")
    assert not manager.can("approval.decide_own")
    assert config.roles["role-supervisor"].can_decide("gbv_closure")


def test_consent_tick_box_and_yes_no(config: BundleConfig) -> None:
    policy = config.modules["primero-cp"].policy
    assert policy.consent_fields == {"services": "consent_services",
                                     "share_information": "consent_share"}
    assert policy.consent_given == {"services": True, "share_information": "true"}
    assert policy.consent_is_given("services", {"consent_services": True})
    assert not policy.consent_is_given("services", {"consent_services": "true"})
    assert policy.consent_is_given("share_information", {"consent_share": "true"})
    assert not policy.consent_is_given("share_information", {"consent_share": "false"})
    assert not policy.consent_is_given("share_information", {"consent_share": True})
    assert not policy.consent_is_given("tracing", {"consent_share": "true"})


def test_optional_lookups_and_deadlines(config: BundleConfig) -> None:
    module = config.modules["primero-cp"]
    assert module.system_lookup("service_type") == "lookup-service-type"
    assert module.system_lookup("referral_reason") is None
    assert module.system_lookups.get("need") is None
    assert module.policy.deadline_of("assessment", "high") == "24h"
    assert module.policy.deadline_of("assessment", "low") is None
    assert module.policy.deadline_of("followup", "high") is None
    assert module.policy.risk_levels == ("high", "medium", "low")


def test_agencies_and_groups(config: BundleConfig) -> None:
    assert config.agencies["agency-unicef"].type == ""
    assert config.user_groups["group-north"] == {
        "code": "group-north", "name": {"en": "North team"}, "agency": "agency-gov",
        "agencies": ["agency-gov", "agency-unicef"]}
    assert config.user_groups["group-none"]["agency"] is None
    assert config.user_groups["group-none"]["agencies"] == []


def test_a_format_1_bundle_reads_as_before(db: object) -> None:
    config = get_config(load_bundle(DEFAULT_BUNDLE))
    module = config.modules["cp"]
    assert isinstance(module.policy, PolicyDef)
    assert set(module.policy.consent_given.values()) == {True}
    assert all(g["agencies"] == [g["agency"]] for g in config.user_groups.values())
    assert config.roles["supervisor"].can_decide("closure")
    assert not config.roles["caseworker"].can_decide("closure")
    assert all(f.stores_value and not f.hidden and not f.readonly for f in module.fields.values())
