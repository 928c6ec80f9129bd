"""Menu items of incentives: everyone's own commissions and targets; the full tables
for Finance and management."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(
    MenuItem(_("My commissions"), "finance:my_commissions", "finance.commission.mine"), order=75
)
register(MenuItem(_("My targets"), "finance:my_targets", "finance.target.mine"), order=76)
register(MenuItem(_("Commissions"), "finance:commissions", "finance.commission.view_all"), order=77)
register(MenuItem(_("Targets and bonuses"), "finance:targets", "finance.target.view_all"), order=78)
