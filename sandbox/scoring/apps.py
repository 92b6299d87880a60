from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "sandbox.scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from sandbox.cases import hooks

        from .progress import after_action

        hooks.register(after_action)
