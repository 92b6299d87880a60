"""Importing Primero's tracing request forms and permissions: forms with `parent_form:
tracing_request` become tracing request sections (no SOP step, not the case's fields),
and roles' `tracing_request` actions become the sandbox's family tracing permissions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sandbox.configuration.bundle.validate import validate_bundle
from sandbox.configuration.importers.primero import ImportResult, import_primero

from .conftest import EXPORT
from .test_import_seed import entries, load, sections

#: A tracing request form as a Primero export writes it: an inquirer's details, a field
#: the sandbox's tracing request already has (`sex`), a photo, and a nested form.
TRACING_FORMS: list[dict[str, Any]] = [
    {
        "unique_id": "inquirer_details",
        "parent_form": "tracing_request",
        "form_group_id": "inquirer",
        "order_form_group": 10,
        "order": 10,
        "visible": True,
        "is_nested": False,
        "name_i18n": {"en": "Inquirer", "fr": "Demandeur"},
        "module_ids": ["primeromodule-cp"],
        "fields_attributes": [
            {"name": "relation_address_current", "type": "textarea",
             "display_name_i18n": {"en": "Current address", "fr": "Adresse actuelle"}},
            {"name": "relation_is_caregiver", "type": "select_box",
             "option_strings_source": "lookup lookup-yes-no",
             "display_name_i18n": {"en": "Was the caregiver", "fr": "Était la personne en charge"}},
            {"name": "sex", "type": "radio_button", "option_strings_source": "lookup lookup-sex",
             "display_name_i18n": {"en": "Sex", "fr": "Sexe"}},
            {"name": "inquirer_photo", "type": "photo_upload_box",
             "display_name_i18n": {"en": "Photo", "fr": "Photo"}},
            {"name": "sightings", "type": "subform", "subform_section_id": "sightings_subform",
             "display_name_i18n": {"en": "Sightings", "fr": "Signalements"}},
        ],
    },
    {
        "unique_id": "sightings_subform",
        "parent_form": "tracing_request",
        "is_nested": True,
        "visible": False,
        "name_i18n": {"en": "Sighting", "fr": "Signalement"},
        "fields_attributes": [
            {"name": "sighting_place", "type": "text_field",
             "display_name_i18n": {"en": "Where", "fr": "Où"}},
            {"name": "sighting_date", "type": "date_field",
             "display_name_i18n": {"en": "When", "fr": "Quand"}},
        ],
    },
]
#: Each role's actions on tracing requests.
TRACING_PERMISSIONS = {
    "role-worker": ["read", "write", "create", "export_pdf"],
    "role-boss": ["manage"],
    "role-partner": ["read"],
}


@pytest.fixture(scope="module")
def tracing_import(tmp_path_factory: pytest.TempPathFactory) -> ImportResult:
    """The export fixture, with a tracing request form and tracing request permissions."""
    export = json.loads(EXPORT.read_text(encoding="utf-8"))
    export["data"]["FormSection"].extend(TRACING_FORMS)
    for role in export["data"]["Role"]:
        role["permissions"]["tracing_request"] = TRACING_PERMISSIONS[role["unique_id"]]
    role_worker = next(r for r in export["data"]["Role"] if r["unique_id"] == "role-worker")
    role_worker["form_section_read_write"]["inquirer_details"] = "rw"
    folder = tmp_path_factory.mktemp("tracing")
    source = folder / "configuration.json"
    source.write_text(json.dumps(export), encoding="utf-8")
    return import_primero(source, folder / "out")


def test_a_tracing_request_form_becomes_a_tracing_request_section(
        tracing_import: ImportResult) -> None:
    section = sections(tracing_import)["inquirer_details"]
    assert section["record_type"] == "tracing_request" and "step" not in section
    assert section["name"] == {"en": "Inquirer", "fr": "Demandeur"}
    fields = {f["id"]: f for f in section["fields"]}
    # The fixed field (sex) and the photo are left out; the nested form is a subform.
    assert list(fields) == ["relation_address_current", "relation_is_caregiver", "sightings"]
    assert fields["relation_is_caregiver"]["lookup"] == "lookup-yes-no"
    assert [c["id"] for c in fields["sightings"]["fields"]] == ["sighting_place", "sighting_date"]
    dropped = "\n".join(entries(tracing_import, "dropped"))
    assert "field 'sex' is a fixed field of the sandbox's tracing request" in dropped
    assert "field 'inquirer_photo' holds documents" in dropped
    # The case sections are as before, and the case fields do not include the form's.
    steps = {s["id"]: s.get("step") for s in sections(tracing_import).values()}
    assert steps["registration_form"] == "registration" and steps["inquirer_details"] is None
    assert "nested form 'sightings_subform' is used by no subform field" not in \
        "\n".join(entries(tracing_import, "not_imported"))


def test_tracing_request_permissions_become_family_tracing_actions(
        tracing_import: ImportResult) -> None:
    roles = {r["id"]: r for r in load(tracing_import, "roles.yaml")["roles"]}
    tracing = {role: [p for p in r["permissions"] if p.split(".")[0] in
                      ("tracing_request", "trace", "match", "reunification")]
               for role, r in roles.items()}
    assert set(tracing["role-partner"]) == {"tracing_request.view"}
    assert {"tracing_request.view", "tracing_request.create", "tracing_request.update",
            "trace.record", "match.search", "match.confirm"} <= set(tracing["role-worker"])
    assert set(tracing["role-boss"]) == {
        "tracing_request.view", "tracing_request.create", "tracing_request.update",
        "trace.record", "match.search", "match.confirm", "match.reject", "match.verify",
        "reunification.record"}
    assert roles["role-worker"]["forms"]["inquirer_details"] == "read_write"
    permissions = "\n".join(entries(tracing_import, "permissions"))
    assert "role 'role-worker': tracing request actions without an equivalent: export_pdf" \
        in permissions
    assert "permissions on tracing_request" not in permissions


def test_the_imported_bundle_with_a_tracing_section_validates(
        tracing_import: ImportResult) -> None:
    parsed = validate_bundle(tracing_import.bundle_dir)
    # As for the export alone: only nobody-may-reopen blocks loading.
    assert [Path(p.path).name for p in parsed.errors()] == ["roles.yaml"]
    assert [s.spec.record_type for s in parsed.sections if s.spec.id == "inquirer_details"] == [
        "tracing_request"]
