"""Optimistic concurrency: an edit names the version it was made against."""

from django.db import models
from django.db.models import F

from jobbag.core.errors import Conflict


def save_versioned(obj: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Writes `fields` of `obj` only if the row is still at `expected_version`.

    The check and the write are one UPDATE, so two editors racing on the same version
    cannot both win: the loser gets Conflict (HTTP 409) and nothing of theirs is written.
    """
    values = {name: getattr(obj, name) for name in fields}
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1, **values)
    )
    if updated != 1:
        raise Conflict()
    obj.version = expected_version + 1
