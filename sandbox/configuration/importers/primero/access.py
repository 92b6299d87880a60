"""Convert Primero's roles, agencies and user groups.

A Primero role grants actions per resource (`case: [read, write, referral,
approve_case_plan, ...]`); the sandbox's roles grant its own action names
(`sandbox.common.actions`). `CASE_ACTIONS` is the translation, and `TRACING_ACTIONS`
for tracing requests (`tracing_request: [read, write, create, ...]`); Primero actions
with no counterpart (exports, mobile sync, dashboards...) and resources other than
cases and tracing requests are reported, aggregated per role. Approval rights stay per approval type
(`approval.decide:case_plan`), as bundle format v2 allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sandbox.common.actions import ACTION_NAMES

from .seed import form_ids_of
from .texts import ANY, Context, texts
from .values import Item, Obj

APPROVAL_TYPES = ("assessment", "case_plan", "closure", "action_plan", "gbv_closure")
WRITE = (
    "case.update",
    "consent.record",
    "assessment.request",
    "assessment.complete",
    "case_plan.save",
    "service.add",
    "service.implement",
    "followup.record",
    "note.add",
)
#: Primero case action -> sandbox actions.
CASE_ACTIONS: dict[str, tuple[str, ...]] = {
    "read": ("case.view", "case.search"),
    "search_owned_by_others": ("case.search",),
    "display_view_page": ("case.view",),
    "create": ("case.identify", "case.register"),
    "write": WRITE,
    "add_note": ("note.add",),
    "flag": ("case.flag", "case.unflag"),
    "assign": ("case.assign",),
    "assign_within_agency": ("case.assign",),
    "assign_within_user_group": ("case.assign",),
    "consent_override": ("consent.override",),
    # Who sends a referral or a transfer may revoke it while it is pending.
    "referral": ("referral.create", "referral.revoke"),
    "referral_from_service": ("referral.create", "referral.revoke"),
    "receive_referral": ("referral.accept", "referral.reject", "referral.done"),
    "receive_referral_different_module": ("referral.accept", "referral.reject", "referral.done"),
    # Who may transfer a case answers the requests to transfer it, as in Primero.
    "transfer": ("transfer.create", "transfer.revoke", "transfer_request.accept",
                 "transfer_request.decline"),
    "request_transfer": ("transfer.request",),
    "receive_transfer": ("transfer.accept", "transfer.reject"),
    "accept_or_reject_transfer": ("transfer.accept", "transfer.reject"),
    "close": ("case.close",),
    "reopen": ("case.reopen",),
    "services_section_from_case": ("service.add", "service.implement"),
    "self_approve": ("approval.decide_own",),
    **{f"request_approval_{kind}": (f"approval.request:{kind}",) for kind in APPROVAL_TYPES},
    **{f"approve_{kind}": (f"approval.decide:{kind}",) for kind in APPROVAL_TYPES},
}
#: What `manage` on cases grants. Approvals: the case management ones; the GBV module's own
#: kinds (action_plan, gbv_closure) only when a role names them.
ALL_CASE = tuple(sorted({a for actions in CASE_ACTIONS.values() for a in actions if ":" not in a})) + tuple(
    f"approval.{verb}:{kind}"
    for verb in ("request", "decide")
    for kind in ("assessment", "case_plan", "closure")
)
#: The sandbox's family tracing actions: what `manage` on tracing requests grants.
ALL_TRACING = ("tracing_request.view", "tracing_request.create", "tracing_request.update",
               "trace.record", "match.search", "match.confirm", "match.reject", "match.verify",
               "reunification.record")
#: Primero tracing request action -> sandbox actions. Who may write a tracing request
#: records its traces and works its matches (in Primero both are parts of the record).
TRACING_ACTIONS: dict[str, tuple[str, ...]] = {
    "read": ("tracing_request.view",),
    "display_view_page": ("tracing_request.view",),
    "search_owned_by_others": ("tracing_request.view",),
    "create": ("tracing_request.create",),
    "write": ALL_TRACING[2:],
    "manage": ALL_TRACING,
}
#: Primero resources whose permissions are imported.
RESOURCES = ("case", "tracing_request")
SCOPES = {"self": "own", "group": "group", "agency": "agency", "all": "all"}
ORDER = {name: index for index, name in enumerate(sorted(ACTION_NAMES))}


def case_permissions(role: Obj) -> tuple[list[str], list[str], dict[str, Any]]:
    """(case actions granted in Primero's words, other resources, permissions value)."""
    raw = role.get("permissions")
    granted: dict[str, list[str]] = {}
    if isinstance(raw, list):  # seeds: [Permission.new(resource:, actions:), ...]
        for permission in raw:
            if isinstance(permission, Obj):
                resource = str(permission.get("resource"))
                granted.setdefault(resource, []).extend(str(a) for a in permission.get("actions") or [])
    elif isinstance(raw, dict):  # export: {case: [...], incident: [...], objects: {...}}
        for resource, actions in raw.items():
            if resource != "objects" and isinstance(actions, list):
                granted.setdefault(str(resource), []).extend(str(a) for a in actions)
    others = sorted(r for r, actions in granted.items() if r not in RESOURCES and actions)
    return granted.get("case", []), others, granted


def tracing_permissions(primero_actions: Iterable[str]) -> tuple[set[str], list[str]]:
    """(the sandbox actions granted, the Primero actions without an equivalent) for a
    role's actions on tracing requests."""
    actions: set[str] = set()
    unknown: set[str] = set()
    for action in primero_actions:
        if action in TRACING_ACTIONS:
            actions.update(TRACING_ACTIONS[action])
        else:
            unknown.add(action)
    return actions, sorted(unknown)


def convert_role(item: Item, ctx: Context, section_ids: list[str], module_ids: list[str]) -> dict[str, Any]:
    role, path = item.data, item.path
    role_id = str(role.get("unique_id"))
    case_actions, others, granted = case_permissions(role)
    actions: set[str] = set()
    unknown: list[str] = []
    for action in case_actions:
        if action == "manage":
            actions.update(ALL_CASE)
        elif action in CASE_ACTIONS:
            actions.update(CASE_ACTIONS[action])
        else:
            unknown.append(action)
    if unknown:
        ctx.add(
            "permissions",
            path,
            role.line_of("permissions"),
            f"role '{role_id}': case actions without an equivalent: {', '.join(sorted(set(unknown)))}",
        )
    tracing, unknown_tracing = tracing_permissions(granted.get("tracing_request", []))
    actions.update(tracing)
    if unknown_tracing:
        ctx.add(
            "permissions",
            path,
            role.line_of("permissions"),
            f"role '{role_id}': tracing request actions without an equivalent: "
            f"{', '.join(unknown_tracing)}",
        )
    if others:
        ctx.add(
            "permissions",
            path,
            role.line_of("permissions"),
            f"role '{role_id}': permissions on {', '.join(others)} are not imported (cases and "
            f"tracing requests only)",
        )
    group = str(role.get("group_permission") or "self")
    scope = SCOPES.get(group)
    if scope is None:
        ctx.add(
            "approximated",
            path,
            role.line_of("group_permission"),
            f"role '{role_id}': group permission '{group}' has no equivalent; scope 'own'",
        )
        scope = "own"
    out: dict[str, Any] = {
        "id": role_id,
        "name": ctx.text(texts(role, "name") or {ANY: role_id}),
        "scope": scope,
        "permissions": sorted(actions, key=_action_order),
        "forms": _forms(role, ctx, path, role_id, section_ids),
    }
    if role.get("referral") is True or "receive_referral" in case_actions:
        out["referral_recipient"] = True
    if role.get("transfer") is True and "transfer.accept" not in actions:
        ctx.add(
            "approximated",
            path,
            role.line_of("transfer"),
            f"role '{role_id}' receives transfers in Primero but may not accept them here",
        )
    role_modules = _modules(role)
    if role_modules is not None and module_ids and not set(role_modules) & set(module_ids):
        ctx.add(
            "approximated",
            path,
            role.line,
            f"role '{role_id}' has no case module in Primero ({', '.join(role_modules) or 'none'})",
        )
    for key in ("reporting_location_level", "is_manager", "disabled"):
        if role.get(key) not in (None, False):
            ctx.add("dropped", path, role.line_of(key), f"role '{role_id}': '{key}' has no equivalent")
    return out


def _action_order(action: str) -> tuple[int, str]:
    return ORDER.get(action.split(":")[0], len(ORDER)), action


def _modules(role: Obj) -> list[str] | None:
    for key in ("module_unique_ids", "primero_modules"):
        value = role.get(key)
        if isinstance(value, list):
            out = []
            for module in value:
                if isinstance(module, str):
                    out.append(module)
                elif hasattr(module, "method") and getattr(module, "receiver", "") == "PrimeroModule":
                    out.append(f"primeromodule-{module.method}")
            return out
        if value is not None and getattr(value, "method", "") == "all":
            return None
    return None


def _forms(role: Obj, ctx: Context, path: str, role_id: str, section_ids: list[str]) -> dict[str, str]:
    access: dict[str, str] = {}
    read_write = role.get("form_section_read_write")
    if isinstance(read_write, dict) and read_write:
        for form_id, value in read_write.items():
            access[str(form_id)] = "read_write" if value == "rw" else "read"
    else:
        ids = form_ids_of(role.get("form_sections"))
        if ids is None:  # Primero gives a role without a form list every form
            return {"*": "read_write"}
        access = {form_id: "read_write" for form_id in ids}
    kept = {k: v for k, v in access.items() if k in section_ids}
    dropped = sorted(set(access) - set(kept))
    if dropped:
        ctx.add(
            "not_imported",
            path,
            role.line_of("form_section_read_write")
            if "form_section_read_write" in role
            else role.line_of("form_sections"),
            f"role '{role_id}': access to forms that are not imported: {', '.join(dropped)}",
        )
    return kept


def requested_approvals(roles: Iterable[dict[str, Any]]) -> list[str]:
    kinds = {
        p.split(":", 1)[1] for role in roles for p in role["permissions"] if p.startswith("approval.request:")
    }
    return [kind for kind in APPROVAL_TYPES if kind in kinds]


def convert_agency(item: Item, ctx: Context, service_options: list[str]) -> dict[str, Any]:
    agency, path = item.data, item.path
    agency_id = str(agency.get("unique_id") or agency.get("agency_code"))
    out: dict[str, Any] = {"id": agency_id, "name": ctx.text(texts(agency, "name") or {ANY: agency_id})}
    code = agency.get("agency_code")
    if isinstance(code, str) and code:
        if len(code) > 20:
            ctx.add(
                "approximated",
                path,
                agency.line_of("agency_code"),
                f"agency '{agency_id}': code '{code}' shortened to 20 characters",
            )
        out["short_name"] = code[:20]
    services = [str(s) for s in agency.get("services") or []]
    unknown = [s for s in services if s not in service_options]
    if unknown:
        ctx.add(
            "missing",
            path,
            agency.line_of("services"),
            f"agency '{agency_id}': services not in the service type lookup: {', '.join(unknown)}",
        )
    if services:
        out["services"] = [s for s in services if s in service_options]
    for key in ("logo_enabled", "telephone", "pdf_logo_option", "terms_of_use_enabled"):
        if agency.get(key) not in (None, False, ""):
            ctx.add("dropped", path, agency.line_of(key), f"agency '{agency_id}': '{key}' has no equivalent")
    return out


def convert_user_group(item: Item, ctx: Context, agency_ids: list[str]) -> dict[str, Any]:
    group, path = item.data, item.path
    group_id = str(group.get("unique_id"))
    out: dict[str, Any] = {"id": group_id, "name": ctx.text(texts(group, "name") or {ANY: group_id})}
    agencies = [str(a) for a in group.get("agency_unique_ids") or []]
    unknown = [a for a in agencies if a not in agency_ids]
    if unknown:
        ctx.add(
            "missing",
            path,
            group.line_of("agency_unique_ids"),
            f"user group '{group_id}': agencies not in the source: {', '.join(unknown)}",
        )
    out["agencies"] = [a for a in agencies if a in agency_ids]
    return out
