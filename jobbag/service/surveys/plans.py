"""Periodic surveys and the sweeps that send surveys: each client's plan (every N
months), the completion survey of each job completed lately, the periodic survey of
each plan that is due. Both sweeps are idempotent (see each function)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import Job
from jobbag.service.models import Survey, SurveyPlan, SurveyTemplate
from jobbag.service.surveys.services import (
    CONTACT_NO_EMAIL,
    CONTACT_OTHER_CLIENT,
    CONTACT_REQUIRED,
    PLAN_MONTHS_INVALID,
    TEMPLATE_RETIRED,
    _send,
)

# The completion sweep looks this far back for completed jobs without a survey, so a
# missed day is made up and an old job is never surveyed out of the blue.
COMPLETION_WINDOW_DAYS = 14


@transaction.atomic
def plan_set(
    *,
    actor: User,
    company: Company,
    template: SurveyTemplate,
    contact: Contact | None,
    every_months: int,
    starts_on: date | None = None,
    is_active: bool = True,
    expected_version: int | None = None,
) -> SurveyPlan:
    """Sets the client's periodic survey (a new plan, or an edit at `expected_version`)."""
    require(actor, "service.survey_plan.edit", company)
    errors = {}
    if (
        not isinstance(every_months, int)
        or isinstance(every_months, bool)
        or not 1 <= every_months <= 24
    ):
        errors["every_months"] = PLAN_MONTHS_INVALID
    if not template.is_active:
        errors["template"] = TEMPLATE_RETIRED
    if contact is None:
        errors["contact"] = CONTACT_REQUIRED
    elif contact.company_id != company.pk or not contact.is_active:
        errors["contact"] = CONTACT_OTHER_CLIENT
    elif not (contact.email or "").strip():
        errors["contact"] = CONTACT_NO_EMAIL
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    plan = SurveyPlan.objects.select_for_update(of=("self",)).filter(company=company).first()
    if plan is None:
        plan = SurveyPlan.objects.create(
            company=company,
            template=template,
            contact=contact,
            every_months=every_months,
            starts_on=starts_on or timezone.localdate(),
            is_active=is_active,
        )
        audit.record_create(actor=actor, obj=plan)
        return plan
    if expected_version is None or plan.version != expected_version:
        raise Conflict()
    fields = ["template", "contact", "every_months", "is_active"]
    before = audit.snapshot(
        plan, [f"{name}_id" if name in ("template", "contact") else name for name in fields]
    )
    plan.template, plan.contact, plan.every_months, plan.is_active = (
        template,
        contact,
        every_months,
        is_active,
    )
    if starts_on:
        plan.starts_on = starts_on
        fields.append("starts_on")
    save_versioned(plan, expected_version=expected_version, fields=fields)
    audit.record_change(actor=actor, obj=plan, before=before)
    return plan


def completion_surveys_send(*, today: date | None = None) -> int:
    """Sends the completion survey of every job completed in the last
    COMPLETION_WINDOW_DAYS days that has none yet, to the job's client contact (jobs
    without a contact with an e-mail address are skipped). Idempotent: one completion
    survey per job is a database constraint. Returns how many were sent."""
    today = today or timezone.localdate()
    template = SurveyTemplate.objects.filter(for_completion=True, is_active=True).first()
    if template is None:
        return 0
    jobs = (
        Job.objects.filter(
            completed_on__isnull=False,
            completed_on__gte=today - timedelta(days=COMPLETION_WINDOW_DAYS),
            completed_on__lte=today,
            client_contact__isnull=False,
        )
        .exclude(surveys__reason=Survey.Reason.COMPLETION)
        .select_related("company", "client_contact")
        .order_by("completed_on", "pk")
    )
    sent = 0
    for job in jobs:
        try:
            with transaction.atomic():
                _send(
                    actor=None,
                    template=template,
                    company=job.company,
                    contact=job.client_contact,
                    job=job,
                    reason=Survey.Reason.COMPLETION,
                )
        except DomainError:
            # No usable contact, or sent by a run at the same moment: nothing to do.
            continue
        sent += 1
    return sent


def periodic_surveys_send(*, today: date | None = None) -> int:
    """Sends the periodic survey of every active plan that is due (each plan claims its
    due date first, so two runs never send it twice). Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for plan in SurveyPlan.objects.filter(is_active=True, starts_on__lte=today).select_related(
        "company", "template", "contact"
    ):
        if plan.next_due_on > today:
            continue
        try:
            with transaction.atomic():
                claimed = SurveyPlan.objects.filter(
                    pk=plan.pk, last_sent_on=plan.last_sent_on
                ).update(last_sent_on=today, version=F("version") + 1)
                if not claimed:
                    continue
                _send(
                    actor=None,
                    template=plan.template,
                    company=plan.company,
                    contact=plan.contact,
                    job=None,
                    reason=Survey.Reason.PERIODIC,
                )
        except DomainError:
            # The template was retired or the contact left: the plan waits for an edit.
            continue
        sent += 1
    return sent
