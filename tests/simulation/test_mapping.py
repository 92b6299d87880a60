"""mapping.yaml: the checks of `sandbox.configuration.vocabulary.check_mapping`, each at its
line, and the shipped bundles' mappings (clean, and covering what the library names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sandbox.common.sourcefiles import read_yaml
from sandbox.configuration.runtime import get_config
from sandbox.configuration.vocabulary import VOCABULARY, BundleIds, check_mapping
from tests.conftest import DEFAULT_BUNDLE, KENYA_BUNDLE

pytestmark = pytest.mark.django_db


def problems(tmp_path: Path, text: str, bundle: str = "default") -> list[str]:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    source, read = read_yaml(path)
    assert not read
    config = get_config(bundle)
    return [str(p) for p in check_mapping(source, BundleIds.from_config(config, config.modules["cp"]))]


def test_each_problem_is_reported_at_its_line(default_config: Any, tmp_path: Path) -> None:
    found = problems(tmp_path, "\n".join([
        "roles:",
        "  case_worker: caseworker",
        "  case_wroker: caseworker",          # 3: unknown concept
        "  supervisor: team_leader",          # 4: no such role
        "servces: {}",                        # 5: unknown kind
        "services:",
        "  family_tracing: tracing_of_families",  # 7: no such option
        "fields:",
        "  assessed_needs: needs_assessed",   # 9: no such field
        "  caregivers.caregiver_phone: phone_number",  # 10: no such column
        "options:",
        "  assessed_needs: {health: wellness}",        # 12: no such option anywhere
        "agencies: [dsw]",                    # 13: not a mapping
    ]) + "\n")
    path = tmp_path / "mapping.yaml"
    assert found == [
        f"{path}:3: roles: unknown concept 'case_wroker' (did you mean 'case_worker'?) "
        "(see docs/authoring/vocabulary.md)",
        f"{path}:4: roles.supervisor: the bundle has no role 'team_leader' "
        "(has: administrator, caseworker, gbv_caseworker, gbv_provider_health, gbv_provider_legal, "
        "gbv_provider_psychosocial, gbv_provider_safety, gbv_supervisor, manager, service_provider, "
        "supervisor)",
        f"{path}:5: unknown key 'servces' (did you mean 'services'?) (one of: modules, roles, agencies, "
        "user_groups, consent, services, referral_reasons, followup_types, closure_reasons, "
        "urgency, risk, fields, options, locations)",
        f"{path}:7: services.family_tracing: the bundle has no service kind 'tracing_of_families' "
        "(has: alternative_care, cash_assistance, education, "
        "family_tracing, gbv_services, health_care, legal_aid, livelihoods, mental_health, "
        "psychosocial_support, reintegration, safe_shelter)",
        f"{path}:9: fields.assessed_needs: the bundle has no field 'needs_assessed'",
        f"{path}:10: fields.caregivers.caregiver_phone: subform 'caregivers' has no column "
        "'phone_number' (has: caregiver_alive, caregiver_lives_with_child, caregiver_name, "
        "caregiver_phone, caregiver_relationship)",
        f"{path}:12: options.assessed_needs.health: no lookup of the bundle has the option "
        "'wellness'",
        f"{path}:13: 'agencies' maps concepts to ids (CONCEPT: ID)",
    ]


def test_a_mapping_that_is_not_a_mapping(default_config: Any, tmp_path: Path) -> None:
    assert problems(tmp_path, "- roles\n") == [
        f"{tmp_path / 'mapping.yaml'}:1: mapping.yaml is a mapping of concept kinds (modules, roles, "
        "agencies, user_groups, consent, services, referral_reasons, followup_types, "
        "closure_reasons, urgency, risk, fields, options, locations)"]


def test_no_file_no_problem(default_config: Any) -> None:
    config = get_config("default")
    assert check_mapping(None, BundleIds.from_config(config, config.modules["cp"])) == []


@pytest.mark.parametrize(("directory", "code"), [(DEFAULT_BUNDLE, "default"),
                                                 (KENYA_BUNDLE, "kenya_dcs")])
def test_the_shipped_mappings_are_clean(default_config: Any, directory: Path, code: str) -> None:
    source, read = read_yaml(directory / "mapping.yaml")
    assert not read and source is not None
    config = get_config(code)
    assert check_mapping(source, BundleIds.from_config(config, config.modules["cp"])) == []
    # every role, consent, risk level and urgency concept is mapped or left out on purpose
    assert set(source.data["roles"]) <= set(VOCABULARY["roles"])
    assert set(source.data["risk"]) == set(VOCABULARY["risk"])
