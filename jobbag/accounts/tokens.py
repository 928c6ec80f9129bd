"""Personal API tokens: created and revoked by their owner; only a digest is stored."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import ApiToken, User
from jobbag.core import audit
from jobbag.core.errors import DomainError, NotFound

TOKEN_PREFIX = "jb_"
NAME_REQUIRED = _("Give the token a name.")


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Creates a token for `actor`; returns it with the secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(NAME_REQUIRED, fields={"name": [str(NAME_REQUIRED)]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=secret[:10], digest=ApiToken.digest_of(secret)
    )
    audit.record_create(actor=actor, obj=token)
    return token, secret


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        before = audit.snapshot(token, ["revoked_at"])
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record_change(actor=actor, obj=token, before=before, note="revoked")
    return token


def token_authenticate(secret: str) -> User | None:
    """The active user owning this unrevoked token, or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch last use at most once a minute so reads do not turn into writes every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
