from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "sandbox.workshops"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from sandbox.scoring.services import register_release_check, register_submit_handler

        from .services import solution_released_in, submit_in_space

        register_submit_handler(submit_in_space)
        register_release_check(solution_released_in)
