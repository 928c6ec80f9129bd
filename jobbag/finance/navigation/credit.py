"""Menu item of credit control: Finance, management and the account directors."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Credit control"), "finance:credit", "finance.credit.view"), order=74)
