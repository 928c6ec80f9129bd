"""Menu items of weekly status reports: staff who draft them, and client users."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(
    MenuItem(_("Weekly reports"), "meetings:status_report_list", "meetings.status_report.draft"),
    order=49,
)
register(MenuItem(_("Weekly reports"), "portal:status_report_list", "portal.view"), order=7)
