"""What every service shares: locking the space, checking, and writing the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sandbox.common.errors import Conflict, NotFound, ValidationFailed
from sandbox.configuration.runtime import BundleConfig, RoleDef
from sandbox.spaces.models import Member, Space
from sandbox.spaces.services import require_writable

from ..formdata import WriteContext
from ..models import Case, Document, Event
from ..permissions import require

#: Case columns whose changes are recorded in events, besides the form data.
TRACKED = ("registration_status", "status", "stage", "risk_level", "owner_id", "agency",
           "location", "flagged")


class Action:
    """The context of one action: the locked space, its configuration, the actor's role."""

    def __init__(self, actor: Member, action: str, case: Case | None = None, *,
                 related: bool | None = None, check: bool = True, system: str = "") -> None:
        # Lock the space row: actions in one space run one at a time, so that case
        # numbers and event sequence numbers never collide.
        self.space: Space = Space.objects.select_for_update().select_related("bundle").get(
            pk=actor.space_id)
        if case is not None and case.space_id != self.space.pk:
            raise NotFound(_("No such case in this space."))
        if not system and actor.user_id is not None:
            # People stop writing when the space is closed or their time is up; the
            # simulated actors and the simulation itself still finish what they do.
            require_writable(self.space)
        if case is not None and case.pk is not None:
            # Work on the row as it is now, not as the caller last read it.
            try:
                case.refresh_from_db()
            except Case.DoesNotExist:
                raise space_was_reset() from None
        self.actor = actor
        self.action = action
        self.case = case
        self.config: BundleConfig = self.space.config
        self.module = self.config.modules[self.space.module]
        # `system` names the simulation when it acts (an inject changing a record):
        # no permission applies, and the event says who really acted.
        self.system = system
        self.role: RoleDef | None = require(actor, action, case, self.config, related=related) \
            if check and not system else None
        self.before = snapshot(case) if case is not None else {}

    @property
    def now(self) -> dt.datetime:
        return self.space.clock

    def write_context(self, case: Case | None = None) -> WriteContext:
        """What form validation needs: the clock, the space's members (for `users`
        fields) and the case's documents (for upload fields), read only when the
        module has such fields."""
        fields = [c for f in self.module.fields.values() for c in (f, *f.columns)]
        members: dict[str, str] = {}
        if any(f.options_from == "users" for f in fields):
            members = member_options(self.space)
        documents: dict[str, dict[str, Any]] = {}
        case = case if case is not None else self.case
        if case is not None and case.pk is not None and any(f.type == "upload" for f in fields):
            documents = {d.key: d.as_value() for d in Document.objects.filter(
                space=self.space, case=case).defer("content")}
        return WriteContext(now=self.now, members=members, documents=documents,
                            by_user=not self.system)

    def require_lookup(self, name: str) -> str:
        """The lookup of a system list, or refuse: this configuration has none."""
        lookup = self.module.system_lookup(name)
        if lookup is None or lookup not in self.config.lookups:
            raise missing_lookup(name)
        return lookup

    def fresh(self, record: models.Model) -> models.Model:
        """The record as it is now, under the space's lock (the caller's copy may be stale)."""
        if getattr(record, "space_id", self.space.pk) != self.space.pk:
            raise NotFound(_("No such record in this space."))
        try:
            record.refresh_from_db()
        except record.DoesNotExist:  # type: ignore[attr-defined]
            raise space_was_reset() from None
        if self.case is not None and getattr(record, "case_id", None) == self.case.pk:
            record.case = self.case  # one copy of the case, the one this action changes
        return record

    def record(self, *, case: Case | None = None, record: models.Model | None = None,
               details: dict[str, Any] | None = None, changes: dict[str, Any] | None = None) -> Event:
        """Write the action's event, with the changes to the case since the start."""
        case = case or self.case
        if changes is None:
            changes = diff(self.before, snapshot(case)) if case is not None else {}
        if not self.system:
            self.guard_real_data(case, record, changes, details)
        self.space.event_counter += 1
        Space.objects.filter(pk=self.space.pk).update(event_counter=self.space.event_counter)
        event = Event.objects.create(
            space=self.space, sequence=self.space.event_counter, case=case,
            actor=None if self.system else self.actor,
            actor_name=self.system or self.actor.name, role="" if self.system else self.actor.role,
            action=self.action,
            record_type=record._meta.model_name if record is not None else "",
            record_id=record.pk if record is not None else None,
            changes=changes, details=details or {}, sim_time=self.now,
        )
        from ..hooks import after_action

        after_action(event)
        return event


    def guard_real_data(self, case: Case | None, record: models.Model | None,
                        changes: dict[str, Any], details: dict[str, Any] | None) -> None:
        """Refuse real-looking personal data unless the trainee confirmed it is invented.

        Runs before the event is written, inside the action's transaction: a refusal
        leaves nothing saved.
        """
        from sandbox.realdata.guard import check

        values: dict[str, Any] = {"changes": {k: v[1] for k, v in changes.items()},
                                  "details": details or {}}
        # A case's own data is in `changes` (only what changed: confirmed data is not
        # asked about again); other records (notes, referrals...) are read whole.
        if record is not None and not isinstance(record, Case):
            values["record"] = {f.name: getattr(record, f.attname) for f in record._meta.concrete_fields
                                if isinstance(f, models.CharField | models.TextField | models.JSONField)}
        check(space=self.space, bundle_code=self.space.bundle.code, values=values, actor=self.actor,
              action=self.action, case=case)


