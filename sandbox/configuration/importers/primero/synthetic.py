"""Generate a large Primero seed tree, for the go-live benchmark (`primero_import_golive_s`).

Real national configurations have 60-150 lookups and 30-60 form sections. This
writes one of that size in Primero's seed format (lookups, case forms with
subforms and skip logic, a module, roles, agencies, user groups and three levels
of locations, in English and French), deterministic for a given size, so the
benchmark measures the same work on every run.
"""

from __future__ import annotations

from pathlib import Path

#: What a case worker may do on cases, as a real CP configuration grants it (so that the
#: scenario library can be played on the generated configuration, as on a real one).
CASE_WORKER_ACTIONS = (
    "READ WRITE CREATE FLAG SEARCH_OWNED_BY_OTHERS REQUEST_APPROVAL_ASSESSMENT "
    "REQUEST_APPROVAL_CASE_PLAN REQUEST_APPROVAL_CLOSURE REFERRAL TRANSFER RECEIVE_TRANSFER "
    "CLOSE REOPEN"
)
STEP_GROUPS = (
    "identification_registration",
    "data_confidentiality",
    "assessment",
    "case_plan",
    "services_follow_up",
    "closure",
)
CORE = (
    "Field.new('name' => 'name_first', 'type' => 'text_field', 'required' => true, "
    "'display_name_en' => 'First name', 'display_name_fr' => 'Prénom'),\n"
    "  Field.new('name' => 'name_last', 'type' => 'text_field', "
    "'display_name_en' => 'Surname', 'display_name_fr' => 'Nom'),\n"
    "  Field.new('name' => 'sex', 'type' => 'select_box', 'option_strings_source' => 'lookup lookup-gender', "
    "'display_name_en' => 'Sex', 'display_name_fr' => 'Sexe'),\n"
    "  Field.new('name' => 'date_of_birth', 'type' => 'date_field', "
    "'display_name_en' => 'Date of birth', 'display_name_fr' => 'Date de naissance'),\n"
    "  Field.new('name' => 'age', 'type' => 'numeric_field', 'display_name_en' => 'Age', "
    "'display_name_fr' => 'Âge'),\n"
    "  Field.new('name' => 'location_current', 'type' => 'select_box', "
    "'option_strings_source' => 'Location', "
    "'display_name_en' => 'Location', 'display_name_fr' => 'Lieu'),\n"
    "  Field.new('name' => 'risk_level', 'type' => 'select_box', 'option_strings_source' => "
    "'lookup lookup-risk-level', 'display_name_en' => 'Risk level', "
    "'display_name_fr' => 'Niveau de risque'),\n"
)
SPECIAL_LOOKUPS = {
    "lookup-gender": ["female", "male"],
    "lookup-risk-level": ["high", "medium", "low"],
    "lookup-service-type": ["family_tracing", "psychosocial", "health", "education", "legal"],
    "lookup-followup-type": ["home_visit", "phone_call"],
    "lookup-closure-reason": ["goals_met", "transferred", "other"],
    "lookup-consent-type": ["consent_services", "consent_info_sharing", "consent_tracing"],
    "lookup-referral-reason": ["case_plan_service", "urgent_need"],
    "lookup-needs": ["safety", "health", "education"],
}


def _lookup(lookup_id: str, options: list[str]) -> str:
    values_en = ",\n    ".join(
        f"{{ id: '{o}', display_text: '{o.replace('_', ' ').capitalize()}' }}" for o in options
    )
    values_fr = ",\n    ".join(f"{{ id: '{o}', display_text: 'FR {o.replace('_', ' ')}' }}" for o in options)
    return (
        f"Lookup.create_or_update!(\n  unique_id: '{lookup_id}',\n  name_en: '{lookup_id}',\n"
        f"  name_fr: 'FR {lookup_id}',\n  lookup_values_en: [\n    {values_en}\n  ],\n"
        f"  lookup_values_fr: [\n    {values_fr}\n  ]\n)\n\n"
    )


def _field(name: str, index: int, lookups: list[str]) -> str:
    kind = index % 6
    label = f"'display_name_en' => 'Question {name}', 'display_name_fr' => 'Question FR {name}'"
    if kind == 0:
        return f"Field.new('name' => '{name}', 'type' => 'text_field', {label})"
    if kind == 1:
        lookup = lookups[index % len(lookups)]
        return (
            f"Field.new('name' => '{name}', 'type' => 'select_box', "
            f"'option_strings_source' => 'lookup {lookup}', {label})"
        )
    if kind == 2:
        return f"Field.new('name' => '{name}', 'type' => 'tick_box', {label})"
    if kind == 3:
        return (
            f"Field.new('name' => '{name}', 'type' => 'textarea', {label}, "
            f"'display_conditions_record' => {{ eq: {{ {name[:-2]}02: true }} }})"
        )
    if kind == 4:
        return (f"Field.new('name' => '{name}', 'type' => 'date_field', "
                f"'date_validation' => 'not_future_date', {label})")
    return f"Field.new('name' => '{name}', 'type' => 'numeric_field', {label})"


