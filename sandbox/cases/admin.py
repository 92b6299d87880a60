"""The case records in Django admin, read-only: every change goes through a service,
so that it is checked and written to the event log. Events above all are never
added, changed or deleted here (see `models/event.py`)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sandbox.configuration.admin import ReadOnlyAdmin, ReadOnlyInline

from . import models as m
from .models.records import CaseRecord


class TaskInline(ReadOnlyInline):
    model = m.Task
    fields = ["kind", "started_at", "due_at", "completed_at"]


@admin.register(m.Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["display_id", "space", "stage", "status", "risk_level", "owner", "updated_at"]
    list_filter = ["status", "stage", "risk_level", "space"]
    list_select_related = ["space", "owner"]
    search_fields = ["display_id"]
    ordering = ["space", "display_id"]
    inlines = [TaskInline]


@admin.register(m.Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["space", "sequence", "action", "actor_name", "role", "case", "sim_time"]
    list_filter = ["action", "space"]
    list_select_related = ["space", "case"]
    search_fields = ["actor_name"]
    ordering = ["space", "sequence"]


class CaseRecordAdmin(ReadOnlyAdmin):
    """The records attached to a case share their first columns."""

    list_select_related = ["space", "case"]
    ordering = ["space", "-created_at"]

    @admin.display(description=_("case ID"), ordering="case__display_id")
    def case_id_display(self, obj: CaseRecord) -> str:
        return obj.case.display_id


@admin.register(m.Approval)
class ApprovalAdmin(CaseRecordAdmin):
    list_display = ["case_id_display", "space", "kind", "status", "created_at", "decided_at"]
    list_filter = ["kind", "status", "space"]


@admin.register(m.Service)
class ServiceAdmin(CaseRecordAdmin):
    list_display = ["case_id_display", "space", "service_type", "provider_agency", "status",
                    "due_at"]
    list_filter = ["status", "space"]


@admin.register(m.Referral)
class ReferralAdmin(CaseRecordAdmin):
    list_display = ["case_id_display", "space", "service_type", "to_agency", "to_member", "status",
                    "created_at"]
    list_filter = ["status", "space"]
    list_select_related = ["space", "case", "to_member"]


@admin.register(m.Transfer)
class TransferAdmin(CaseRecordAdmin):
    list_display = ["case_id_display", "space", "to_member", "status", "created_at"]
    list_filter = ["status", "space"]
    list_select_related = ["space", "case", "to_member"]


@admin.register(m.FollowUp)
class FollowUpAdmin(CaseRecordAdmin):
    list_display = ["case_id_display", "space", "date", "followup_type", "risk_before", "risk_after"]
    list_filter = ["followup_type", "space"]


@admin.register(m.Note)
class NoteAdmin(CaseRecordAdmin):
    list_display = ["case_id_display", "space", "subject", "created_at"]
    list_filter = ["space"]


@admin.register(m.Flag)
class FlagAdmin(CaseRecordAdmin):
    list_display = ["case_id_display", "space", "reason", "created_at", "removed_at"]
    list_filter = ["space"]


@admin.register(m.Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["case", "space", "kind", "started_at", "due_at", "completed_at"]
    list_filter = ["kind", "space"]
    list_select_related = ["space", "case"]
    ordering = ["space", "due_at"]
