from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GbvConfig(AppConfig):
    name = "sandbox.gbv"
    label = "gbv"
    verbose_name = _("Gender-based violence (GBV)")
