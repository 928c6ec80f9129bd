"""Who may see and retry failed background tasks:

| action                 | who                    |
| ---------------------- | ---------------------- |
| core.tasks.view_failed | system administrators  |
"""

from jobbag.core.permissions import rule


@rule("core.tasks.view_failed")
def can_view_failed_tasks(user, obj=None) -> bool:
    return user.is_admin
