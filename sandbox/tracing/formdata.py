"""The configured form sections of a tracing request (`record_type: tracing_request` in
the bundle), validated with the engine cases use (`sandbox.cases.formdata`).

A tracing request keeps its fixed core (the inquirer, the child sought, the separation):
the matching reads those columns. What a bundle adds (the inquirer's address, the
languages they speak, the child's marks...) is held in `TracingRequest.data`, one value
per field id, exactly as a case's form data is: the same field types, options, rules,
skip logic, hidden and read-only fields. A bundle without tracing request sections
gives an empty `data` and a page without configured sections.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext as _

from sandbox.cases.formdata import WriteContext, apply_defaults, merge_section
from sandbox.cases.services._core import Action, member_options
from sandbox.common.errors import ValidationFailed
from sandbox.configuration.runtime import FieldDef, ModuleDef, SectionDef


def sections_of(module: ModuleDef) -> tuple[SectionDef, ...]:
    """The tracing request sections of a module, in order (none in many bundles)."""
    return module.tracing_sections


def form_module(module: ModuleDef) -> ModuleDef:
    """The module seen from the tracing request: its sections and fields are the tracing
    request's (for the helpers of `cases.formdata` that read `module.fields`)."""
    sections = sections_of(module)
    fields: dict[str, FieldDef] = {}
    for section in sections:
        for fdef in section.fields:
            fields.setdefault(fdef.code, fdef)
    return dataclasses.replace(module, sections=sections, fields=fields, tracing_sections=())


def write_context(act: Action) -> WriteContext:
    """The clock, and the space's members when a field takes its options from them. A
    tracing request holds no documents: its upload fields (the validator refuses them)
    would accept none."""
    fields = [c for s in sections_of(act.module) for f in s.fields for c in (f, *f.columns)]
    members = member_options(act.space) if any(f.options_from == "users" for f in fields) else {}
    return WriteContext(now=act.now, members=members, by_user=not act.system)


def clean_form(act: Action, submitted: Any, current: dict[str, Any], *,
               partial: bool) -> dict[str, Any]:
    """The tracing request's new `data`: `submitted` checked section by section against the
    configuration, over `current`. Unknown fields and wrong values are reported by field,
    all at once (ValidationFailed).

    With `partial` (an API PATCH), only the sections named in `submitted` are checked and
    the values not given keep their current ones; otherwise (a new request, the page's
    form) every section is, and a field left out is cleared.
    """
    if submitted is None:
        submitted = {}
    if not isinstance(submitted, dict):
        message = _("Expected a mapping of field values.")
        raise ValidationFailed(message, details={"fields": {"data": [message]}})
    sections = sections_of(act.module)
    section_of = {f.code: s.code for s in sections for f in s.fields if f.stores_value}
    errors: dict[str, list[str]] = {key: [_("Unknown field.")]
                                    for key in submitted if key not in section_of}
    # A new request starts from the configured defaults, kept where nothing was given.
    creating = not partial and not current
    data = apply_defaults(form_module(act.module), {}, act.now) if creating else dict(current)
    ctx = write_context(act)
    for section in sections:
        given = {k: v for k, v in submitted.items() if section_of.get(k) == section.code}
        if partial and not given:
            continue
        merge_section(section, given, data, act.config, partial=partial or creating, ctx=ctx,
                      errors=errors)
    if errors:
        raise ValidationFailed(_("Some fields need attention."), details={"fields": errors})
    return data


def form_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for every value that changed, as a case's events say."""
    return {key: [old.get(key), new.get(key)] for key in sorted(set(old) | set(new))
            if old.get(key) != new.get(key)}
