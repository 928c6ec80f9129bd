"""Closing a job (SPEC §4): acceptance (验收), where each produced item is checked and the
acceptance is signed before delivery or installation, and the written summary (小结) for
large or important jobs, due within a week of completion.

A signed acceptance completes the job (`job_complete`, called by the sign-off engine);
the job then waits for its summary, or closes at once when none is needed. A signed
summary closes it (`job_close`).
"""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Role, User
from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.approvals.services import approval_submit
from jobbag.calendar.services import add_working_days
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import (
    Acceptance,
    AcceptanceItem,
    Acknowledgement,
    Job,
    JobSettings,
    JobSummary,
    Stage,
)
from jobbag.jobs.services.gates import job_amount

WORK_NOT_STARTED = _(
    "Acceptance starts once work has started: no work order of this job has been dispatched yet."
)
JOB_CLOSED = _("The job is closed or cancelled.")
JOB_COMPLETED = _("The job is already completed: its acceptance is signed.")
PLACE_REQUIRED = _("Say where the items are delivered or installed.")
DATE_REQUIRED = _("Give the delivery or installation date.")
ITEMS_REQUIRED = _("List at least one item to check.")
ITEM_DESCRIPTION_REQUIRED = _("Every item needs a description.")
ITEM_TOO_LONG = _("An item's description has at most 200 characters.")
QUANTITY_TOO_LONG = _("A quantity has at most 50 characters.")
RESULT_INVALID = _("Choose passed or failed.")
REMARK_REQUIRED = _("Say what is wrong when an item fails.")
NOT_EDITABLE = _("This acceptance is in sign-off or signed: its items can no longer be checked.")
NO_ITEMS = _("The acceptance has no items to check.")
ITEMS_UNCHECKED = _("Not checked yet: %(items)s.")
ITEMS_FAILED = _("Failed, fix and check again: %(items)s.")
NOT_ALL_PASSED = _("Every item must be checked and passed before the acceptance is signed.")
SUMMARY_NOT_EDITABLE = _("This summary is in sign-off or signed: it can no longer be changed.")
SECTION_REQUIRED = _("Fill in this section.")
SECTIONS_MISSING = _("Fill in every section of the summary before sending it for sign-off.")
SCORE_INVALID = _("Give a satisfaction score from 1 to 5.")

SUMMARY_SECTIONS = [
    "introduction",
    "schedule",
    "execution",
    "problems",
    "improvements",
    "client_satisfaction",
]
CLOSED_STAGES = {Stage.CLOSED, Stage.CANCELLED}
# The stages a job leaves for "acceptance" when its first acceptance is written.
BEFORE_ACCEPTANCE = {Stage.INTAKE, Stage.REVIEW, Stage.QUOTE, Stage.PRODUCTION}


def work_started(job: Job) -> bool:
    """Work has started once one of the job's work orders has been dispatched."""
    return Acknowledgement.objects.filter(job=job, work_order__isnull=False).exists()


def summary_required(job: Job) -> bool:
    """Jobs above the configured size, and those marked important, need a summary."""
    return job.is_important or job_amount(job) > JobSettings.current().summary_above


def _move_stage(job: Job, new: str, *, actor, note: str = "", fields=()) -> None:
    old = job.stage
    job.stage = new
    job.save(update_fields=["stage", *fields])
    audit.record_transition(actor=actor, obj=job, old=old, new=new, note=note)


def _locked_job(job: Job) -> Job:
    return Job.objects.select_for_update(of=("self",)).get(pk=job.pk)


# Acceptance ----------------------------------------------------------------------------


def _clean_items(items) -> list[tuple[str, str]]:
    cleaned, errors = [], []
    for description, quantity in items or []:
        description = (description or "").strip()
        quantity = str(quantity or "").strip()
        if not description:
            errors.append(ITEM_DESCRIPTION_REQUIRED)
        elif len(description) > 200:
            errors.append(ITEM_TOO_LONG)
        if len(quantity) > 50:
            errors.append(QUANTITY_TOO_LONG)
        cleaned.append((description, quantity))
    if not cleaned:
        errors.append(ITEMS_REQUIRED)
    if errors:
        unique = list(dict.fromkeys(str(e) for e in errors))
        raise DomainError(unique[0], fields={"items": unique})
    return cleaned


