"""Importing the configuration export fixture (JSON, English and French)."""

from __future__ import annotations

from pathlib import Path

from sandbox.configuration.importers.primero import ImportResult, import_primero

from .conftest import EXPORT, line_of
from .test_import_seed import entries, load, sections


def test_sections_steps_and_languages(export_import: ImportResult) -> None:
    steps = {s["id"]: s["step"] for s in sections(export_import).values()}
    assert steps == {
        "registration_form": "registration",
        "consent_form": "consent",
        "needs_evaluation": "assessment",
        "interview_notes": "registration",
        "services_form": "services",
        "closure_form": "closure",
    }
    assert load(export_import, "bundle.yaml")["languages"] == ["en", "fr"]
    registration = sections(export_import)["registration_form"]
    assert registration["name"] == {"en": "Registration", "fr": "Enregistrement"}
    assert registration["help"] == {"en": "Who the child is", "fr": "Qui est l'enfant"}


def test_option_values_round_trip(export_import: ImportResult) -> None:
    lookups = {lk["id"]: lk for lk in load(export_import, "lookups.yaml")["lookups"]}
    assert [o["id"] for o in lookups["lookup-sex"]["options"]] == ["F", "M", "X"]
    assert [o["id"] for o in lookups["field-closure_reason"]["options"]] == ["goals_met", "1", "Other"]
    assert lookups["field-closure_reason"]["options"][1]["label"] == {
        "en": "Moved away",
        "fr": "Déménagement",
    }


def test_fields_flags_and_defaults(export_import: ImportResult) -> None:
    fields = {f["id"]: f for f in sections(export_import)["registration_form"]["fields"]}
    assert fields["case_id"]["hidden"] and fields["case_id"]["readonly"]
    assert fields["age"]["default"] == 10 and fields["age"]["help"] == {"en": "In years", "fr": "En années"}
    assert fields["risk_level"]["default"] == "medium"
    assert fields["registered_at"] == {
        "id": "registered_at",
        "type": "datetime",
        "label": {"en": "Registered at", "fr": "Enregistré le"},
        "default": "now",
    }
    assert fields["caseworker_agency"]["options_from"] == "agencies"
    assert fields["ethnicity"]["type"] == "text"
    assert fields["phone"]["show_if"] == {"field": "has_phone", "equals": True}
    evaluation = {f["id"]: f for f in sections(export_import)["needs_evaluation"]["fields"]}
    assert evaluation["evaluation_score"]["show_if"] == {"not": {"field": "risk_level", "in": ["low"]}}
    assert evaluation["evaluation_summary"]["help"] == {
        "en": "What does the child need?",
        "fr": "De quoi l'enfant a-t-il besoin ?",
    }


def test_roles_agencies_groups(export_import: ImportResult) -> None:
    roles = {r["id"]: r for r in load(export_import, "roles.yaml")["roles"]}
    assert roles["role-worker"]["forms"] == {
        "registration_form": "read_write",
        "consent_form": "read_write",
        "needs_evaluation": "read_write",
        "services_form": "read_write",
        "closure_form": "read_write",
    }
    assert roles["role-boss"]["forms"] == {"registration_form": "read"}
    assert [p for p in roles["role-boss"]["permissions"] if p.startswith("approval")] == [
        "approval.decide:case_plan",
        "approval.decide:closure",
    ]
    assert roles["role-partner"]["referral_recipient"] is True and roles["role-partner"]["scope"] == "own"
    agencies = load(export_import, "agencies.yaml")
    assert agencies["agencies"][1]["short_name"] == "NGO-WITH-A-VERY-LONG"
    assert agencies["agencies"][0]["services"] == ["ftr"]
    assert [g["agencies"] for g in agencies["user_groups"]] == [["agency-ministry", "agency-ngo"], [], []]


