"""Menu entries of account health."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

# The client-page panel registers itself on import (clients.panels).
from jobbag.service.health import panels as _panels  # noqa: F401

register(MenuItem(_("Account health"), "service:health", "service.health.view"), order=63)
register(
    MenuItem(_("Account health thresholds"), "service:health_settings", "service.health.settings"),
    order=891,
)
