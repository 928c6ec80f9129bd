"""Shared set-up of the field work tests: the AE reports to the AD, who reports to the GM."""

from datetime import datetime, time

from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import ContactLogEntry


def chain(cast) -> None:
    """cast.ae → cast.ad → cast.gm along reports_to."""
    User.objects.filter(pk=cast.ae.pk).update(reports_to=cast.ad)
    User.objects.filter(pk=cast.ad.pk).update(reports_to=cast.gm)
    cast.ae.refresh_from_db()
    cast.ad.refresh_from_db()


def at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def log(company, author, *, when, kind=ContactLogEntry.Kind.VISIT, staff=(), **extra):
    """A contact log entry written straight to the table (the services are tested apart)."""
    entry = ContactLogEntry.objects.create(
        company=company,
        kind=kind,
        occurred_at=when,
        discussed=extra.pop("discussed", "讨论新品上市计划"),
        created_by=author,
        **extra,
    )
    entry.staff.set([author, *staff])
    return entry
