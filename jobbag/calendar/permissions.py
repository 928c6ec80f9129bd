"""Who may do what with the working-day calendar. Read as a table:

| action           | who                                                        |
| ---------------- | ---------------------------------------------------------- |
| calendar.view    | any active staff member (client users do not see it)       |
| calendar.manage  | system administrators: add, edit, remove days; mark years  |
"""

from jobbag.accounts.models import User
from jobbag.core.permissions import rule


@rule("calendar.view")
def can_view_calendar(user, obj=None) -> bool:
    return user.kind == User.Kind.STAFF


@rule("calendar.manage")
def can_manage_calendar(user, obj=None) -> bool:
    return user.is_admin
