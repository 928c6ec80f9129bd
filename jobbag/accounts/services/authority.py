"""Authority limits: which position may approve which document type up to which amount."""

from decimal import Decimal

from django.db import transaction

from jobbag.accounts.models import (
    AuthorityLimit,
    Position,
    User,
)
from jobbag.accounts.services.common import (
    AMOUNT_NEGATIVE,
    CURRENCY_FORMAT,
    CURRENCY_RE,
    DOCUMENT_TYPE_FORMAT,
    DOCUMENT_TYPE_RE,
    INVALID,
    LIMIT_EXISTS,
    MANAGE,
    REQUIRED,
    raise_if,
    update_versioned,
)
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require


def _check_limit(errors: dict, *, document_type: str, currency: str, max_amount) -> None:
    if not document_type:
        errors["document_type"] = REQUIRED
    elif not DOCUMENT_TYPE_RE.match(document_type) or len(document_type) > 40:
        errors["document_type"] = DOCUMENT_TYPE_FORMAT
    if not CURRENCY_RE.match(currency):
        errors["currency"] = CURRENCY_FORMAT
    if max_amount is not None and Decimal(max_amount) < 0:
        errors["max_amount"] = AMOUNT_NEGATIVE


@transaction.atomic
def authority_limit_set(
    *,
    actor: User,
    position: Position,
    document_type: str,
    max_amount: Decimal | None,
    currency: str = "CNY",
    expected_version: int | None = None,
) -> AuthorityLimit:
    """Lets holders of `position` approve `document_type` up to `max_amount` (no upper
    limit when None). A new limit is created without `expected_version`; changing an
    existing one names the version it was read at."""
    require(actor, MANAGE)
    document_type = document_type.strip().lower()
    currency = currency.strip().upper()
    errors: dict = {}
    _check_limit(errors, document_type=document_type, currency=currency, max_amount=max_amount)
    raise_if(errors)
    existing = AuthorityLimit.objects.filter(
        position=position, document_type=document_type, currency=currency
    ).first()
    if existing is None:
        if expected_version is not None:
            # The limit being edited was removed meanwhile.
            raise Conflict()
        limit = AuthorityLimit.objects.create(
            position=position, document_type=document_type, currency=currency, max_amount=max_amount
        )
        audit.record_create(actor=actor, obj=limit)
        return limit
    if expected_version is None:
        raise DomainError(INVALID, fields={"document_type": LIMIT_EXISTS})
    return update_versioned(
        actor=actor,
        obj=existing,
        expected_version=expected_version,
        values={"max_amount": max_amount},
    )


@transaction.atomic
def authority_limit_remove(*, actor: User, limit: AuthorityLimit, expected_version: int) -> None:
    """Removes a limit; the audit entry keeps what it was."""
    require(actor, MANAGE)
    before = audit.snapshot(limit)
    deleted, _rows = AuthorityLimit.objects.filter(pk=limit.pk, version=expected_version).delete()
    if not deleted:
        raise Conflict()
    audit.record(
        actor=actor,
        obj=limit,
        action=AuditEntry.Action.DELETE,
        changes={name: [value, None] for name, value in before.items()},
    )
