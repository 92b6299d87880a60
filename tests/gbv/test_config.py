"""The GBV module of the default bundle, and the checks of consent per provider and of the
form access it gates: each slip is reported with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sandbox.configuration.bundle.validate import validate_bundle
from tests.conftest import DEFAULT_BUNDLE


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, target)
    return target


def messages(directory: Path) -> list[str]:
    return [str(p) for p in validate_bundle(directory).sorted_problems()]


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; return the 1-based line where `new` starts."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:at].count("\n") + 1


def test_the_gbv_module_has_its_forms_roles_and_policy() -> None:
    parsed = validate_bundle(DEFAULT_BUNDLE)
    assert "gbv" in {item.spec.id for item in parsed.modules}
    sections = {item.spec.id: item.spec for item in parsed.sections if item.spec.module == "gbv"}
    assert set(sections) == {"gbv_survivor", "gbv_profile", "gbv_consent", "gbv_safety_plan",
                             "gbv_action_plan", "gbv_closure"}
    for spec in sections.values():
        for text in (spec.name, *(f.label for f in spec.fields)):
            assert set(text) == {"en", "fr", "ar", "es", "sw", "km"}, text
    roles = {item.spec.id: item.spec for item in parsed.roles}
    providers = {roles[r].provider for r in roles if roles[r].provider}
    assert providers == {"health", "psychosocial", "legal", "safety"}
    assert roles["gbv_supervisor"].scope == "group" and roles["gbv_caseworker"].scope == "own"
    policy = next(p.spec for p in parsed.policies if p.spec.module == "gbv")
    assert set(policy.consent.fields) == {"services", "share_information", "statistics"}
    assert set(policy.approvals) == {"action_plan", "gbv_closure"}
    assert policy.consent.required["referral.create"] == ["services"]


def test_consented_access_without_a_provider_is_an_error(bundle: Path) -> None:
    line = edit(bundle / "roles.yaml", "    provider: legal\n", "")
    found = [m for m in messages(bundle) if "has no 'provider'" in m]
    assert len(found) == 1
    assert "role 'gbv_provider_legal'" in found[0]
    # The problem points at the consent-gated section, two lines below the removed one.
    assert f"roles.yaml:{line + 2}:" in found[0]


def test_an_unknown_consent_kind_in_form_access_is_named(bundle: Path) -> None:
    line = edit(bundle / "roles.yaml",
                "    provider: health\n    permissions: [case.view, referral.accept, referral.reject, "
                "referral.done, service.implement, note.add]\n    forms:\n"
                "      gbv_survivor: read_if_consented:share_information\n",
                "    provider: health\n    permissions: [case.view, referral.accept, referral.reject, "
                "referral.done, service.implement, note.add]\n    forms:\n"
                "      gbv_survivor: read_if_consented:share_informaton\n")
    found = [m for m in messages(bundle) if "share_informaton" in m]
    assert len(found) == 1
    assert f"roles.yaml:{line + 3}:" in found[0]
    assert "did you mean 'share_information'?" in found[0]


def test_a_provider_that_is_not_an_option_is_named(bundle: Path) -> None:
    line = edit(bundle / "roles.yaml", "    provider: safety\n", "    provider: shelter\n")
    found = [m for m in messages(bundle) if "'shelter'" in m]
    assert len(found) == 1
    assert f"roles.yaml:{line}:" in found[0]
    assert "options: health, psychosocial, legal, safety" in found[0]


def test_a_providers_field_must_be_a_multi_select(bundle: Path) -> None:
    line = edit(bundle / "policy.yaml", "        services: gbv_consent_providers\n",
                "        services: gbv_consent_services\n")
    found = [m for m in messages(bundle) if "providers field" in m]
    assert len(found) == 1
    assert f"policy.yaml:{line}:" in found[0]
    assert "must be a multi_select" in found[0]


def test_providers_of_a_kind_without_a_field_are_an_error(bundle: Path) -> None:
    line = edit(bundle / "policy.yaml", "        share_information: gbv_consent_identified_providers\n",
                "        sharing: gbv_consent_identified_providers\n")
    found = [m for m in messages(bundle) if "providers for consent 'sharing'" in m]
    assert len(found) == 1
    assert f"policy.yaml:{line}:" in found[0]


def test_a_bad_access_value_is_refused(bundle: Path) -> None:
    line = edit(bundle / "roles.yaml", "      gbv_survivor: none\n", "      gbv_survivor: hidden\n")
    found = [m for m in messages(bundle) if "gbv_survivor" in m and "roles.yaml" in m]
    assert found and f"roles.yaml:{line}:" in found[0]


def test_agencies_say_which_kind_of_provider_they_are() -> None:
    parsed = validate_bundle(DEFAULT_BUNDLE)
    agencies = {item.spec.id: item.spec.providers for item in parsed.agencies}
    assert agencies["lcs"] == ["health"] and agencies["jlc"] == ["legal"]
    assert agencies["amal"] == ["health", "psychosocial", "safety"]
    assert not [p for p in parsed.sorted_problems() if "provider" in str(p)]


def test_an_unknown_provider_type_of_an_agency_names_its_line(bundle: Path) -> None:
    line = edit(bundle / "agencies.yaml", "    provider: legal\n", "    provider: lawyers\n")
    found = [m for m in messages(bundle) if "unknown provider type" in m]
    assert len(found) == 1
    assert f"agencies.yaml:{line}:" in found[0] and "agency 'jlc'" in found[0]
    assert "'lawyers'" in found[0] and "health, legal, psychosocial, safety" in found[0]


def test_an_unknown_provider_type_in_a_list_names_its_item(bundle: Path) -> None:
    edit(bundle / "agencies.yaml", "    provider: [health, psychosocial, safety]\n",
         "    provider: [health, counselling]\n")
    found = [m for m in messages(bundle) if "unknown provider type" in m]
    assert len(found) == 1 and "agency 'amal'" in found[0] and "'counselling'" in found[0]


def test_modules_say_what_they_call_the_person_of_a_case(bundle: Path) -> None:
    parsed = validate_bundle(DEFAULT_BUNDLE)
    person = {item.spec.id: item.spec.person for item in parsed.modules}
    assert person["gbv"] is not None and person["gbv"].one["fr"] == "Survivante / survivant"
    assert person["cp"] is not None and person["cp"].the["en"] == "the child"
    for spec in person.values():
        for text in spec.model_dump().values():  # type: ignore[union-attr]
            assert set(text) == {"en", "fr", "ar", "es", "sw", "km"}
    line = edit(bundle / "modules.yaml",
                '      the: {en: "the survivor", fr: "la survivante / le survivant", ',
                '      the: {en: "the survivor", ')
    found = [m for m in messages(bundle) if "person (the)" in m]
    assert found and f"modules.yaml:{line}:" in found[0]
