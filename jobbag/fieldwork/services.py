"""Every change to field work: outings, daily reports, period summaries, visit targets
and the settings. Each service takes the acting user first, checks permission, validates
all fields at once, writes in a transaction with an audit entry and notifies whoever must
act next (the manager of a submitted report, the author of a reviewed one)."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import Company, Contact
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.notifications import notify
from jobbag.core.permissions import require, visible
from jobbag.core.versioning import save_versioned
from jobbag.fieldwork import selectors
from jobbag.fieldwork.models import (
    EDITABLE,
    TRANSITIONS,
    DailyReport,
    FieldworkSettings,
    Outing,
    PeriodSummary,
    ReportStatus,
    VisitTarget,
)

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
BACK_BEFORE_LEAVING = _("The time to be back must be after the time of leaving.")
WHOM_MISSING = _("Say whom you are going to see, or choose people of the client.")
CONTACTS_INVALID = _("Choose people of the chosen client.")
CLIENT_INVALID = _("Choose a client from the list.")
ALREADY_BACK = _("This outing is already marked as returned.")
RETURN_BEFORE_LEAVING = _("The return cannot be before the time of leaving.")
RETURN_IN_FUTURE = _("The return cannot be in the future.")
FUTURE_DAY = _("A report cannot be written for a day still to come.")
NOT_EDITABLE = _("This report has been handed in and can no longer be changed.")
MOVE_NOT_ALLOWED = _("This report cannot go from %(old)s to %(new)s.")
SUMMARY_MISSING = _("Write a summary of the day before handing it in.")
PERIOD_SUMMARY_MISSING = _("Write the summary before handing it in.")
COMMENT_MISSING = _("Say what needs changing when returning a report.")
DECISION_INVALID = _("Choose reviewed or returned.")
PERIOD_KIND_INVALID = _("Choose a weekly record or a monthly summary.")
PERIOD_NOT_STARTED = _("A summary can be started once its period has begun.")
TARGET_RANGE = _("Enter a number of visits from 0 to 1000.")
PER_DAY_RANGE = _("Enter a number of visits from 0 to 100.")

# Fields the author writes in a daily report or summary.
TEXT_FIELDS = ("summary", "problems", "plan")


def _raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(INVALID, fields=errors)


def _aware(moment: datetime | None) -> datetime | None:
    # A time without a zone (as an API client may send) is the office's local time.
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _notify_in_their_language(user, text, values: dict, link: str) -> None:
    """`text` is a lazy translation, read in the recipient's language."""
    if user is None or not user.is_active:
        return
    with translation.override(user.language):
        message = str(text) % values
    notify(recipients=[user], message=message, link=link)


# Outings ---------------------------------------------------------------------------------


@transaction.atomic
def outing_register(
    *,
    actor,
    destination: str,
    purpose: str,
    leaves_at: datetime | None,
    back_by: datetime | None,
    whom: str = "",
    company: Company | int | None = None,
    contacts=(),
) -> Outing:
    """Registers an outing (外出登记) of the actor: where, whom, why, back by when."""
    require(actor, "fieldwork.use")
    destination, purpose, whom = (destination or "").strip(), (purpose or "").strip(), whom or ""
    whom = whom.strip()
    leaves_at, back_by = _aware(leaves_at), _aware(back_by)
    errors: dict = {}
    if not destination:
        errors["destination"] = REQUIRED
    if not purpose:
        errors["purpose"] = REQUIRED
    if leaves_at is None:
        errors["leaves_at"] = REQUIRED
    if back_by is None:
        errors["back_by"] = REQUIRED
    elif leaves_at is not None and back_by <= leaves_at:
        errors["back_by"] = BACK_BEFORE_LEAVING
    if company is not None:
        company = visible(actor, Company.objects.all()).filter(pk=getattr(company, "pk", company))
        company = company.first()
        if company is None:
            errors["company"] = CLIENT_INVALID
    contact_ids = {getattr(c, "pk", c) for c in contacts or ()}
    people = list(visible(actor, Contact.objects.filter(pk__in=contact_ids)))
    if len(people) != len(contact_ids) or (
        company is not None and any(p.company_id != company.pk for p in people)
    ):
        errors["contacts"] = CONTACTS_INVALID
    if not whom and not contact_ids:
        errors["whom"] = WHOM_MISSING
    _raise_if(errors)
    if company is None and people and len({p.company_id for p in people}) == 1:
        company = people[0].company
    outing = Outing.objects.create(
        staff=actor,
        destination=destination,
        whom=whom,
        company=company,
        purpose=purpose,
        leaves_at=leaves_at,
        back_by=back_by,
        created_by=actor,
    )
    outing.contacts.set(people)
    audit.record_create(actor=actor, obj=outing)
    return outing


