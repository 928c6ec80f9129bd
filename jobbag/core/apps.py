from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jobbag.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app registers its permission rules, menu entries, home sections, periodic
        # sweeps and client-page panels in these modules; importing them wires them in once.
        autodiscover_modules(
            "permissions", "navigation", "home_sections", "sweeps", "panels", "signoffs"
        )
        # The rule of the failed-tasks page (core's permissions.py is the registry itself).
        import jobbag.core.task_rules  # noqa: F401
