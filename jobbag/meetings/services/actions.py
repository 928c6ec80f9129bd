"""The action register (SPEC §6): standalone actions, and what happens to an action once
its contact report is sent (status OPEN): edited while open, closed (DONE, keeping who
closed it, when, and a note) or cancelled with a reason. An action in a draft report is
changed only in the report (meetings.services.reports).

A closed or cancelled action never reopens or changes: a second close is a clear refusal
(409) that changes nothing, whoever clicked first.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import Job
from jobbag.meetings.models import Action, Side
from jobbag.meetings.services.common import ACTION_INVALID, REQUIRED, clean_action

JOB_NOT_OF_CLIENT = _("Choose one of this client's jobs.")
COMPANY_UNKNOWN = _("Choose a client.")
DUE_IN_PAST = _("The due date cannot be in the past.")
IN_DRAFT_REPORT = _("This action is in a contact report not yet sent: change it in the report.")
NOT_OPEN = _("Only an open action can be changed; this one is closed or cancelled.")
ALREADY_CLOSED = _("This action is already closed or cancelled; nothing was changed.")
NOTE_TOO_LONG = _("Write at most 300 characters.")
REASON_REQUIRED = _("Say why the action is cancelled.")

# What an edit may change; the rest (client, report, status) is fixed once created.
FIELDS = ["text", "side", "owner", "owner_contact", "due_on"]
NOTE_MAX = 300

ASSIGNED = _("%(actor)s gave you an action for %(client)s, due %(due)s: %(text)s")
CLOSED = _("%(actor)s closed the action for %(client)s: %(text)s")
CANCELLED = _("%(actor)s cancelled the action for %(client)s: %(text)s")


def action_url(action: Action) -> str:
    return reverse("meetings:action_detail", args=[action.pk])


def responsible(action: Action) -> User | None:
    """Who on our side answers for the action: its owner, or for one on the client's
    side the author of its contact report (else whoever created it)."""
    if action.side == Side.AGENCY and action.owner_id:
        return action.owner
    if action.report_id:
        return action.report.created_by
    return action.created_by


def _short(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:59]}…"


def _check_job(company: Company, job) -> Job | None:
    if job is None:
        return None
    if not isinstance(job, Job) or job.company_id != company.pk:
        raise DomainError(ACTION_INVALID, fields={"job": JOB_NOT_OF_CLIENT})
    return job


def _check_due(due_on, today: date) -> None:
    if isinstance(due_on, date) and due_on < today:
        raise DomainError(ACTION_INVALID, fields={"due_on": DUE_IN_PAST})


def _tell_owner(actor: User, action: Action) -> None:
    owner = action.owner if action.side == Side.AGENCY else None
    if owner is None or owner.pk == actor.pk or not owner.is_active:
        return
    values = {
        "actor": actor,
        "client": action.company.code,
        "due": action.due_on.isoformat(),
        "text": _short(action.text),
    }
    notify(
        recipients=[owner],
        message=lambda: gettext(ASSIGNED) % values,
        link=action_url(action),
        email=True,
    )


def _refuse_unless_open(action: Action) -> None:
    if action.status == Action.Status.DRAFT:
        raise DomainError(IN_DRAFT_REPORT)
    if action.status != Action.Status.OPEN:
        raise Conflict(ALREADY_CLOSED)


def _locked(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("company", "owner", "report__created_by", "created_by")
        .get(pk=action.pk)
    )


@transaction.atomic
def action_create(*, actor: User, company: Company, job=None, **values) -> Action:
    """A standalone action for the client (not from a contact report), open at once."""
    require(actor, "meetings.action.create", company)
    cleaned = clean_action(company, values)
    _check_due(cleaned["due_on"], timezone.localdate())
    job = _check_job(company, job)
    action = Action.objects.create(
        company=company,
        job=job,
        status=Action.Status.OPEN,
        created_by=actor,
        **cleaned,
    )
    audit.record_create(actor=actor, obj=action)
    _tell_owner(actor, action)
    return action


@transaction.atomic
def action_update(*, actor: User, action: Action, expected_version: int, **values) -> Action:
    """Edits an open action's text, owner (and side) and due date. A new owner or due
    date re-arms the reminder and the escalation."""
    action = _locked(action)
    require(actor, "meetings.action.edit", action)
    if action.version != expected_version:
        raise Conflict()
    _refuse_unless_open(action)
    merged = {name: getattr(action, name) for name in FIELDS}
    merged.update({k: v for k, v in values.items() if k in FIELDS})
    cleaned = clean_action(action.company, merged)
    if cleaned["due_on"] != action.due_on:
        _check_due(cleaned["due_on"], timezone.localdate())
    fields = list(FIELDS)
    if "job" in values:
        action.job = _check_job(action.company, values["job"])
        fields.append("job")
    before = audit.snapshot(action, fields)
    new_owner = (cleaned["owner"], cleaned["owner_contact"]) != (
        action.owner,
        action.owner_contact,
    )
    rearm = new_owner or cleaned["due_on"] != action.due_on
    for name, value in cleaned.items():
        setattr(action, name, value)
    if rearm:
        action.reminded_on = None
        action.escalated_on = None
        fields += ["reminded_on", "escalated_on"]
    save_versioned(action, expected_version=expected_version, fields=fields)
    audit.record_change(actor=actor, obj=action, before=before)
    if new_owner:
        _tell_owner(actor, action)
    return action


def _finish(*, actor: User, action: Action, status: str, note: str, message) -> Action:
    old = action.status
    action.status = status
    action.closed_at = timezone.now()
    action.closed_by = actor
    action.closing_note = note
    save_versioned(
        action,
        expected_version=action.version,
        fields=["status", "closed_at", "closed_by", "closing_note"],
    )
    audit.record_transition(actor=actor, obj=action, old=old, new=status, note=note)
    person = responsible(action)
    if person is not None and person.pk != actor.pk and person.is_active:
        values = {"actor": actor, "client": action.company.code, "text": _short(action.text)}
        notify(
            recipients=[person],
            message=lambda: gettext(message) % values,
            link=action_url(action),
        )
    return action


@transaction.atomic
def action_close(*, actor: User, action: Action, note: str = "") -> Action:
    """Marks an open action done, keeping who closed it, when and an optional note.
    Ours: its owner or those who work on the client; the client's: those who work on the
    client, or a user of the client's own company (in the portal)."""
    action = _locked(action)
    require(actor, "meetings.action.close", action)
    _refuse_unless_open(action)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(NOTE_TOO_LONG, fields={"note": NOTE_TOO_LONG})
    return _finish(actor=actor, action=action, status=Action.Status.DONE, note=note, message=CLOSED)


@transaction.atomic
def action_cancel(*, actor: User, action: Action, reason: str = "") -> Action:
    """Cancels an open action (no longer needed), with the reason; by those who work on
    the client."""
    action = _locked(action)
    require(actor, "meetings.action.cancel", action)
    _refuse_unless_open(action)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(REASON_REQUIRED, fields={"reason": REQUIRED})
    if len(reason) > NOTE_MAX:
        raise DomainError(NOTE_TOO_LONG, fields={"reason": NOTE_TOO_LONG})
    return _finish(
        actor=actor, action=action, status=Action.Status.CANCELLED, note=reason, message=CANCELLED
    )
