"""Change notices (变更): a client's change after dispatch, written down, signed off by
the client's Account Director, then applied to the job's requirements and sent to the
departments it touches, each of which acknowledges it again (SPEC §4).

Before any work order is dispatched the job's requirements are edited directly; a change
notice is refused then. Each notice stores its diff as {field: [before, after]}, computed
here from the job when the notice is written, so the history keeps what each change was
even when another notice changed the same field in the meantime.
"""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, User
from jobbag.approvals.models import Approval
from jobbag.approvals.selectors import approvals_of
from jobbag.approvals.services import approval_submit
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import REQUIREMENT_FIELDS, ChangeNotice, Job, Stage, WorkOrder
from jobbag.jobs.services.acknowledgements import acknowledgements_send, department_people

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
NOT_DISPATCHED = _(
    "No work order of this job has been dispatched yet: change the job's requirements "
    "directly. A change notice is for a client's change after dispatch."
)
JOB_CLOSED = _("The job is closed or cancelled: it takes no more changes.")
NO_DEPARTMENT = _("Choose at least one department the change goes to.")
DEPARTMENT_INACTIVE = _("Choose active departments only.")
UNKNOWN_FIELD = _("“%(field)s” is not one of the job's requirements.")
DATE_INVALID = _("Enter a valid date.")
DATE_IN_FUTURE = _("The client cannot have asked for it in the future.")
TOO_LONG = _("At most %(max)s characters.")
NOT_EDITABLE = _("This change notice is in sign-off or signed: it can no longer be edited.")
CHANGE_NOTE = _("Change notice CN-%(number)s")

# Text fields kept short in the job (CharField): their length limit.
MAX_LENGTH = {"theme": 200}


def is_dispatched(job: Job) -> bool:
    """Whether a work order of `job` has gone out to the departments."""
    return WorkOrder.objects.filter(job=job, dispatched_at__isnull=False).exists()


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _new_value(name: str, value, errors: dict):
    """The requirement `name`'s new value, cleaned: a date (or None) for the launch date,
    stripped text for the others."""
    if name == "launch_date":
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        parsed = parse_date(str(value)) if isinstance(value, str) else None
        if parsed is None:
            errors[name] = DATE_INVALID
        return parsed
    text = "" if value is None else str(value).strip()
    if name in MAX_LENGTH and len(text) > MAX_LENGTH[name]:
        errors[name] = TOO_LONG % {"max": MAX_LENGTH[name]}
    return text


def _diff(job: Job, changes: dict, errors: dict) -> dict:
    """{field: [current value, new value]} for each requirement the notice really changes."""
    if not isinstance(changes, dict):
        errors["changes"] = INVALID
        return {}
    result = {}
    for name, value in changes.items():
        if name not in REQUIREMENT_FIELDS:
            errors["changes"] = UNKNOWN_FIELD % {"field": name}
            continue
        new = _new_value(name, value, errors)
        current = getattr(job, name)
        if name not in errors and new != current:
            result[name] = [_plain(current), _plain(new)]
    return {name: result[name] for name in REQUIREMENT_FIELDS if name in result}


def _departments(departments, errors: dict) -> list[Department]:
    chosen = list(departments or [])
    if not chosen:
        errors["departments"] = NO_DEPARTMENT
    elif any(not d.is_active for d in chosen):
        errors["departments"] = DEPARTMENT_INACTIVE
    return chosen


def _check(values: dict, errors: dict) -> dict:
    cleaned = {}
    for name in ("what", "why", "requested_by"):
        if name in values:
            cleaned[name] = (values[name] or "").strip()
            if not cleaned[name]:
                errors[name] = REQUIRED
    if len(cleaned.get("requested_by", "")) > 100:
        errors["requested_by"] = TOO_LONG % {"max": 100}
    if "requested_on" in values:
        requested_on = values["requested_on"]
        if isinstance(requested_on, str):
            requested_on = parse_date(requested_on)
        if not isinstance(requested_on, date):
            errors["requested_on"] = REQUIRED if not values["requested_on"] else DATE_INVALID
        elif requested_on > timezone.localdate():
            errors["requested_on"] = DATE_IN_FUTURE
        cleaned["requested_on"] = requested_on
    return cleaned


def _locked_job(job: Job) -> Job:
    """The job's row, locked until the transaction ends: numbering and applying changes
    happen one at a time per job."""
    locked = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if locked.stage in {Stage.CLOSED, Stage.CANCELLED}:
        raise DomainError(JOB_CLOSED)
    if not is_dispatched(locked):
        raise DomainError(NOT_DISPATCHED)
    return locked


