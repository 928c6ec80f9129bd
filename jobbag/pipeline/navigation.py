from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("New business"), "pipeline:board", "pipeline.view"), order=35)
