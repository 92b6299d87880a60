"""Validate form values against the configuration: type, lookup option, required, skip logic.

A form section is saved whole: the submitted values are merged over the case's
current ones, every field of the section is checked, and fields hidden by their
skip logic are cleared (a hidden answer is not kept, as in Primero).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed
from sandbox.configuration.runtime import BundleConfig, FieldDef, ModuleDef, SectionDef

MAX_TEXT = 500
MAX_LONG_TEXT = 10_000


def is_visible(field: FieldDef, values: dict[str, Any]) -> bool:
    """Skip logic: a field with `show_if` shows when the other field has the value."""
    cond = field.show_if
    if not cond:
        return True
    current = values.get(cond["field"])
    wanted = [cond["equals"]] if "equals" in cond else list(cond.get("in") or [])
    if isinstance(current, list):
        return any(v in current for v in wanted)
    return current in wanted


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean_value(field: FieldDef, value: Any, config: BundleConfig) -> Any:
    """The value in its stored form, or raise ValueError with a readable message."""
    kind = field.type
    if kind in ("text", "textarea"):
        if not isinstance(value, str):
            raise ValueError(_("Enter text."))
        value = value.strip()
        limit = MAX_TEXT if kind == "text" else MAX_LONG_TEXT
        if len(value) > limit:
            raise ValueError(_("At most %(limit)d characters.") % {"limit": limit})
        return value
    if kind in ("select", "radio"):
        options = config.lookups[field.lookup].options if field.lookup else {}
        if not isinstance(value, str) or value not in options:
            raise ValueError(_("'%(value)s' is not one of the options.") % {"value": value})
        return value
    if kind == "multi_select":
        options = config.lookups[field.lookup].options if field.lookup else {}
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(_("Choose from the list of options."))
        unknown = [v for v in value if v not in options]
        if unknown:
            raise ValueError(_("'%(value)s' is not one of the options.") % {"value": unknown[0]})
        return list(dict.fromkeys(value))
    if kind == "tick_box":
        if not isinstance(value, bool):
            raise ValueError(_("Expected yes or no (true or false)."))
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("Enter a whole number."))
        if field.min_value is not None and value < field.min_value:
            raise ValueError(_("Must be at least %(min)d.") % {"min": field.min_value})
        if field.max_value is not None and value > field.max_value:
            raise ValueError(_("Must be at most %(max)d.") % {"max": field.max_value})
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == "location":
        location = config.locations.get(value) if isinstance(value, str) else None
        if location is None:
            raise ValueError(_("'%(value)s' is not a known location.") % {"value": value})
        if field.admin_level is not None and location.admin_level != field.admin_level:
            raise ValueError(_("Choose a place at the level asked for."))
        return value
    if kind == "subform":
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            raise ValueError(_("Expected a list of rows."))
        rows = []
        for index, row in enumerate(value, start=1):
            cleaned, errors = _clean_fields(field.columns, row, row, config)
            if errors:
                first_field, messages = next(iter(errors.items()))
                raise ValueError(_("Row %(row)d, %(field)s: %(message)s")
                                 % {"row": index, "field": first_field, "message": messages[0]})
            rows.append(cleaned)
        return rows
    raise ValueError(_("Unsupported field type."))


def _clean_fields(
    fields: tuple[FieldDef, ...], submitted: dict[str, Any], context: dict[str, Any],
    config: BundleConfig,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    known = {f.code for f in fields}
    errors: dict[str, list[str]] = {}
    for key in submitted:
        if key not in known:
            errors.setdefault(key, []).append(_("Unknown field."))
    cleaned: dict[str, Any] = {}
    # Values first, so that skip logic sees what was submitted in the same form.
    for field in fields:
        value = submitted.get(field.code)
        if _empty(value):
            continue
        try:
            value = clean_value(field, value, config)
        except ValueError as exc:
            errors.setdefault(field.code, []).append(str(exc))
            continue
        if not _empty(value):
            cleaned[field.code] = value
    hidden = hidden_fields(fields, {**context, **cleaned})
    for code in hidden:
        cleaned.pop(code, None)
        errors.pop(code, None)
    for field in fields:
        if field.code in hidden:
            continue
        if field.required and field.code not in cleaned and field.code not in errors:
            errors.setdefault(field.code, []).append(_("This field is required."))
    return cleaned, errors


def hidden_fields(fields: tuple[FieldDef, ...] | list[FieldDef], values: dict[str, Any]) -> set[str]:
    """Fields hidden by skip logic, following chains (a field shown by a hidden field is hidden)."""
    current = dict(values)
    hidden: set[str] = set()
    for _round in range(len(fields) + 1):
        changed = False
        for field in fields:
            if field.code not in hidden and not is_visible(field, current):
                hidden.add(field.code)
                current.pop(field.code, None)
                changed = True
        if not changed:
            break
    return hidden


def drop_hidden(module: ModuleDef, data: dict[str, Any]) -> dict[str, Any]:
    """The case data without the answers that skip logic now hides."""
    hidden = hidden_fields(list(module.fields.values()), data)
    return {k: v for k, v in data.items() if k not in hidden}


def clean_section(
    section: SectionDef, submitted: dict[str, Any], current: dict[str, Any], config: BundleConfig,
    *, partial: bool = False,
) -> dict[str, Any]:
    """Validate a section's values; return them cleaned, or raise ValidationFailed.

    With `partial`, values not submitted keep their current ones (an API PATCH).
    """
    if not isinstance(submitted, dict):
        raise ValidationFailed(_("Expected a mapping of field values."))
    values = dict(submitted)
    if partial:
        for field in section.fields:
            if field.code not in values and field.code in current:
                values[field.code] = current[field.code]
    context = {k: v for k, v in current.items() if k not in {f.code for f in section.fields}}
    cleaned, errors = _clean_fields(section.fields, values, context, config)
    if errors:
        raise ValidationFailed(
            _("Some fields of '%(section)s' are not valid.") % {"section": section.code},
            details={"fields": errors},
        )
    return cleaned


def section_values(section: SectionDef, data: dict[str, Any]) -> dict[str, Any]:
    return {f.code: data[f.code] for f in section.fields if f.code in data}


def core_values(module: ModuleDef, data: dict[str, Any]) -> dict[str, Any]:
    """The case's core columns from its form data."""
    core = module.core_fields
    dob = data.get(core["date_of_birth"])
    return {
        "name_first": data.get(core["name_first"], "") or "",
        "name_last": data.get(core["name_last"], "") or "",
        "sex": data.get(core["sex"], "") or "",
        "age": data.get(core["age"]),
        "date_of_birth": dt.date.fromisoformat(dob) if dob else None,
        "location": data.get(core["location"], "") or "",
        "risk_level": data.get(core["risk_level"], "") or "",
    }
