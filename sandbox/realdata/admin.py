from django.contrib import admin

from .models import FlaggedEntry


@admin.register(FlaggedEntry)
class FlaggedEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "space", "actor_name", "action", "case_id_text", "findings"]
    list_filter = ["space"]
    readonly_fields = ["space", "user", "actor_name", "action", "case_id_text", "event_sequence",
                       "findings", "confirmed_invented", "created_at"]
