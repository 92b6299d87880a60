"""Recording exports: who took which cases out of the system, in what form.

An export changes no record, but it is an act of disclosure that a supervisor or an
auditor must be able to trace, so it goes in the event log like any other action:
one `case.export` event on each exported case, so that each case's history shows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.spaces.models import Member

from ..models import Case, Event
from ._core import Action

FORMATS = ("csv", "xlsx", "pdf")


@transaction.atomic
def case_export(*, actor: Member, cases: Sequence[Case], file_format: str,
                deidentified: bool) -> list[Event]:
    """Record that `actor` exported `cases` (read through the actor's own selectors) as
    one file: one event per case, each naming the format and the size of the file."""
    if file_format not in FORMATS:
        raise ValidationFailed(_("Unknown export format: %(format)s.") % {"format": file_format})
    act = Action(actor, "case.export")
    details = {"format": file_format, "deidentified": deidentified, "cases": len(cases)}
    events = []
    for case in cases:
        if case.space_id != act.space.pk:
            raise NotAllowed(_("No such case in this space."), code="forbidden_by_scope")
        events.append(act.record(case=case, changes={}, details=dict(details)))
    return events
