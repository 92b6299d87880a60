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
    assert mapping["consent"] == {
        "services": "consent_services",
        "share_information": "consent_info_sharing",
        "tracing": "consent_tracing",
        "reporting": "consent_reporting",
    }
    assert mapping["services"] == {
        "family_tracing": "family_tracing_service",
        "psychosocial": "psychosocial_service",
        "health": "health_medical_service",
        "education": "education_service",
        "legal": "legal_assistance_service",
        "safe_shelter": "safehouse_service",
        "livelihoods": "livelihoods_service",
        "alternative_care": "alternative_care_service",
        "reintegration": "reintegration_service",
    }
    assert mapping["risk"] == {"high": "high", "medium": "medium", "low": "low"}
    assert mapping["options"] == {"sex": {"female": "female", "male": "male"}}
    assert mapping["fields"]["location"] == "location_current"
    assert mapping["agencies"] == {"lead": "agency-dif"} and mapping["user_groups"] == {
        "lead": "usergroup-norte"
    }


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
    reported = entries(export_import, "mapping")
    assert (
        "configuration.json:1: roles.administrator: nothing in the source matches; scenarios that need it "
        "cannot run until it is mapped" in reported
    )
    assert any(
        line.endswith(
            "roles.manager: nothing in the source matches; scenarios that need it cannot run "
            "until it is mapped"
        )
        for line in reported
    )
    assert sum(1 for line in reported if ": services." in line) == 6
