from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

# Client users' menu; the staff menu items all need staff rules, so these are all they get
# besides "Home" (which sends them to the portal home).
register(MenuItem(_("Our company"), "portal:home", "portal.view"), order=1)
register(MenuItem(_("Your agency team"), "portal:team", "portal.view"), order=2)
register(MenuItem(_("My profile"), "accounts:profile", "portal.view"), order=3)
