from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoliveConfig(AppConfig):
    name = "sandbox.golive"
    label = "golive"
    verbose_name = _("Go-live review")
    default_auto_field = "django.db.models.BigAutoField"
