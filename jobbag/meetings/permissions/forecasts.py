"""Rules of forecasts: ad spend and agency revenue per client per month (SPEC §6, §7).

| action                          | who                                                      |
| ------------------------------- | -------------------------------------------------------- |
| meetings.forecasts.view_month   | the monthly view and a client's year grid:               |
|                                 | management (GM, deputy GM), admins, the DCS and the      |
|                                 | Marketing Manager — every client; the other account      |
|                                 | roles (GAD, AD, AM, AE) — the clients they work on       |
|                                 | (permissions.common.company_ids)                         |
| meetings.forecasts.view_quarter | the quarterly view: everyone above, and Finance (every   |
|                                 | client)                                                  |
| meetings.forecasts.edit         | entering figures for a client: management and admins;   |
|   (company)                     | the DCS, GAD, AD, AM and Marketing Manager who work on   |
|                                 | the client (permissions.common.works_on)                 |

AEs see their clients' forecasts but do not enter them: the figures are the account
manager's commitment to management (SPEC §6 "the AM enters"), so an AE asks their AM.
Designers and other departments, and client users, see no forecast at all.
"""

from django.db.models import QuerySet

from jobbag.accounts.models import Role
from jobbag.core.permissions import rule, scope
from jobbag.jobs.permissions.jobs import ACCOUNT_ROLES
from jobbag.meetings.models import Forecast
from jobbag.meetings.permissions.common import company_filter, is_manager, is_staff, works_on

# Those who see every client's forecast, month by month.
SEE_ALL_MONTHS = {Role.DCS, Role.MARKETING_MANAGER}
# Account roles who enter forecasts for the clients they work on.
ENTER_ROLES = ACCOUNT_ROLES - {Role.AE}


def sees_every_forecast(user, *, quarterly: bool = False) -> bool:
    if not is_staff(user):
        return False
    if is_manager(user) or user.role in SEE_ALL_MONTHS:
        return True
    return quarterly and user.role == Role.FINANCE


def sees_own_clients_forecasts(user) -> bool:
    return is_staff(user) and user.role in ACCOUNT_ROLES


@rule("meetings.forecasts.view_month")
def can_view_months(user, obj=None) -> bool:
    return sees_every_forecast(user) or sees_own_clients_forecasts(user)


@rule("meetings.forecasts.view_quarter")
def can_view_quarters(user, obj=None) -> bool:
    return sees_every_forecast(user, quarterly=True) or sees_own_clients_forecasts(user)


@rule("meetings.forecasts.edit")
def can_enter_forecast(user, obj=None) -> bool:
    if not is_staff(user):
        return False
    if not (is_manager(user) or user.role in ENTER_ROLES):
        return False
    return obj is None or works_on(user, obj.pk)


@scope(Forecast)
def visible_forecasts(user, queryset: QuerySet) -> QuerySet:
    """Every forecast for those who see every client's; the clients they work on for the
    other account roles; nothing for anyone else."""
    if sees_every_forecast(user, quarterly=True):
        return queryset
    if not sees_own_clients_forecasts(user):
        return queryset.none()
    allowed = company_filter(user)
    return queryset if allowed is None else queryset.filter(allowed)
