from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import SignIn, User
from .services import remove_demo_accounts


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "kind", "organisation", "is_active",
                    "has_demo_password"]
    list_filter = ["kind", "is_active", "has_demo_password"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Sandbox"), {"fields": ("kind", "organisation", "language")}),
    )
    actions = ["delete_demo_accounts"]

    @admin.action(description=_("Delete the demo accounts (their workshops go to you)"),
                  permissions=["delete"])
    def delete_demo_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Whatever is selected: every demo account goes, renamed ones included.
        removed = remove_demo_accounts(heir=request.user)  # type: ignore[arg-type]
        self.message_user(request, ngettext(
            "%(count)d demo account deleted.", "%(count)d demo accounts deleted.",
            len(removed)) % {"count": len(removed)}, messages.SUCCESS)


@admin.register(SignIn)
class SignInAdmin(admin.ModelAdmin):
    """The whole sign-in log, for administrators: read only, as a log should be."""

    list_display = ["at", "username", "user", "succeeded", "via", "ip_address"]
    list_filter = ["succeeded", "via"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
