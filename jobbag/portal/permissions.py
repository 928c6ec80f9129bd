"""Who may do what with the client portal. Read as a table:

| action                     | who                                                        |
| -------------------------- | ---------------------------------------------------------- |
| portal.view                | client users (the portal is theirs; staff have no portal)  |
| portal.access.view (obj)   | staff who see the contact's company confidentially         |
|                            | (its service team, their superiors, management)            |
| portal.access.manage (obj) | staff who may edit the contact's company                   |
|                            | (clients.company.edit): invite, withdraw, revoke access    |

`obj` is a clients.Contact. Client users reach only the URLs that
portal.middleware.PortalIsolationMiddleware lets through, whatever these rules say.

Rows each user may see:

| model            | staff                                      | client users |
| ---------------- | ------------------------------------------ | ------------ |
| PortalInvitation | of contacts they may see (clients scope)   | none         |
"""

from jobbag.accounts.models import User
from jobbag.clients.models import Contact
from jobbag.core.permissions import can, rule, scope, visible
from jobbag.portal.models import PortalInvitation


def is_client_user(user) -> bool:
    return user.kind == User.Kind.CLIENT


@rule("portal.view")
def can_view_portal(user, obj=None) -> bool:
    return is_client_user(user)


@rule("portal.access.view")
def can_view_access(user, obj=None) -> bool:
    if is_client_user(user):
        return False
    return obj is None or visible(user, Contact.objects.filter(pk=obj.pk)).exists()


@rule("portal.access.manage")
def can_manage_access(user, obj=None) -> bool:
    if is_client_user(user):
        return False
    return can(user, "clients.company.edit", obj.company if obj is not None else None)


@scope(PortalInvitation)
def visible_invitations(user, queryset):
    if is_client_user(user):
        return queryset.none()
    return queryset.filter(contact__in=visible(user, Contact.objects.all()))
