"""Changes to people and organisation. Every write goes through a function here.

Each service takes the acting user first, checks permission through core.permissions,
validates (raising DomainError with translatable messages per field), writes inside a
transaction and records an audit entry. Edits name the version they were made against,
so a stale edit is refused (core.versioning).
"""

from jobbag.accounts.services.authority import authority_limit_remove, authority_limit_set
from jobbag.accounts.services.deputies import (
    deputies_on,
    deputy_cancel,
    deputy_create,
    is_deputy_for,
    principals_on,
)
from jobbag.accounts.services.organisation import (
    client_group_create,
    client_group_update,
    department_create,
    department_update,
    position_create,
    position_update,
    service_team_add,
    service_team_end,
)
from jobbag.accounts.services.people import (
    user_create,
    user_deactivate,
    user_reactivate,
    user_set_language,
    user_update,
    user_update_profile,
)

__all__ = [
    "authority_limit_remove",
    "authority_limit_set",
    "client_group_create",
    "client_group_update",
    "department_create",
    "department_update",
    "deputies_on",
    "deputy_cancel",
    "deputy_create",
    "is_deputy_for",
    "position_create",
    "position_update",
    "principals_on",
    "service_team_add",
    "service_team_end",
    "user_create",
    "user_deactivate",
    "user_reactivate",
    "user_set_language",
    "user_update",
    "user_update_profile",
]
