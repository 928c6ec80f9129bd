"""The staff pages: the list (filters, pages, export), one complaint with its moves, logging
a complaint, the report's figures, the home card; fixed query budgets."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobbag.service import services
from jobbag.service.models import Complaint, ComplaintCategory, ReturnVisit
from jobbag.service.tests.conftest import at

MONDAY = at("2026-09-28 10:00")


def resolved(complain, cast, *, logged, done, **values):
    complaint = complain(now=logged, **values)
    complaint = services.complaint_assign(
        actor=cast.ad, complaint=complaint, assignee=cast.ae, expected_version=complaint.version
    )
    complaint = services.complaint_answer(
        actor=cast.ae,
        complaint=complaint,
        answer="a",
        expected_version=complaint.version,
        now=logged,
    )
    return services.complaint_resolve(
        actor=cast.ae,
        complaint=complaint,
        resolution="r",
        expected_version=complaint.version,
        now=done,
    )


def test_it_lists_and_filters_complaints(login, complain, cast, service):
    late = complain(subject="迟到的海报", now=at("2026-01-05 10:00"))
    fresh = complain(subject="新的投诉", severity="high")
    client = login(cast.ad)
    page = client.get(reverse("service:complaint_list")).content.decode()
    assert "迟到的海报" in page and "新的投诉" in page
    page = client.get(reverse("service:complaint_list") + "?late=on").content.decode()
    assert "迟到的海报" in page and "新的投诉" not in page
    page = client.get(reverse("service:complaint_list") + "?severity=high").content.decode()
    assert "迟到的海报" not in page and "新的投诉" in page
    url = reverse("service:complaint_list") + f"?company={service.company.pk}&status=open"
    assert "迟到的海报" in client.get(url).content.decode()
    assert late.pk and fresh.pk


def test_it_paginates_the_list(login, complain, cast):
    for n in range(35):
        complain(subject=f"投诉{n}")
    client = login(cast.ad)
    first = client.get(reverse("service:complaint_list"))
    assert first.content.decode().count('data-testid="complaint-row"') == 30
    second = client.get(reverse("service:complaint_list") + "?page=2")
    assert second.content.decode().count('data-testid="complaint-row"') == 5


def test_it_exports_the_filtered_list(login, complain, cast):
    complain(subject="导出的投诉")
    complain(subject="另一条", severity="low")
    response = login(cast.ad).get(
        reverse("service:complaint_list") + "?severity=normal&export=xlsx"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][7] == "导出的投诉"


def test_it_logs_a_complaint_from_the_page(login, cast, service):
    client = login(cast.ae)
    url = reverse("service:complaint_create")
    assert "HAIER" in client.get(url).content.decode()
    assert client.get(url + f"?company={service.clientele.other_company.pk}").status_code == 404
    form = client.get(url + f"?company={service.company.pk}")
    assert form.status_code == 200
    values = {
        "company": service.company.pk,
        "channel": "email",
        "category": service.category.pk,
        "severity": "normal",
        "subject": "",
        "description": "x",
        "job_number": "NOPE",
    }
    refused = client.post(url, values)
    assert refused.status_code == 400 and not Complaint.objects.exists()
    values.update(subject="报价单有误", job_number="")
    response = client.post(url, values)
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("service:complaint_detail", args=[complaint.pk])
    assert complaint.channel == "email" and complaint.raised_by == cast.ae


def test_the_detail_page_runs_the_moves(login, complain, cast, service):
    complaint = complain(now=MONDAY)
    client = login(cast.ad)
    page = client.get(reverse("service:complaint_detail", args=[complaint.pk])).content.decode()
    assert 'data-testid="move-assign"' in page and 'data-testid="answer-late"' in page
    move = lambda name: reverse("service:complaint_move", args=[complaint.pk, name])  # noqa: E731
    response = client.post(move("assign"), {"assignee": cast.ae.pk, "version": 1})
    assert response.status_code == 302
    # The same form sent again: a stale version, refused with 409.
    again = client.post(move("assign"), {"assignee": cast.ae.pk, "version": 1})
    assert again.status_code == 409
    # A skipped step: resolving before the first answer.
    skipped = client.post(move("resolve"), {"resolution": "x", "version": 2})
    assert skipped.status_code == 400
    assert (
        str(services.NOT_ANSWERED) in skipped.content.decode() or "答复" in skipped.content.decode()
    )
    assert client.post(move("answer"), {"answer": "", "version": 2}).status_code == 400
    assert client.post(move("answer"), {"answer": "已回复", "version": 2}).status_code == 302
    assert client.post(move("nonsense"), {}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED and complaint.version == 3


def test_the_report_gives_the_figures(login, complain, cast, service):
    creative = ComplaintCategory.objects.get(code="creative")
    resolved(complain, cast, logged=MONDAY, done=at("2026-09-29 12:00"))  # 11 h, within
    resolved(
        complain, cast, logged=MONDAY, done=at("2026-09-30 10:00"), severity="critical"
    )  # 18 h, promised within 9 h
    complain(now=MONDAY, category=creative)  # open
    response = login(cast.ad).get(
        reverse("service:complaint_report") + "?start=2026-09-01&end=2026-09-30"
    )
    report = response.context["report"]
    assert report.total.count == 3 and report.total.open == 1 and report.total.resolved == 2
    assert report.total.median_hours == Decimal("14.5")
    assert report.total.average_hours == Decimal("14.5")
    assert report.total.within_rate == 50
    assert [(row.label, row.count) for row in report.by_category] == [
        ("创意质量", 1),
        ("交付期限", 2),
    ]
    assert [(row.label, row.count) for row in report.by_month] == [("2026-09", 3)]
    assert [row.count for row in report.by_client] == [3]
    other = login(service.clientele.other_ae).get(
        reverse("service:complaint_report") + "?start=2026-09-01&end=2026-09-30"
    )
    assert other.context["report"].total.count == 0


def test_the_home_card_shows_mine_and_late(login, complain, cast):
    late = complain(subject="很晚的投诉", now=at("2026-01-05 10:00"))
    services.complaint_assign(actor=cast.ad, complaint=late, assignee=cast.ae, expected_version=1)
    page = login(cast.ae).get(reverse("core:home")).content.decode()
    assert 'data-testid="home-complaint-mine"' in page
    assert 'data-testid="home-complaint-late"' in page


# Session, user, the menu's and the scope's reads, the rows, their count, the unread count.
LIST_BUDGET = 18
# The same shell and scope, the complaint with its escalations and visits, the moves' forms
# and the history.
DETAIL_BUDGET = 21


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_page_keeps_its_query_budget(
    login, complain, cast, rows, django_assert_num_queries
):
    for n in range(rows):
        complain(subject=f"投诉{n}", severity="low")
    client = login(cast.ad)
    url = reverse("service:complaint_list")
    client.get(url)
    with django_assert_num_queries(LIST_BUDGET):
        client.get(url)


@pytest.mark.parametrize("visit_count", [0, 3])
def test_the_detail_page_keeps_its_query_budget(
    login, complain, cast, service, visit_count, django_assert_num_queries
):
    complaint = resolved(
        complain, cast, logged=MONDAY, done=at("2026-09-29 12:00"), severity="high"
    )
    for _ in range(visit_count):
        ReturnVisit.objects.create(
            company=service.company,
            complaint=complaint,
            kind="complaint",
            visited_on=date(2026, 10, 9),
            visited_by=cast.ae,
            recorded_by=cast.ae,
            contact=service.clientele.contact,
            notes="n",
            satisfied=False,
        )
    client = login(cast.ad)
    url = reverse("service:complaint_detail", args=[complaint.pk])
    client.get(url)
    with django_assert_num_queries(DETAIL_BUDGET):
        client.get(url)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pages_work_in_both_languages(login, complain, cast, language):
    from jobbag.accounts.models import User

    User.objects.filter(pk=cast.ad.pk).update(language=language)
    complaint = complain(now=MONDAY)
    client = login(User.objects.get(pk=cast.ad.pk))
    for url in [
        reverse("service:complaint_list"),
        reverse("service:complaint_detail", args=[complaint.pk]),
        reverse("service:complaint_report"),
        reverse("service:visits"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert (
            f'lang="{language}' in response.content.decode()
            or language in response.content.decode()
        )
    if language == "en":
        assert (
            "Promises"
            in client.get(reverse("service:complaint_detail", args=[complaint.pk])).content.decode()
        )
