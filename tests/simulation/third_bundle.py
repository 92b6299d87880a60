"""A third bundle for the portability tests: the default bundle with every id renamed.

Roles, agencies, user groups, lookups, options, fields (and subform columns),
form sections and locations all get new ids, the bundle speaks English and
Spanish (Spanish texts are the English ones marked "[es]", except the few names
written in Spanish below), and its mapping.yaml is written the way an
implementer would: every concept of the vocabulary the default bundle can
express, pointing at the renamed id. A library scenario that runs here runs
through its mapping only: none of the default bundle's ids is left.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from sandbox.configuration.runtime import BundleConfig
from sandbox.configuration.vocabulary import VOCABULARY, Resolver

CODE = "tercero"
SPANISH = {
    "Inter-agency child protection (Republic of Lorendia)":
        "Protección de la infancia interinstitucional (República de Lorendia)",
    "Case worker": "Trabajador social a cargo del caso",
    "Case management supervisor": "Supervisor de gestión de casos",
    "Service provider": "Proveedor de servicios",
    "Child protection": "Protección de la infancia",
    "Female": "Femenino",
    "Male": "Masculino",
    "High": "Alto",
    "Medium": "Medio",
    "Low": "Bajo",
}
PREFIX = {"roles": "rol_", "agencies": "ag_", "user_groups": "gr_", "lookups": "lk_",
          "options": "op_", "fields": "campo_", "sections": "sec_", "modules": "mod_"}


def new(kind: str, old: str) -> str:
    return PREFIX[kind] + old


def new_location(code: str) -> str:
    return "XP" + code[2:]


def _texts(value: Any) -> Any:
    """Every {en, fr, ar} text becomes {en, es}."""
    if isinstance(value, dict):
        if "en" in value and set(value) <= {"en", "fr", "ar"} and all(
                isinstance(v, str) for v in value.values()):
            english = value["en"]
            return {"en": english, "es": SPANISH.get(english, f"[es] {english}")}
        return {k: _texts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_texts(v) for v in value]
    return value


def _field(spec: dict[str, Any], options_of: dict[str, str]) -> dict[str, Any]:
    out = dict(spec)
    out["id"] = new("fields", spec["id"])
    if spec.get("lookup"):
        options_of[spec["id"]] = spec["lookup"]
        out["lookup"] = new("lookups", spec["lookup"])
    if "show_if" in spec:
        cond = dict(spec["show_if"])
        target = cond["field"]
        cond["field"] = new("fields", target)
        for key in ("equals", "in"):
            if key in cond and target in options_of:
                value = cond[key]
                cond[key] = [new("options", v) for v in value] if isinstance(value, list) \
                    else new("options", value) if isinstance(value, str) else value
        out["show_if"] = cond
    if spec.get("fields"):
        out["fields"] = [_field(column, options_of) for column in spec["fields"]]
    return out


def _access(value: str) -> str:
    """A form access, with the consent kind of `read_if_consented:KIND` renamed."""
    prefix = "read_if_consented:"
    return prefix + new("options", value[len(prefix):]) if value.startswith(prefix) else value


def write(source: Path, target: Path) -> None:
    """Write the renamed bundle (without its mapping) from the default bundle `source`."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "forms").mkdir(exist_ok=True)

    def load(name: str) -> Any:
        return yaml.safe_load((source / name).read_text(encoding="utf-8"))

    def dump(name: str, data: Any) -> None:
        (target / name).write_text(yaml.safe_dump(_texts(data), allow_unicode=True, sort_keys=False),
                                   encoding="utf-8")

    bundle = load("bundle.yaml")
    bundle.update({"id": CODE, "languages": ["en", "es"]})
    real_data = bundle.get("real_data") or {}
    if real_data.get("identifying_fields"):
        real_data["identifying_fields"] = [new("fields", f) for f in real_data["identifying_fields"]]
    dump("bundle.yaml", bundle)

    lookups = load("lookups.yaml")
    for lookup in lookups["lookups"]:
        lookup["id"] = new("lookups", lookup["id"])
        for option in lookup["options"]:
            option["id"] = new("options", option["id"])
    dump("lookups.yaml", lookups)

    modules = load("modules.yaml")
    for module in modules["modules"]:
        module["id"] = new("modules", module["id"])
        module["core_fields"] = {k: new("fields", v) for k, v in module["core_fields"].items()}
        module["system_lookups"] = {k: new("lookups", v)
                                    for k, v in module["system_lookups"].items()}
    dump("modules.yaml", modules)

    options_of: dict[str, str] = {}
    for path in sorted((source / "forms").glob("*.yaml")):
        form = yaml.safe_load(path.read_text(encoding="utf-8"))
        form["id"] = new("sections", form["id"])
        form["module"] = new("modules", form["module"])
        form["fields"] = [_field(f, options_of) for f in form["fields"]]
        dump(f"forms/{path.name}", form)

    agencies = load("agencies.yaml")
    for agency in agencies["agencies"]:
        agency["id"] = new("agencies", agency["id"])
        agency["services"] = [new("options", s) for s in agency["services"]]
        if agency.get("provider"):  # GBV: the kind(s) of provider, options of a lookup
            kinds = agency["provider"]
            agency["provider"] = new("options", kinds) if isinstance(kinds, str) \
                else [new("options", k) for k in kinds]
    for group in agencies["user_groups"]:
        group["id"] = new("user_groups", group["id"])
        group["agencies"] = [new("agencies", a)
                             for a in group.get("agencies", [group.pop("agency", None)]) if a]
    dump("agencies.yaml", agencies)

    roles = load("roles.yaml")
    for role in roles["roles"]:
        role["id"] = new("roles", role["id"])
        role["forms"] = {("*" if k == "*" else new("sections", k)): _access(v)
                         for k, v in role["forms"].items()}
        if role.get("provider"):
            role["provider"] = new("options", role["provider"])
    dump("roles.yaml", roles)

    policy = load("policy.yaml")
    for item in policy["policies"]:
        item["module"] = new("modules", item["module"])
        item["deadlines"] = {task: {new("options", level): d for level, d in levels.items()}
                             for task, levels in item["deadlines"].items()}
        consent = item["consent"]
        consent["fields"] = {new("options", k): new("fields", v) for k, v in consent["fields"].items()}
        consent["required"] = {action: [new("options", k) for k in kinds]
                               for action, kinds in consent["required"].items()}
        consent["providers"] = {new("options", k): new("fields", v)
                                for k, v in (consent.get("providers") or {}).items()}
    dump("policy.yaml", policy)

    rows = list(csv.reader(io.StringIO((source / "locations.csv").read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "parent", "admin_level", "name_en", "name_es"])
    for code, parent, level, name_en, *_rest in rows[1:]:
        writer.writerow([new_location(code), new_location(parent) if parent else "", level, name_en,
                         f"[es] {name_en}"])
    (target / "locations.csv").write_text(out.getvalue(), encoding="utf-8")


def mapping(default: BundleConfig) -> dict[str, Any]:
    """The third bundle's mapping.yaml: what each concept is on the default bundle, renamed
    (the GBV module's own lines under `by_module`)."""
    data = _module_mapping(default, "cp")
    gbv = _module_mapping(default, "gbv")
    gbv.pop("modules", None)
    data["by_module"] = {"gbv": gbv}
    return data


def _module_mapping(default: BundleConfig, code: str) -> dict[str, Any]:
    module = default.modules[code]
    resolver = Resolver(default, module)
    own = (default.mapping.get("by_module") or {}).get(code) or {}
    kinds = {"modules": "modules", "roles": "roles", "agencies": "agencies",
             "user_groups": "user_groups", "locations": None}
    data: dict[str, Any] = {}
    for kind, concepts in VOCABULARY.items():
        if kind == "fields":
            continue
        entries = {}
        for concept in concepts:
            found = resolver.id(kind, concept)
            if found is None:
                continue
            if kind == "locations":
                entries[concept] = new_location(found)
            else:
                entries[concept] = new(kinds.get(kind) or "options", found)
        data[kind] = entries
    fields: dict[str, str] = {}
    options: dict[str, dict[str, str]] = {}
    for code, fdef in module.fields.items():
        concept = {v: k for k, v in module.core_fields.items()}.get(code, code)
        if concept == code:
            fields[code] = new("fields", code)
        if fdef.lookup:
            options[concept] = {o: new("options", o) for o in default.lookups[fdef.lookup].options}
        for column in fdef.columns:
            fields[f"{code}.{column.code}"] = new("fields", column.code)
            if column.lookup:
                options[f"{code}.{column.code}"] = {
                    o: new("options", o) for o in default.lookups[column.lookup].options}
    # The default bundle's own mapping of fields from other bundles' scenarios, renamed.
    for concept, field_code in {**(default.mapping.get("fields") or {}),
                                **(own.get("fields") or {})}.items():
        if field_code in module.fields or "." in concept:
            fields[concept] = new("fields", field_code)
    for concept, values in ((default.mapping.get("options") if code == "cp" else None)
                            or own.get("options") or {}).items():
        options[concept] = {k: new("options", v) for k, v in values.items()}
    data["fields"] = fields
    data["options"] = options
    return data


def build(source: Path, target: Path, default: BundleConfig) -> Path:
    """The third bundle in `target`, with its mapping.yaml."""
    write(source, target)
    (target / "mapping.yaml").write_text(
        yaml.safe_dump(mapping(default), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
