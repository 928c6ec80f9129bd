"""Who reads and manages the money reference data. Read as a table:

| action                  | who                                                         |
| ----------------------- | ----------------------------------------------------------- |
| finance.reference.view  | staff (account people quote from the rate card)             |
| finance.reference.manage| administrators and Finance staff                            |

Client users see neither: the rate card and tax profiles are the agency's own.
"""

from jobbag.accounts.models import Role, User
from jobbag.core.permissions import rule


def _staff(user) -> bool:
    return user.kind == User.Kind.STAFF and user.is_active


@rule("finance.reference.view")
def can_view_reference(user, obj=None) -> bool:
    return _staff(user)


@rule("finance.reference.manage")
def can_manage_reference(user, obj=None) -> bool:
    return _staff(user) and (user.is_admin or user.role == Role.FINANCE)
