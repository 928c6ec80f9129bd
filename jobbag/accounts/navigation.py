from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Staff directory"), "accounts:directory", "accounts.directory.view"), order=20)
register(MenuItem(_("My deputies"), "accounts:my_deputies", "accounts.deputy.manage_own"), order=70)
register(MenuItem(_("Organisation"), "accounts:manage", "accounts.organisation.manage"), order=90)
