"""What the configuration lets people do: the checks of a go-live review.

A bundle can be well-formed and still leave a step of the SOP impossible: no role
may close a case, a referral recipient may not accept referrals, an approval the
policy requires has no one to decide it. These checks look at roles and policy
together. They are skipped where a broken role or file would make them guess:
a role that failed its structure check might hold the missing permission.
"""

from __future__ import annotations

import difflib

from sandbox.common.actions import ACTIONS
from sandbox.common.sourcefiles import Problem

from ..schema import RoleSpec
from .context import Context

#: The SOP steps some role must be able to take, in the order of a case's life.
SOP_STEPS = {
    "case.register": "register a child as a case",
    "consent.record": "record consent",
    "assessment.complete": "complete the assessment",
    "case_plan.save": "save the case plan",
    "referral.create": "refer the case for a service",
    "followup.record": "record a follow-up",
    "case.close": "close a case",
    "case.reopen": "reopen a closed case",
}
SUMMARIES = {action.name: action.summary for action in ACTIONS}


def can(role: RoleSpec, action: str, kind: str | None = None) -> bool:
    """Whether a role may take an action (for approvals: of this kind, or of any kind)."""
    permissions = set(role.permissions)
    if action in permissions:
        return True
    if action in ("approval.decide", "approval.request"):
        if kind is not None:
            return f"{action}:{kind}" in permissions
        return any(p.startswith(action + ":") for p in permissions)
    return False


def _roles_complete(ctx: Context) -> bool:
    parsed = ctx.parsed
    return "role" not in parsed.unreadable and not parsed.broken.get("role") and not any(
        item.lost_keys() or item.lost_keys("permissions") or item.lost_keys("forms")
        for item in parsed.roles)


def _roles_problem(ctx: Context, message: str, code: str) -> Problem:
    roles = ctx.parsed.roles
    if roles:
        source = roles[0].source
        return Problem(source.path, source.line("roles"), message, code=code)
    return Problem(str(ctx.parsed.directory / "roles.yaml"), 1, message, code=code)


def check_capabilities(ctx: Context) -> None:
    if _roles_complete(ctx):
        _check_sop_steps(ctx)
        _check_referral_recipients(ctx)
        _check_approvals(ctx)
        _check_form_access(ctx)
    _check_unused_lookups(ctx)


def _check_sop_steps(ctx: Context) -> None:
    roles = [item.spec for item in ctx.parsed.roles]
    # A misspelt permission is reported as an unknown action with its correction;
    # do not report the step it meant a second time.
    misspelt = {close for role in roles for p in role.permissions if p not in SUMMARIES
                for close in difflib.get_close_matches(p, list(SOP_STEPS), n=1)}
    for step, words in SOP_STEPS.items():
        if step not in misspelt and not any(can(role, step) for role in roles):
            ctx.add(_roles_problem(
                ctx, f"no role may take the SOP step '{step}' ({words}): add it to the permissions "
                f"of the role that does this", "sop-step-impossible"))


def _check_referral_recipients(ctx: Context) -> None:
    for item in ctx.parsed.roles:
        role = item.spec
        if not role.referral_recipient:
            continue
        missing = [a for a in ("referral.accept", "referral.reject") if not can(role, a)]
        if missing:
            ctx.error(item, f"role '{role.id}' receives referrals but may not answer them (missing: "
                      f"{', '.join(missing)})", "referral_recipient", code="referral-unanswerable")


def _check_approvals(ctx: Context) -> None:
    roles = [item.spec for item in ctx.parsed.roles]
    for item in ctx.parsed.policies:
        for kind, approval in item.spec.approvals.items():
            if not approval.required:
                continue
            if not any(can(role, "approval.decide", kind) for role in roles):
                ctx.error(item, f"policy '{item.spec.module}': the '{kind}' approval is required but no role "
                          f"may decide it (give approval.decide or approval.decide:{kind} to a role)",
                          "approvals", kind, code="approval-undecidable")
            if not any(can(role, "approval.request", kind) for role in roles):
                ctx.error(item, f"policy '{item.spec.module}': the '{kind}' approval is required but no role "
                          f"may request it (give approval.request or approval.request:{kind} to a role)",
                          "approvals", kind, code="approval-unrequestable")


def _check_form_access(ctx: Context) -> None:
    if ctx.parsed.broken.get("section") or "section" in ctx.parsed.unreadable:
        return
    everything = any("*" in item.spec.forms for item in ctx.parsed.roles)
    if everything:
        return
    shown = {section for item in ctx.parsed.roles for section in item.spec.forms}
    for key, fields in ctx.fields.items():
        if "@" in key:
            continue  # tracing request sections: their permissions open them, not form access
        hidden_by_section: dict[str, list[str]] = {}
        for ident, refs in fields.items():
            if refs[0].spec.type == "separator" or refs[0].spec.hidden:
                continue
            if not any(ref.section in shown for ref in refs):
                hidden_by_section.setdefault(refs[0].section, []).append(ident)
        for section, idents in hidden_by_section.items():
            item = ctx.sections[section]
            names = ", ".join(idents[:8]) + (", ..." if len(idents) > 8 else "")
            ctx.warning(item, f"form section '{section}' is in no role's form access: its fields ({names}) "
                        f"are never shown to anyone", "id", code="fields-without-access")


def _check_unused_lookups(ctx: Context) -> None:
    parsed = ctx.parsed
    # A lookup is "unused" for sure only when every reference to lookups resolved.
    kinds = ("section", "field", "module")
    if ctx.lookup_refs_broken or parsed.raw_modules or parsed.unreadable.intersection(kinds) or any(
            parsed.broken.get(kind) for kind in kinds):
        return
    for item in parsed.lookups:
        if item.spec.id not in ctx.used_lookups:
            ctx.warning(item, f"lookup '{item.spec.id}' is not used by any field or system lookup", "id",
                        code="unused-lookup")
