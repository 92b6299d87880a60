"""Validate form values against the configuration: type, options, rules, required, skip logic.

A form section is saved whole: the submitted values are merged over the case's
current ones, every field of the section is checked, and fields hidden by their
skip logic are cleared (a hidden answer is not kept, as in Primero). Fields the
configuration marks `hidden` or `readonly` are the system's: they keep their
current value, and a user who tries to change one is told so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed
from sandbox.common.i18n import pick
from sandbox.configuration.conditions import evaluate, is_empty
from sandbox.configuration.runtime import BundleConfig, FieldDef, ModuleDef, SectionDef

MAX_TEXT = 500
MAX_LONG_TEXT = 10_000
#: How date-with-time values are stored (minutes, no seconds, no zone: the space's clock).
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class WriteContext:
    """What validation needs besides the configuration.

    `now`: the space's simulated time (for `not_future` and the `today`/`now` defaults);
    `members`: the values a `users` field may take (member id -> name);
    `documents`: the case's uploaded documents (document id -> stored value);
    `by_user`: False when the system writes (it may set hidden and read-only fields).
    """

    now: dt.datetime | None = None
    members: Mapping[str, str] = field(default_factory=dict)
    documents: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    by_user: bool = True


NO_CONTEXT = WriteContext()


def is_visible(fdef: FieldDef, values: Mapping[str, Any]) -> bool:
    """Skip logic: does the field show, given the other values? (`conditions.evaluate`)"""
    return evaluate(fdef.show_if, values)


def _empty(value: Any) -> bool:
    return is_empty(value)


def field_options(fdef: FieldDef, config: BundleConfig,
                  members: Mapping[str, str] | None = None) -> dict[str, str]:
    """The options of a select/radio/multi-select: code -> label (active language)."""
    source = fdef.options_from
    if source == "agencies":
        return {code: pick(a.name) or code for code, a in config.agencies.items()}
    if source == "user_groups":
        return {code: pick(g["name"]) or code for code, g in config.user_groups.items()}
    if source == "users":
        return dict(members or {})
    lookup = config.lookups.get(fdef.lookup or "")
    return {code: option.text() for code, option in lookup.options.items()} if lookup else {}


def _clean_text(fdef: FieldDef, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(_("Enter text."))
    value = value.strip()
    limit = MAX_TEXT if fdef.type == "text" else MAX_LONG_TEXT
    if len(value) > limit:
        raise ValueError(_("At most %(limit)d characters.") % {"limit": limit})
    rules = fdef.validation or {}
    if value and rules.get("min_length") is not None and len(value) < rules["min_length"]:
        raise ValueError(_("At least %(limit)d characters.") % {"limit": rules["min_length"]})
    if rules.get("max_length") is not None and len(value) > rules["max_length"]:
        raise ValueError(_("At most %(limit)d characters.") % {"limit": rules["max_length"]})
    if value and rules.get("pattern") and re.fullmatch(rules["pattern"], value) is None:
        raise ValueError(pick(rules.get("message") or {})
                         or _("This value does not have the expected form."))
    return value


def _not_future(fdef: FieldDef, value: dt.date | dt.datetime, ctx: WriteContext) -> None:
    if not (fdef.validation or {}).get("not_future") or ctx.now is None:
        return
    now = ctx.now.replace(tzinfo=None)
    if isinstance(value, dt.datetime) and value > now.replace(second=59, microsecond=999999):
        raise ValueError(_("This cannot be in the future."))
    if not isinstance(value, dt.datetime) and value > now.date():
        raise ValueError(_("This cannot be in the future."))


def _clean_date(fdef: FieldDef, value: Any, ctx: WriteContext) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    _not_future(fdef, value, ctx)
    return value.isoformat()


def _clean_datetime(fdef: FieldDef, value: Any, ctx: WriteContext) -> str:
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(value) if isinstance(value, str) and "T" in value \
                else None
        except ValueError:
            value = None
        if value is None:
            raise ValueError(_("Enter a date and time as YYYY-MM-DDTHH:MM."))
    value = value.replace(tzinfo=None, second=0, microsecond=0)
    _not_future(fdef, value, ctx)
    return value.strftime(DATETIME_FORMAT)


def _clean_documents(value: Any, ctx: WriteContext) -> list[dict[str, Any]]:
    """An upload field keeps documents of this case only; their details come from the
    stored documents, not from what was sent."""
    if not isinstance(value, list):
        raise ValueError(_("Expected a list of documents."))
    documents = []
    for item in value:
        key = item.get("id") if isinstance(item, dict) else item
        if not isinstance(key, str) or key not in ctx.documents:
            raise ValueError(_("'%(value)s' is not a document of this case.") % {"value": key})
        documents.append(dict(ctx.documents[key]))
    return list({d["id"]: d for d in documents}.values())


def clean_value(fdef: FieldDef, value: Any, config: BundleConfig,
                ctx: WriteContext | None = None) -> Any:
    """The value in its stored form, or raise ValueError with a readable message."""
    ctx = ctx or NO_CONTEXT
    kind = fdef.type
    if kind in ("text", "textarea"):
        return _clean_text(fdef, value)
    if kind in ("select", "radio"):
        if not isinstance(value, str) or value not in field_options(fdef, config, ctx.members):
            raise ValueError(_("'%(value)s' is not one of the options.") % {"value": value})
        return value
    if kind == "multi_select":
        options = field_options(fdef, config, ctx.members)
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
        if fdef.min_value is not None and value < fdef.min_value:
            raise ValueError(_("Must be at least %(min)d.") % {"min": fdef.min_value})
        if fdef.max_value is not None and value > fdef.max_value:
            raise ValueError(_("Must be at most %(max)d.") % {"max": fdef.max_value})
        return value
    if kind == "date":
        return _clean_date(fdef, value, ctx)
    if kind == "datetime":
        return _clean_datetime(fdef, value, ctx)
    if kind == "location":
        location = config.locations.get(value) if isinstance(value, str) else None
        if location is None:
            raise ValueError(_("'%(value)s' is not a known location.") % {"value": value})
        if fdef.admin_level is not None and location.admin_level != fdef.admin_level:
            raise ValueError(_("Choose a place at the level asked for."))
        return value
    if kind == "upload":
        return _clean_documents(value, ctx)
    if kind == "subform":
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            raise ValueError(_("Expected a list of rows."))
        rows = []
        for index, row in enumerate(value, start=1):
            cleaned, errors = _clean_fields(fdef.columns, row, row, config, ctx)
            if errors:
                first_field, messages = next(iter(errors.items()))
                raise ValueError(_("Row %(row)d, %(field)s: %(message)s")
                                 % {"row": index, "field": first_field, "message": messages[0]})
            rows.append(cleaned)
        return rows
    raise ValueError(_("Unsupported field type."))


def _clean_fields(
    fields: tuple[FieldDef, ...], submitted: dict[str, Any], context: dict[str, Any],
    config: BundleConfig, ctx: WriteContext | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    known = {f.code for f in fields if f.stores_value}
    errors: dict[str, list[str]] = {}
    for key in submitted:
        if key not in known:
            errors.setdefault(key, []).append(_("Unknown field."))
    cleaned: dict[str, Any] = {}
    # Values first, so that skip logic sees what was submitted in the same form.
    for fdef in fields:
        value = submitted.get(fdef.code)
        if not fdef.stores_value or _empty(value):
            continue
        try:
            value = clean_value(fdef, value, config, ctx)
        except ValueError as exc:
            errors.setdefault(fdef.code, []).append(str(exc))
            continue
        if not _empty(value):
            cleaned[fdef.code] = value
    hidden = hidden_fields(fields, {**context, **cleaned})
    for code in hidden:
        cleaned.pop(code, None)
        errors.pop(code, None)
    for fdef in fields:
        if fdef.code in hidden or fdef.hidden or fdef.readonly:
            continue  # the system sets these: a user cannot be asked for them
        if fdef.required and fdef.code not in cleaned and fdef.code not in errors:
            errors.setdefault(fdef.code, []).append(_("This field is required."))
    return cleaned, errors


def hidden_fields(fields: tuple[FieldDef, ...] | list[FieldDef], values: Mapping[str, Any]) -> set[str]:
    """Fields hidden by skip logic, following chains (a field shown by a hidden field is hidden)."""
    current = dict(values)
    hidden: set[str] = set()
    for _round in range(len(fields) + 1):
        changed = False
        for fdef in fields:
            if fdef.code not in hidden and not is_visible(fdef, current):
                hidden.add(fdef.code)
                current.pop(fdef.code, None)
                changed = True
        if not changed:
            break
    return hidden


def drop_hidden(module: ModuleDef, data: dict[str, Any]) -> dict[str, Any]:
    """The case data without the answers that skip logic now hides."""
    hidden = hidden_fields(list(module.fields.values()), data)
    return {k: v for k, v in data.items() if k not in hidden}


def _same_value(fdef: FieldDef, submitted: Any, current: Any, config: BundleConfig,
                ctx: WriteContext) -> bool:
    if _empty(submitted):
        return _empty(current)
    try:
        return clean_value(fdef, submitted, config, ctx) == current
    except ValueError:
        return False


def _protected(section: SectionDef, values: dict[str, Any], current: dict[str, Any],
               config: BundleConfig, ctx: WriteContext) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Take the hidden and read-only fields out of `values`: they keep their current
    value; a user's attempt to change one is an error naming the field."""
    kept: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for fdef in section.fields:
        if not (fdef.hidden or fdef.readonly) or not fdef.stores_value:
            continue
        submitted = values.pop(fdef.code, None)
        old = current.get(fdef.code)
        if not ctx.by_user and submitted is not None:
            try:
                new = clean_value(fdef, submitted, config, ctx) if not _empty(submitted) else None
            except ValueError as exc:
                errors[fdef.code] = [str(exc)]
                continue
            if not _empty(new):
                kept[fdef.code] = new
            continue
        if submitted is not None and not _same_value(fdef, submitted, old, config, ctx):
            name = pick(fdef.label) or fdef.code
            message = (_("%(field)s is read-only.") if fdef.readonly
                       else _("%(field)s cannot be set by users.")) % {"field": name}
            errors[fdef.code] = [message]
        if not _empty(old):
            kept[fdef.code] = old
    return kept, errors