def space_was_reset() -> Conflict:
    """What a trainee is told when the trainer reset the space under their feet."""
    return Conflict(_("The space was reset while you were working: what you were changing is "
                      "no longer there. Reload the page and start again from the reset state."),
                    code="space_reset")


#: What the system lookups are, in the words of the message that says one is missing.
LOOKUP_NAMES: dict[str, Any] = {
    "service_type": gettext_lazy("service types"),
    "referral_reason": gettext_lazy("referral reasons"),
    "followup_type": gettext_lazy("follow-up types"),
    "closure_reason": gettext_lazy("closure reasons"),
    "consent_type": gettext_lazy("consent types"),
    "need": gettext_lazy("needs"),
    "urgency": gettext_lazy("urgency levels"),
}


def missing_lookup(name: str) -> ValidationFailed:
    what = LOOKUP_NAMES.get(name, name)
    return ValidationFailed(
        _("This configuration has no %(what)s list (system lookup '%(name)s'): ask the "
          "administrator.") % {"what": what, "name": name},
        code="system_lookup_missing", details={"system_lookup": name})


def member_options(space: Space) -> dict[str, str]:
    """The values a `users` field may take: each member of the space, by reference
    (stable when a space is copied) or by id, with their name."""
    return {m.ref or str(m.pk): m.name
            for m in Member.objects.filter(space=space).order_by("name", "pk")}


def snapshot(case: Case | None) -> dict[str, Any]:
    if case is None:
        return {}
    values = {name: getattr(case, name) for name in TRACKED}
    values.update({f"data.{k}": v for k, v in (case.data or {}).items()})
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for each field that changed."""
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = [_jsonable(old), _jsonable(new)]
    return changes


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationFailed(_("The case is closed. Reopen it first."), code="case_closed")


def require_text(value: Any, what: str, *, max_length: int = 10_000) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(_("%(what)s is required.") % {"what": what},
                               details={"fields": {what: [_("This field is required.")]}})
    if len(value) > max_length:
        message = _("At most %(limit)d characters.") % {"limit": max_length}
        raise ValidationFailed(_("%(what)s is too long.") % {"what": what},
                               details={"fields": {what: [message]}})
    return value.strip()


def require_bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(_("Expected yes or no (true or false)."),
                               details={"fields": {what: [_("Expected true or false.")]}})
    return value


def require_option(config: BundleConfig, lookup: str | None, value: Any, what: str) -> str:
    if lookup is None or lookup not in config.lookups:
        raise missing_lookup(what)
    options = config.lookups[lookup].options
    if not isinstance(value, str) or value not in options:
        raise ValidationFailed(
            _("'%(value)s' is not a valid %(what)s.") % {"value": value, "what": what},
            details={"fields": {what: [_("'%(value)s' is not one of the options.") % {"value": value}]}},
        )
    return value


def member_in_space(space: Space, member_id: Any, field: str, *,
                    can: str | None = None) -> Member:
    """A member of the space by id (from the request's `field`), who may take `can`."""
    member = None
    if isinstance(member_id, str) and member_id.strip().isdigit():
        member_id = int(member_id)
    if isinstance(member_id, int) and not isinstance(member_id, bool):
        member = Member.objects.filter(space=space, pk=member_id).first()
    if member is None:
        raise ValidationFailed(_("Choose a person in this space."),
                               details={"fields": {field: [_("Unknown person.")]}})
    if can is not None:
        role = space.config.roles.get(member.role)
        if role is None or not role.can(can):
            raise ValidationFailed(
                _("%(name)s cannot receive this (their role does not allow it).") % {"name": member.name},
                details={"fields": {field: [_("This person cannot receive it.")]}})
    return member


def check_consent(act: Action, case: Case, override_reason: str = "",
                  provider: str = "") -> dict[str, Any]:
    """The consent the policy requires for this action, or a recorded override.

    With `provider` (the kind of provider receiving a referral), a consent the policy
    records per provider counts only if the survivor named that provider.

    Returns the details to store in the event: which consent was missing and
    the reason given for acting without it.
    """
    from sandbox.common.errors import NotAllowed

    policy = act.module.policy
    needed = policy.consent_required.get(act.action, [])
    missing = [c for c in needed if not (policy.provider_consented(c, provider, case.data)
                                         if provider else policy.consent_is_given(c, case.data))]
    if not missing:
        return {}
    reason = (override_reason or "").strip()
    if reason and act.role is not None and act.role.can("consent.override"):
        return {"consent_missing": missing, "consent_override_reason": reason}
    if reason:
        raise NotAllowed(
            _("Your role may not act without consent. Ask a supervisor."),
            code="consent_override_forbidden", details={"consent_missing": missing})
    raise NotAllowed(
        _("This needs the consent of the child or caregiver first: %(types)s. Record consent, "
          "or a supervisor may override with a reason.") % {"types": ", ".join(missing)},
        code="consent_required", details={"consent_missing": missing})