@transaction.atomic
def outing_return(*, actor, outing: Outing, returned_at: datetime | None = None) -> Outing:
    """Marks the actor's outing as returned (now, or at the time they name)."""
    require(actor, "fieldwork.use")
    outing = Outing.objects.select_for_update().get(pk=outing.pk)
    if outing.staff_id != actor.pk:
        raise NotAllowed()
    if outing.returned_at is not None:
        raise Conflict(ALREADY_BACK)
    now = timezone.now()
    returned_at = _aware(returned_at) or now
    if returned_at < outing.leaves_at:
        raise DomainError(INVALID, fields={"returned_at": RETURN_BEFORE_LEAVING})
    if returned_at > now + timedelta(minutes=5):
        raise DomainError(INVALID, fields={"returned_at": RETURN_IN_FUTURE})
    before = audit.snapshot(outing, ["returned_at"])
    outing.returned_at = returned_at
    outing.save(update_fields=["returned_at"])
    audit.record_change(actor=actor, obj=outing, before=before)
    return outing


# Daily reports and period summaries ------------------------------------------------------


def _texts(values: dict) -> dict:
    return {name: (values.get(name) or "").strip() for name in TEXT_FIELDS if name in values}


def _save_texts(*, actor, report, expected_version: int, texts: dict) -> None:
    if report.staff_id != actor.pk:
        raise NotAllowed()
    if report.status not in EDITABLE:
        raise Conflict(NOT_EDITABLE)
    before = audit.snapshot(report, list(texts))
    for name, value in texts.items():
        setattr(report, name, value)
    save_versioned(report, expected_version=expected_version, fields=list(texts))
    audit.record_change(actor=actor, obj=report, before=before)


def _move(*, actor, report, new: str, expected_version: int, fields: list[str]) -> None:
    """Moves a report along TRANSITIONS, writing `fields` and the status together."""
    old = report.status
    if new not in TRANSITIONS[ReportStatus(old)]:
        raise Conflict(
            MOVE_NOT_ALLOWED % {"old": ReportStatus(old).label, "new": ReportStatus(new).label}
        )
    report.status = new
    save_versioned(report, expected_version=expected_version, fields=["status", *fields])
    audit.record_transition(actor=actor, obj=report, old=old, new=new)


def _locked(report):
    return type(report).objects.select_for_update().select_related("staff").get(pk=report.pk)


@transaction.atomic
def daily_report_save(
    *, actor, day: date, expected_version: int | None = None, **texts
) -> DailyReport:
    """Starts (expected_version None) or changes the actor's report for `day`: its
    summary, problems and plan for tomorrow. Only a draft or returned report changes."""
    require(actor, "fieldwork.use")
    if day > timezone.localdate():
        raise DomainError(INVALID, fields={"day": FUTURE_DAY})
    texts = _texts(texts)
    report = DailyReport.objects.select_for_update().filter(staff=actor, day=day).first()
    if report is None:
        if expected_version is not None:
            raise Conflict()
        report = DailyReport.objects.create(staff=actor, day=day, **texts)
        audit.record_create(actor=actor, obj=report)
        return report
    _save_texts(actor=actor, report=report, expected_version=expected_version or 0, texts=texts)
    return report


