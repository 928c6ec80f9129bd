from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(
    MenuItem(_("Meeting and report settings"), "meetings:settings", "meetings.settings.edit"),
    order=885,
)