def test_lossy_steps_with_json_lines(export_import: ImportResult) -> None:
    name = "configuration.json"
    sum_line = line_of(EXPORT, '"sum"')
    interview_line = line_of(EXPORT, '"unique_id": "interview_notes"') - 1
    report_line = line_of(EXPORT, '"Report"')
    incident_line = line_of(EXPORT, '"incident_details"') - 1
    assert (
        f"{name}:{line_of(EXPORT, 'lookup-ethnicity')}: field 'ethnicity': lookup 'lookup-ethnicity' is not "
        "in the source; imported as text" in entries(export_import, "missing")
    )
    assert (
        f"{name}:{sum_line}: field 'evaluation_total': skip logic 'sum' cannot be "
        "expressed; the field is always shown" in entries(export_import, "approximated")
    )
    assert (
        f"{name}:{interview_line}: form 'interview_notes' (group "
        "'-'): no SOP step recognised; placed in registration" in entries(export_import, "approximated")
    )
    assert (
        f"{name}:{line_of(EXPORT, 'service_steps')}: subform 'services_section': the subform column "
        "'service_steps' inside it cannot be nested; not imported" in entries(export_import, "approximated")
    )
    assert f"{name}:{report_line}: Report: the sandbox has no place for it" in entries(
        export_import, "not_imported"
    )
    assert (
        f"{name}:{incident_line}: form 'incident_details' is for incident "
        "records; only case and tracing request forms are imported" in entries(export_import, "not_imported")
    )
    assert (
        f"{name}:{line_of(EXPORT, 'agency-ghost')}: user group 'usergroup-ghost': agencies not in the "
        "source: agency-ghost" in entries(export_import, "missing")
    )
    assert (
        f"{name}:{line_of(EXPORT, 'export_pdf') - 1}: role 'role-worker': case actions without an "
        "equivalent: export_pdf" in entries(export_import, "permissions")
    )
    assert (
        f"{name}:{line_of(EXPORT, 'hide_on_view_page')}: field 'has_phone': 'hide_on_view_page' has no "
        "equivalent" in entries(export_import, "dropped")
    )


def test_what_the_export_does_not_have_is_generated_and_reported(export_import: ImportResult) -> None:
    assert (export_import.bundle_dir / "locations.csv").read_text(encoding="utf-8").splitlines() == [
        "code,parent,admin_level,name_en,name_fr",
        "XX,,0,Country,Country",
    ]
    module = load(export_import, "modules.yaml")["modules"][0]
    assert module["id"] == "primeromodule-cp"
    assert "referral_reason" not in module["system_lookups"] and "need" not in module["system_lookups"]
    assert module["system_lookups"]["closure_reason"] == "field-closure_reason"
    generated = entries(export_import, "generated")
    assert "configuration.json:1: the source has no locations: one country 'XX' was created" in generated
    policy = load(export_import, "policy.yaml")["policies"][0]
    assert policy["consent"]["fields"] == {
        "services": "consent_for_services",
        "sharing": {"field": "disclosure_other_orgs", "given": "true"},
        "tracing": "consent_for_tracing",
    }


def test_a_partly_translated_language_is_left_out_and_reported(tmp_path: Path) -> None:
    """By default a bundle has the languages the source covers completely."""
    source = tmp_path / "configuration.json"
    text = EXPORT.read_text(encoding="utf-8")
    assert '"fr": "Enregistrement"' in text
    source.write_text(text.replace(', "fr": "Enregistrement"', ""), encoding="utf-8")
    result = import_primero(source, tmp_path / "out" / "kestria")
    assert load(result, "bundle.yaml")["languages"] == ["en"]
    present, expected = result.report.coverage["en"]
    assert present == expected
    left_out = [e.message for e in result.report.entries if e.group == "missing" and "left out" in e.message]
    assert left_out == [f"language 'fr' left out: {expected - 1} of {expected} texts translated "
                        "(import it anyway with --languages)"]


def test_a_partly_translated_language_can_still_be_asked_for(tmp_path: Path) -> None:
    source = tmp_path / "configuration.json"
    source.write_text(EXPORT.read_text(encoding="utf-8").replace(', "fr": "Enregistrement"', ""),
                      encoding="utf-8")
    result = import_primero(source, tmp_path / "out" / "kestria", languages=["en", "fr"])
    assert load(result, "bundle.yaml")["languages"] == ["en", "fr"]
    present, expected = result.report.coverage["fr"]
    assert present == expected - 1