def clean_section(
    section: SectionDef, submitted: dict[str, Any], current: dict[str, Any], config: BundleConfig,
    *, partial: bool = False, ctx: WriteContext | None = None,
) -> dict[str, Any]:
    """Validate a section's values; return them cleaned, or raise ValidationFailed.

    With `partial`, values not submitted keep their current ones (an API PATCH).
    Upload fields not submitted keep their documents (a form posts no file list).
    """
    ctx = ctx or NO_CONTEXT
    if not isinstance(submitted, dict):
        raise ValidationFailed(_("Expected a mapping of field values."))
    values = dict(submitted)
    for fdef in section.fields:
        keep = partial or fdef.type == "upload"
        if keep and fdef.code not in values and fdef.code in current:
            values[fdef.code] = current[fdef.code]
    kept, errors = _protected(section, values, current, config, ctx)
    codes = {f.code for f in section.fields}
    context = {k: v for k, v in current.items() if k not in codes}
    context.update(kept)
    fields = tuple(f for f in section.fields if not (f.hidden or f.readonly))
    cleaned, more = _clean_fields(fields, values, context, config, ctx)
    errors.update(more)
    if errors:
        raise ValidationFailed(
            _("Some fields of '%(section)s' are not valid.") % {"section": pick(section.name)
                                                                 or section.code},
            details={"fields": errors},
        )
    cleaned.update(kept)
    return cleaned