@transaction.atomic
def acceptance_create(
    *,
    actor: User,
    job: Job,
    place: str,
    planned_on: date | None,
    notes: str = "",
    items,
) -> Acceptance:
    """Writes an acceptance with its items (description, quantity), numbered per job.
    Only once work has started; the job moves to the acceptance stage."""
    require(actor, "jobs.acceptance.create", job)
    job = _locked_job(job)
    if job.stage in CLOSED_STAGES:
        raise DomainError(JOB_CLOSED)
    if job.completed_on is not None:
        raise DomainError(JOB_COMPLETED)
    if not work_started(job):
        raise DomainError(WORK_NOT_STARTED, code="work_not_started")
    place = (place or "").strip()
    errors = {}
    if not place:
        errors["place"] = PLACE_REQUIRED
    elif len(place) > 200:
        errors["place"] = _("Ensure this value has at most 200 characters.")
    if planned_on is None:
        errors["planned_on"] = DATE_REQUIRED
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    cleaned = _clean_items(items)
    last = Acceptance.objects.filter(job=job).aggregate(last=Max("number"))["last"] or 0
    acceptance = Acceptance.objects.create(
        job=job,
        number=last + 1,
        place=place,
        planned_on=planned_on,
        notes=(notes or "").strip(),
        created_by=actor,
    )
    AcceptanceItem.objects.bulk_create(
        AcceptanceItem(acceptance=acceptance, description=description, quantity=quantity)
        for description, quantity in cleaned
    )
    audit.record_create(
        actor=actor,
        obj=acceptance,
        note=str(_("%(count)s items to check") % {"count": len(cleaned)}),
    )
    if job.stage in BEFORE_ACCEPTANCE:
        _move_stage(job, Stage.ACCEPTANCE, actor=actor)
    return acceptance


@transaction.atomic
def acceptance_item_check(
    *, actor: User, item: AcceptanceItem, result: str, remark: str = ""
) -> AcceptanceItem:
    """Records an item as passed or failed, by whom and when. A failed item is fixed and
    checked again; items are checked only while the acceptance is a draft or returned."""
    acceptance = Acceptance.objects.select_for_update(of=("self",)).get(pk=item.acceptance_id)
    require(actor, "jobs.acceptance.check", acceptance)
    if not acceptance.is_editable:
        raise Conflict(NOT_EDITABLE)
    remark = (remark or "").strip()
    if result not in {AcceptanceItem.Result.PASSED, AcceptanceItem.Result.FAILED}:
        raise DomainError(RESULT_INVALID, fields={"result": RESULT_INVALID})
    if result == AcceptanceItem.Result.FAILED and not remark:
        raise DomainError(REMARK_REQUIRED, fields={"remark": REMARK_REQUIRED})
    if len(remark) > 300:
        raise DomainError(fields={"remark": _("Ensure this value has at most 300 characters.")})
    item = AcceptanceItem.objects.select_for_update(of=("self",)).get(
        pk=item.pk, acceptance=acceptance
    )
    old = item.result
    item.result = result
    item.remark = remark
    item.checked_by = actor
    item.checked_at = timezone.now()
    item.save(update_fields=["result", "remark", "checked_by", "checked_at"])
    audit.record(
        actor=actor,
        obj=acceptance,
        action=AuditEntry.Action.CHANGE,
        changes={item.description: [old, result]},
        note=remark,
    )
    return item


def _item_names(items) -> str:
    return "、".join(item.description for item in items)


@transaction.atomic
def acceptance_submit(*, actor: User, acceptance: Acceptance) -> Approval:
    """Sends the acceptance for sign-off (head of QC, then the client) once every item is
    checked and passed. A returned acceptance goes again as its next revision."""
    require(actor, "jobs.acceptance.submit", acceptance)
    acceptance = Acceptance.objects.select_for_update(of=("self",)).get(pk=acceptance.pk)
    if acceptance.signoff_status == SignoffStatus.SUBMITTED:
        raise Conflict(_("This document is already waiting for sign-off."))
    if not acceptance.is_editable:
        raise DomainError(NOT_EDITABLE)
    items = list(acceptance.items.all())
    if not items:
        raise DomainError(NO_ITEMS, fields={"items": [NO_ITEMS]})
    unchecked = [i for i in items if i.result == AcceptanceItem.Result.PENDING]
    failed = [i for i in items if i.result == AcceptanceItem.Result.FAILED]
    if unchecked or failed:
        reasons = []
        if unchecked:
            reasons.append(str(ITEMS_UNCHECKED % {"items": _item_names(unchecked)}))
        if failed:
            reasons.append(str(ITEMS_FAILED % {"items": _item_names(failed)}))
        message = " ".join([str(NOT_ALL_PASSED), *reasons])
        raise DomainError(message, fields={"items": reasons}, code="items_not_passed")
    if acceptance.signoff_status == SignoffStatus.RETURNED:
        acceptance.revision += 1
        acceptance.save(update_fields=["revision"])
    return approval_submit(actor=actor, document=acceptance)


