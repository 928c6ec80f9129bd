from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Clients"), "clients:list", "clients.list"), order=30)
