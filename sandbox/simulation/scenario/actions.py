"""Static checks of what a scenario's steps do, before anything is played.

Each solution or history step is checked like the case system would check it at
play time: the actor's role may take the action, the parameters the service
needs are there, and their values are in the bundle's lookups (service kinds,
consent types, referral reasons, follow-up types, urgency, approval kinds).
Simulated actors are checked against what their script makes them do. Each
problem is reported at the step's own line, all of them in one run.
"""

from __future__ import annotations

from typing import Any

from sandbox.cases.models import Disclosure
from sandbox.configuration.runtime import BundleConfig, ModuleDef
from sandbox.configuration.vocabulary import APPROVAL_KINDS

from .schema import Scenario

#: Parameter -> the module's system lookup its value must be an option of.
LOOKUP_PARAMS = {"consent_type": "consent_type", "service_type": "service_type",
                 "followup_type": "followup_type", "urgency": "urgency"}
#: Parameters the case system refuses an action without.
REQUIRED = {
    "consent.record": ("consent_type", "given"),
    "referral.create": ("service_type",),
    "service.add": ("service_type",),
    "followup.record": ("followup_type",),
    "approval.request": ("kind",),
    "approval.decide": ("kind",),
    "transfer.create": ("to",),
    "case.assign": ("to",),
    "tracing_request.create": ("data",),
    "match.confirm": ("reason",),
    "match.reject": ("reason",),
    "match.verify": ("note",),
    "reunification.record": ("outcome", "note"),
    "incident.create": ("incident_date", "acts", "perpetrator_relationship"),
}


def no_role_may(config: BundleConfig, action: str) -> str:
    """'; no role of the bundle may take ...' when that is so (the gap to fix is the bundle's)."""
    if any(role.can(action) for role in config.roles.values()):
        return ""
    return f"; no role of the bundle may take '{action}'"


def check_action(do: str, params: dict[str, Any], role_ref: str, scenario: Scenario,
                 config: BundleConfig, module: ModuleDef, add: Any, where: tuple[str | int, ...]) -> None:
    """Problems of one step (its action is known)."""
    spec = scenario.roles.get(role_ref)
    role = config.roles.get(spec.role) if spec is not None else None
    if role is not None and not role.can(do):
        add(f"role '{role_ref}' ({role.code}) may not take the action '{do}'"
            f"{no_role_may(config, do)}", *where, "do")
    for name in REQUIRED.get(do, ()):
        if name not in params:
            add(f"'{do}' needs the parameter '{name}'", *where, "with")
    for name, system in LOOKUP_PARAMS.items():
        if name not in params or do == "case.search":
            continue
        lookup_id = module.system_lookups.get(system)
        if not lookup_id:
            if system != "urgency":
                add(f"'{do}': this configuration has no {system.replace('_', ' ')} list "
                    f"(system lookup '{system}')", *where, "with", name)
            continue
        options = config.lookups[lookup_id].options if lookup_id in config.lookups else {}
        if params[name] not in options:
            add(f"'{do}': unknown {name.replace('_', ' ')} '{params[name]}' (one of: "
                f"{', '.join(options)})", *where, "with", name)
    if do == "referral.create" and "reason" in params:
        lookup_id = module.system_lookups.get("referral_reason")
        options = config.lookups[lookup_id].options if lookup_id in config.lookups else {}
        if params["reason"] not in options:
            add(f"'{do}': unknown referral reason '{params['reason']}' (one of: "
                f"{', '.join(options) or 'none'})", *where, "with", "reason")
    if do == "referral.create" and "disclosed" in params:
        shared = params["disclosed"]
        if not isinstance(shared, list) or not shared:
            add(f"'{do}': disclosed is a non-empty list (of: {', '.join(Disclosure.values)})",
                *where, "with", "disclosed")
        else:
            for value in shared:
                if value not in Disclosure.values:
                    add(f"'{do}': '{value}' is not a kind of information a referral shares "
                        f"(one of: {', '.join(Disclosure.values)})", *where, "with", "disclosed")
    if do.startswith("approval.") and "kind" in params:
        kind = params["kind"]
        if kind not in APPROVAL_KINDS:
            add(f"'{do}': unknown approval kind '{kind}' (one of: {', '.join(APPROVAL_KINDS)})",
                *where, "with", "kind")
        elif kind not in module.policy.approvals:
            add(f"'{do}': the bundle's policy has no '{kind}' approval", *where, "with", "kind")
    if do == "consent.record" and params.get("consent_type") and \
            params["consent_type"] not in module.policy.consent_fields:
        add(f"'{do}': the policy has no consent field for '{params['consent_type']}'",
            *where, "with", "consent_type")
    for name in ("to_agency", "provider_agency"):
        if name in params and params[name] not in config.agencies:
            add(f"'{do}': unknown agency '{params[name]}'", *where, "with", name)
    if do == "referral.create":
        to = params.get("to")
        target = scenario.roles.get(to) if isinstance(to, str) else None
        target_role = config.roles.get(target.role) if target is not None else None
        if target_role is not None and not target_role.referral_recipient:
            add(f"role '{to}' ({target_role.code}) cannot receive referrals", *where, "with", "to")
        if "to" not in params and "to_agency" not in params:
            add(f"'{do}' needs 'to' (a role) or 'to_agency'", *where, "with")


ACTOR_ACTIONS = {"approvals": ("approval.decide",), "transfers": ("transfer.accept", "transfer.reject")}


def check_actors(scenario: Scenario, config: BundleConfig, module: ModuleDef, add: Any) -> None:
    """Each simulated actor's role may do what its script makes it do."""
    for ref, actor in scenario.actors.items():
        spec = scenario.roles.get(ref)
        role = config.roles.get(spec.role) if spec is not None else None
        if role is None:
            continue
        if actor.approvals and not role.can("approval.decide"):
            add(f"actors: role '{ref}' ({role.code}) may not decide approvals"
                f"{no_role_may(config, 'approval.decide')}", "actors", ref, "approvals")
        can_decide = getattr(role, "can_decide", None)  # approval rights per kind (format v2)
        for kind in actor.approvals:
            if kind in module.policy.approvals and callable(can_decide) and not can_decide(kind):
                add(f"actors: role '{ref}' ({role.code}) may not decide the {kind} approval",
                    "actors", ref, "approvals", kind)
        if actor.referrals is not None:
            action = "referral.reject" if actor.referrals.decision == "reject" else "referral.accept"
            if not role.can(action):
                add(f"actors: role '{ref}' ({role.code}) may not take the action '{action}'"
                    f"{no_role_may(config, action)}", "actors", ref, "referrals")
            if not role.referral_recipient:
                add(f"actors: role '{ref}' ({role.code}) cannot receive referrals",
                    "actors", ref, "referrals")
        if actor.transfers is not None and not role.can("transfer.accept"):
            add(f"actors: role '{ref}' ({role.code}) may not take the action 'transfer.accept'"
                f"{no_role_may(config, 'transfer.accept')}", "actors", ref, "transfers")
