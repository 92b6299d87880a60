"""Reading incident records: only those of the cases the viewer can see, and only for a
role with the `incident.view` permission."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from sandbox.cases.permissions import role_of
from sandbox.cases.selectors import visible_cases
from sandbox.spaces.models import Member

from .models import Incident


def incident_list(*, viewer: Member, case_display_id: str = "") -> QuerySet[Incident]:
    """The incidents of the cases the viewer can see, newest first."""
    if not role_of(viewer, viewer.space.config).can("incident.view"):
        return Incident.objects.none()
    rows = Incident.objects.filter(space_id=viewer.space_id, case__in=visible_cases(viewer))
    if case_display_id:
        rows = rows.filter(case__display_id=case_display_id)
    return rows.select_related("case").order_by("-incident_date", "-pk")


def incident_get(*, viewer: Member, display_id: str) -> Incident:
    """One incident the viewer may read, or 404 (never another space's)."""
    incident = incident_list(viewer=viewer).filter(display_id=display_id).first()
    if incident is None:
        raise Http404("No such incident.")
    return incident
