"""Calendar feeds: each staff member's meetings and deadlines at a secret link.

The link's token is made with `secrets.token_urlsafe` and shown once; only its SHA-256
digest is stored, so neither the database nor its backups can give the link away.
Making a new link replaces the old one, which stops working at once; revoking removes it.
"""

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.core import audit
from jobbag.core.errors import Conflict, NotFound
from jobbag.core.permissions import require
from jobbag.meetings.models import CalendarFeed

NO_FEED = _("You have no calendar link to revoke.")
MADE = "calendar link made"
REPLACED = "new calendar link made; the old one no longer works"
REVOKED = "calendar link revoked"


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, actor: User) -> tuple[CalendarFeed, str]:
    """Makes `actor` a new secret feed link and returns it with its token (never shown
    again); an existing link is replaced and stops working."""
    require(actor, "meetings.feeds.own")
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.select_for_update(of=("self",)).filter(user=actor).first()
    if feed is None:
        try:
            with transaction.atomic():
                feed = CalendarFeed.objects.create(user=actor, token_digest=digest_of(token))
        except IntegrityError:
            # The same person made a link in another tab at the same moment.
            raise Conflict() from None
        audit.record(actor=actor, obj=feed, action="create", note=MADE)
        return feed, token
    feed.token_digest = digest_of(token)
    feed.created_at = timezone.now()
    feed.last_fetched_at = None
    feed.save(update_fields=["token_digest", "created_at", "last_fetched_at"])
    audit.record(actor=actor, obj=feed, action="change", note=REPLACED)
    return feed, token


@transaction.atomic
def feed_revoke(*, actor: User) -> None:
    """Revokes `actor`'s feed link: it answers 404 from now on."""
    require(actor, "meetings.feeds.own")
    feed = CalendarFeed.objects.select_for_update(of=("self",)).filter(user=actor).first()
    if feed is None:
        raise NotFound(NO_FEED)
    audit.record(actor=actor, obj=feed, action="delete", note=REVOKED)
    feed.delete()


def feed_open(*, token: str) -> User | None:
    """The active staff member whose feed link this is, noting that it was read; None
    for an unknown or revoked link."""
    if not token or len(token) > 200:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "user__position")
        .filter(token_digest=digest_of(token))
        .first()
    )
    if feed is None or not feed.user.is_active or feed.user.kind != User.Kind.STAFF:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    return feed.user