@transaction.atomic
def daily_report_submit(*, actor, report: DailyReport, expected_version: int) -> DailyReport:
    """Hands the report in: the day's contact log and outings are copied into it as they
    stand, and the author's manager is told."""
    require(actor, "fieldwork.use")
    report = _locked(report)
    if report.staff_id != actor.pk:
        raise NotAllowed()
    if not report.summary:
        raise DomainError(INVALID, fields={"summary": SUMMARY_MISSING})
    report.activities = selectors.day_items(actor, report.day)
    report.visits = sum(1 for item in report.activities if item["kind"] == "visit")
    report.submitted_at = timezone.now()
    _move(
        actor=actor,
        report=report,
        new=ReportStatus.SUBMITTED,
        expected_version=expected_version,
        fields=["activities", "visits", "submitted_at"],
    )
    _notify_in_their_language(
        actor.reports_to,
        _("%(name)s handed in the daily report for %(day)s."),
        {"name": actor.display_name, "day": report.day.isoformat()},
        reverse("fieldwork:report_detail", args=[report.pk]),
    )
    return report


def _review(*, actor, report, decision: str, comment: str, expected_version: int) -> None:
    comment = (comment or "").strip()
    if decision not in (ReportStatus.REVIEWED, ReportStatus.RETURNED):
        raise DomainError(INVALID, fields={"decision": DECISION_INVALID})
    require(actor, "fieldwork.report.review", report)
    if decision == ReportStatus.RETURNED and not comment:
        raise DomainError(INVALID, fields={"comment": COMMENT_MISSING})
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    _move(
        actor=actor,
        report=report,
        new=decision,
        expected_version=expected_version,
        fields=["reviewed_by", "reviewed_at", "review_comment"],
    )


@transaction.atomic
def daily_report_review(
    *, actor, report: DailyReport, decision: str, comment: str = "", expected_version: int
) -> DailyReport:
    """The manager marks a submitted report reviewed, or returns it with what to change."""
    report = _locked(report)
    _review(
        actor=actor,
        report=report,
        decision=decision,
        comment=comment,
        expected_version=expected_version,
    )
    text = (
        _("%(name)s reviewed your daily report for %(day)s.")
        if decision == ReportStatus.REVIEWED
        else _("%(name)s returned your daily report for %(day)s for changes.")
    )
    _notify_in_their_language(
        report.staff,
        text,
        {"name": actor.display_name, "day": report.day.isoformat()},
        reverse("fieldwork:report_detail", args=[report.pk]),
    )
    return report


@transaction.atomic
def period_summary_start(*, actor, kind: str, day: date) -> PeriodSummary:
    """The actor's weekly record or monthly summary of the period containing `day`,
    started as a draft if it does not exist yet."""
    require(actor, "fieldwork.use")
    if kind not in PeriodSummary.Kind.values:
        raise DomainError(INVALID, fields={"kind": PERIOD_KIND_INVALID})
    starts_on, ends_on = selectors.period_of(kind, day)
    if starts_on > timezone.localdate():
        raise DomainError(INVALID, fields={"day": PERIOD_NOT_STARTED})
    summary, created = PeriodSummary.objects.get_or_create(
        staff=actor,
        kind=kind,
        starts_on=starts_on,
        defaults={"ends_on": ends_on, "due_on": selectors.due_on(kind, ends_on)},
    )
    if created:
        audit.record_create(actor=actor, obj=summary)
    return summary


@transaction.atomic
def period_summary_save(
    *, actor, period: PeriodSummary, expected_version: int, **texts
) -> PeriodSummary:
    require(actor, "fieldwork.use")
    summary = _locked(period)
    _save_texts(actor=actor, report=summary, expected_version=expected_version, texts=_texts(texts))
    return summary


