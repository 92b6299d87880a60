from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationConfig(AppConfig):
    name = "sandbox.simulation"
    verbose_name = _("Simulation")

    def ready(self) -> None:
        from sandbox.cases import hooks

        from .engine import after_action

        hooks.register(after_action)
