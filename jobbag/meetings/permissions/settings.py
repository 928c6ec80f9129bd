"""Rules of the meetings settings.

| action                    | who                                                        |
| ------------------------- | ---------------------------------------------------------- |
| meetings.settings.edit    | administrators: agenda lead time, report due and reminder  |
|                           | hours, action escalation, weekly report day and time       |
"""

from jobbag.core.permissions import rule
from jobbag.meetings.permissions.common import is_staff


@rule("meetings.settings.edit")
def can_edit_settings(user, obj=None) -> bool:
    return is_staff(user) and user.is_admin
