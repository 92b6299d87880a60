"""Read a Primero seed tree (`db/configuration/**.rb`) into configuration records.

Each Ruby file is evaluated by `RubyReader`; the calls that create configuration
(`Lookup.create_or_update!`, `FormSection.create_or_update!`, `Role...`, the
seeds' own helpers such as `create_or_update_role(...)`) become `Item`s, and
`Field.new(...)` / `Permission.new(...)` become the hashes they were given.
Files are read in the order Primero's `load_configuration.rb` loads them
(lookups, locations, system settings, forms, modules, roles, agencies, groups), so
a form can name a lookup defined earlier.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .ruby_parser import RubyReader
from .values import Call, Item, Obj, PrimeroSource, SourceProblem

#: (receiver, method) -> kind of configuration record the call creates.
CREATORS: dict[tuple[str, str], str] = {
    ("Lookup", "create_or_update!"): "lookup",
    ("Lookup", "create!"): "lookup",
    ("FormSection", "create_or_update!"): "form_section",
    ("FormSection", "create!"): "form_section",
    ("Agency", "create_or_update!"): "agency",
    ("Agency", "create!"): "agency",
    ("UserGroup", "create_or_update!"): "user_group",
    ("UserGroup", "create!"): "user_group",
    ("Role", "create_or_update!"): "role",
    ("Role", "create!"): "role",
    ("PrimeroModule", "create_or_update!"): "module",
    ("PrimeroModule", "create!"): "module",
    ("Location", "new"): "location",
    ("Location", "create!"): "location",
    ("Location", "create_or_update!"): "location",
    ("SystemSettings", "create!"): "system_settings",
    ("SystemSettings", "create_or_update!"): "system_settings",
    ("", "create_or_update_role"): "role",
    ("", "create_or_update_system_setting"): "system_settings",
    ("", "create_or_update_module"): "module",
    ("", "create_or_update_lookup"): "lookup",
    ("", "create_or_update_form_section"): "form_section",
}
#: Calls that just build a value: the hash they were given.
VALUE_CALLS = frozenset({("Field", "new"), ("Permission", "new")})
#: Records the sandbox has no place for: reported as not imported.
NOT_IMPORTED = frozenset(
    {
        "Report",
        "ExportConfiguration",
        "ContactInformation",
        "User",
        "PrimeroProgram",
        "Webhook",
        "IdentityProvider",
        "MatchingConfiguration",
        "Alert",
        "CodeOfConduct",
        "Theme",
    }
)
#: Seed files of things the sandbox has no place for (reports, exports, users, contact
#: details): not read, reported once per file.
SKIPPED_FOLDERS = frozenset({"reports", "exports"})
SKIPPED_FILES = frozenset({"default_users", "locale_users", "contact_information", "default_programs"})
#: Load order of Primero's seed folders (what is not listed comes after, alphabetically).
ORDER = ("lookups", "locations", "system_settings", "forms", "users", "agencies")
USERS_ORDER = ("default_programs", "default_modules", "roles", "default_user_groups")

#: Constants the seed files use, from Primero's models. Permission constants not listed
#: here follow Primero's own convention (the constant's name in lower case).
CONSTANTS: dict[str, Any] = {
    "Permission::CONFIGURATION": "primero_configuration",
    "Permission::EXPORT_LIST_VIEW": "export_list_view_csv",
    "Permission::EXPORT_EXCEL": "export_xls",
    "Permission::EXPORT_PHOTO_WALL": "export_photowall",
    "Permission::EXPORT_UNHCR": "export_unhcr_csv",
    "Permission::EXPORT_DUPLICATE_ID": "export_duplicate_id_csv",
    "Permission::EXPORT_INCIDENT_RECORDER": "export_incident_recorder_xls",
    "Permission::EXPORT_MRM_VIOLATION_XLS": "export_mrm_violation_xls",
    "Permission::BULK_FLAG": "flag_multiple",
    "Permission::FLAG_RESOLVE_ANY": "resolve_any_flag",
    "Permission::SELF": "self",
    "Record::STATUS_OPEN": "open",
    "Record::STATUS_CLOSED": "closed",
    "Record::STATUS_TRANSFERRED": "transferred",
    "Field::TEXT_FIELD": "text_field",
    "Field::TEXT_AREA": "textarea",
    "Field::RADIO_BUTTON": "radio_button",
    "Field::SELECT_BOX": "select_box",
    "Field::NUMERIC_FIELD": "numeric_field",
    "Field::DATE_FIELD": "date_field",
    "Field::TICK_BOX": "tick_box",
    "Field::SUBFORM": "subform",
    "Field::SEPARATOR": "separator",
    "Field::DATE_VALIDATION_NOT_FUTURE": "not_future_date",
    "Field::DATE_VALIDATION_DEFAULT": "default_date_validation",
}


def constant(path: str) -> Any:
    if path in CONSTANTS:
        return CONSTANTS[path]
    if path.startswith("Permission::"):
        return path.split("::", 1)[1].lower()
    return None


def seed_root(folder: Path) -> Path | None:
    """The `db/configuration` folder of a Primero checkout, or the folder itself."""
    for candidate in (folder / "db" / "configuration", folder / "configuration", folder):
        if candidate.is_dir() and any(candidate.rglob("*.rb")):
            return candidate
    return None


def _order_key(root: Path, path: Path) -> tuple[int, int, str]:
    rel = path.relative_to(root)
    top = rel.parts[0] if len(rel.parts) > 1 else ""
    first = ORDER.index(top) if top in ORDER else len(ORDER)
    second = USERS_ORDER.index(path.stem) if top == "users" and path.stem in USERS_ORDER else len(USERS_ORDER)
    return first, second, str(rel)


def read_seed_tree(folder: Path, display_base: Path | None = None) -> PrimeroSource:
    """Every configuration record of the seed tree under `folder`."""
    source = PrimeroSource()
    root = seed_root(folder)
    if root is None:
        source.problems.append(SourceProblem(str(folder), 1, "no Ruby seed files (db/configuration/**/*.rb)"))
        return source
    base = display_base or folder
    files = sorted(
        (p for p in root.rglob("*.rb") if p.name != "load_configuration.rb"),
        key=lambda p: _order_key(root, p),
    )
    for path in files:
        display = _display(path, base)
        rel = path.relative_to(root)
        if rel.parts[0] in SKIPPED_FOLDERS or path.stem in SKIPPED_FILES:
            source.skipped.append((f"the file {rel}", display, 1))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            source.problems.append(SourceProblem(display, 1, f"cannot read the file: {exc}"))
            continue
        read_seed_text(text, display, source)
    return source


def read_seed_text(text: str, display: str, source: PrimeroSource) -> None:
    """Evaluate one seed file, adding what it creates to `source`."""

    def hook(call: Call) -> Any:
        key = (call.receiver, call.method)
        kwargs = call.kwargs()
        if key in VALUE_CALLS:
            kwargs.line = call.line
            return kwargs
        if key in CREATORS:
            kwargs.line = call.line
            source.items.append(Item(CREATORS[key], kwargs, display))
            return kwargs
        if call.receiver in NOT_IMPORTED and call.method in ("create!", "create_or_update!", "new"):
            source.skipped.append((call.receiver, display, call.line))
        return call

    reader = RubyReader(text, display, hook, constant)
    source.problems.extend(reader.read())
    source.files_read += 1


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def form_ids_of(value: Any) -> list[str] | None:
    """Form ids named by `FormSection.where(unique_id: [...])` or a plain list; None for 'all'."""
    if isinstance(value, Call) and value.method == "where":
        ids = value.kwargs().get("unique_id")
        return [str(i) for i in ids] if isinstance(ids, list) else ([str(ids)] if ids else [])
    if isinstance(value, list):
        return [str(v.get("unique_id")) if isinstance(v, Obj) else str(v) for v in value]
    return None