# Completion and closing ------------------------------------------------------------------


def _summary_create(*, job: Job, actor, completed_on: date) -> JobSummary:
    days = JobSettings.current().summary_within_days
    summary = JobSummary.objects.create(
        job=job,
        due_on=add_working_days(completed_on, days),
        created_by=actor if getattr(actor, "kind", None) == User.Kind.STAFF else None,
    )
    audit.record_create(actor=actor, obj=summary)
    owner = job.owner
    notify(
        recipients=[owner],
        message=lambda: (
            _("Write the summary of %(job)s by %(due)s.")
            % {"job": job, "due": summary.due_on.isoformat()}
        ),
        link=reverse("jobs:summary_edit", args=[job.pk]),
        email=True,
    )
    return summary


@transaction.atomic
def job_complete(*, job: Job, actor, on: date | None = None) -> Job:
    """The acceptance is signed: the job is completed `on` (today). It then waits for its
    summary when it needs one, else it closes. Completing twice does nothing more."""
    job = _locked_job(job)
    if job.completed_on is not None or job.stage in CLOSED_STAGES:
        return job
    today = on or timezone.localdate()
    job.completed_on = today
    if summary_required(job):
        _move_stage(
            job,
            Stage.SUMMARY,
            actor=actor,
            note=str(_("Acceptance signed; the summary is due.")),
            fields=["completed_on"],
        )
        if not JobSummary.objects.filter(job=job).exists():
            _summary_create(job=job, actor=actor, completed_on=today)
    else:
        job.closed_on = today
        _move_stage(
            job,
            Stage.CLOSED,
            actor=actor,
            note=str(_("Acceptance signed; no summary needed.")),
            fields=["completed_on", "closed_on"],
        )
        _close_out(job, actor)
    return job


@transaction.atomic
def job_close(*, job: Job, actor, on: date | None = None) -> Job:
    """The summary is signed: the job is closed. Closing twice does nothing more."""
    job = _locked_job(job)
    if job.stage in CLOSED_STAGES:
        return job
    job.closed_on = on or timezone.localdate()
    _move_stage(
        job,
        Stage.CLOSED,
        actor=actor,
        note=str(_("Summary signed.")),
        fields=["closed_on"],
    )
    _close_out(job, actor)
    return job


def _close_out(job: Job, actor) -> None:
    """Freezes the job's close-out card (结卡) in the transaction that closes it. A job
    closed by the client's signature is recorded as closed by its owner."""
    from jobbag.finance.services.costing import close_out_on_job_closed

    closer = actor if actor is not None and actor.kind == User.Kind.STAFF else job.owner
    close_out_on_job_closed(job=job, actor=closer)


# Summary -------------------------------------------------------------------------------


@transaction.atomic
def summary_update(
    *,
    actor: User,
    summary: JobSummary,
    introduction: str,
    schedule: str,
    execution: str,
    problems: str,
    improvements: str,
    client_satisfaction: str,
    satisfaction_score: int | None,
    expected_version: int,
) -> JobSummary:
    """Writes the summary's sections; a stale `expected_version` is a Conflict."""
    summary = (
        JobSummary.objects.select_for_update(of=("self",)).select_related("job").get(pk=summary.pk)
    )
    require(actor, "jobs.summary.edit", summary)
    if not summary.is_editable:
        raise Conflict(SUMMARY_NOT_EDITABLE)
    if satisfaction_score is not None and not 1 <= satisfaction_score <= 5:
        raise DomainError(SCORE_INVALID, fields={"satisfaction_score": SCORE_INVALID})
    values = {
        "introduction": introduction,
        "schedule": schedule,
        "execution": execution,
        "problems": problems,
        "improvements": improvements,
        "client_satisfaction": client_satisfaction,
    }
    before = audit.snapshot(summary, [*SUMMARY_SECTIONS, "satisfaction_score"])
    for name, value in values.items():
        setattr(summary, name, (value or "").strip())
    summary.satisfaction_score = satisfaction_score
    save_versioned(
        summary,
        expected_version=expected_version,
        fields=[*SUMMARY_SECTIONS, "satisfaction_score"],
    )
    audit.record_change(actor=actor, obj=summary, before=before)
    return summary


