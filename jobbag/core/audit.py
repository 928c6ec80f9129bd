"""The audit trail: services call `record_*` inside their transaction."""

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from jobbag.core.models import AuditEntry


def _plain(value):
    """A JSON-safe, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The current values of `fields` (default: all concrete fields) of `obj`."""
    names = fields or [
        f.name for f in obj._meta.concrete_fields if f.name not in {"id", "password", "version"}
    ]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def record(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: dict | None = None,
    note: str = "",
    on_behalf_of=None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        on_behalf_of=on_behalf_of,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes or {},
        note=str(note)[:255],
    )


def record_create(*, actor, obj: models.Model, note: str = "") -> AuditEntry:
    return record(
        actor=actor,
        obj=obj,
        action=AuditEntry.Action.CREATE,
        changes={k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")},
        note=note,
    )


def record_change(*, actor, obj: models.Model, before: dict, note: str = "") -> AuditEntry | None:
    """Records what changed since `before` (a `snapshot`); nothing if nothing changed."""
    changes = diff(before, snapshot(obj, list(before)))
    if not changes:
        return None
    return record(actor=actor, obj=obj, action=AuditEntry.Action.CHANGE, changes=changes, note=note)


def record_transition(
    *, actor, obj: models.Model, old: str, new: str, note: str = "", on_behalf_of=None
) -> AuditEntry:
    return record(
        actor=actor,
        obj=obj,
        action=AuditEntry.Action.TRANSITION,
        changes={"status": [old, new]},
        note=note,
        on_behalf_of=on_behalf_of,
    )


def history_for(obj: models.Model):
    """The audit entries of one record, newest first, with their actors in one query."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor", "on_behalf_of")
