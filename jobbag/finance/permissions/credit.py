"""Who watches overdue clients and who lets a held client's new work through. Read as a
table:

| action                        | who                                                      |
| ----------------------------- | -------------------------------------------------------- |
| finance.credit.view           | Finance, Marketing Manager, GM, deputy GM, DCS and       |
|                               | administrators (every client); Group Account Directors   |
|                               | and Account Directors (the clients they serve)           |
| finance.credit.view (company) | as above, for that one client                            |
| finance.credit.override       | the General Manager only                                 |

Rows: `credit_company_ids(user)` names the clients whose credit status a user sees
(None: all); the overview, the client page and the API filter by it, so a client outside
it is a 404. Client users see none of it: credit control is the agency's own business.
"""

from jobbag.accounts.models import Role, User
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.memo import recall
from jobbag.core.permissions import rule

# Those who watch every client's credit.
OVERSEER_ROLES = {Role.GM, Role.DEPUTY_GM, Role.DCS, Role.MARKETING_MANAGER, Role.FINANCE}
# Account people who watch the clients they serve.
DIRECTOR_ROLES = {Role.GAD, Role.AD}


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.STAFF


def sees_every_client(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role in OVERSEER_ROLES)


def credit_company_ids(user) -> set[int] | None:
    """The clients whose credit status `user` sees: None for every client."""
    if not is_staff(user):
        return set()
    if sees_every_client(user):
        return None
    if user.role not in DIRECTOR_ROLES:
        return set()
    return recall(user, "finance.credit.companies", lambda: confidential_company_ids(user))


@rule("finance.credit.view")
def can_view_credit(user, obj=None) -> bool:
    if not (sees_every_client(user) or (is_staff(user) and user.role in DIRECTOR_ROLES)):
        return False
    if obj is None:
        return True
    ids = credit_company_ids(user)
    return ids is None or obj.pk in ids


@rule("finance.credit.override")
def can_override_credit_hold(user, obj=None) -> bool:
    return is_staff(user) and user.role == Role.GM
