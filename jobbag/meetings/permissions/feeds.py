"""Rules of calendar feeds.

| action              | who                                                            |
| ------------------- | -------------------------------------------------------------- |
| meetings.feeds.own  | every active staff member, for themselves only: make a (new)   |
|                     | secret link, revoke it, see whether it exists and when it was  |
|                     | last read                                                      |

Nobody sees or revokes another person's feed (not even an administrator: deactivating
the user ends it, since the feed answers only for active staff). Client users have no
feed. The feed itself (`meetings:feed`) needs no session: its secret link is the
credential, and only the link's SHA-256 digest is stored.
"""

from django.db.models import QuerySet

from jobbag.core.permissions import rule, scope
from jobbag.meetings.models import CalendarFeed
from jobbag.meetings.permissions.common import is_staff


@rule("meetings.feeds.own")
def can_have_feed(user, obj=None) -> bool:
    return is_staff(user) and (obj is None or obj.user_id == user.pk)


@scope(CalendarFeed)
def own_feed(user, queryset: QuerySet) -> QuerySet:
    return queryset.filter(user=user) if is_staff(user) else queryset.none()
