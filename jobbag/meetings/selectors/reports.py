"""Read queries of contact reports that pages, the portal and the API share."""

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from jobbag.core.permissions import visible
from jobbag.meetings.models import Action, Addendum, ContactReport, MeetingSettings, ReportReceipt


def reports_for(
    user,
    *,
    company_id: int | None = None,
    status: str | None = None,
    overdue: bool = False,
    now: datetime | None = None,
) -> QuerySet[ContactReport]:
    """The reports `user` sees, newest contact first, filtered; each with its client, job
    and author, and how many client people acknowledged it."""
    reports = visible(user, ContactReport.objects.all())
    if company_id:
        reports = reports.filter(company_id=company_id)
    if status:
        reports = reports.filter(status=status)
    if overdue:
        reports = reports.filter(
            status=ContactReport.Status.DRAFT, due_at__lt=now or timezone.now()
        )
    return (
        reports.select_related("company", "job", "created_by")
        .annotate(
            acknowledged_count=Count(
                "receipts", filter=Q(receipts__acknowledged_at__isnull=False), distinct=True
            ),
            receipt_count=Count("receipts", distinct=True),
        )
        .order_by("-occurred_at", "-pk")
    )


def _detail(queryset: QuerySet[ContactReport]) -> QuerySet[ContactReport]:
    actions = Action.objects.select_related("owner", "owner_contact").order_by("position", "pk")
    receipts = ReportReceipt.objects.select_related("contact", "acknowledged_by").order_by("pk")
    addenda = Addendum.objects.select_related("created_by").order_by("number")
    return queryset.select_related(
        "company", "job", "meeting", "created_by", "sent_by"
    ).prefetch_related(
        "staff",
        "contacts",
        "decisions",
        "staff_recipients",
        Prefetch("actions", queryset=actions),
        Prefetch("receipts", queryset=receipts),
        Prefetch("addenda", queryset=addenda),
    )


def report_for(user, pk: int) -> ContactReport | None:
    """The report `pk` with everything its page shows, if `user` sees it."""
    return _detail(visible(user, ContactReport.objects.filter(pk=pk))).first()


def portal_reports(company_id: int) -> QuerySet[ContactReport]:
    """The company's sent reports, newest first (the portal's list)."""
    return (
        ContactReport.objects.filter(company_id=company_id, status=ContactReport.Status.SENT)
        .select_related("company", "job")
        .order_by("-sent_at", "-pk")
    )


def portal_report(company_id: int, pk: int) -> ContactReport | None:
    return _detail(portal_reports(company_id).filter(pk=pk)).first()


def my_drafts(user, limit: int) -> tuple[list[ContactReport], int]:
    """The user's draft reports, soonest due first, and how many there are."""
    drafts = ContactReport.objects.filter(
        created_by=user, status=ContactReport.Status.DRAFT
    ).select_related("company")
    rows = list(drafts.order_by("due_at", "pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], drafts.count()


def due_for_reminder(now: datetime) -> QuerySet[ContactReport]:
    """Drafts due within the reminder window (not yet past due) whose author was not
    reminded."""
    window = timedelta(hours=MeetingSettings.current().report_reminder_hours)
    return ContactReport.objects.filter(
        status=ContactReport.Status.DRAFT,
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + window,
    ).select_related("company", "created_by")


def overdue_unescalated(now: datetime) -> QuerySet[ContactReport]:
    return ContactReport.objects.filter(
        status=ContactReport.Status.DRAFT, escalated_at__isnull=True, due_at__lte=now
    ).select_related("company", "created_by__reports_to")
