"""Menu items of contact reports: staff "Contact reports"; client users' portal list."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

# meetings.report.view without an object holds for staff only.
register(MenuItem(_("Contact reports"), "meetings:report_list", "meetings.report.view"), order=46)
register(MenuItem(_("Contact reports"), "portal:report_list", "portal.view"), order=5)
