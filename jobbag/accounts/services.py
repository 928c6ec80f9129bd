"""Changes to people and organisation. Every write goes through a function here."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jobbag.accounts.models import ApiToken, Deputy, User
from jobbag.core import audit
from jobbag.core.errors import NotAllowed


def user_set_language(*, actor: User, language: str) -> None:
    """Keeps the interface language the user chose, for every later sign-in."""
    if actor.language != language:
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> None:
    """Deactivates `user`: every session and API token of theirs stops working at once."""
    if not actor.is_admin:
        raise NotAllowed()
    if user.pk == actor.pk:
        raise NotAllowed(code="self")
    before = audit.snapshot(user, ["is_active"])
    User.objects.filter(pk=user.pk).update(
        is_active=False, session_epoch=F("session_epoch") + 1, version=F("version") + 1
    )
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    user.refresh_from_db()
    audit.record_change(actor=actor, obj=user, before=before, note="deactivated")


def deputies_on(day, *, principal: User):
    """The deputies acting for `principal` on `day`."""
    return User.objects.filter(
        deputising_for__principal=principal,
        deputising_for__starts_on__lte=day,
        deputising_for__ends_on__gte=day,
        deputising_for__cancelled_at__isnull=True,
        is_active=True,
    )


def principals_on(day, *, deputy: User):
    """The people `deputy` acts for on `day` (职务代理)."""
    return User.objects.filter(
        deputies__deputy=deputy,
        deputies__starts_on__lte=day,
        deputies__ends_on__gte=day,
        deputies__cancelled_at__isnull=True,
    )


def is_deputy_for(*, deputy: User, principal: User, day=None) -> bool:
    day = day or timezone.localdate()
    return Deputy.objects.filter(
        deputy=deputy,
        principal=principal,
        starts_on__lte=day,
        ends_on__gte=day,
        cancelled_at__isnull=True,
    ).exists()
