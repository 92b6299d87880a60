from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "sandbox.interop"
    label = "interop"
    verbose_name = _("Exchanges with other systems")

    def ready(self) -> None:
        from sandbox.cases import hooks
        from sandbox.simulation.engine import register_job

        from . import outbox, partner

        hooks.register(outbox.after_action)
        register_job("interop.send", outbox.send_job)
        register_job("interop.partner_done", partner.done_job)