def _period_items(summary: PeriodSummary) -> list[dict]:
    """The daily reports handed in during the period, as the summary keeps them."""
    reports = DailyReport.objects.filter(
        staff=summary.staff_id,
        day__gte=summary.starts_on,
        day__lte=summary.ends_on,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.REVIEWED],
    ).order_by("day")
    return [
        {"day": report.day.isoformat(), "visits": report.visits, "summary": report.summary}
        for report in reports
    ]


@transaction.atomic
def period_summary_submit(*, actor, period: PeriodSummary, expected_version: int) -> PeriodSummary:
    """Hands the summary in (late ones are flagged, not refused) and tells the manager."""
    require(actor, "fieldwork.use")
    summary = _locked(period)
    if summary.staff_id != actor.pk:
        raise NotAllowed()
    if not summary.summary:
        raise DomainError(INVALID, fields={"summary": PERIOD_SUMMARY_MISSING})
    summary.activities = _period_items(summary)
    summary.visits = selectors.visits_between([actor.pk], summary.starts_on, summary.ends_on).get(
        actor.pk, 0
    )
    summary.submitted_at = timezone.now()
    _move(
        actor=actor,
        report=summary,
        new=ReportStatus.SUBMITTED,
        expected_version=expected_version,
        fields=["activities", "visits", "submitted_at"],
    )
    _notify_in_their_language(
        actor.reports_to,
        _("%(name)s handed in a summary for %(start)s to %(end)s."),
        {
            "name": actor.display_name,
            "start": summary.starts_on.isoformat(),
            "end": summary.ends_on.isoformat(),
        },
        reverse("fieldwork:summary_detail", args=[summary.pk]),
    )
    return summary


@transaction.atomic
def period_summary_review(
    *, actor, period: PeriodSummary, decision: str, comment: str = "", expected_version: int
) -> PeriodSummary:
    summary = _locked(period)
    _review(
        actor=actor,
        report=summary,
        decision=decision,
        comment=comment,
        expected_version=expected_version,
    )
    text = (
        _("%(name)s reviewed your summary for %(start)s to %(end)s.")
        if decision == ReportStatus.REVIEWED
        else _("%(name)s returned your summary for %(start)s to %(end)s for changes.")
    )
    _notify_in_their_language(
        summary.staff,
        text,
        {
            "name": actor.display_name,
            "start": summary.starts_on.isoformat(),
            "end": summary.ends_on.isoformat(),
        },
        reverse("fieldwork:summary_detail", args=[summary.pk]),
    )
    return summary


# Targets and settings --------------------------------------------------------------------


@transaction.atomic
def visit_target_set(*, actor, person, month: date, visits: int) -> VisitTarget:
    """Sets how many effective client visits `person` is asked to make in `month`."""
    require(actor, "fieldwork.target.set", person)
    if not 0 <= visits <= 1000:
        raise DomainError(INVALID, fields={"visits": TARGET_RANGE})
    month = selectors.month_start(month)
    target = VisitTarget.objects.select_for_update().filter(staff=person, month=month).first()
    if target is None:
        target = VisitTarget.objects.create(staff=person, month=month, visits=visits, set_by=actor)
        audit.record_create(actor=actor, obj=target)
        return target
    before = audit.snapshot(target, ["visits", "set_by"])
    target.visits, target.set_by = visits, actor
    save_versioned(target, expected_version=target.version, fields=["visits", "set_by"])
    audit.record_change(actor=actor, obj=target, before=before)
    return target


@transaction.atomic
def fieldwork_settings_update(
    *, actor, expected_version: int, visits_per_day: int
) -> FieldworkSettings:
    require(actor, "fieldwork.settings.manage")
    if not 0 <= visits_per_day <= 100:
        raise DomainError(INVALID, fields={"visits_per_day": PER_DAY_RANGE})
    row = FieldworkSettings.current()
    before = audit.snapshot(row, ["visits_per_day"])
    row.visits_per_day = visits_per_day
    save_versioned(row, expected_version=expected_version, fields=["visits_per_day"])
    audit.record_change(actor=actor, obj=row, before=before)
    return row
