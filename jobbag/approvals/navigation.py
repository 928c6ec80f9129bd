from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Sign-off inbox"), "approvals:inbox", "approvals.inbox"), order=15)
register(
    MenuItem(_("Sign-off policies"), "approvals:policies", "approvals.policy.manage"), order=880
)
# Client users reach "Documents to sign" (portal:signoff_list) from the portal home;
# portal/tests/test_portal_pages.py pins their menu to four entries.
