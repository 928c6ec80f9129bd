"""Deputies (职务代理人): who acts for an absent colleague, and when."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from jobbag.accounts.models import (
    Deputy,
    User,
)
from jobbag.accounts.services.common import (
    DATES_ORDER,
    DEPUTY_CLOSED,
    DEPUTY_OVERLAP,
    DEPUTY_SELF,
    NOT_ACTIVE_STAFF,
    REQUIRED,
    is_active_staff,
    raise_if,
)
from jobbag.core import audit
from jobbag.core.errors import Conflict
from jobbag.core.permissions import require


@transaction.atomic
def deputy_create(
    *,
    actor: User,
    principal: User,
    deputy: User | None,
    starts_on: date | None,
    ends_on: date | None,
    reason: str = "",
) -> Deputy:
    """Names `deputy` to act for `principal` from `starts_on` to `ends_on` inclusive.

    Staff name their own deputies; admins may name one for anyone.
    """
    require(actor, "accounts.deputy.manage", principal)
    # Locking the principal serialises two requests naming deputies for the same person,
    # so that the overlap check below cannot be raced.
    principal = User.objects.select_for_update().get(pk=principal.pk)
    errors: dict = {}
    if deputy is None:
        errors["deputy"] = REQUIRED
    elif deputy.pk == principal.pk:
        errors["deputy"] = DEPUTY_SELF
    elif not is_active_staff(deputy):
        errors["deputy"] = NOT_ACTIVE_STAFF
    if starts_on is None:
        errors["starts_on"] = REQUIRED
    if ends_on is None:
        errors["ends_on"] = REQUIRED
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = DATES_ORDER
        else:
            clash = (
                Deputy.objects.filter(
                    principal=principal,
                    cancelled_at__isnull=True,
                    starts_on__lte=ends_on,
                    ends_on__gte=starts_on,
                )
                .order_by("starts_on")
                .first()
            )
            if clash is not None:
                errors["starts_on"] = DEPUTY_OVERLAP % {
                    "start": clash.starts_on.isoformat(),
                    "end": clash.ends_on.isoformat(),
                }
    raise_if(errors)
    record = Deputy.objects.create(
        principal=principal,
        deputy=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        created_by=actor,
    )
    audit.record_create(actor=actor, obj=record)
    return record


@transaction.atomic
def deputy_cancel(*, actor: User, record: Deputy) -> Deputy:
    """Calls off a deputy arrangement that has not yet ended; the row stays for the record."""
    record = Deputy.objects.select_for_update().select_related("principal").get(pk=record.pk)
    require(actor, "accounts.deputy.manage", record.principal)
    if record.cancelled_at is not None or record.ends_on < timezone.localdate():
        raise Conflict(DEPUTY_CLOSED)
    old = record.state
    record.cancelled_at = timezone.now()
    record.save(update_fields=["cancelled_at"])
    audit.record_transition(actor=actor, obj=record, old=old, new="cancelled")
    return record


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
