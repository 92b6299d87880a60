"""mapping.yaml: the checks of `sandbox.configuration.vocabulary.check_mapping`, each at its
line, and the shipped bundles' mappings (clean, and covering what the library names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sandbox.common.sourcefiles import read_yaml
from sandbox.configuration.runtime import get_config
from sandbox.configuration.vocabulary import VOCABULARY, BundleIds, Resolver, check_mapping
from sandbox.configuration.vocabulary.resolve import module_for
from tests.conftest import DEFAULT_BUNDLE, KENYA_BUNDLE

pytestmark = pytest.mark.django_db


def problems(tmp_path: Path, text: str, bundle: str = "default") -> list[str]:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    source, read = read_yaml(path)
    assert not read
    config = get_config(bundle)

    def module_ids(concept: str) -> BundleIds | None:
        found = module_for(config, concept)
        return BundleIds.from_config(config, found) if found is not None else None

    return [str(p) for p in check_mapping(source, BundleIds.from_config(config, config.modules["cp"]),
                                          module_ids=module_ids)]


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
        "urgency, risk, fields, options, locations, providers, by_module)",
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
        "closure_reasons, urgency, risk, fields, options, locations, providers, by_module)"]


def test_no_file_no_problem(default_config: Any) -> None:
    config = get_config("default")
    assert check_mapping(None, BundleIds.from_config(config, config.modules["cp"])) == []


@pytest.mark.parametrize(("directory", "code"), [(DEFAULT_BUNDLE, "default"),
                                                 (KENYA_BUNDLE, "kenya_dcs")])
def test_the_shipped_mappings_are_clean(default_config: Any, directory: Path, code: str) -> None:
    source, read = read_yaml(directory / "mapping.yaml")
    assert not read and source is not None
    config = get_config(code)

    def module_ids(concept: str) -> BundleIds | None:
        found = module_for(config, concept)
        return BundleIds.from_config(config, found) if found is not None else None

    assert check_mapping(source, BundleIds.from_config(config, config.modules["cp"]),
                         module_ids=module_ids) == []
    # every role, consent, risk level and urgency concept is mapped or left out on purpose
    assert set(source.data["roles"]) <= set(VOCABULARY["roles"])
    assert set(source.data["risk"]) == set(VOCABULARY["risk"])


def test_a_module_section_is_checked_against_that_module(default_config: Any,
                                                         tmp_path: Path) -> None:
    found = problems(tmp_path, "\n".join([
        "providers: {health: health}",        # 1: the CP module has no provider lists
        "by_module:",
        "  gbv:",
        "    consent: {statistics: statistics}",
        "    providers: {health: clinic}",    # 5: no such provider option in the GBV module
        "    fields: {consent_refused: refused_text}",  # 6: no such field in the GBV module
        "    modules: {cp: cp}",              # 7: not a kind of a module section
        "  cpp: {}",                          # 8: unknown module concept
    ]) + "\n")
    path = tmp_path / "mapping.yaml"
    assert found == [
        f"{path}:1: providers.health: the bundle has no provider type 'health' (has: none)",
        f"{path}:5: by_module.gbv.providers.health: the bundle has no provider type 'clinic' "
        "(has: health, legal, psychosocial, safety)",
        f"{path}:6: by_module.gbv.fields.consent_refused: the bundle has no field 'refused_text'",
        f"{path}:7: by_module.gbv: unknown key 'modules' (did you mean 'roles'?) (one of: roles, "
        "agencies, user_groups, consent, services, referral_reasons, followup_types, "
        "closure_reasons, urgency, risk, fields, options, locations, providers)",
        f"{path}:8: by_module: unknown module concept 'cpp' (did you mean 'cp'?) (one of: cp, gbv)",
    ]


def test_concepts_resolve_per_module(default_config: Any) -> None:
    config = get_config("default")
    cp = Resolver(config, config.modules["cp"])
    gbv = Resolver(config, config.modules["gbv"])
    assert cp.id("roles", "case_worker") == "caseworker"
    assert gbv.id("roles", "case_worker") == "gbv_caseworker"
    assert gbv.id("roles", "health_provider") == "gbv_provider_health"
    assert cp.id("roles", "health_provider") is None
    # statistics is a consent purpose of the GBV module only
    assert gbv.id("consent", "statistics") == "statistics"
    assert cp.id("consent", "statistics") is None
    assert gbv.field("consent_statistics").code == "gbv_consent_statistics"
    assert gbv.field("consent_share_information").code == "gbv_consent_share_identified"
    assert cp.field("consent_share_information").code == "consent_share_other_orgs"
    providers = gbv.field("consent_providers")
    assert providers.code == "gbv_consent_providers"
    assert gbv.option("consent_providers", providers, "legal") == "legal"
    assert gbv.id("providers", "safety") == "safety" and cp.id("providers", "safety") is None
    assert gbv.id("closure_reasons", "goals_met") == "needs_met"
