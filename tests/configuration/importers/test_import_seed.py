"""Importing the Primero seed tree fixture: a small CP configuration in English and Spanish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from sandbox.configuration.importers.primero import ImportResult
from sandbox.configuration.importers.primero.seed import read_seed_tree
from sandbox.configuration.importers.primero.texts import options

from .conftest import SEED, SEED_CONFIG, line_of


def load(result: ImportResult, name: str) -> Any:
    return YAML(typ="safe").load((result.bundle_dir / name).read_text(encoding="utf-8"))


def sections(result: ImportResult) -> dict[str, dict[str, Any]]:
    loaded = [
        YAML(typ="safe").load(p.read_text(encoding="utf-8"))
        for p in sorted((result.bundle_dir / "forms").glob("*.yaml"))
    ]
    return {s["id"]: s for s in loaded}


def entries(result: ImportResult, group: str) -> list[str]:
    return [f"{e.location()}: {e.message}" for e in result.report.entries if e.group == group]


def test_files_of_the_bundle(seed_import: ImportResult) -> None:
    names = sorted(
        str(p.relative_to(seed_import.bundle_dir)) for p in seed_import.bundle_dir.rglob("*") if p.is_file()
    )
    assert [n for n in names if not n.startswith("forms/")] == [
        "agencies.yaml",
        "bundle.yaml",
        "locations.csv",
        "lookups.yaml",
        "mapping.yaml",
        "modules.yaml",
        "policy.yaml",
        "roles.yaml",
    ]
    assert len([n for n in names if n.startswith("forms/")]) == 10
    assert seed_import.report_md == seed_import.bundle_dir.parent / "import-report.md"
    assert seed_import.report_json.is_file()


def test_every_sop_step_has_sections(seed_import: ImportResult) -> None:
    steps = {s["id"]: s["step"] for s in sections(seed_import).values()}
    assert steps == {
        "basic_identity": "registration",
        "protection_concern_details": "registration",
        "family_details": "registration",
        "consent": "consent",
        "assessment": "assessment",
        "cp_case_plan": "case_plan",
        "services": "services",
        "followup": "services",
        "closure_form": "closure",
        "other_documents": "registration",
    }
    assert "cp_incident_form" not in steps


def test_ids_and_option_values_round_trip(seed_import: ImportResult) -> None:
    source = read_seed_tree(SEED)
    expected = {
        item.data["unique_id"]: [o.id for o in options(item.data, "lookup_values")]
        for item in source.of_kind("lookup")
    }
    written = {
        lookup["id"]: [o["id"] for o in lookup["options"]]
        for lookup in load(seed_import, "lookups.yaml")["lookups"]
    }
    assert {k: v for k, v in written.items() if not k.startswith("field-")} == expected
    assert written["lookup-yes-no-unknown"] == ["true", "false", "Unknown"]
    assert written["lookup-risk-level"] == ["high", "medium", "low"]
    roles = [r["id"] for r in load(seed_import, "roles.yaml")["roles"]]
    assert roles == [
        "role-cp-case-worker",
        "role-cp-supervisor",
        "role-cp-manager",
        "role-cp-service-provider",
        "role-cp-administrator",
    ]
    agencies = load(seed_import, "agencies.yaml")
    assert [a["id"] for a in agencies["agencies"]] == [
        "agency-dif", "agency-cruz-roja", "agency-casa-abierta", "agency-luna", "agency-defensoria",
        "agency-unicef"]
    groups = {g["id"]: g["agencies"] for g in agencies["user_groups"]}
    assert groups["usergroup-norte"] == ["agency-dif"]
    assert groups["usergroup-red-norte"] == ["agency-dif", "agency-cruz-roja", "agency-casa-abierta",
                                             "agency-luna", "agency-defensoria"]
    assert groups["usergroup-nacional"] == []
    assert all("type" not in a for a in agencies["agencies"])


def test_translations_are_kept(seed_import: ImportResult) -> None:
    bundle = load(seed_import, "bundle.yaml")
    assert bundle["languages"] == ["en", "es"]
    assert [level["name"] for level in bundle["admin_levels"]] == [
        {"en": "Country", "es": "País"},
        {"en": "Department", "es": "Departamento"},
        {"en": "Municipality", "es": "Municipio"},
        {"en": "Community", "es": "Comunidad"},
    ]
    risk = next(lk for lk in load(seed_import, "lookups.yaml")["lookups"] if lk["id"] == "lookup-risk-level")
    assert risk["name"] == {"en": "Risk level", "es": "Nivel de riesgo"}
    assert risk["options"][0]["label"] == {"en": "High", "es": "Alto"}
    consent = sections(seed_import)["consent"]
    assert consent["fields"][0] == {
        "id": "consent_header",
        "type": "separator",
        "label": {"en": "Consent and assent", "es": "Consentimiento y asentimiento"},
        "help": {
            "en": "Explain each point in a language the child understands.",
            "es": "Explique cada punto en un idioma que el niño o la niña entienda.",
        },
    }
    csv_lines = (seed_import.bundle_dir / "locations.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0] == "code,parent,admin_level,name_en,name_es"
    assert "VD01,VD,1,Northern Department,Departamento del Norte" in csv_lines
    assert "VD010103,VD0101,3,La Quebrada informal settlement,Asentamiento La Quebrada" in csv_lines
    assert seed_import.report.coverage == {"en": (273, 273), "es": (273, 273)}


def test_modules_core_fields_system_lookups_and_policy(seed_import: ImportResult) -> None:
    module = load(seed_import, "modules.yaml")["modules"][0]
    assert module["id"] == "primeromodule-cp"
    assert module["core_fields"] == {
        "name_first": "name_first",
        "name_last": "name_last",
        "sex": "sex",
        "date_of_birth": "date_of_birth",
        "age": "age",
        "location": "location_current",
        "risk_level": "risk_level",
    }
    assert module["system_lookups"] == {
        "service_type": "lookup-service-type",
        "referral_reason": "lookup-referral-reason",
        "followup_type": "lookup-followup-type",
        "closure_reason": "lookup-closure-reason",
        "consent_type": "lookup-consent-type",
        "need": "lookup-needs",
        "urgency": "lookup-urgency",
    }
    policy = load(seed_import, "policy.yaml")["policies"][0]
    assert "deadlines" not in policy
    assert policy["approvals"] == {
        "assessment": {"required": False},
        "case_plan": {"required": False},
        "closure": {"required": False},
    }
    assert policy["consent"]["fields"] == {
        "consent_services": "consent_for_services",
        "consent_info_sharing": "disclosure_other_orgs",
        "consent_tracing": {"field": "consent_for_tracing", "given": "true"},
        "consent_reporting": {"field": "consent_reporting", "given": "true"},
    }
    assert policy["consent"]["required"]["referral.create"] == ["consent_info_sharing"]


def test_roles(seed_import: ImportResult) -> None:
    roles = {r["id"]: r for r in load(seed_import, "roles.yaml")["roles"]}
    worker = roles["role-cp-case-worker"]
    assert worker["scope"] == "own" and worker["forms"] == {"*": "read_write"}
    assert {
        "case.register",
        "consent.record",
        "case.close",
        "case.reopen",
        "referral.create",
        "approval.request:case_plan",
    } <= set(worker["permissions"])
    assert not any(p.startswith("approval.decide") for p in worker["permissions"])
    supervisor = roles["role-cp-supervisor"]
    assert supervisor["scope"] == "group"
    assert {
        "approval.decide:assessment",
        "approval.decide:case_plan",
        "approval.decide:closure",
        "case.assign",
        "consent.override",
    } <= set(supervisor["permissions"])
    manager = roles["role-cp-manager"]
    assert manager["scope"] == "agency"
    assert [p for p in manager["permissions"] if p.startswith("approval")] == ["approval.decide:case_plan"]
    provider = roles["role-cp-service-provider"]
    assert provider["referral_recipient"] is True
    assert {
        "referral.accept",
        "referral.reject",
        "referral.done",
        "service.implement",
        "followup.record",
    } <= set(provider["permissions"])
    assert provider["forms"] == {
        "basic_identity": "read_write",
        "protection_concern_details": "read_write",
        "services": "read_write",
        "followup": "read_write",
    }
    assert roles["role-cp-administrator"]["scope"] == "all"


def test_fields_of_the_seed(seed_import: ImportResult) -> None:
    all_sections = sections(seed_import)
    identity = {f["id"]: f for f in all_sections["basic_identity"]["fields"]}
    assert identity["case_id"]["hidden"] and identity["case_id"]["readonly"]
    assert identity["status"]["default"] == "open" and identity["status"]["readonly"]
    assert identity["registration_date"] == {
        "id": "registration_date",
        "type": "date",
        "label": {"en": "Date of registration", "es": "Fecha de registro"},
        "default": "today",
        "validation": {"not_future": True},
    }
    assert identity["location_current"]["type"] == "location"
    assert identity["nationality"]["type"] == "multi_select"
    services = all_sections["services"]["fields"][0]
    columns = {c["id"]: c for c in services["fields"]}
    assert columns["service_implementing_agency"]["options_from"] == "agencies"
    assert columns["service_appointment_date"]["type"] == "datetime"
    closure = {f["id"]: f for f in all_sections["closure_form"]["fields"]}
    assert closure["name_first"]["type"] == identity["name_first"]["type"]  # one field on two sections
    documents = {f["id"]: f["type"] for f in all_sections["other_documents"]["fields"]}
    assert documents == {
        "photos": "upload",
        "other_documents": "upload",
        "recorded_audio": "upload",
        "displacement_period": "date",
        "household_members_tally": "number",
        "record_summary_widget": "text",
        "months_since_registration": "number",
    }


def test_lossy_steps_name_the_source_line(seed_import: ImportResult) -> None:
    documents = SEED_CONFIG / "forms" / "case" / "other_documents.rb"
    rel = "db/configuration/forms/case/other_documents.rb"
    approximated = entries(seed_import, "approximated")
    names = ("displacement_period", "household_members_tally", "record_summary_widget",
             "months_since_registration")
    lines = {name: line_of(documents, name) for name in names}
    assert approximated == [
        f"{rel}:{lines['displacement_period']}: field 'displacement_period' (date_range): a date range "
        "becomes one date",
        f"{rel}:{lines['household_members_tally']}: field 'household_members_tally' (tally_field): a "
        "tally (one count per category) becomes one number",
        f"{rel}:{lines['record_summary_widget']}: field 'record_summary_widget' (custom): a custom "
        "widget becomes a read-only text",
        f"{rel}:{lines['months_since_registration']}: field 'months_since_registration' "
        "(calculated): a calculated field becomes a read-only number (the formula is dropped)",
    ]
    incident = SEED_CONFIG / "forms" / "incident" / "cp_incident.rb"
    incident_line = line_of(incident, "FormSection.create_or_update!")
    assert entries(seed_import, "not_imported") == [
        f"db/configuration/forms/incident/cp_incident.rb:{incident_line}: "
        "form 'cp_incident_form' is for incident records; only case and tracing request forms are imported"
    ]
    concerns = SEED_CONFIG / "forms" / "case" / "protection_concerns.rb"
    assert (
        f"db/configuration/forms/case/protection_concerns.rb:{line_of(concerns, 'option_strings_text_en')}: "
        "field 'identified_by': its own options became the lookup 'field-identified_by'"
    ) in entries(seed_import, "generated")
    assert entries(seed_import, "unreadable") == []
    assert entries(seed_import, "mapping") == []


def test_the_report_files(seed_import: ImportResult) -> None:
    import json

    data = json.loads(seed_import.report_json.read_text(encoding="utf-8"))
    assert data["summary"]["form_sections"] == 10
    assert data["summary"]["lookups"] == 19
    assert data["languages"]["es"] == {"present": 273, "expected": 273, "percent": 100.0}
    assert data["groups"]["approximated"]["count"] == 4
    markdown = seed_import.report_md.read_text(encoding="utf-8")
    assert "| es | 273 | 273 | 100% |" in markdown
    assert "## Approximated (4)" in markdown


def test_languages_can_be_restricted(tmp_path: Path) -> None:
    from sandbox.configuration.importers.primero import import_primero

    result = import_primero(SEED, tmp_path / "only-es", languages=["es"])
    bundle = load(result, "bundle.yaml")
    assert bundle["languages"] == ["es"]
    assert bundle["id"] == "only-es"
    roles = load(result, "roles.yaml")["roles"]
    assert roles[0]["name"] == {"es": "CP Case Worker"}
    lookups = load(result, "lookups.yaml")["lookups"]
    assert lookups[0]["options"][0]["label"] == {"es": "Femenino"}
    assert (
        (tmp_path / "only-es" / "locations.csv")
        .read_text(encoding="utf-8")
        .startswith("code,parent,admin_level,name_es\n")
    )
