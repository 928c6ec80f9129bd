"""The billing sweep: each active retainer's draft invoice for the current month, made
once (the database holds one invoice per retainer and month), so a sweep run twice or
redone after a dead worker makes nothing more."""

from django.db.models import Q
from django.utils import timezone

from jobbag.core.sweeps import daily
from jobbag.finance.models import Retainer
from jobbag.finance.services.billing import month_bounds, retainer_draft


@daily("finance.retainer_drafts")
def retainer_drafts() -> int:
    """Drafts this month's invoice of every active retainer that runs in it; returns how
    many were made."""
    month = timezone.localdate().strftime("%Y-%m")
    first, last = month_bounds(month)
    running = (
        Retainer.objects.filter(is_active=True, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .exclude(invoices__retainer_month=month)
        .select_related("created_by", "series", "tax_profile", "company")
        .order_by("pk")
    )
    made = 0
    for retainer in running:
        if retainer_draft(retainer=retainer, month=month) is not None:
            made += 1
    return made