def write_synthetic_seed(root: Path, lookups: int = 80, forms: int = 40, fields_per_form: int = 12) -> Path:
    """Write a seed tree under `root` (holding db/configuration/); returns `root`."""
    config = root / "db" / "configuration"
    for folder in ("lookups", "forms/case", "users", "agencies", "locations"):
        (config / folder).mkdir(parents=True, exist_ok=True)
    lookup_ids = list(SPECIAL_LOOKUPS)
    text = "# frozen_string_literal: true\n\n"
    text += "".join(_lookup(lookup_id, options) for lookup_id, options in SPECIAL_LOOKUPS.items())
    for index in range(len(SPECIAL_LOOKUPS), lookups):
        lookup_id = f"lookup-list-{index:03d}"
        lookup_ids.append(lookup_id)
        text += _lookup(lookup_id, [f"option_{index}_{n}" for n in range(6 + index % 10)])
    (config / "lookups" / "lookups.rb").write_text(text, encoding="utf-8")

    form_ids = []
    for form in range(forms):
        form_id = f"form_{form:03d}"
        form_ids.append(form_id)
        group = STEP_GROUPS[form % len(STEP_GROUPS)]
        fields = [_field(f"f{form:03d}_{n:02d}", n, lookup_ids) for n in range(fields_per_form)]
        core = CORE if form == 0 else ""
        nested = ""
        if form % 5 == 1:  # every fifth form has a subform
            nested = (
                f"{form_id}_rows = FormSection.create_or_update!(unique_id: '{form_id}_rows', "
                f"parent_form: 'case', is_nested: true, visible: false, name_en: 'Rows', name_fr: 'Lignes',\n"
                f"  fields: [Field.new('name' => 'r{form:03d}_a', 'type' => 'text_field', "
                f"'display_name_en' => 'A', 'display_name_fr' => 'A')])\n\n"
            )
            fields.append(
                f"Field.new('name' => '{form_id}_rows', 'type' => 'subform', "
                f"'subform' => {form_id}_rows, 'display_name_en' => 'Rows', 'display_name_fr' => 'Lignes')"
            )
        body = ",\n  ".join(fields)
        (config / "forms" / "case" / f"{form_id}.rb").write_text(
            f"# frozen_string_literal: true\n\n{nested}{form_id}_fields = [\n  {core}  {body}\n]\n\n"
            f"FormSection.create_or_update!(\n  unique_id: '{form_id}',\n  parent_form: 'case',\n"
            f"  form_group_id: '{group}',\n  order_form_group: {form % 6 * 10},\n  order: {form},\n"
            f"  fields: {form_id}_fields,\n  name_en: 'Form {form}',\n  name_fr: 'Formulaire {form}'\n)\n",
            encoding="utf-8",
        )
    ids = " ".join(form_ids)
    (config / "users" / "default_modules.rb").write_text(
        "PrimeroModule.create_or_update!(\n  unique_id: 'primeromodule-cp',\n  name: 'CP',\n"
        "  associated_record_types: %w[case],\n"
        f"  form_sections: FormSection.where(unique_id: %w[{ids}])\n)\n",
        encoding="utf-8",
    )
    roles = [
        (
            "role-case-worker",
            "Case worker",
            "Permission::SELF",
            CASE_WORKER_ACTIONS,
        ),
        (
            "role-supervisor",
            "Supervisor",
            "Permission::GROUP",
            CASE_WORKER_ACTIONS + " APPROVE_ASSESSMENT APPROVE_CASE_PLAN APPROVE_CLOSURE ASSIGN "
            "CONSENT_OVERRIDE",
        ),
        ("role-service-provider", "Service provider", "Permission::SELF", "READ WRITE RECEIVE_REFERRAL"),
        ("role-administrator", "Administrator", "Permission::ALL", "MANAGE"),
    ]
    text = ""
    for role_id, name, scope, actions in roles:
        granted = ", ".join(f"Permission::{a}" for a in actions.split())
        text += (
            f"Role.create_or_update!(unique_id: '{role_id}', name: '{name}', group_permission: {scope},\n"
            f"  permissions: [Permission.new(resource: Permission::CASE, actions: [{granted}])])\n\n"
        )
    (config / "users" / "roles.rb").write_text(text, encoding="utf-8")
    (config / "agencies" / "agencies.rb").write_text(
        "Agency.create_or_update!(unique_id: 'agency-a', agency_code: 'A', name_en: 'Agency A', "
        "name_fr: 'Agence A')\n",
        encoding="utf-8",
    )
    (config / "users" / "default_user_groups.rb").write_text(
        "UserGroup.create_or_update!(unique_id: 'usergroup-a', name: 'Team A', "
        "agency_unique_ids: ['agency-a'])\n",
        encoding="utf-8",
    )
    rows = [
        "  Location.new(placename_en: 'Country', placename_fr: 'Pays', location_code: 'SY', admin_level: 0, "
        "type: 'country', hierarchy_path: 'SY')"
    ]
    for region in range(1, 6):
        code = f"SY{region:02d}"
        rows.append(
            f"  Location.new(placename_en: 'Region {region}', placename_fr: 'Région {region}', "
            f"location_code: '{code}', admin_level: 1, type: 'region', hierarchy_path: 'SY.{code}')"
        )
        for district in range(1, 6):
            sub = f"{code}{district:02d}"
            rows.append(
                f"  Location.new(placename_en: 'District {sub}', placename_fr: 'District {sub}', "
                f"location_code: '{sub}', admin_level: 2, type: 'district', "
                f"hierarchy_path: 'SY.{code}.{sub}')"
            )
    (config / "locations" / "locations.rb").write_text(
        "locations = [\n" + ",\n".join(rows) + "\n]\n", encoding="utf-8"
    )
    return root
