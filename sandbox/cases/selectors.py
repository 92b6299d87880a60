"""Reading the case system: every query is scoped to one space and one viewer.

Views and API views read only through these functions; none of them can return
a row of another space.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from sandbox.accounts.models import SignIn
from sandbox.spaces.models import Member

from .models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    Document,
    Event,
    Referral,
    ReferralStatus,
    Task,
    Transfer,
    TransferRequest,
    TransferRequestStatus,
    TransferStatus,
)
from .permissions import case_section_access, role_of


def visible_cases(viewer: Member) -> QuerySet[Case]:
    """The cases of the viewer's space that their role's scope lets them see,
    plus the cases referred or being transferred to them."""
    space = viewer.space
    role = role_of(viewer, space.config)
    cases = Case.objects.filter(space_id=viewer.space_id)
    related = Q(Exists(Referral.objects.filter(case=OuterRef("pk"), to_member=viewer).exclude(
        status=ReferralStatus.REVOKED))) | Q(
        Exists(Transfer.objects.filter(case=OuterRef("pk"), to_member=viewer,
                                       status=TransferStatus.PENDING)))
    if role.scope == "all":
        return cases
    if role.scope == "agency":
        scope = Q(agency=viewer.agency) if viewer.agency else Q(pk__in=[])
    elif role.scope == "group":
        scope = Q(pk__in=[])
        for group in viewer.user_groups:
            scope |= Q(user_groups__contains=group) if _json_contains_supported() else Q(
                user_groups__icontains=f'"{group}"')
    else:
        scope = Q(pk__in=[])
    return cases.filter(Q(owner=viewer) | scope | related)


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@dataclass
class CaseFilters:
    query: str = ""
    stage: str = ""
    risk_level: str = ""
    location: str = ""
    status: str = ""
    overdue: bool = False
    flagged: bool = False
    mine: bool = False

    @classmethod
    def from_params(cls, params: Any) -> CaseFilters:
        def flag(name: str) -> bool:
            return str(params.get(name, "")).lower() in {"1", "true", "on", "yes"}

        return cls(query=params.get("q", "").strip(), stage=params.get("stage", ""),
                   risk_level=params.get("risk_level", ""), location=params.get("location", ""),
                   status=params.get("status", ""), overdue=flag("overdue"),
                   flagged=flag("flagged"), mine=flag("mine"))


def case_list(*, viewer: Member, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The viewer's cases with filters, in a constant number of queries."""
    filters = filters or CaseFilters()
    space = viewer.space
    cases = visible_cases(viewer)
    for term in filters.query.split():
        cases = cases.filter(Q(name_first__icontains=term) | Q(name_last__icontains=term)
                             | Q(display_id__iexact=term))
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.risk_level:
        cases = cases.filter(risk_level=filters.risk_level)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.flagged:
        cases = cases.filter(flagged=True)
    if filters.mine:
        cases = cases.filter(owner=viewer)
    if filters.location:
        place = space.config.locations.get(filters.location)
        if place is None:
            return Case.objects.none()
        inside = [code for code, loc in space.config.locations.items()
                  if loc.path == place.path or loc.path.startswith(place.path + "/")]
        cases = cases.filter(location__in=inside)
    overdue = Task.objects.filter(case=OuterRef("pk"), completed_at__isnull=True,
                                  due_at__lt=space.clock)
    cases = cases.annotate(is_overdue=Exists(overdue))
    if filters.overdue:
        cases = cases.filter(is_overdue=True)
    return cases.select_related("owner").order_by("-updated_at", "-pk")


def case_get(*, viewer: Member, display_id: str) -> Case:
    """One case the viewer may see, or 404 (never another space's case)."""
    case = visible_cases(viewer).select_related("owner", "space").filter(display_id=display_id).first()
    if case is None:
        raise Http404("No such case.")
    return case


def case_events(*, viewer: Member, case: Case) -> QuerySet[Event]:
    if case.space_id != viewer.space_id:
        raise Http404("No such case.")
    return Event.objects.filter(space_id=viewer.space_id, case=case).order_by("sequence")


def tasks_for(*, viewer: Member, case: Case | None = None) -> QuerySet[Task]:
    """Open tasks of the viewer's own cases (or of one case), most urgent first."""
    tasks = Task.objects.filter(space_id=viewer.space_id, completed_at__isnull=True)
    if case is not None:
        tasks = tasks.filter(case=case)
    else:
        tasks = tasks.filter(case__in=visible_cases(viewer).filter(owner=viewer))
    return tasks.select_related("case").order_by("due_at")


def task_state(task: Task, now: dt.datetime, upcoming_days: int) -> str:
    return task.state(now, upcoming_days)


def approvals_waiting(*, viewer: Member) -> QuerySet[Approval]:
    """Pending approvals on cases the viewer may decide: of the kinds their role may
    decide (all kinds, or some: `approval.decide:case_plan`)."""
    role = role_of(viewer, viewer.space.config)
    if not role.can("approval.decide"):
        return Approval.objects.none()
    kinds = [k for k in ApprovalKind.values if role.can_decide(k)]
    return (Approval.objects.filter(space_id=viewer.space_id, status=ApprovalStatus.PENDING,
                                    kind__in=kinds, case__in=visible_cases(viewer))
            .select_related("case", "created_by").order_by("created_at"))


def documents_of(*, viewer: Member, case: Case) -> dict[str, list[Document]]:
    """The case's documents the viewer may see, per upload field: those of fields on a
    form section their role may read (`case` comes from `case_get`: in their scope)."""
    config = viewer.space.config
    module = config.modules[viewer.space.module]
    role = role_of(viewer, config)
    fields = [code for code, f in module.fields.items() if f.type == "upload" and not f.hidden
              and any(case_section_access(role, s, case, module) for s in module.sections_of(code))]
    found: dict[str, list[Document]] = {}
    for document in (Document.objects.filter(space_id=viewer.space_id, case=case, field__in=fields)
                     .defer("content").order_by("created_at", "pk")):
        found.setdefault(document.field, []).append(document)
    return found


