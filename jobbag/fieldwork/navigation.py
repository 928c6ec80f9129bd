from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("My day"), "fieldwork:my_day", "fieldwork.use"), order=40)
register(MenuItem(_("My team"), "fieldwork:team", "fieldwork.team.view"), order=41)
