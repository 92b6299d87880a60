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
