"""Read queries of field work, shared by the pages, the API and the services."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.calendar.services import add_working_days, is_working_day, working_days_between
from jobbag.clients.models import ContactLogEntry
from jobbag.clients.selectors_contact_log import people_below
from jobbag.core.permissions import visible
from jobbag.fieldwork.models import (
    DailyReport,
    FieldworkSettings,
    Outing,
    PeriodSummary,
    ReportStatus,
    VisitTarget,
)
from jobbag.fieldwork.permissions import FIELD_ROLES, sees_everyone


def day_span(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """The aware moments from the start of `first` to the start of the day after `last`,
    in the office's time zone."""
    last = last or first
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)),
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


# Periods and due dates -------------------------------------------------------------------


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The week (Monday to Sunday) or calendar month containing `day`."""
    if kind == PeriodSummary.Kind.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    return month_start(day), month_end(day)


def due_on(kind: str, ends_on: date) -> date:
    """When a summary of the period ending `ends_on` is due: a monthly one by the 2nd of
    the next month, a weekly one by the first working day after the week. A due day that
    is not a working day (the 2nd of October, say) moves to the next working day."""
    if kind == PeriodSummary.Kind.MONTH:
        due = ends_on + timedelta(days=2)
        return due if is_working_day(due) else add_working_days(due, 1)
    return add_working_days(ends_on, 1)


# One person's day ------------------------------------------------------------------------


def entries_of_day(person: User, day: date) -> QuerySet[ContactLogEntry]:
    """The contact log entries `person` took part in on `day`, earliest first."""
    start, end = day_span(day)
    return (
        ContactLogEntry.objects.filter(staff=person, occurred_at__gte=start, occurred_at__lt=end)
        .select_related("company", "brand")
        .prefetch_related("contacts", "staff")
        .order_by("occurred_at", "pk")
    )


def outings_of_day(person: User, day: date) -> QuerySet[Outing]:
    start, end = day_span(day)
    return (
        Outing.objects.filter(staff=person, leaves_at__gte=start, leaves_at__lt=end)
        .select_related("company")
        .prefetch_related("contacts")
        .order_by("leaves_at", "pk")
    )


def _clock(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def day_items(person: User, day: date) -> list[dict]:
    """What the person did on `day`, as a daily report lists it: contact log entries and
    outings in time order. Plain values, so a submitted report can keep a copy."""
    items = [
        {
            "time": _clock(entry.occurred_at),
            "kind": entry.kind,
            "kind_label": str(entry.get_kind_display()),
            "client": entry.company.display_name,
            "people": [str(contact) for contact in entry.contacts.all()],
            "text": entry.discussed,
            "next_step": entry.next_step,
            "next_step_due": entry.next_step_due.isoformat() if entry.next_step_due else "",
        }
        for entry in entries_of_day(person, day)
    ]
    items += [
        {
            "time": _clock(outing.leaves_at),
            "kind": "outing",
            "kind_label": str(Outing._meta.verbose_name),
            "client": outing.company.display_name if outing.company else "",
            "people": [outing.whom] if outing.whom else [],
            "text": f"{outing.destination} · {outing.purpose}",
            "next_step": "",
            "next_step_due": "",
            "back": _clock(outing.returned_at) if outing.returned_at else "",
        }
        for outing in outings_of_day(person, day)
    ]
    return sorted(items, key=lambda item: item["time"])


def visits_between(person_ids, first: date, last: date) -> dict[int, int]:
    """Visits made (contact log kind "visit") per person in first..last, one query."""
    start, end = day_span(first, last)
    rows = (
        ContactLogEntry.staff.through.objects.filter(
            user_id__in=person_ids,
            contactlogentry__kind=ContactLogEntry.Kind.VISIT,
            contactlogentry__occurred_at__gte=start,
            contactlogentry__occurred_at__lt=end,
        )
        .values("user_id")
        .annotate(n=Count("contactlogentry_id", distinct=True))
    )
    return {row["user_id"]: row["n"] for row in rows}


def working_days_in(first: date, last: date) -> int:
    return working_days_between(first - timedelta(days=1), last)


def default_target(month: date, visits_per_day: int) -> int:
    return visits_per_day * working_days_in(month_start(month), month_end(month))


def targets_for(person_ids, month: date) -> dict[int, tuple[int, bool]]:
    """Each person's visit target for the month and whether it was set for them (False:
    the default from the settings), in two queries."""
    month = month_start(month)
    default = default_target(month, FieldworkSettings.current().visits_per_day)
    set_targets = dict(
        VisitTarget.objects.filter(staff_id__in=person_ids, month=month).values_list(
            "staff_id", "visits"
        )
    )
    return {
        pk: (set_targets[pk], True) if pk in set_targets else (default, False) for pk in person_ids
    }


# Lists -----------------------------------------------------------------------------------


def people_overseen(viewer) -> QuerySet[User]:
    """The people whose field work `viewer` oversees: everyone in the field for
    management, otherwise those reporting up to them."""
    if sees_everyone(viewer) or viewer.is_admin:
        return (
            User.objects.filter(
                kind=User.Kind.STAFF, is_active=True, position__role__in=FIELD_ROLES
            )
            .exclude(pk=viewer.pk)
            .order_by("full_name", "username")
        )
    return people_below(viewer)


def out_now(viewer) -> QuerySet[Outing]:
    """Outings under way (left, not back), of the people `viewer` may see, overdue first."""
    return (
        visible(viewer, Outing.objects.all())
        .filter(returned_at__isnull=True, leaves_at__lte=timezone.now())
        .select_related("staff", "company")
        .order_by("back_by")
    )


def waiting_review(viewer, model):
    """Submitted reports (or summaries) of the people below `viewer`, oldest first."""
    return (
        visible(viewer, model.objects.all())
        .filter(status=ReportStatus.SUBMITTED)
        .exclude(staff=viewer)
        .select_related("staff")
        .order_by("submitted_at")
    )


def reports_for(viewer) -> QuerySet[DailyReport]:
    return visible(viewer, DailyReport.objects.select_related("staff", "reviewed_by"))


def summaries_for(viewer) -> QuerySet[PeriodSummary]:
    return visible(viewer, PeriodSummary.objects.select_related("staff", "reviewed_by"))


def report_for_user(viewer, pk: int) -> DailyReport:
    report = reports_for(viewer).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def summary_for_user(viewer, pk: int) -> PeriodSummary:
    summary = summaries_for(viewer).filter(pk=pk).first()
    if summary is None:
        raise Http404
    return summary


def outing_for_user(viewer, pk: int) -> Outing:
    outing = visible(viewer, Outing.objects.select_related("staff", "company")).filter(pk=pk)
    outing = outing.first()
    if outing is None:
        raise Http404
    return outing
