"""The daily work report: built from the day's contact log and outings, completed and
handed in by its author, reviewed or returned by their manager."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobbag.clients.models import ContactLogEntry
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.fieldwork.models import DailyReport, ReportStatus
from jobbag.fieldwork.services import (
    daily_report_review,
    daily_report_save,
    daily_report_submit,
    outing_register,
)
from jobbag.fieldwork.tests.helpers import at, chain, log

pytestmark = pytest.mark.django_db


def _texts(**overrides) -> dict:
    data = {
        "summary": "拜访海尔，确认春季推广方向",
        "problems": "预算尚未批准",
        "plan": "准备媒介方案",
    }
    data.update(overrides)
    return data


def test_a_daily_report_is_built_from_the_days_entries_submitted_and_reviewed(
    cast, clientele, login
):
    chain(cast)
    today = timezone.localdate()
    log(clientele.company, cast.ae, when=at(today, 0, 5), discussed="讨论新品", next_step="报价")
    log(
        clientele.company,
        cast.ad,
        when=at(today, 0, 10),
        kind=ContactLogEntry.Kind.CALL,
        staff=[cast.ae],
        discussed="电话确认",
    )
    log(clientele.company, cast.ae, when=at(today - timedelta(days=1), 10), discussed="昨天")
    log(clientele.company, cast.ad, when=at(today, 0, 15), discussed="别人的")
    outing_register(
        actor=cast.ae,
        destination="海尔总部",
        whom="孙丽",
        purpose="拜访",
        leaves_at=at(today, 0, 1),
        back_by=at(today, 0, 30),
    )

    ae = login(cast.ae)
    page = ae.get(reverse("fieldwork:my_day"))
    assert [item["text"] for item in page.context["items"]] == [
        "海尔总部 · 拜访",
        "讨论新品",
        "电话确认",
    ]

    response = ae.post(
        reverse("fieldwork:report_save", args=[today.isoformat()]), {**_texts(), "submit": "1"}
    )
    assert response.status_code == 302
    report = DailyReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.visits == 1
    assert [item["kind"] for item in report.activities] == ["outing", "visit", "call"]
    assert AuditEntry.objects.filter(object_id=str(report.pk), action="transition").exists()
    assert Notification.objects.filter(recipient=cast.ad, link__contains=str(report.pk)).exists()

    # The log edited afterwards does not change the report handed in.
    ContactLogEntry.objects.filter(discussed="讨论新品").update(discussed="改过")
    assert (
        login(cast.ad)
        .get(reverse("fieldwork:report_detail", args=[report.pk]))
        .context["items"][1]["text"]
        == "讨论新品"
    )

    ad = login(cast.ad)
    assert [r.pk for r in ad.get(reverse("fieldwork:team")).context["waiting_reports"]] == [
        report.pk
    ]
    response = ad.post(
        reverse("fieldwork:report_review", args=[report.pk]),
        {"decision": "reviewed", "comment": "很好", "version": report.version + 0},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEWED and report.reviewed_by == cast.ad
    assert report.review_comment == "很好"
    assert Notification.objects.filter(recipient=cast.ae, link__contains=str(report.pk)).exists()


def test_a_returned_report_needs_a_comment_and_goes_back_to_its_author(cast, clientele):
    chain(cast)
    today = timezone.localdate()
    report = daily_report_save(actor=cast.ae, day=today, **_texts())
    report = daily_report_submit(actor=cast.ae, report=report, expected_version=report.version)
    with pytest.raises(DomainError) as error:
        daily_report_review(
            actor=cast.ad, report=report, decision="returned", expected_version=report.version
        )
    assert "comment" in error.value.fields
    report = daily_report_review(
        actor=cast.ad,
        report=report,
        decision="returned",
        comment="请补充拜访结果",
        expected_version=report.version,
    )
    assert report.status == ReportStatus.RETURNED

    report = daily_report_save(
        actor=cast.ae, day=today, expected_version=report.version, **_texts(summary="补充了结果")
    )
    report = daily_report_submit(actor=cast.ae, report=report, expected_version=report.version)
    assert report.status == ReportStatus.SUBMITTED and report.summary == "补充了结果"
    moves = AuditEntry.objects.filter(object_id=str(report.pk), action="transition")
    assert [m.changes["status"] for m in moves.order_by("id")] == [
        ["draft", "submitted"],
        ["submitted", "returned"],
        ["returned", "submitted"],
    ]


def test_the_rules_of_the_report(cast, clientele):
    chain(cast)
    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        daily_report_save(actor=cast.ae, day=today + timedelta(days=1), **_texts())
    assert "day" in error.value.fields
    report = daily_report_save(actor=cast.ae, day=today, **_texts(summary=""))
    with pytest.raises(DomainError) as error:
        daily_report_submit(actor=cast.ae, report=report, expected_version=report.version)
    assert "summary" in error.value.fields
    # A second "start" of the same day (a double submit) is refused, not duplicated.
    with pytest.raises(Conflict):
        daily_report_save(actor=cast.ae, day=today, **_texts())
    report = daily_report_save(actor=cast.ae, day=today, expected_version=1, **_texts())
    report = daily_report_submit(actor=cast.ae, report=report, expected_version=report.version)
    with pytest.raises(Conflict):
        daily_report_save(actor=cast.ae, day=today, expected_version=report.version, **_texts())
    # Nobody reviews their own report, nor one outside their people.
    with pytest.raises(NotAllowed):
        daily_report_review(
            actor=cast.ae, report=report, decision="reviewed", expected_version=report.version
        )
    with pytest.raises(NotAllowed):
        daily_report_review(
            actor=clientele.other_ae,
            report=report,
            decision="reviewed",
            expected_version=report.version,
        )
    # The GM, up the chain, may.
    report = daily_report_review(
        actor=cast.gm, report=report, decision="reviewed", expected_version=report.version
    )
    assert report.status == ReportStatus.REVIEWED
    with pytest.raises(Conflict):
        daily_report_review(
            actor=cast.ad, report=report, decision="returned", comment="x", expected_version=4
        )
    assert DailyReport.objects.count() == 1


def test_bad_input_on_the_page_changes_nothing(cast, clientele, login):
    today = timezone.localdate()
    response = login(cast.ae).post(
        reverse("fieldwork:report_save", args=[today.isoformat()]),
        {**_texts(summary=""), "submit": "1"},
    )
    assert response.status_code == 400
    assert "summary" in response.context["report_form"].errors
    # The draft may be saved; handing it in without a summary is what was refused.
    assert not DailyReport.objects.filter(status=ReportStatus.SUBMITTED).exists()


def test_the_report_list_costs_a_fixed_number_of_queries(cast, clientele, login):
    chain(cast)
    client = login(cast.ad)
    url = reverse("fieldwork:reports")
    today = timezone.localdate()
    report = daily_report_save(actor=cast.ae, day=today, **_texts())
    daily_report_submit(actor=cast.ae, report=report, expected_version=report.version)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 30):
        report = daily_report_save(actor=cast.ae, day=today - timedelta(days=n), **_texts())
        daily_report_submit(actor=cast.ae, report=report, expected_version=report.version)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.context["page_obj"].paginator.count == 30
    assert client.get(url + "?export=xlsx").status_code == 200
    assert (
        client.get(url + f"?person={cast.ae.pk}&status=submitted")
        .context["page_obj"]
        .paginator.count
        == 30
    )


def test_daily_report_permission_matrix(cast, clientele):
    chain(cast)
    cast.other_ae = clientele.other_ae
    report = daily_report_save(actor=cast.ae, day=timezone.localdate(), **_texts())
    report = daily_report_submit(actor=cast.ae, report=report, expected_version=report.version)
    detail = reverse("fieldwork:report_detail", args=[report.pk])
    review = reverse("fieldwork:report_review", args=[report.pk])
    decision = {"decision": "returned", "comment": "", "version": report.version}
    cases = []
    for role, see, judge in [
        ("anonymous", 302, 302),
        ("client", 404, 404),
        ("outsider", 404, 404),
        ("designer", 404, 404),
        ("admin", 404, 404),
        ("other_ae", 404, 404),
        ("ae", 200, 403),
        ("gm", 200, 400),
    ]:
        cases += [Case(role, "GET", detail, see), Case(role, "POST", review, judge, decision)]
    cases.append(Case("ad", "GET", detail, 200))
    run_permission_matrix(cast, cases)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
