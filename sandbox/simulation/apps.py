from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationConfig(AppConfig):
    name = "sandbox.simulation"
    verbose_name = _("Simulation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from sandbox.cases import hooks

        from .engine import after_action
        from .models import SpaceSeed, seed_deleted

        hooks.register(after_action)
        # A seeded world goes with the last space copied from it.
        post_delete.connect(seed_deleted, sender=SpaceSeed, dispatch_uid="simulation.seed_deleted")
