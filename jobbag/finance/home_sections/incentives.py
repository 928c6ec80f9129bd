"""The home card of a staff member with commissions payable or pending: how much."""

from django.db.models import Count, Sum
from django.http import HttpRequest

from jobbag.core.home import HomeSection, register
from jobbag.finance.models import Commission
from jobbag.finance.permissions.incentives import is_staff


def my_commissions(request: HttpRequest) -> dict | None:
    user = request.user
    if not is_staff(user):
        return None
    totals = {
        row["status"]: row
        for row in Commission.objects.filter(
            user=user, status__in=[Commission.Status.PENDING, Commission.Status.PAYABLE]
        )
        .order_by()
        .values("status")
        .annotate(total=Sum("amount"), n=Count("pk"))
    }
    if not totals:
        return None
    return {
        "payable": totals.get(Commission.Status.PAYABLE, {}).get("total") or 0,
        "pending": totals.get(Commission.Status.PENDING, {}).get("total") or 0,
    }


register(HomeSection("finance/incentives/_home.html", my_commissions, order=61))
