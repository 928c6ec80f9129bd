"""The client's side of finance (invoices and statements), under /portal/ in the
portal's namespace (so PortalIsolationMiddleware lets client users through)."""

from jobbag.finance.portal import billing

urlpatterns = [
    *billing.urlpatterns,
]
