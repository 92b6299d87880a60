"""Loading a bundle: all of it, or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sandbox.configuration import models as m
from sandbox.configuration.bundle import load as load_module
from sandbox.configuration.bundle.load import BundleInvalid, load_bundle
from sandbox.configuration.runtime import get_config
from tests.conftest import DEFAULT_BUNDLE, KENYA_BUNDLE


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (m.Bundle, m.Lookup, m.LookupOption, m.FormSection, m.Field,
                          m.Location, m.Agency, m.UserGroup, m.Role, m.Policy)}


@pytest.mark.django_db
def test_load_default_bundle() -> None:
    bundle = load_bundle(DEFAULT_BUNDLE)
    assert bundle.code == "default"
    config = get_config("default")
    module = config.modules["cp"]
    assert module.policy.approval_required("case_plan")
    assert config.roles["supervisor"].can("approval.decide")
    assert not config.roles["caseworker"].can("approval.decide")
    subforms = [f for f in module.fields.values() if f.type == "subform"]
    assert subforms and all(f.columns for f in subforms)
    assert config.location_label("LR010101", "en").count(",") == 2


@pytest.mark.django_db
def test_reload_replaces_and_keeps_one_copy() -> None:
    load_bundle(DEFAULT_BUNDLE)
    first = counts()
    load_bundle(DEFAULT_BUNDLE)
    assert counts() == first


@pytest.mark.django_db
def test_both_bundles_side_by_side() -> None:
    load_bundle(DEFAULT_BUNDLE)
    load_bundle(KENYA_BUNDLE)
    kenya = get_config("kenya_dcs")
    assert kenya.modules["cp"].core_fields["risk_level"]
    assert [lvl["level"] for lvl in kenya.admin_levels] == [0, 1, 2, 3]
    assert m.Bundle.objects.count() == 2


@pytest.mark.django_db
def test_invalid_bundle_loads_nothing(tmp_path: Path) -> None:
    target = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, target)
    roles = target / "roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("- case.register", "- nope", 1),
                     encoding="utf-8")
    before = counts()
    with pytest.raises(BundleInvalid) as excinfo:
        load_bundle(target)
    assert any("unknown action 'nope'" in str(p) for p in excinfo.value.problems)
    assert counts() == before
    with pytest.raises(CommandError):
        call_command("load_config", str(target))
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_failure_half_way_rolls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    load_bundle(DEFAULT_BUNDLE)
    before = counts()

    def broken_roles(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    # Everything up to the roles is written, then the write fails.
    monkeypatch.setattr(load_module.m.Role.objects, "bulk_create", broken_roles)
    with pytest.raises(RuntimeError):
        load_bundle(DEFAULT_BUNDLE)
    assert counts() == before


# Format 2 -----------------------------------------------------------------------------------------

BUNDLE_V2 = Path(__file__).parents[1] / "cases" / "fixtures" / "bundle_v2"


@pytest.mark.django_db
def test_load_format_2_writes_every_new_attribute() -> None:
    bundle = load_bundle(BUNDLE_V2)
    fields = {f.code: f for f in m.Field.objects.filter(section__bundle=bundle)
              .exclude(section__code="closure-form")}
    assert fields["record_source"].hidden and fields["registration_date"].readonly
    assert fields["registration_date"].default == "today" and fields["risk_level"].default == "medium"
    assert fields["name_first"].validation == {
        "pattern": "[A-Za-z' -]+", "message": {"en": "Letters, spaces, hyphens and apostrophes only."},
        "min_length": 2, "max_length": 40}
    assert fields["date_of_birth"].validation == {"not_future": True}
    assert fields["focal_point"].options_from == "users" and fields["focal_point"].lookup is None
    assert fields["identity_documents"].accept == ["pdf", "png"]
    assert fields["identity_documents"].max_size_kb == 1
    assert fields["disability_type"].show_if == {"all": [
        {"field": "has_disability", "equals": True}, {"field": "age", "lt": 18}]}
    assert m.Field.objects.filter(section__bundle=bundle, code="name_first").count() == 2
    agency = m.Agency.objects.get(bundle=bundle, code="agency-unicef")
    assert agency.type == "" and agency.short_name == "agency-unicef"
    groups = {g.code: g for g in m.UserGroup.objects.filter(bundle=bundle)}
    assert groups["group-north"].agencies == ["agency-gov", "agency-unicef"]
    assert groups["group-north"].agency.code == "agency-gov"
    assert groups["group-none"].agencies == [] and groups["group-none"].agency is None
    assert groups["group-v1"].agencies == ["agency-gov"]
    module = m.Module.objects.get(bundle=bundle)
    assert "referral_reason" not in module.system_lookups
    policy = m.Policy.objects.get(bundle=bundle)
    assert policy.deadlines == {"assessment": {"high": "24h"}}
    assert policy.consent["fields"]["share_information"] == {"field": "consent_share", "given": "true"}


@pytest.mark.django_db
def test_long_primero_ids_and_option_ids_fit(tmp_path: Path) -> None:
    target = tmp_path / "bundle"
    shutil.copytree(BUNDLE_V2, target)
    long_id = "agency-" + "x" * 93                      # 100 characters
    long_option = "Option " + "y" * 193                 # 200 characters, with a space
    agencies = target / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("agency-unicef", long_id),
                        encoding="utf-8")
    lookups = target / "lookups.yaml"
    lookups.write_text(lookups.read_text(encoding="utf-8").replace(
        "{id: visit,", f'{{id: "{long_option}",'), encoding="utf-8")
    bundle = load_bundle(target)
    assert m.Agency.objects.filter(bundle=bundle, code=long_id).exists()
    assert m.LookupOption.objects.filter(lookup__bundle=bundle, code=long_option).exists()
    config = get_config(bundle)
    assert config.user_groups["group-north"]["agencies"][1] == long_id


@pytest.mark.django_db(transaction=True)
def test_format_2_failure_half_way_rolls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    load_bundle(DEFAULT_BUNDLE)
    before = counts()

    def broken_groups(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(load_module.m.UserGroup.objects, "bulk_create", broken_groups)
    with pytest.raises(RuntimeError):
        load_bundle(BUNDLE_V2)
    assert counts() == before
    assert not m.Bundle.objects.filter(code="v2-test").exists()