def document_get(*, viewer: Member, case: Case, key: str) -> Document:
    """One document of a case, with its content, if the viewer may see it; else 404."""
    allowed = [d.pk for docs in documents_of(viewer=viewer, case=case).values() for d in docs
               if d.key == key]
    document = Document.objects.filter(space_id=viewer.space_id, case=case, pk__in=allowed).first()
    if document is None:
        raise Http404("No such document.")
    return document


def approval_get(*, viewer: Member, pk: int) -> Approval:
    approval = (Approval.objects.filter(space_id=viewer.space_id, pk=pk,
                                        case__in=visible_cases(viewer))
                .select_related("case").first())
    if approval is None:
        raise Http404("No such approval.")
    return approval


def referrals_received(*, viewer: Member) -> QuerySet[Referral]:
    """Referrals sent to the viewer, or to their agency when their role receives referrals."""
    role = role_of(viewer, viewer.space.config)
    mine = Q(to_member=viewer)
    if role.referral_recipient and viewer.agency:
        mine |= Q(to_member__isnull=True, to_agency=viewer.agency)
    return (Referral.objects.filter(Q(space_id=viewer.space_id) & mine)
            .exclude(status=ReferralStatus.REVOKED)
            .select_related("case", "created_by").order_by("status", "-created_at"))


def referral_get(*, viewer: Member, pk: int) -> Referral:
    referral = referrals_received(viewer=viewer).filter(pk=pk).first() or Referral.objects.filter(
        space_id=viewer.space_id, pk=pk, case__in=visible_cases(viewer)).select_related("case").first()
    if referral is None:
        raise Http404("No such referral.")
    return referral


def transfers_received(*, viewer: Member) -> QuerySet[Transfer]:
    return (Transfer.objects.filter(space_id=viewer.space_id, to_member=viewer,
                                    status=TransferStatus.PENDING)
            .select_related("case", "created_by"))


def transfer_sent_get(*, viewer: Member, pk: int) -> Transfer:
    """A transfer of a case the viewer sees (the service decides who may revoke it)."""
    transfer = (Transfer.objects.filter(space_id=viewer.space_id, pk=pk,
                                        case__in=visible_cases(viewer))
                .select_related("case", "to_member").first())
    if transfer is None:
        raise Http404("No such transfer.")
    return transfer


def case_to_request(*, viewer: Member, display_id: str) -> Case:
    """Any case of the viewer's space, by its case ID: the one a transfer request names.

    Only the case ID is needed to ask; nothing of the child is shown to the requester.
    """
    case = Case.objects.filter(space_id=viewer.space_id, display_id=display_id).first()
    if case is None:
        raise Http404("No such case.")
    return case


def transfer_requests_to_answer(*, viewer: Member) -> QuerySet[TransferRequest]:
    """Pending requests for the cases the viewer may hand over (their own, or their group's)."""
    role = role_of(viewer, viewer.space.config)
    if not (role.can("transfer_request.accept") or role.can("transfer_request.decline")):
        return TransferRequest.objects.none()
    mine = Case.objects.filter(space_id=viewer.space_id, owner=viewer) if role.scope == "own" \
        else visible_cases(viewer)
    return (TransferRequest.objects.filter(space_id=viewer.space_id, case__in=mine,
                                           status=TransferRequestStatus.PENDING)
            .exclude(created_by=viewer).select_related("case", "created_by").order_by("created_at", "pk"))


def transfer_requests_sent(*, viewer: Member) -> QuerySet[TransferRequest]:
    """The viewer's own requests, newest first (their case IDs and answers only)."""
    return (TransferRequest.objects.filter(space_id=viewer.space_id, created_by=viewer)
            .select_related("case", "answered_by").order_by("-created_at", "-pk"))


def transfer_request_get(*, viewer: Member, pk: int) -> TransferRequest:
    """A request the viewer may answer."""
    request = transfer_requests_to_answer(viewer=viewer).filter(pk=pk).first()
    if request is None:
        raise Http404("No such transfer request.")
    return request


def sign_ins_overseen(*, viewer: Member) -> QuerySet[SignIn]:
    """The sign-ins (and failed attempts) of the people of the viewer's space whose cases
    the viewer's role oversees: their group's members for a group scope, their agency's
    for an agency scope, everyone's for "all"; nothing for an own scope."""
    role = role_of(viewer, viewer.space.config)
    members = Member.objects.filter(space_id=viewer.space_id, user__isnull=False)
    if role.scope == "agency":
        members = members.filter(agency=viewer.agency) if viewer.agency else members.none()
    elif role.scope == "group":
        groups = set(viewer.user_groups)
        # A space has tens of members: comparing their group lists here is cheaper than a
        # JSON query that SQLite and PostgreSQL write differently.
        ids = [pk for pk, theirs in members.values_list("pk", "user_groups") if groups & set(theirs)]
        members = members.filter(pk__in=ids)
    elif role.scope != "all":
        return SignIn.objects.none()
    usernames = members.values_list("user__username", flat=True)
    return SignIn.objects.filter(username__in=usernames).order_by("-at", "-pk")


def record_get(*, viewer: Member, case: Case, model: type[Any], pk: int) -> Any:
    """A record (service, transfer, approval...) of a case the viewer can see."""
    obj = model.objects.filter(space_id=viewer.space_id, case=case, pk=pk).first()
    if obj is None:
        raise Http404("No such record.")
    return obj


__all__ = ["ReferralStatus"]
