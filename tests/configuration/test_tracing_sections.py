"""Tracing request sections (`record_type: tracing_request`): checked like case sections,
with their own fields (never the case's), loaded apart from the case's sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.configuration import models as m
from sandbox.configuration.bundle.load import load_bundle
from sandbox.configuration.bundle.validate import validate_bundle
from sandbox.configuration.runtime import get_config
from tests.conftest import DEFAULT_BUNDLE

from .corpus import make_bundle, relative

GOOD = """\
id: inquirer
module: cp
record_type: tracing_request
name: {en: Inquirer, fr: Demandeur}
fields:
  - id: inquirer_languages
    type: multi_select
    lookup: lookup-sex
    label: {en: Languages, fr: Langues}
  - id: has_photo
    type: tick_box
    label: {en: Has a photo, fr: A une photo}
  - id: photo_where
    type: text
    show_if: {field: has_photo, equals: true}
    label: {en: Where the photo is, fr: Où est la photo}
"""

BROKEN = """\
id: inquirer
module: cp
record_type: tracing_request
step: services
name: {en: Inquirer}
fields:
  - id: sex
    type: text
    label: {en: Sex, fr: Sexe}
  - id: inquirer_photo
    type: upload
    label: {en: Photo, fr: Photo}
  - id: relation
    type: select
    lookup: lookup-relations
    label: {en: Relation, fr: Lien}
  - id: marks
    type: text
    show_if: {field: name_first, exists: true}
    label: {en: Marks, fr: Signes}
"""


def tracing_bundle(tmp_path: Path, text: str) -> Path:
    target = make_bundle(tmp_path, [])
    (target / "forms" / "tracing.yaml").write_text(text, encoding="utf-8")
    return target


def test_a_tracing_request_section_is_valid_without_a_step(tmp_path: Path) -> None:
    target = tracing_bundle(tmp_path, GOOD)
    parsed = validate_bundle(target)
    assert [str(p) for p in parsed.sorted_problems()] == []
    [section] = [s.spec for s in parsed.sections if s.spec.id == "inquirer"]
    assert section.record_type == "tracing_request" and section.step is None


def test_its_problems_are_reported_with_file_and_line(tmp_path: Path) -> None:
    target = tracing_bundle(tmp_path, BROKEN)
    found = [relative(p, target) for p in validate_bundle(target).sorted_problems()
             if "tracing.yaml" in p.path]
    text = "\n".join(found)
    assert "forms/tracing.yaml:4: warning: form section 'inquirer': a tracing request section " \
           "has no SOP step; 'step: services' is not used" in found
    assert "forms/tracing.yaml:5: form section 'inquirer' name: missing 'fr' translation" in found
    assert ("forms/tracing.yaml:7: form section 'inquirer': field 'sex' is a fixed field of the "
            "tracing request; give the configured field another id") in found
    assert any(line.startswith("forms/tracing.yaml:11: ") and "holds no documents" in line
               for line in found), text
    assert any(line.startswith("forms/tracing.yaml:15: ") and "lookup-relations" in line
               for line in found), text
    # The case's fields are not the tracing request's: skip logic cannot name them.
    assert any(line.startswith("forms/tracing.yaml:19: ") and "unknown field 'name_first'" in line
               for line in found), text


def test_a_case_section_still_needs_a_step(tmp_path: Path) -> None:
    target = make_bundle(tmp_path, [{"file": "forms/identity.yaml", "replace": "step: registration\n",
                                     "with": ""}])
    found = [relative(p, target) for p in validate_bundle(target).sorted_problems()]
    assert found == ["forms/identity.yaml:1: form section 'identity': a case section needs a 'step' "
                     "(registration, consent, assessment, case_plan, services, closure), or "
                     "'record_type: tracing_request'"]


@pytest.mark.django_db
def test_loaded_apart_from_the_case_sections(tmp_path: Path) -> None:
    target = tracing_bundle(tmp_path, GOOD)
    bundle = load_bundle(target)
    row = m.FormSection.objects.get(bundle=bundle, code="inquirer")
    assert row.record_type == "tracing_request" and row.step == ""
    module = get_config(bundle).modules["cp"]
    assert "inquirer" not in [s.code for s in module.sections]
    assert "has_photo" not in module.fields and module.section("inquirer") is None
    assert [s.code for s in module.tracing_sections] == ["inquirer"]
    assert [f.code for f in module.tracing_sections[0].fields] == [
        "inquirer_languages", "has_photo", "photo_where"]


def test_the_default_bundle_has_one_tracing_request_section() -> None:
    parsed = validate_bundle(DEFAULT_BUNDLE)
    tracing = [s.spec for s in parsed.sections if s.spec.record_type == "tracing_request"]
    assert [s.id for s in tracing] == ["tracing_inquirer"]
    assert {f.type for f in tracing[0].fields} >= {"location", "multi_select", "textarea", "tick_box"}
    for fld in tracing[0].fields:
        assert set(fld.label) == {"en", "fr", "ar", "es", "sw", "km"}, fld.id
