"""Family tracing: an inquirer looking for a child, what was done to find the child, and
the cases that may be that child.

A tracing request belongs to a space like a case, and is scoped the same way (its owner,
agency and user groups). A match links a tracing request to a case of the same space; it
is proposed by the matching, then confirmed or rejected by a worker, verified, and ends
in reunification or another care arrangement.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.cases.models import Case
from sandbox.cases.models.access import record_look
from sandbox.spaces.models import Member, Space


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class TracingRequest(models.Model):
    """An inquirer (a parent, an aunt...) looking for a child they were separated from."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    display_id = models.CharField(_("tracing request ID"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.OPEN)
    owner = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("case worker"))
    agency = models.CharField(_("agency"), max_length=100, blank=True)
    user_groups = models.JSONField(_("user groups"), default=list, blank=True)
    inquirer_name = models.CharField(_("inquirer's name"), max_length=200)
    inquirer_relationship = models.CharField(_("relationship to the child"), max_length=100)
    inquirer_contact = models.CharField(_("inquirer's contact"), max_length=200, blank=True)
    name_first = models.CharField(_("first name of the child sought"), max_length=120, blank=True)
    name_last = models.CharField(_("last name of the child sought"), max_length=120, blank=True)
    other_names = models.CharField(_("other names or nicknames"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=200, blank=True)
    age_from = models.PositiveSmallIntegerField(_("age from"), null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(_("age to"), null=True, blank=True)
    description = models.TextField(_("description of the child"), blank=True)
    separation_date = models.DateField(_("date of separation"), null=True, blank=True)
    separation_place = models.CharField(_("place of separation"), max_length=40, blank=True)
    circumstances = models.TextField(_("circumstances of separation"), blank=True)
    #: The values of the bundle's tracing request sections (`record_type: tracing_request`),
    #: validated against them on every write like a case's data; the matching reads only
    #: the columns above.
    data = models.JSONField(_("form data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created (simulated time)"))
    updated_at = models.DateTimeField(_("last change (simulated time)"))

    class Meta:
        verbose_name = _("tracing request")
        verbose_name_plural = _("tracing requests")
        constraints = [models.UniqueConstraint("space", "display_id",
                                               name="tracing_request_unique_display_id")]
        indexes = [models.Index(fields=["space", "status"])]

    def __str__(self) -> str:
        return f"{self.display_id} {self.child_name}".strip()

    @property
    def child_name(self) -> str:
        return " ".join(p for p in (self.name_first, self.name_last) if p)


class TraceType(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    PHOTO = "photo", _("Photo tracing")
    RADIO = "radio", _("Radio or public announcement")
    DATABASE = "database", _("Search of records")
    OTHER = "other", _("Other")


class TraceOutcome(models.TextChoices):
    NO_INFORMATION = "no_information", _("No information")
    LEAD = "lead", _("A lead to follow")
    FOUND = "found", _("Child located")


class Trace(models.Model):
    """One action taken to find the child of a tracing request."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    tracing_request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE,
                                        related_name="traces")
    date = models.DateField(_("date"))
    trace_type = models.CharField(_("type"), max_length=20, choices=TraceType.choices)
    place = models.CharField(_("place"), max_length=40, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=TraceOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("created (simulated time)"))

    class Meta:
        verbose_name = _("trace")
        verbose_name_plural = _("traces")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_trace_type_display()} {self.date}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", _("Care arranged")


class CareOutcome(models.TextChoices):
    REUNIFIED = "reunified", _("Reunified with the family")
    INTERIM_CARE = "interim_care", _("Interim care")
    ALTERNATIVE_CARE = "alternative_care", _("Alternative care")


class TracingMatch(models.Model):
    """A case that may be the child a tracing request looks for, and what became of it."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    tracing_request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE,
                                        related_name="matches")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices,
                              default=MatchStatus.PROPOSED)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    consent_override_reason = models.TextField(_("reason for acting without consent"), blank=True)
    decided_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided (simulated time)"), null=True, blank=True)
    verification_note = models.TextField(_("verification"), blank=True)
    verified_at = models.DateTimeField(_("verified (simulated time)"), null=True, blank=True)
    outcome = models.CharField(_("care arrangement"), max_length=20, choices=CareOutcome.choices,
                               blank=True)
    outcome_date = models.DateField(_("date of the care arrangement"), null=True, blank=True)
    outcome_note = models.TextField(_("plan and follow-up"), blank=True)
    created_at = models.DateTimeField(_("created (simulated time)"))

    class Meta:
        verbose_name = _("tracing match")
        verbose_name_plural = _("tracing matches")
        ordering = ["-score", "pk"]
        constraints = [models.UniqueConstraint("tracing_request", "case",
                                               name="tracing_match_unique_case")]

    def __str__(self) -> str:
        return f"{self.tracing_request_id} / {self.case_id}: {self.score}"


class RequestView(models.Model):
    """Who looked at a tracing request (and the cases proposed for it): one row per view,
    as `cases.CaseView` is for a case."""

    class Via(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    tracing_request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE,
                                        related_name="views")
    viewer = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("viewer"))
    via = models.CharField(_("via"), max_length=10, choices=Via.choices, default=Via.PAGE)
    at = models.DateTimeField(_("when (simulated time)"))
    real_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("view of a tracing request")
        verbose_name_plural = _("views of tracing requests")

    def __str__(self) -> str:
        return f"{self.viewer_id} {self.tracing_request_id} {self.real_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, viewer: Member, request: TracingRequest, via: str = "page") -> bool:
        """One INSERT, nothing read. False when a trainer's reset removed the request after
        the page read it (the database refuses the look); nothing is written then."""
        return record_look(cls, space_id=request.space_id, tracing_request=request, viewer=viewer,
                           via=via, at=viewer.space.clock)
