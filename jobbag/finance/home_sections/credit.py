"""The home card of those who watch credit (Finance, management, the Marketing Manager,
the account directors for their clients): the clients on credit hold and near it."""

from django.http import HttpRequest

from jobbag.core.home import HomeSection, register
from jobbag.core.permissions import can
from jobbag.finance.permissions.credit import credit_company_ids
from jobbag.finance.selectors.credit import watch_list

SHOWN = 5


def credit_watch(request: HttpRequest) -> dict | None:
    user = request.user
    if not can(user, "finance.credit.view"):
        return None
    statuses = watch_list(company_ids=credit_company_ids(user))
    if not statuses:
        return None
    return {
        "statuses": statuses[:SHOWN],
        "held": sum(1 for s in statuses if s.on_hold),
        "near": sum(1 for s in statuses if not s.on_hold),
    }


register(HomeSection("finance/credit/_home.html", credit_watch, order=60))
