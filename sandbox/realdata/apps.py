from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealDataConfig(AppConfig):
    name = "sandbox.realdata"
    label = "realdata"
    verbose_name = _("Real-data guard")
