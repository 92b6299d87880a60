"""Partners of real spaces are configured here (scenarios declare their simulated ones);
the outbox and the inbox are shown for support, not edited."""

from django.contrib import admin

from .models import InboxMessage, OutboxMessage, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "space", "agency", "url", "simulated"]
    list_filter = ["space", "simulated"]
    raw_id_fields = ["space", "member", "receiver"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "space", "partner", "kind", "status", "tries", "last_error"]
    list_filter = ["status", "space"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "space", "partner_code", "kind", "accepted", "error", "at_partner"]
    list_filter = ["accepted", "at_partner", "space"]
    readonly_fields = [f.name for f in InboxMessage._meta.fields]
