"""Menu items of time and costs: my week, my team's weeks, expenses, profitability and
(for Finance) the cost rates."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("My time"), "finance:time_week", "finance.time.log"), order=65)
register(MenuItem(_("Team time"), "finance:time_team", "finance.timesheet.team"), order=66)
register(MenuItem(_("Expenses"), "finance:expenses", "finance.expense.list"), order=67)
register(
    MenuItem(_("Profitability"), "finance:profitability", "finance.profitability.view"), order=68
)
register(MenuItem(_("Cost rates"), "finance:cost_rates", "finance.cost_rate.manage"), order=69)
