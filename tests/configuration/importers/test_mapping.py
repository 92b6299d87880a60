"""The proposed mapping.yaml: scenario concepts -> the imported bundle's ids, each to confirm."""

from __future__ import annotations

import re

from ruamel.yaml import YAML

from sandbox.configuration.importers.primero import ImportResult

from .test_import_seed import entries


def mapping_text(result: ImportResult) -> str:
    return (result.bundle_dir / "mapping.yaml").read_text(encoding="utf-8")


def test_the_seed_fixture_maps_every_concept(seed_import: ImportResult) -> None:
    mapping = YAML(typ="safe").load(mapping_text(seed_import))
    assert mapping["roles"] == {
        "administrator": "role-cp-administrator",
        "service_provider": "role-cp-service-provider",
        "supervisor": "role-cp-supervisor",
        "manager": "role-cp-manager",
        "case_worker": "role-cp-case-worker",
    }
    assert mapping["agencies"]["lead"] == "agency-dif"
    assert mapping["agencies"]["tracing"] == "agency-cruz-roja"
    assert mapping["agencies"]["gbv_centre"] == "agency-luna"
    assert mapping["agencies"]["court_liaison"] == "agency-defensoria"
    assert len(mapping["agencies"]) == 12
    assert mapping["user_groups"]["lead_office"] == "usergroup-norte"
    assert mapping["user_groups"]["tracing_team"] == "usergroup-cruz-roja"
    assert len(mapping["user_groups"]) == 12
    assert mapping["consent"] == {
        "services": "consent_services",
        "share_information": "consent_info_sharing",
        "tracing": "consent_tracing",
        "reporting": "consent_reporting",
    }
    assert len(mapping["services"]) == 17
    assert mapping["services"]["family_tracing"] == "family_tracing_service"
    assert mapping["services"]["government_services"] == "social_protection_service"
    assert mapping["referral_reasons"]["child_or_family_request"] == "family_request"
    assert mapping["referral_reasons"]["family_tracing_request"] == "tracing_request"
    assert mapping["followup_types"]["remote_video"] == "remote"
    assert mapping["closure_reasons"]["death"] == "death_of_child"
    assert mapping["urgency"] == {"immediate": "within_24_hours", "high": "within_3_days",
                                  "normal": "within_week"}
    assert mapping["risk"] == {"high": "high", "medium": "medium", "low": "low"}
    assert mapping["options"] == {"sex": {"female": "female", "male": "male"}}
    assert mapping["fields"]["location"] == "location_current"
    assert mapping["fields"]["consent_share_information"] == "disclosure_other_orgs"
    assert mapping["fields"]["closure_date"] == "date_closure"
    assert mapping["fields"]["case_plan_items"] == "cp_case_plan_subform_case_plan_interventions"
    assert mapping["fields"]["case_plan_items.plan_target_date"] == "case_plan_timeframe"
    assert mapping["fields"]["caregivers.caregiver_name"] == "relation_name"
    assert mapping["locations"]["city_suburb"] == "VD010102"
    assert mapping["locations"]["city_suburb_district"] == "VD0101"
    assert mapping["locations"]["remote_village"] == "VD020102"
    assert len(mapping["locations"]) == 11
    assert entries(seed_import, "mapping") == []


def test_every_entry_says_what_it_was_proposed_from(seed_import: ImportResult) -> None:
    lines = [line for line in mapping_text(seed_import).splitlines() if not line.startswith("#")]
    values = [line for line in lines if re.match(r"^\s+\S+: \S+", line)]
    assert values
    assert all(re.search(r"    # proposed .+: confirm$", line) for line in values)
    assert "# proposed from the name 'CP Supervisor': confirm" in mapping_text(seed_import)


def test_what_cannot_be_matched_is_left_out_and_reported(export_import: ImportResult) -> None:
    mapping = YAML(typ="safe").load(mapping_text(export_import))
    assert mapping["roles"] == {
        "service_provider": "role-partner",
        "supervisor": "role-boss",
        "case_worker": "role-worker",
    }
    assert mapping["options"]["sex"] == {"female": "F", "male": "M"}
    assert "reporting" not in mapping["consent"]
    assert "referral_reasons" not in mapping and "locations" not in mapping
    reported = entries(export_import, "mapping")
    assert "configuration.json:1: roles: nothing in the source matches administrator, manager; scenarios " \
           "that need them cannot run until they are mapped" in reported
    unmatched = ": referral_reasons: nothing in the source matches case_plan_service, immediate_safety,"
    assert any(unmatched in line for line in reported)
    assert any(": consent: nothing in the source matches reporting;" in line for line in reported)


def test_every_concept_is_one_the_vocabulary_knows(seed_import: ImportResult) -> None:
    """The proposal names only kinds and concepts of `sandbox.configuration.vocabulary`."""
    from sandbox.configuration.vocabulary import VOCABULARY
    from sandbox.configuration.vocabulary.mapping import MAPPING_KEYS, OPEN_KINDS

    mapping = YAML(typ="safe").load(mapping_text(seed_import))
    assert set(mapping) <= set(MAPPING_KEYS)
    for kind, concepts in mapping.items():
        if kind not in OPEN_KINDS:
            assert set(concepts) <= set(VOCABULARY[kind]), kind
    assert mapping["modules"] == {"cp": "primeromodule-cp"}
    assert set(mapping["consent"]) == {"services", "share_information", "tracing", "reporting"}
