"""Who looked at a child's file: one row per view of a case's identifying data.

Case workers and supervisors are accountable for who reads a child's record (the data
protection protocol of a rollout asks for it). A row is written for every page or API
answer that shows a case's data — the case page, a form section, the history, a document,
the API's case detail — with the member, the case, what was looked at and when (real and
simulated time). It belongs to the space and is reset with it.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from sandbox.spaces.models import Member, Space

from .case import Case


class CaseView(models.Model):
    class Via(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("viewer"))
    #: What was looked at: "" the case page, a form section's code, "history", "document".
    part = models.CharField(_("what was looked at"), max_length=100, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices, default=Via.PAGE)
    at = models.DateTimeField(_("when (simulated time)"))
    real_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("view of a case")
        verbose_name_plural = _("views of cases")
        indexes = [models.Index(fields=["space", "case", "real_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} {self.case_id} {self.part} {self.real_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, viewer: Member, case: Case, part: str = "", via: str = "page") -> bool:
        """One INSERT, nothing read: cheap enough for every page. False when the case is no
        longer there: a trainer's reset removed it after the page read it (the database
        refuses a look at a case that does not exist); nothing is written then."""
        return record_look(cls, space_id=case.space_id, case=case, viewer=viewer, part=part[:100],
                           via=via, at=viewer.space.clock)


def record_look(model: type[models.Model], **fields: Any) -> bool:
    """Write one row of an access log in its own transaction; False, with nothing written,
    when the database refuses it because the record looked at is gone (a trainer's reset
    removed it after the page read it: its foreign key is checked at the commit)."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)  # type: ignore[attr-defined]
    except IntegrityError:
        return False
    return True