def merge_section(section: SectionDef, submitted: dict[str, Any], data: dict[str, Any],
                  config: BundleConfig, *, partial: bool, ctx: WriteContext,
                  errors: dict[str, list[str]]) -> None:
    """Clean `submitted` for `section` over `data` and put the section's values in `data`
    (its old ones replaced); when refused, its field errors go to `errors` instead, so that
    a form of several sections is checked whole and its errors reported together."""
    try:
        values = clean_section(section, submitted, data, config, partial=partial, ctx=ctx)
    except ValidationFailed as exc:
        errors.update(exc.details.get("fields", {}))
        return
    for fdef in section.fields:
        data.pop(fdef.code, None)
    data.update(values)


def apply_defaults(module: ModuleDef, data: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """`data` with each field's `default` where it has no value (a new record)."""
    values = dict(data)
    for fdef in module.fields.values():
        if fdef.default is None or not fdef.stores_value or not _empty(values.get(fdef.code)):
            continue
        default = fdef.default
        if fdef.type == "date" and default == "today":
            default = now.date().isoformat()
        elif fdef.type == "datetime" and default == "now":
            default = now.replace(tzinfo=None).strftime(DATETIME_FORMAT)
        values[fdef.code] = default
    return values


def visible_data(module: ModuleDef, data: Mapping[str, Any]) -> dict[str, Any]:
    """Case data as users may see it: without the fields the configuration hides."""
    hidden = {code for code, f in module.fields.items() if f.hidden}
    return {k: v for k, v in data.items() if k not in hidden}


def section_values(section: SectionDef, data: dict[str, Any]) -> dict[str, Any]:
    return {f.code: data[f.code] for f in section.fields if f.code in data}


#: The length of the case's name columns (Case.name_first / name_last): a longer name is
#: refused here, the same on every database (PostgreSQL would refuse it with an error).
CORE_NAME_MAX = 120


def core_values(module: ModuleDef, data: dict[str, Any]) -> dict[str, Any]:
    """The case's core columns from its form data (ValidationFailed for a name too long
    for its column)."""
    core = module.core_fields
    too_long = {core[key]: [_("At most %(limit)d characters.") % {"limit": CORE_NAME_MAX}]
                for key in ("name_first", "name_last")
                if len(str(data.get(core[key]) or "")) > CORE_NAME_MAX}
    if too_long:
        raise ValidationFailed(_("The name is too long."), details={"fields": too_long})
    dob = data.get(core["date_of_birth"])
    return {
        "name_first": data.get(core["name_first"], "") or "",
        "name_last": data.get(core["name_last"], "") or "",
        "sex": data.get(core["sex"], "") or "",
        "age": data.get(core["age"]),
        "date_of_birth": dt.date.fromisoformat(dob[:10]) if dob else None,
        "location": data.get(core["location"], "") or "",
        "risk_level": data.get(core["risk_level"], "") or "",
    }
