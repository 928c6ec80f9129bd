from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Complaints"), "service:complaint_list", "service.menu"), order=60)
register(MenuItem(_("Return visits"), "service:visits", "service.visits.view"), order=61)
register(MenuItem(_("Complaints"), "portal:complaint_list", "service.complaint.portal"), order=62)
register(
    MenuItem(_("Client service settings"), "service:settings", "service.settings.manage"), order=890
)
from jobbag.service.health import navigation as _health  # noqa: E402, F401
from jobbag.service.surveys import navigation as _surveys  # noqa: E402, F401