@transaction.atomic
def summary_submit(*, actor: User, summary: JobSummary) -> Approval:
    """Sends the summary to the Marketing Manager once every section is filled in. A
    returned summary goes again as its next revision."""
    summary = (
        JobSummary.objects.select_for_update(of=("self",)).select_related("job").get(pk=summary.pk)
    )
    require(actor, "jobs.summary.edit", summary)
    if summary.signoff_status == SignoffStatus.SUBMITTED:
        raise Conflict(_("This document is already waiting for sign-off."))
    if not summary.is_editable:
        raise DomainError(SUMMARY_NOT_EDITABLE)
    missing = {name: SECTION_REQUIRED for name in SUMMARY_SECTIONS if not getattr(summary, name)}
    if missing:
        raise DomainError(SECTIONS_MISSING, fields=missing, code="sections_missing")
    if summary.signoff_status == SignoffStatus.RETURNED:
        summary.revision += 1
        summary.save(update_fields=["revision"])
    return approval_submit(actor=actor, document=summary)


@transaction.atomic
def job_summary_require(*, actor: User, job: Job) -> Job:
    """Marks the job important, so that it needs a summary. A job already completed
    without one gets it now (due counted from today) and waits for it again."""
    require(actor, "jobs.summary.require", job)
    job = _locked_job(job)
    if job.stage == Stage.CANCELLED:
        raise DomainError(JOB_CLOSED)
    if not job.is_important:
        before = audit.snapshot(job, ["is_important"])
        job.is_important = True
        job.save(update_fields=["is_important"])
        audit.record_change(actor=actor, obj=job, before=before)
    if job.completed_on is not None and not JobSummary.objects.filter(job=job).exists():
        today = timezone.localdate()
        _summary_create(job=job, actor=actor, completed_on=max(job.completed_on, today))
        if job.stage != Stage.SUMMARY:
            job.closed_on = None
            _move_stage(
                job,
                Stage.SUMMARY,
                actor=actor,
                note=str(_("Marked important: a summary is required.")),
                fields=["closed_on"],
            )
    return job


# Reminders -----------------------------------------------------------------------------


def marketing_managers() -> list[User]:
    return list(
        User.objects.filter(
            kind=User.Kind.STAFF, is_active=True, position__role=Role.MARKETING_MANAGER
        )
    )


@transaction.atomic
def summaries_remind(*, today: date | None = None) -> dict[str, int]:
    """Reminds the owner of each summary due within a working day, and tells the owner
    and the Marketing Manager(s) of each late one; each summary at most once a day.
    Summaries in sign-off wait for their signer, not their writer: they are left out."""
    today = today or timezone.localdate()
    soon = add_working_days(today, 1)
    pending = (
        JobSummary.objects.select_for_update(of=("self",))
        .filter(
            job__stage=Stage.SUMMARY,
            signoff_status__in=[SignoffStatus.DRAFT, SignoffStatus.RETURNED],
            due_on__lte=soon,
        )
        .exclude(reminded_on=today)
        .select_related("job__owner")
        .order_by("due_on", "pk")
    )
    managers = None
    counts = {"due": 0, "late": 0}
    for summary in pending:
        job = summary.job
        link = reverse("jobs:summary_edit", args=[job.pk])
        due = summary.due_on.isoformat()
        if summary.due_on < today:
            if managers is None:
                managers = marketing_managers()
            recipients = {job.owner, *managers}
            notify(
                recipients=recipients,
                message=lambda job=job, due=due: (
                    _("The summary of %(job)s is late: it was due on %(due)s.")
                    % {"job": job, "due": due}
                ),
                link=link,
                email=True,
            )
            counts["late"] += 1
        else:
            notify(
                recipients=[job.owner],
                message=lambda job=job, due=due: (
                    _("The summary of %(job)s is due on %(due)s.") % {"job": job, "due": due}
                ),
                link=link,
                email=True,
            )
            counts["due"] += 1
        JobSummary.objects.filter(pk=summary.pk).update(reminded_on=today)
    return counts