@transaction.atomic
def change_notice_create(
    *,
    actor: User,
    job: Job,
    what: str,
    why: str,
    requested_by: str,
    requested_on,
    changes: dict | None = None,
    departments=None,
) -> ChangeNotice:
    """Writes the next change notice of `job` (CN-1, CN-2, …) as a draft: what changes,
    why, who at the client asked for it and when, the new requirement values and the
    departments it goes to."""
    require(actor, "jobs.change.manage", job)
    locked = _locked_job(job)
    errors: dict = {}
    values = _check(
        {"what": what, "why": why, "requested_by": requested_by, "requested_on": requested_on},
        errors,
    )
    diff = _diff(locked, changes or {}, errors)
    chosen = _departments(departments, errors)
    if errors:
        raise DomainError(INVALID, fields=errors)
    last = ChangeNotice.objects.filter(job=locked).aggregate(last=Max("number"))["last"] or 0
    notice = ChangeNotice.objects.create(
        job=locked, number=last + 1, changes=diff, created_by=actor, **values
    )
    notice.departments.set(chosen)
    audit.record_create(actor=actor, obj=notice)
    return notice


@transaction.atomic
def change_notice_update(
    *,
    actor: User,
    notice: ChangeNotice,
    expected_version: int,
    what: str,
    why: str,
    requested_by: str,
    requested_on,
    changes: dict | None = None,
    departments=None,
) -> ChangeNotice:
    """Rewrites a draft or returned notice. The diff is computed again against the job as
    it is now. A notice returned from sign-off becomes its next revision."""
    require(actor, "jobs.change.manage", notice.job)
    locked_job = _locked_job(notice.job)
    locked = ChangeNotice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
    if locked.version != expected_version:
        raise Conflict()
    if not locked.is_editable:
        raise DomainError(NOT_EDITABLE)
    errors: dict = {}
    values = _check(
        {"what": what, "why": why, "requested_by": requested_by, "requested_on": requested_on},
        errors,
    )
    diff = _diff(locked_job, changes or {}, errors)
    chosen = _departments(departments, errors)
    if errors:
        raise DomainError(INVALID, fields=errors)
    before = audit.snapshot(locked, [*values, "changes", "revision"])
    before["departments"] = sorted(str(d) for d in locked.departments.all())
    for name, value in values.items():
        setattr(locked, name, value)
    locked.changes = diff
    fields = [*values, "changes"]
    if approvals_of(locked).filter(revision=locked.revision).exists():
        locked.revision += 1
        fields.append("revision")
    save_versioned(locked, expected_version=expected_version, fields=fields)
    locked.departments.set(chosen)
    after = audit.snapshot(locked, [*values, "changes", "revision"])
    after["departments"] = sorted(str(d) for d in chosen)
    diff_audit = audit.diff(before, after)
    if diff_audit:
        audit.record(actor=actor, obj=locked, action=AuditEntry.Action.CHANGE, changes=diff_audit)
    return locked


def change_notice_submit(*, actor: User, notice: ChangeNotice) -> Approval:
    """Sends the notice for sign-off (demo policy: the client's Account Director)."""
    with transaction.atomic():
        require(actor, "jobs.change.manage", notice.job)
        _locked_job(notice.job)
        return approval_submit(actor=actor, document=notice)


def _requirement_value(name: str, value):
    if name == "launch_date":
        return parse_date(value) if value else None
    return value or ""


def _email(people: list[User], message, link: str) -> None:
    """E-mails each of `people` in their own language (the in-app notice of the same
    event comes from acknowledgements_send)."""
    for user in people:
        if not user.email:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = str(message())
        body = f"{text}\n\n{settings.SITE_URL.rstrip('/')}{link}"
        EmailMessage(subject=" ".join(text.split())[:200], body=body, to=[user.email]).send()


def change_notice_apply(*, notice: ChangeNotice, actor: User) -> ChangeNotice:
    """Puts a signed notice in force (called by the sign-off engine when it closes as
    approved, inside its transaction): the job's requirements take the new values, the
    job's audit trail names the notice, and the notice goes to its departments, each of
    which acknowledges it again (in-app and e-mail)."""
    with transaction.atomic():
        job = Job.objects.select_for_update(of=("self",)).get(pk=notice.job_id)
        notice = ChangeNotice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
        if notice.sent_at is not None:
            return notice
        fields = [name for name in REQUIREMENT_FIELDS if name in notice.changes]
        before = audit.snapshot(job, fields)
        for name in fields:
            setattr(job, name, _requirement_value(name, notice.changes[name][1]))
        if fields:
            job.version += 1
            job.save(update_fields=[*fields, "version"])
        note = str(CHANGE_NOTE % {"number": notice.number})
        audit.record(
            actor=actor,
            obj=job,
            action=AuditEntry.Action.CHANGE,
            changes=audit.diff(before, audit.snapshot(job, fields)),
            note=note,
        )
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
        departments = list(notice.departments.all())
        acknowledgements_send(
            job=job, departments=departments, change_notice=notice, sent_at=notice.sent_at
        )
        link = reverse("jobs:requirements_history", args=[job.pk])
        people = {p.pk: p for d in departments for p in department_people(d)}

        def message():
            return _("Change notice CN-%(number)s of %(job)s is signed: %(what)s") % {
                "number": notice.number,
                "job": job,
                "what": notice.what[:200],
            }

        _email(list(people.values()), message, link)
        notify(recipients=[job.owner], message=message, link=link, email=True)
        return notice
