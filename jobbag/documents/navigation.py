from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Archive"), "documents:archive", "documents.archive.list"), order=600)
register(MenuItem(_("My borrowings"), "documents:borrowings", "documents.archive.list"), order=601)
register(
    MenuItem(_("Archive access log"), "documents:access_log", "documents.access_log.view"),
    order=602,
)
register(MenuItem(_("Signed documents"), "portal:archive", "portal.view"), order=603)
