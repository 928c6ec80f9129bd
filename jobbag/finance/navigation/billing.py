"""Menu items of billing: invoices, payments, ageing and statements for staff who see
clients' money; series, settings and the period close for Finance; the client's
invoices in the portal."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(MenuItem(_("Invoices"), "finance:invoice_list", "finance.invoice.list"), order=72)
register(MenuItem(_("Payments"), "finance:payment_list", "finance.invoice.list"), order=73)
register(MenuItem(_("Receivables ageing"), "finance:ageing", "finance.receivables.view"), order=74)
register(MenuItem(_("Client statement"), "finance:statement", "finance.receivables.view"), order=75)
register(MenuItem(_("Retainers"), "finance:retainer_list", "finance.invoice.create"), order=76)
register(MenuItem(_("Period close"), "finance:periods", "finance.period.close"), order=76)
register(MenuItem(_("Invoice series"), "finance:series_list", "finance.series.manage"), order=77)
register(
    MenuItem(_("Finance settings"), "finance:billing_settings", "finance.settings.edit"), order=78
)
register(MenuItem(_("Our invoices"), "portal:invoice_list", "finance.portal.invoices"), order=8)
