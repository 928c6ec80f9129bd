"""Menu items of the action register: staff's "My actions" and the register; the
client's "Our actions" in the portal."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("My actions"), "meetings:my_actions", "meetings.action.list"), order=47)
register(MenuItem(_("Action register"), "meetings:action_list", "meetings.action.list"), order=48)
register(MenuItem(_("Our actions"), "portal:action_list", "portal.view"), order=6)
