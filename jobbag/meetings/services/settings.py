"""The meetings settings (one row) that administrators edit."""

from datetime import time

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.core import audit
from jobbag.core.errors import DomainError
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.meetings.models import MeetingSettings

INVALID = _("The settings are not valid: correct the fields marked.")
OUT_OF_RANGE = _("Enter a whole number from %(low)s to %(high)s.")
NOT_A_TIME = _("Enter a time of day such as 08:00.")

# Each number setting and the range it may take.
RANGES = {
    "agenda_lead_hours": (0, 72),
    "report_due_hours": (1, 240),
    "report_reminder_hours": (0, 72),
    "action_escalate_after_days": (0, 30),
    "weekly_report_weekday": (0, 6),
    "deadline_window_days": (1, 60),
}
FIELDS = [*RANGES, "weekly_report_time"]


@transaction.atomic
def meeting_settings_update(*, actor: User, expected_version: int, **fields) -> MeetingSettings:
    """Changes the meetings settings; every number within its range."""
    require(actor, "meetings.settings.edit")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown meetings settings: {sorted(unknown)}")
    row = MeetingSettings.current()
    errors = {}
    for name, (low, high) in RANGES.items():
        if name in fields:
            value = fields[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                errors[name] = OUT_OF_RANGE % {"low": low, "high": high}
    if "weekly_report_time" in fields and not isinstance(fields["weekly_report_time"], time):
        errors["weekly_report_time"] = NOT_A_TIME
    if errors:
        raise DomainError(INVALID, fields=errors)
    before = audit.snapshot(row, list(fields))
    for name, value in fields.items():
        setattr(row, name, value)
    save_versioned(row, expected_version=expected_version, fields=list(fields))
    audit.record_change(actor=actor, obj=row, before=before)
    return row
