"""Finance's home card: how many drafts wait to be issued and how many issued invoices
are overdue."""

from django.http import HttpRequest
from django.utils import timezone

from jobbag.core.home import HomeSection, register
from jobbag.finance.models import Invoice
from jobbag.finance.permissions.billing import is_finance


def receivables(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not is_finance(user):
        return None
    today = timezone.localdate()
    drafts = Invoice.objects.filter(status=Invoice.Status.DRAFT).count()
    overdue = (
        Invoice.objects.filter(
            status=Invoice.Status.ISSUED, settled_on__isnull=True, due_date__lt=today
        )
        .exclude(kind=Invoice.Kind.CREDIT_NOTE)
        .count()
    )
    return {"drafts": drafts, "overdue": overdue}


register(HomeSection("finance/billing/_home.html", receivables, order=40))
