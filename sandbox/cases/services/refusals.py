"""Attempts the SOP policy refuses, kept in the event log.

A service refuses what the policy does not allow yet: a referral or a transfer
without the consent the policy requires, a closure without the supervisor's
approval, a case plan on an assessment not yet approved. The refusal rolls the
action back, so the case does not change; but the attempt is part of what
happened, and a trainer (or a scenario's rule) may want to know that a trainee
*tried* to refer without consent.

`records_refusal(action)` wraps such a service. When the service is refused for
one of `POLICY_REFUSALS`, an event `<action>.refused` is written after the rollback,
in its own transaction, with the refusal's code and what was attempted, and no
change to the case; then the refusal goes on to the caller as before. Refusals for
other reasons (a missing field, a permission the role lacks) are not recorded:
they are mistakes of form or of access, not of practice.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from sandbox.common.errors import SandboxError
from sandbox.spaces.models import Member

from ..models import Case
from ._core import Action

#: The codes of refusals that the policy decides (and that are recorded).
POLICY_REFUSALS = ("consent_required", "consent_override_forbidden", "closure_not_approved",
                   "assessment_not_approved")
#: Per refusable action, the parameters of the attempt its refusal event keeps.
ATTEMPTED: dict[str, tuple[str, ...]] = {
    "referral.create": ("service_type", "reason", "urgency", "to_agency"),
    "transfer.create": ("reason",),
    "transfer_request.accept": ("comment",),
    "case.assign": ("reason",),
    "service.add": ("service_type",),
    "followup.record": ("followup_type",),
    "assessment.request": (),
    "match.confirm": ("reason",),
    "case.close": (),
    "case_plan.save": (),
}
#: What every refusal event records in its details, besides the attempt's parameters.
REFUSAL_DETAILS = ("code", "consent_missing")

F = TypeVar("F", bound=Callable[..., Any])


def refused(action: str) -> str:
    """The event name of a refused attempt at `action`."""
    return f"{action}.refused"


def records_refusal(action: str, *, record: str = "") -> Callable[[F], F]:
    """Record the policy's refusals of `action`. A service that takes a record (a
    transfer request) rather than a case names its keyword in `record`."""
    if action not in ATTEMPTED:
        raise ValueError(f"{action} is not a refusable action")

    def decorate(service: F) -> F:
        @functools.wraps(service)
        def wrapper(*, actor: Member, **kwargs: Any) -> Any:
            try:
                return service(actor=actor, **kwargs)
            except SandboxError as exc:
                case = getattr(kwargs.get(record), "case", None) if record else kwargs.get("case")
                if exc.code in POLICY_REFUSALS and isinstance(case, Case):
                    try:
                        _record(actor, case, action, exc, kwargs)
                    except SandboxError:
                        pass  # the refusal stands even when its record cannot be written
                raise

        return wrapper  # type: ignore[return-value]

    return decorate


def _record(actor: Member, case: Case, action: str, exc: SandboxError,
            kwargs: dict[str, Any]) -> None:
    with transaction.atomic():
        # The attempt was allowed to the role (else it would have been refused for
        # permission, not policy): no second permission check for its record.
        act = Action(actor, refused(action), case, check=False)
        details: dict[str, Any] = {"code": exc.code}
        details.update({key: kwargs[key] for key in ATTEMPTED[action]
                        if isinstance(kwargs.get(key), str) and kwargs[key]})
        if exc.details.get("consent_missing"):
            details["consent_missing"] = list(exc.details["consent_missing"])
        act.record(details=details, changes={})
