"""Form sections, fields and skip logic.

Each occurrence of a field is checked on its own (its keys fit its type, its
lookup exists, its default and its `show_if` values are valid for the fields
they name); then a field that appears on several sections must be defined the
same way everywhere, since the case data holds one value under its id.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from ..parsed import Item
from ..schema import (
    COMBINATORS,
    COMPARISONS,
    LOOKUP_TYPES,
    STEPS,
    TRACING_REQUEST_FIELDS,
    FieldSpec,
    FormSectionSpec,
    ShowIfSpec,
)
from .context import Context, FieldRef, did_you_mean, field_scope, listed, unique
from .translations import check_field_text, check_text

UNKNOWN = "unknown-reference"
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$")
ORDERED_TYPES = {"number", "date", "datetime"}
TEXT_TYPES = {"text", "textarea"}
DATE_TYPES = {"date", "datetime"}
#: Keys a separator may have: it is a heading, never a value.
SEPARATOR_KEYS = {"id", "type", "label", "help", "show_if"}
UPLOAD_KEYS = ("accept", "max_size_kb")


def check_sections(ctx: Context) -> None:
    unique(ctx, ctx.parsed.sections, "form section")
    for item in ctx.parsed.sections:
        spec = item.spec
        what = f"form section '{spec.id}'"
        if ctx.unknown("module", spec.module, ctx.modules):
            ctx.error(item, f"{what}: unknown module '{spec.module}'{did_you_mean(spec.module, ctx.modules)}",
                      "module", code=UNKNOWN)
        _check_record_type(ctx, item, what)
        check_text(ctx, item, spec.name, f"{what} name", "name")
        check_text(ctx, item, spec.help, f"{what} help", "help", required=False)
        seen: dict[str, int] = {}
        for i, fld in enumerate(spec.fields):
            if fld.id in seen:
                first_line = item.line("fields", seen[fld.id], "id")
                ctx.error(item, f"{what}: field '{fld.id}' appears twice in the section (first on line "
                          f"{first_line})", "fields", i, "id", code="duplicate-id")
            else:
                seen[fld.id] = i
        key = field_scope(spec.module, spec.record_type)
        scope = _scope(ctx, key)
        for i, fld in enumerate(spec.fields):
            check_field(ctx, FieldRef(item, fld, ("fields", i)), scope, key, nested=False)
    _check_same_definition(ctx)


def _check_record_type(ctx: Context, item: Item[FormSectionSpec], what: str) -> None:
    """A case section sits under an SOP step; a tracing request section has none."""
    spec = item.spec
    if spec.record_type == "case" and spec.step is None and not item.lost_keys():
        ctx.error(item, f"{what}: a case section needs a 'step' ({', '.join(STEPS)}), or "
                  f"'record_type: tracing_request'", "id", code="missing-step")
    if spec.record_type != "tracing_request":
        return
    if spec.step is not None:
        ctx.warning(item, f"{what}: a tracing request section has no SOP step; "
                    f"'step: {spec.step}' is not used", "step", code="step-not-used")
    for i, fld in enumerate(spec.fields):
        if fld.id in TRACING_REQUEST_FIELDS:
            ctx.error(item, f"{what}: field '{fld.id}' is a fixed field of the tracing request; "
                      f"give the configured field another id", "fields", i, "id", code="duplicate-id")
        for column in (fld, *(fld.fields or [])):
            if column.type == "upload":
                ctx.error(item, f"{what}: field '{column.id}': a tracing request holds no "
                          f"documents (upload fields are for case sections)", "fields", i, "type",
                          code="key-not-for-type")


def _scope(ctx: Context, module: str) -> dict[str, FieldSpec]:
    return {ident: refs[0].spec for ident, refs in ctx.fields.get(module, {}).items()}


def _check_same_definition(ctx: Context) -> None:
    for module_fields in ctx.fields.values():
        for ident, refs in module_fields.items():
            first = refs[0]
            for ref in refs[1:]:
                if ref.section == first.section:
                    continue
                differences = [
                    f"{key}: {getattr(first.spec, key) or '-'} vs {getattr(ref.spec, key) or '-'}"
                    for key in ("type", "lookup", "options_from")
                    if getattr(first.spec, key) != getattr(ref.spec, key)
                ]
                if differences:
                    ctx.error(ref, f"field '{ident}' is defined differently on sections '{first.section}' "
                              f"and '{ref.section}' ({'; '.join(differences)})", "type",
                              code="field-mismatch")


def check_field(ctx: Context, ref: FieldRef, scope: dict[str, FieldSpec], module: str, nested: bool) -> None:
    fld = ref.spec
    what = f"field '{fld.id}'"
    check_field_text(ctx, ref, what)
    given = fld.model_fields_set
    lost = ref.item.lost_keys(*ref.path)
    _check_options(ctx, ref, what, lost)
    if fld.lookup:
        ctx.used_lookups.add(fld.lookup)
    if fld.type != "number" and (fld.min is not None or fld.max is not None):
        ctx.error(ref, f"{what}: 'min' and 'max' apply to number fields only", code="key-not-for-type")
    if fld.min is not None and fld.max is not None and fld.min > fld.max:
        ctx.error(ref, f"{what}: min {fld.min} is greater than max {fld.max}", "min", code="bad-range")
    if fld.admin_level is not None:
        if fld.type != "location":
            ctx.error(ref, f"{what}: 'admin_level' applies to location fields only", "admin_level",
                      code="key-not-for-type")
        elif ctx.levels and fld.admin_level not in ctx.levels:
            ctx.error(ref, f"{what}: admin level {fld.admin_level} is not declared (declared: "
                      f"{', '.join(str(lvl) for lvl in sorted(ctx.levels))})", "admin_level",
                      code="unknown-reference")
    if fld.type == "separator":
        extra = sorted(k for k in given - SEPARATOR_KEYS if not _says_nothing(fld, k))
        if extra:
            ctx.error(ref, f"{what}: a separator takes only label, help and show_if (found: "
                      f"{', '.join(extra)})", extra[0], code="key-not-for-type")
    if fld.type != "upload":
        for key in UPLOAD_KEYS:
            if getattr(fld, key) is not None:
                ctx.error(ref, f"{what}: '{key}' applies to upload fields only", key, code="key-not-for-type")
    elif fld.accept:
        lowered = [ext.lower().lstrip(".") for ext in fld.accept]
        for i, ext in enumerate(lowered):
            if ext in lowered[:i]:
                ctx.error(ref, f"{what}: file type '{ext}' is listed twice in accept", "accept", i,
                          code="duplicate-id")
    if fld.hidden and fld.required:
        ctx.error(ref, f"{what}: a hidden field cannot be required (no one can fill it in)", "hidden",
                  code="hidden-required")
    if fld.readonly and fld.required and fld.default is None:
        ctx.warning(ref, f"{what}: read-only and required without a default: users cannot fill it in",
                    "readonly", code="readonly-required")
    _check_validation(ctx, ref, what)
    if fld.default is not None:
        problem = default_problem(ctx, fld, fld.default)
        if problem:
            ctx.error(ref, f"{what}: default {problem}", "default", code="bad-default")
    if fld.type == "subform":
        _check_subform(ctx, ref, what, scope, module, nested)
    elif fld.fields is not None:
        ctx.error(ref, f"{what}: only a subform takes 'fields'", "fields", code="key-not-for-type")
    if fld.show_if is not None:
        check_condition(ctx, ref, fld.show_if, ("show_if",), scope, module)


def _says_nothing(fld: FieldSpec, key: str) -> bool:
    """`required: false` on a separator says nothing: do not report it."""
    value = getattr(fld, key, None)
    return value is None or value is False


def _check_options(ctx: Context, ref: FieldRef, what: str, lost: bool) -> None:
    fld = ref.spec
    if fld.type in LOOKUP_TYPES:
        if fld.lookup is None and fld.options_from is None:
            ctx.lookup_refs_broken = True
            if not lost:
                ctx.error(ref, f"{what}: a {fld.type} needs a 'lookup' (or 'options_from')",
                          code="missing-lookup")
        elif fld.lookup is not None and fld.options_from is not None:
            ctx.error(ref, f"{what}: give either 'lookup' or 'options_from', not both", "options_from",
                      code="lookup-and-options-from")
        elif fld.lookup is not None and ctx.unknown("lookup", fld.lookup, ctx.lookups):
            ctx.lookup_refs_broken = True
            ctx.error(ref, f"{what}: unknown lookup '{fld.lookup}'{did_you_mean(fld.lookup, ctx.lookups)}",
                      "lookup", code=UNKNOWN)
    else:
        if fld.lookup is not None:
            ctx.error(ref, f"{what}: a {fld.type} field takes no 'lookup'", "lookup", code="key-not-for-type")
        if fld.options_from is not None:
            ctx.error(ref, f"{what}: 'options_from' applies to select, multi_select and radio fields only",
                      "options_from", code="key-not-for-type")


def _check_validation(ctx: Context, ref: FieldRef, what: str) -> None:
    rule = ref.spec.validation
    if rule is None:
        return
    kind = ref.spec.type
    text_keys = [k for k in ("pattern", "min_length", "max_length") if getattr(rule, k) is not None]
    if text_keys and kind not in TEXT_TYPES:
        ctx.error(ref, f"{what}: validation '{text_keys[0]}' applies to text and textarea fields only",
                  "validation", text_keys[0], code="key-not-for-type")
    if rule.not_future is not None and kind not in DATE_TYPES:
        ctx.error(ref, f"{what}: validation 'not_future' applies to date and datetime fields only",
                  "validation", "not_future", code="key-not-for-type")
    if rule.pattern is not None:
        try:
            re.compile(rule.pattern)
        except re.error as exc:
            ctx.error(ref, f"{what}: validation pattern does not compile: {exc}", "validation", "pattern",
                      code="bad-pattern")
    if rule.min_length is not None and rule.max_length is not None and rule.min_length > rule.max_length:
        ctx.error(ref, f"{what}: validation min_length {rule.min_length} is greater than max_length "
                  f"{rule.max_length}", "validation", "min_length", code="bad-range")


def _check_subform(ctx: Context, ref: FieldRef, what: str, scope: dict[str, FieldSpec], module: str,
                   nested: bool) -> None:
    fld = ref.spec
    if nested:
        ctx.error(ref, f"{what}: subforms cannot be nested", "type", code="nested-subform")
        return
    if not fld.fields:
        if not ref.item.lost_keys(*ref.path):
            ctx.error(ref, f"{what}: a subform needs 'fields'", code="missing-key")
        return
    columns: dict[str, FieldSpec] = {}
    for i, column in enumerate(fld.fields):
        if column.id in columns:
            ctx.error(ref, f"subform '{fld.id}': duplicate column id '{column.id}'", "fields", i, "id",
                      code="duplicate-id")
        columns.setdefault(column.id, column)
    for i, column in enumerate(fld.fields):
        check_field(ctx, FieldRef(ref.item, column, (*ref.path, "fields", i)), {**scope, **columns},
                    module, nested=True)


# -- values ----------------------------------------------------------------------------


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _as_option(value: Any) -> str:
    return _shown(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _valid_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def option_problem(ctx: Context, target: FieldSpec, value: Any) -> str | None:
    """Why `value` is not one of the options of `target` (a select, multi_select or radio)."""
    if target.options_from in ("agencies", "user_groups"):
        known = ctx.agencies if target.options_from == "agencies" else ctx.user_groups
        kind = "agency" if target.options_from == "agencies" else "user_group"
        if ctx.unknown(kind, _as_option(value), known):
            return (f"'{_shown(value)}' is not one of the {target.options_from.replace('_', ' ')} "
                    f"(field '{target.id}'){did_you_mean(value, known)}")
        return None
    if target.lookup is None or target.lookup not in ctx.options:
        return None
    options = ctx.options[target.lookup]
    if ctx.option_unknown(target.lookup, _as_option(value)):
        return (f"'{_shown(value)}' is not an option of lookup '{target.lookup}' (field '{target.id}'; "
                f"options: {listed(options)}){did_you_mean(_as_option(value), options)}")
    return None


def value_problem(ctx: Context, target: FieldSpec, value: Any) -> str | None:
    """Why `value` cannot be a value of `target` (None when it can)."""
    kind = target.type
    if kind == "tick_box":
        return None if isinstance(value, bool) else (
            f"'{_shown(value)}' must be true or false for tick box '{target.id}'")
    if kind in LOOKUP_TYPES:
        if kind == "multi_select" and isinstance(value, list):
            for one in value:
                problem = option_problem(ctx, target, one)
                if problem:
                    return problem
            return None
        return option_problem(ctx, target, value)
    if kind == "number":
        if not _is_number(value):
            return f"'{_shown(value)}' must be a number for field '{target.id}'"
        if (target.min is not None and value < target.min) or (target.max is not None and value > target.max):
            return f"{value} is outside {target.min}..{target.max} (field '{target.id}')"
        return None
    if kind == "date":
        if not (isinstance(value, str) and DATE.match(value) and _valid_date(value)):
            return f"'{_shown(value)}' is not a date YYYY-MM-DD (field '{target.id}')"
        return None
    if kind == "datetime":
        if not (isinstance(value, str) and (DATETIME.match(value) or DATE.match(value))
                and _valid_date(value)):
            return f"'{_shown(value)}' is not a date and time YYYY-MM-DDTHH:MM (field '{target.id}')"
        return None
    if kind in ("separator", "subform", "upload"):
        return f"field '{target.id}' is a {kind}: it has no value to compare"
    if not isinstance(value, str):
        return f"'{_shown(value)}' must be text for field '{target.id}'"
    return None


def default_problem(ctx: Context, fld: FieldSpec, value: Any) -> str | None:
    if fld.type in ("separator", "subform", "upload"):
        article = "an" if fld.type == "upload" else "a"
        return f"is not allowed: {article} {fld.type} takes no default"
    if fld.type == "date" and value == "today":
        return None
    if fld.type == "datetime" and value == "now":
        return None
    if isinstance(value, list) and fld.type != "multi_select":
        return f"must be one value, not a list (field '{fld.id}')"
    if fld.type == "location" and isinstance(value, str):
        codes = {row.code for row in ctx.parsed.locations}
        if codes and value not in codes:
            return f"'{value}' is not a location code in locations.csv"
    problem = value_problem(ctx, fld, value)
    if problem is None and fld.type in TEXT_TYPES and fld.validation and fld.validation.pattern:
        try:
            if not re.fullmatch(fld.validation.pattern, value):
                return f"'{value}' does not match the field's validation pattern"
        except re.error:
            return None
    return problem


# -- skip logic -----------------------------------------------------------------------


def check_condition(ctx: Context, ref: FieldRef, cond: ShowIfSpec, keys: tuple[str | int, ...],
                    scope: dict[str, FieldSpec], module: str) -> None:
    what = f"field '{ref.spec.id}': show_if"
    ops = cond.operators()
    comparisons = [op for op in ops if op in COMPARISONS]
    combinators = [op for op in ops if op in COMBINATORS]
    if ref.item.lost_keys(*ref.path, *keys):
        return
    if cond.field is None:
        if comparisons:
            ctx.error(ref, f"{what}: '{comparisons[0]}' needs a 'field'", *keys, code="bad-condition")
        elif len(combinators) != 1:
            found = f" (found: {', '.join(combinators)})" if combinators else ""
            ctx.error(ref, f"{what}: give a field and a comparison, or exactly one of all, any or not{found}",
                      *keys, code="bad-condition")
        for name in combinators:
            attr = {"all": cond.all_, "any": cond.any_, "not": cond.not_}[name]
            if isinstance(attr, list):
                for i, child in enumerate(attr):
                    check_condition(ctx, ref, child, (*keys, name, i), scope, module)
            elif attr is not None:
                check_condition(ctx, ref, attr, (*keys, name), scope, module)
        return
    if combinators:
        ctx.error(ref, f"{what}: a condition on field '{cond.field}' cannot also use "
                  f"{' or '.join(combinators)} (put them in an 'all' or 'any')", *keys, combinators[0],
                  code="bad-condition")
    if len(comparisons) != 1:
        found = f" (found: {', '.join(comparisons)})" if comparisons else ""
        ctx.error(ref, f"{what}: the condition on '{cond.field}' needs exactly one of "
                  f"{', '.join(COMPARISONS)}{found}", *keys, code="bad-condition")
    if cond.field == ref.spec.id:
        ctx.error(ref, f"{what} refers to the field itself", *keys, "field", code="bad-condition")
        return
    target = scope.get(cond.field)
    if target is None:
        if ctx.field_unknown(module, cond.field):
            ctx.error(ref, f"{what} names unknown field '{cond.field}'{did_you_mean(cond.field, scope)}",
                      *keys, "field", code=UNKNOWN)
        return
    if target.type == "separator":
        ctx.error(ref, f"{what} names separator '{cond.field}', which holds no value", *keys, "field",
                  code="bad-condition")
        return
    for op in comparisons:
        value = getattr(cond, {"in": "in_"}.get(op, op))
        if op == "exists":
            continue
        if op in ("gt", "ge", "lt", "le"):
            problem = _ordered_problem(target, value)
        elif op == "in":
            problem = next((p for p in (value_problem(ctx, target, v) for v in value or []) if p), None)
        else:
            problem = value_problem(ctx, target, value)
        if problem:
            ctx.error(ref, f"{what} value {problem}", *keys, op, code="bad-condition-value")


def _ordered_problem(target: FieldSpec, value: Any) -> str | None:
    if target.type not in ORDERED_TYPES:
        return (f"'{_shown(value)}': gt, ge, lt and le compare number, date and datetime fields only, "
                f"and '{target.id}' is a {target.type}")
    if target.type == "number":
        return None if _is_number(value) else f"'{_shown(value)}' must be a number for field '{target.id}'"
    if isinstance(value, str) and (DATE.match(value) or DATETIME.match(value)) and _valid_date(value):
        return None
    return f"'{_shown(value)}' must be a date YYYY-MM-DD for field '{target.id}'"
