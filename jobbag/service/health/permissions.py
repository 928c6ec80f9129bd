"""Who sees account health. Read as a table:

| action                          | who                                                   |
| ------------------------------- | ----------------------------------------------------- |
| service.health.view             | management (GM, deputy GM), admins and the DCS: every |
|                                 | client; account people (GAD, AD, AM, AE, Marketing    |
|                                 | Manager): the clients they see in full (their service |
|                                 | team, deputies, their superiors). Nobody else.        |
| service.health.company (co)     | the same, for one client (outside it: 404)            |
| service.health.settings         | admins: the thresholds                                |

Client users never see health (the portal has no such page; the API answers 404).
"""

from jobbag.accounts.models import Role
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.permissions import rule
from jobbag.service.permissions import ACCOUNT_ROLES, is_manager, is_staff


def sees_all(user) -> bool:
    return is_manager(user) or (is_staff(user) and user.role == Role.DCS)


def health_company_ids(user) -> set[int] | None:
    """The clients whose health `user` sees: None means all, an empty set none."""
    if sees_all(user):
        return None
    if not (is_staff(user) and user.role in ACCOUNT_ROLES):
        return set()
    return confidential_company_ids(user)


@rule("service.health.view")
def can_view(user, obj=None) -> bool:
    return sees_all(user) or (is_staff(user) and user.role in ACCOUNT_ROLES)


@rule("service.health.company")
def can_view_company(user, obj=None) -> bool:
    if obj is None:
        return can_view(user)
    ids = health_company_ids(user)
    return ids is None or obj.pk in ids


@rule("service.health.settings")
def can_manage_settings(user, obj=None) -> bool:
    return is_staff(user) and user.is_admin
