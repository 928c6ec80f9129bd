"""Escalation of late and severe complaints, once per level (the hourly sweep)."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from jobbag.core import audit
from jobbag.core.notifications import notify
from jobbag.service.models import (
    OPEN_STATUSES,
    URGENT_SEVERITIES,
    Complaint,
    ComplaintEscalation,
    ServiceSettings,
)
from jobbag.service.team import account_directors, leadership, staff_link
from jobbag.service.workhours import add_working_hours


def escalate(complaint: Complaint, *, level: int, reason: str, now: datetime) -> bool:
    """Raises the complaint to `level` once: the conditional UPDATE is the marker, so a
    second run (or a racing one) sends nothing twice."""
    claimed = Complaint.objects.filter(pk=complaint.pk, escalation_level=level - 1).update(
        escalation_level=level
    )
    if not claimed:
        return False
    complaint.escalation_level = level
    recipients = account_directors(complaint.company) if level == 1 else []
    recipients = recipients or leadership()
    escalation = ComplaintEscalation.objects.create(
        complaint=complaint, level=level, reason=reason, at=now
    )
    escalation.notified.set(recipients)
    audit.record(
        actor=None,
        obj=complaint,
        action="change",
        changes={"escalation_level": [level - 1, level]},
        note=str(ComplaintEscalation.Reason(reason).label),
    )
    if recipients:
        notify(
            recipients=recipients,
            message=lambda: (
                gettext(
                    "Complaint escalated (level %(level)s, %(reason)s): %(client)s · %(subject)s"
                )
                % {
                    "level": level,
                    "reason": ComplaintEscalation.Reason(reason).label,
                    "client": complaint.company,
                    "subject": complaint.subject,
                }
            ),
            link=staff_link(complaint),
            email=True,
        )
    return True


def _missed(complaint: Complaint, now: datetime) -> tuple[str, datetime, int] | None:
    """The promise the complaint has missed at `now`: (reason, promised time, hours)."""
    if complaint.first_answered_at is None and complaint.answer_due_at < now:
        return (
            ComplaintEscalation.Reason.ANSWER_LATE,
            complaint.answer_due_at,
            complaint.answer_hours,
        )
    if complaint.resolved_at is None and complaint.resolve_due_at < now:
        return (
            ComplaintEscalation.Reason.RESOLVE_LATE,
            complaint.resolve_due_at,
            complaint.resolve_hours,
        )
    return None


def complaints_escalate(*, now: datetime | None = None) -> int:
    """Escalates the open complaints that are late (or critical/high) once per level:
    first to the client's AD; then, still late one more promise period after the missed
    promise, to the DCS and GM. Returns how many escalations were made."""
    now = now or timezone.now()
    settings = ServiceSettings.current()
    made = 0
    candidates = Complaint.objects.filter(status__in=OPEN_STATUSES, escalation_level=0).filter(
        Q(severity__in=URGENT_SEVERITIES)
        | Q(first_answered_at__isnull=True, answer_due_at__lt=now)
        | Q(resolve_due_at__lt=now)
    )
    for complaint in candidates.select_related("company"):
        missed = _missed(complaint, now)
        reason = missed[0] if missed else ComplaintEscalation.Reason.SEVERE
        made += escalate(complaint, level=1, reason=reason, now=now)
    second = Complaint.objects.filter(status__in=OPEN_STATUSES, escalation_level=1).filter(
        Q(first_answered_at__isnull=True, answer_due_at__lt=now) | Q(resolve_due_at__lt=now)
    )
    for complaint in second.select_related("company"):
        missed = _missed(complaint, now)
        if missed is None:
            continue
        reason, promised, hours = missed
        still_late_at = add_working_hours(
            promised, hours, opens=settings.opens_at, closes=settings.closes_at
        )
        if now > still_late_at:
            made += escalate(complaint, level=2, reason=reason, now=now)
    return made
