from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are started from the workshop pages, never edited by hand."""

    list_display = ("pk", "kind", "target", "status", "done", "total", "tries", "started_by", "created_at")
    list_filter = ("kind", "status")
    exclude = ("params", "result")  # an import's rows and, for a while, its new passwords
    readonly_fields = ("kind", "target", "started_by", "workshop", "exercise", "status", "done",
                       "total", "language", "error", "tries", "created_at", "started_at",
                       "finished_at", "heartbeat_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
