from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Working days"), "calendar:year", "calendar.view"), order=80)
