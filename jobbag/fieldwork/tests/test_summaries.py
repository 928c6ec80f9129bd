"""Weekly records and monthly summaries: periods, due dates (the monthly one by the 2nd),
the late flag, handing in and the manager's review."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.core.errors import DomainError
from jobbag.core.models import AuditEntry, Notification
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.fieldwork import selectors
from jobbag.fieldwork.models import PeriodSummary, ReportStatus
from jobbag.fieldwork.services import (
    period_summary_review,
    period_summary_save,
    period_summary_start,
    period_summary_submit,
)
from jobbag.fieldwork.tests.helpers import at, chain, log

pytestmark = pytest.mark.django_db

MONTH = PeriodSummary.Kind.MONTH
WEEK = PeriodSummary.Kind.WEEK


def test_the_monthly_summary_is_due_by_the_2nd_of_the_next_month():
    assert selectors.period_of(MONTH, date(2026, 3, 17)) == (date(2026, 3, 1), date(2026, 3, 31))
    assert selectors.due_on(MONTH, date(2026, 3, 31)) == date(2026, 4, 2)
    assert selectors.due_on(MONTH, date(2026, 12, 31)) == date(2027, 1, 4)
    # The 2nd of October 2025 is a National Day holiday: the next working day is the 9th.
    assert selectors.due_on(MONTH, date(2025, 9, 30)) == date(2025, 10, 9)


def test_the_weekly_record_runs_monday_to_sunday_and_is_due_the_next_working_day():
    assert selectors.period_of(WEEK, date(2026, 3, 18)) == (date(2026, 3, 16), date(2026, 3, 22))
    assert selectors.due_on(WEEK, date(2026, 3, 22)) == date(2026, 3, 23)


def test_a_late_monthly_summary_is_flagged_and_reviewed_by_the_manager(cast, clientele, login):
    chain(cast)
    last_month = selectors.month_start(timezone.localdate()) - timedelta(days=1)
    log(clientele.company, cast.ae, when=at(last_month, 10))
    summary = period_summary_start(actor=cast.ae, kind=MONTH, day=last_month)
    assert summary.starts_on == selectors.month_start(last_month)
    assert summary.due_on == selectors.due_on(MONTH, last_month)
    assert AuditEntry.objects.filter(object_id=str(summary.pk), action="create").exists()
    # Opening it again gives the same summary.
    assert period_summary_start(actor=cast.ae, kind=MONTH, day=last_month).pk == summary.pk

    # Frozen "now" is not available; a due day already passed makes it late when handed in.
    PeriodSummary.objects.filter(pk=summary.pk).update(due_on=timezone.localdate() - timedelta(1))
    summary.refresh_from_db()
    ae = login(cast.ae)
    response = ae.post(
        reverse("fieldwork:summary_save", args=[summary.pk]),
        {
            "summary": "本月拜访客户二十次",
            "problems": "",
            "plan": "下月重点：新品",
            "version": 1,
            "submit": "1",
        },
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.status == ReportStatus.SUBMITTED and summary.is_late
    assert summary.visits == 1
    assert Notification.objects.filter(recipient=cast.ad).exists()
    listing = ae.get(reverse("fieldwork:summaries"))
    assert 'data-testid="late"' in listing.content.decode()

    ad = login(cast.ad)
    assert [s.pk for s in ad.get(reverse("fieldwork:team")).context["waiting_summaries"]] == [
        summary.pk
    ]
    response = ad.post(
        reverse("fieldwork:summary_review", args=[summary.pk]),
        {"decision": "reviewed", "comment": "请按时提交", "version": summary.version},
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.status == ReportStatus.REVIEWED and summary.reviewed_by == cast.ad


def test_a_summary_handed_in_on_time_is_not_late(cast, clientele):
    summary = period_summary_start(actor=cast.ae, kind=WEEK, day=timezone.localdate())
    summary = period_summary_save(
        actor=cast.ae, period=summary, expected_version=1, summary="本周完成三次拜访"
    )
    summary = period_summary_submit(actor=cast.ae, period=summary, expected_version=2)
    assert summary.status == ReportStatus.SUBMITTED and not summary.is_late


def test_bad_input_is_refused(cast, clientele, login):
    with pytest.raises(DomainError) as error:
        period_summary_start(actor=cast.ae, kind="year", day=timezone.localdate())
    assert "kind" in error.value.fields
    with pytest.raises(DomainError) as error:
        period_summary_start(
            actor=cast.ae, kind=MONTH, day=timezone.localdate() + timedelta(days=40)
        )
    assert "day" in error.value.fields
    summary = period_summary_start(actor=cast.ae, kind=WEEK, day=timezone.localdate())
    response = login(cast.ae).post(
        reverse("fieldwork:summary_save", args=[summary.pk]),
        {"summary": "", "problems": "", "plan": "", "version": 1, "submit": "1"},
    )
    assert response.status_code == 400
    assert "summary" in response.context["form"].errors
    summary.refresh_from_db()
    assert summary.status == ReportStatus.DRAFT
    with pytest.raises(DomainError):
        period_summary_review(
            actor=cast.gm, period=summary, decision="approved", expected_version=summary.version
        )


def test_summary_permission_matrix(cast, clientele):
    chain(cast)
    cast.other_ae = clientele.other_ae
    summary = period_summary_start(actor=cast.ae, kind=WEEK, day=timezone.localdate())
    summary = period_summary_save(actor=cast.ae, period=summary, expected_version=1, summary="x")
    summary = period_summary_submit(actor=cast.ae, period=summary, expected_version=2)
    detail = reverse("fieldwork:summary_detail", args=[summary.pk])
    cases = [Case("anonymous", "GET", reverse("fieldwork:summaries"), 302)]
    for role, status in [
        ("anonymous", 302),
        ("client", 404),
        ("outsider", 404),
        ("designer", 404),
        ("admin", 404),
        ("other_ae", 404),
        ("ae", 200),
        ("ad", 200),
        ("gm", 200),
    ]:
        cases.append(Case(role, "GET", detail, status))
    run_permission_matrix(cast, cases)
