"""Menu items of meetings: the staff list, and the portal's meetings for client users."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Meetings"), "meetings:meeting_list", "meetings.meeting.view"), order=45)
register(MenuItem(_("Meetings"), "portal:meeting_list", "portal.view"), order=4)
