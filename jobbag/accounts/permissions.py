"""Who may do what with people and organisation. Read as a table:

| action                           | who                                                    |
| -------------------------------- | ------------------------------------------------------ |
| accounts.directory.view          | any active staff member (not client users)             |
| accounts.organisation.manage     | system administrators                                  |
| accounts.user.view (obj)         | staff: any staff user; client users: themselves        |
| accounts.deputy.manage_own       | any staff member                                       |
| accounts.deputy.manage (obj)     | the absent person (obj, a staff member) or an admin    |
| accounts.token.manage            | any user, for their own tokens                         |

Rows each user may see:

| model                             | staff                              | client users |
| --------------------------------- | ---------------------------------- | ------------ |
| User                              | staff (admins: everyone)           | themselves   |
| Deputy                            | theirs, either side (admins: all)  | none         |
"""

from django.db.models import Q

from jobbag.accounts.models import Deputy, User
from jobbag.core.permissions import rule, scope


def is_staff_member(user) -> bool:
    return user.kind == User.Kind.STAFF


@rule("accounts.directory.view")
def can_view_directory(user, obj=None) -> bool:
    return is_staff_member(user)


@rule("accounts.organisation.manage")
def can_manage_organisation(user, obj=None) -> bool:
    return user.is_admin


@rule("accounts.user.view")
def can_view_user(user, obj=None) -> bool:
    if is_staff_member(user):
        return obj is None or obj.kind == User.Kind.STAFF or user.is_admin
    return obj is not None and obj.pk == user.pk


@rule("accounts.deputy.manage_own")
def can_manage_own_deputies(user, obj=None) -> bool:
    return is_staff_member(user)


@rule("accounts.deputy.manage")
def can_manage_deputies_of(user, obj=None) -> bool:
    """`obj` is the absent person (the principal) whose deputy is named or cancelled."""
    if user.is_admin:
        return obj is None or is_staff_member(obj)
    return is_staff_member(user) and obj is not None and obj.pk == user.pk


@rule("accounts.token.manage")
def can_manage_tokens(user, obj=None) -> bool:
    return obj is None or obj.user_id == user.pk


@scope(User)
def visible_users(user, queryset):
    """Staff see staff (admins see everyone); a client user sees only themselves."""
    if user.is_admin:
        return queryset
    if is_staff_member(user):
        return queryset.filter(kind=User.Kind.STAFF)
    return queryset.filter(Q(pk=user.pk))


@scope(Deputy)
def visible_deputies(user, queryset):
    if user.is_admin:
        return queryset
    if is_staff_member(user):
        return queryset.filter(Q(principal=user) | Q(deputy=user))
    return queryset.none()
