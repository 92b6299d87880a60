"""policy.yaml: one policy per module; deadlines per risk level; consent fields and the
consent each action requires.

A policy is checked even when its module is broken in modules.yaml: what the
checks need of the module (its risk field, its consent lookup) is read from the
module's raw data, so that one structure error does not hide the policy's problems.
"""

from __future__ import annotations

from sandbox.common.actions import ACTION_NAMES, CONSENT_ACTION_NAMES

from ..parsed import Item
from ..schema import ConsentFieldSpec, PolicySpec
from .context import Context, ModuleInfo, did_you_mean, listed

UNKNOWN = "unknown-reference"


def check_policies(ctx: Context) -> None:
    policed: dict[str, Item[PolicySpec]] = {}
    for item in ctx.parsed.policies:
        spec = item.spec
        if spec.module in policed:
            ctx.error(item, f"module '{spec.module}' has a second policy", "module", code="duplicate-id")
            continue
        policed[spec.module] = item
        module = ctx.modules.get(spec.module)
        if module is None:
            if ctx.unknown("module", spec.module, ctx.modules):
                hint = did_you_mean(spec.module, ctx.modules)
                ctx.error(item, f"policy: unknown module '{spec.module}'{hint}", "module", code=UNKNOWN)
            continue
        _check_deadlines(ctx, item, module)
        _check_consent(ctx, item, module)
    for ident, module in ctx.modules.items():
        if ident not in policed and module.item is not None and not ctx.parsed.is_broken("policy", ident):
            ctx.error(module.item, f"module '{ident}' has no policy in policy.yaml", "id", code="no-policy")


def risk_levels(ctx: Context, module: ModuleInfo) -> list[str] | None:
    """The risk levels of a module (options of its risk field's lookup), None if unknown."""
    field_id = module.core_fields.get("risk_level")
    ref = ctx.field(module.id, field_id) if field_id else None
    if ref is None:
        return None
    return ctx.lookup_options(ref.spec.lookup)


def _check_deadlines(ctx: Context, item: Item[PolicySpec], module: ModuleInfo) -> None:
    spec = item.spec
    levels = risk_levels(ctx, module)
    if levels is None:
        return
    risk_lookup = ctx.field(module.id, module.core_fields["risk_level"]).spec.lookup  # type: ignore[union-attr]
    for task, per_level in spec.deadlines.items():
        for level in per_level:
            if ctx.option_unknown(risk_lookup or "", level):
                ctx.error(item, f"policy '{spec.module}': deadline for unknown risk level '{level}' "
                          f"(risk levels: {', '.join(levels)}){did_you_mean(level, levels)}",
                          "deadlines", task, level, code="unknown-risk-level")


def consent_field_problem(ctx: Context, module: str, value: str | ConsentFieldSpec) -> str | None:
    """Why a consent field cannot record consent (None when it can)."""
    field_id = value if isinstance(value, str) else value.field
    ref = ctx.field(module, field_id)
    if ref is None:
        if ctx.field_unknown(module, field_id):
            fields = ctx.fields.get(module, {})
            hint = did_you_mean(field_id, [f for f, refs in fields.items()
                                           if refs[0].spec.type != "separator"])
            return f"consent field '{field_id}' does not exist{hint}"
        return None
    target = ref.spec
    if isinstance(value, str):
        if target.type == "tick_box":
            return None
        if target.type in ("radio", "select"):
            return (f"consent field '{field_id}' is a {target.type}: write "
                    f"{{field: {field_id}, given: OPTION}} with the option that means consent was given")
        return f"consent field '{field_id}' must be a tick_box, or a radio or select, not a {target.type}"
    if target.type == "tick_box":
        return f"consent field '{field_id}' is a tick box: write just its id, without 'given'"
    if target.type not in ("radio", "select") or target.lookup is None:
        return (f"consent field '{field_id}' with 'given' must be a radio or select with a lookup, "
                f"not a {target.type}{' with options_from' if target.options_from else ''}")
    options = ctx.lookup_options(target.lookup)
    if options is not None and ctx.option_unknown(target.lookup, value.given):
        return (f"consent field '{field_id}': given '{value.given}' is not an option of lookup "
                f"'{target.lookup}' (options: {listed(options)}){did_you_mean(value.given, options)}")
    return None


def _check_consent(ctx: Context, item: Item[PolicySpec], module: ModuleInfo) -> None:
    spec = item.spec
    what = f"policy '{spec.module}'"
    consent_lookup = module.system_lookups.get("consent_type")
    kinds = ctx.lookup_options(consent_lookup)
    if consent_lookup:
        ctx.used_lookups.add(consent_lookup)
    if spec.consent.fields and consent_lookup is None and not module.incomplete:
        ctx.lookup_refs_broken = True
        ctx.add(item.problem(
            f"{what}: consent kinds are named but module '{spec.module}' has no consent_type system "
            f"lookup, so consent cannot be recorded", "consent", "fields",
            severity="error" if spec.consent.required else "warning", code="no-consent-lookup"))
    for kind, value in spec.consent.fields.items():
        if kinds is not None and ctx.option_unknown(consent_lookup or "", kind):
            ctx.error(item, f"{what}: consent kind '{kind}' is not an option of lookup '{consent_lookup}' "
                      f"(options: {listed(kinds)}){did_you_mean(kind, kinds)}", "consent", "fields", kind,
                      code="unknown-consent-kind")
        problem = consent_field_problem(ctx, spec.module, value)
        if problem:
            ctx.error(item, f"{what}: {problem}", "consent", "fields", kind, code="bad-consent-field")
    for action, needed in spec.consent.required.items():
        if action not in ACTION_NAMES:
            ctx.error(item, f"{what}: unknown action '{action}'{did_you_mean(action, ACTION_NAMES)}",
                      "consent", "required", action, code="unknown-action")
        elif action not in CONSENT_ACTION_NAMES:
            # A rule the services would never check: refuse it rather than let a trainer
            # believe the sandbox enforces it.
            ctx.error(item, f"{what}: action '{action}' cannot carry a consent rule (actions that "
                      f"can: {', '.join(sorted(CONSENT_ACTION_NAMES))})",
                      "consent", "required", action, code="consent-not-carried")
        for i, kind in enumerate(needed):
            if kind not in spec.consent.fields and not item.was_dropped("consent", "fields", kind):
                ctx.error(item, f"{what}: '{action}' requires consent '{kind}', which has no field in "
                          f"consent.fields{did_you_mean(kind, spec.consent.fields)}",
                          "consent", "required", action, i, code="consent-without-field")
