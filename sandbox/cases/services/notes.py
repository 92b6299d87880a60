"""Case notes and flags."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import ValidationFailed
from sandbox.spaces.models import Member

from ..models import Case, Flag, Note
from ._core import Action, require_text


@transaction.atomic
def note_add(*, actor: Member, case: Case, subject: str, text: str) -> Note:
    act = Action(actor, "note.add", case,
                 related=case.referral_set.filter(to_member=actor).exists() or None)
    note = Note.objects.create(space=act.space, case=case, subject=require_text(subject, "subject",
                                                                               max_length=200),
                               text=require_text(text, "text"), created_by=actor, created_at=act.now)
    act.record(record=note, details={"subject": note.subject})
    return note


@transaction.atomic
def case_flag(*, actor: Member, case: Case, reason: str) -> Flag:
    act = Action(actor, "case.flag", case)
    flag = Flag.objects.create(space=act.space, case=case,
                               reason=require_text(reason, "reason", max_length=300),
                               created_by=actor, created_at=act.now)
    case.flagged = True
    case.updated_at = act.now
    case.save(update_fields=["flagged", "updated_at"])
    act.record(record=flag, details={"reason": flag.reason})
    return flag


@transaction.atomic
def case_unflag(*, actor: Member, case: Case) -> Case:
    act = Action(actor, "case.unflag", case)
    active = case.flag_set.filter(removed_at__isnull=True)
    if not active.exists():
        raise ValidationFailed(_("The case has no flag."), code="not_flagged")
    active.update(removed_at=act.now, removed_by=actor)
    case.flagged = False
    case.updated_at = act.now
    case.save(update_fields=["flagged", "updated_at"])
    act.record()
    return case



