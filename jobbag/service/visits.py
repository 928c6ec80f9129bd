"""Return visits (回访): each client's plan, routine visits, and the daily notice of a
newly overdue visit (once per due date)."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jobbag.accounts.models import User
from jobbag.clients.models import Company
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.service.models import Complaint, ReturnVisit, ReturnVisitPlan
from jobbag.service.services import PLAN_DAYS_INVALID, _active_staff, _clean_visit, _visited
from jobbag.service.team import team


@transaction.atomic
def plan_set(
    *,
    actor: User,
    company: Company,
    every_days: int,
    expected_version: int | None = None,
    starts_on: date | None = None,
    is_active: bool = True,
) -> ReturnVisitPlan:
    """Sets how often the client is visited (a new plan, or an edit at `expected_version`)."""
    require(actor, "service.plan.edit", company)
    if not isinstance(every_days, int) or not 1 <= every_days <= 366:
        raise DomainError(PLAN_DAYS_INVALID, fields={"every_days": PLAN_DAYS_INVALID})
    plan = ReturnVisitPlan.objects.select_for_update().filter(company=company).first()
    if plan is None:
        last = (
            ReturnVisit.objects.filter(company=company)
            .order_by("-visited_on")
            .values_list("visited_on", flat=True)
            .first()
        )
        plan = ReturnVisitPlan.objects.create(
            company=company,
            every_days=every_days,
            starts_on=starts_on or timezone.localdate(),
            last_visit_on=last,
            is_active=is_active,
        )
        audit.record_create(actor=actor, obj=plan)
        return plan
    if expected_version is None or plan.version != expected_version:
        raise Conflict()
    before = audit.snapshot(plan, ["every_days", "is_active"])
    plan.every_days, plan.is_active = every_days, is_active
    save_versioned(plan, expected_version=expected_version, fields=["every_days", "is_active"])
    audit.record_change(actor=actor, obj=plan, before=before)
    return plan


@transaction.atomic
def visit_record(
    *, actor: User, company: Company, complaint: Complaint | None = None, **values
) -> ReturnVisit:
    """Records a routine return visit to the client (a complaint's own visit is recorded
    with complaint_record_visit)."""
    require(actor, "service.visit.record", company)
    cleaned = _clean_visit(company, values, today=timezone.localdate())
    visit = ReturnVisit.objects.create(
        company=company,
        kind=ReturnVisit.Kind.ROUTINE,
        visited_by=values.get("visited_by") if _active_staff(values.get("visited_by")) else actor,
        recorded_by=actor,
        **cleaned,
    )
    audit.record_create(actor=actor, obj=visit)
    _visited(company, cleaned["visited_on"])
    return visit


def visits_overdue_notify(*, today: date | None = None) -> int:
    """Tells the account team of each client whose visit has newly become overdue, once
    per due date (the plan keeps the due date it told about)."""
    today = today or timezone.localdate()
    told = 0
    for plan in ReturnVisitPlan.objects.filter(is_active=True).select_related("company"):
        due = plan.next_due_on
        if due >= today or plan.overdue_notified_for == due:
            continue
        claimed = (
            ReturnVisitPlan.objects.filter(pk=plan.pk)
            .exclude(overdue_notified_for=due)
            .update(overdue_notified_for=due)
        )
        if not claimed:
            continue
        members = team(plan.company)
        if members:
            company = plan.company
            notify(
                recipients=members,
                message=lambda company=company, due=due: (
                    gettext("The return visit to %(client)s was due on %(day)s.")
                    % {"client": company, "day": due.isoformat()}
                ),
                link=reverse("service:visits") + "?overdue=on",
                email=True,
            )
        told += 1
    return told
