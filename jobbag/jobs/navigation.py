from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Jobs"), "jobs:list", "jobs.view"), order=30)
