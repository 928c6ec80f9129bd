"""Pages, portal pages and API of contact reports: writing, sending, the refusal to edit
a sent report (page and API), acknowledgement in the portal, isolation, who may do what,
and fixed query budgets."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from jobbag.core.testing import Case, run_permission_matrix
from jobbag.meetings.models import Action, ContactReport, ReportReceipt
from jobbag.meetings.services import reports as services
from jobbag.meetings.services.common import OWNER_NOT_CLIENT
from jobbag.meetings.tests.factories import ContactReportFactory
from jobbag.meetings.tests.test_reports_support import (
    DECISION,
    held_meeting,
    phone_report,
    sent,
    written,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/meetings/reports"


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def edit_data(report, *, decisions=(), actions=(), **fields) -> dict:
    data = {
        "subject": report.subject,
        "place": "",
        "discussion": "讨论要点",
        "version": report.version,
        "decisions-TOTAL_FORMS": len(decisions),
        "decisions-INITIAL_FORMS": 0,
        "decisions-MIN_NUM_FORMS": 0,
        "decisions-MAX_NUM_FORMS": 1000,
        "actions-TOTAL_FORMS": len(actions),
        "actions-INITIAL_FORMS": 0,
        "actions-MIN_NUM_FORMS": 0,
        "actions-MAX_NUM_FORMS": 1000,
    }
    for index, text in enumerate(decisions):
        data[f"decisions-{index}-text"] = text
    for index, row in enumerate(actions):
        for name, value in row.items():
            data[f"actions-{index}-{name}"] = value
    data.update(fields)
    return data


def page_actions(cast, clientele, contact=None):
    due = (timezone.localdate() + timedelta(days=4)).isoformat()
    return [
        {"text": "提交修改稿", "side": "agency", "owner": cast.ae.pk, "due_on": due},
        {
            "text": "确认预算",
            "side": "client",
            "owner_contact": (contact or clientele.contact).pk,
            "due_on": due,
        },
    ]


# Writing through the pages -----------------------------------------------------------------


def test_it_prefills_and_starts_the_report_of_a_meeting(cast, clientele, loop, login):
    meeting = held_meeting(cast, clientele, loop)
    web = login(cast.ae)
    url = reverse("meetings:report_create") + f"?meeting={meeting.pk}"
    page = web.get(url)
    assert page.status_code == 200
    assert meeting.purpose in page.content.decode() and "孙丽" in page.content.decode()
    response = web.post(reverse("meetings:report_create"), {"meeting": meeting.pk})
    report = ContactReport.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response.url == reverse("meetings:report_edit", args=[report.pk])
    # A second report of the meeting: a clear refusal, nothing made.
    again = web.get(url)
    assert zh(services.ALREADY_REPORTED) in again.content.decode()
    refused = web.post(reverse("meetings:report_create"), {"meeting": meeting.pk})
    assert refused.status_code == 400
    assert zh(services.ALREADY_REPORTED) in refused.content.decode()
    assert ContactReport.objects.count() == 1


def test_it_starts_a_report_of_a_call_from_the_page(cast, clientele, loop, login):
    web = login(cast.ae)
    when = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = web.post(
        reverse("meetings:report_create"),
        {
            "source": "phone",
            "company": clientele.company.pk,
            "job": loop.job.pk,
            "occurred_at": when,
            "subject": "电话：预算确认",
            "staff": [cast.ae.pk],
            "contacts": [clientele.contact.pk],
        },
    )
    report = ContactReport.objects.get()
    assert response.status_code == 302 and report.source == "phone"
    assert list(report.contacts.all()) == [clientele.contact]
    # Missing subject: a field error, nothing made.
    bad = web.post(reverse("meetings:report_create"), {"company": clientele.company.pk})
    assert bad.status_code == 400 and ContactReport.objects.count() == 1


def test_it_edits_a_draft_with_decisions_and_actions(cast, clientele, loop, login):
    report = phone_report(cast, clientele)
    web = login(cast.ae)
    url = reverse("meetings:report_edit", args=[report.pk])
    assert web.get(url).status_code == 200
    data = edit_data(
        report, decisions=["采用第二套方向", ""], actions=page_actions(cast, clientele)
    )
    response = web.post(url, data)
    assert response.status_code == 302
    assert [d.text for d in report.decisions.all()] == ["采用第二套方向"]
    assert Action.objects.filter(report=report, status="draft").count() == 2


def test_it_shows_the_wrong_clients_contact_on_its_row(cast, clientele, loop, login):
    from jobbag.clients.tests.factories import ContactFactory

    report = phone_report(cast, clientele)
    nike = ContactFactory(company=clientele.other_company, name="耐克联系人")
    web = login(cast.ae)
    url = reverse("meetings:report_edit", args=[report.pk])
    data = edit_data(report, decisions=["x"], actions=page_actions(cast, clientele))
    data["actions-1-owner_contact"] = nike.pk
    response = web.post(url, data)
    # Not among the choices of this client: the form refuses it before the service.
    assert response.status_code == 400
    assert not Action.objects.exists() and not report.decisions.exists()
    assert OWNER_NOT_CLIENT  # the service's own refusal is tested in test_reports_services


def test_it_refuses_a_stale_edit_on_the_page(cast, clientele, loop, login):
    report = phone_report(cast, clientele)
    stale = edit_data(report, decisions=["旧"])
    written(cast, clientele, report)
    response = login(cast.ad).post(reverse("meetings:report_edit", args=[report.pk]), stale)
    assert response.status_code == 409
    assert [d.text for d in report.decisions.all()] == [DECISION]


def test_it_sends_from_the_page_and_refuses_the_second_send(
    cast, clientele, loop, login, mailoutbox
):
    report = written(cast, clientele)
    web = login(cast.ae)
    url = reverse("meetings:report_send", args=[report.pk])
    assert web.post(url).status_code == 302
    report.refresh_from_db()
    assert report.status == "sent" and len(mailoutbox) == 4
    response = web.post(url, follow=True)
    assert zh(services.ALREADY_SENT) in response.content.decode()
    assert len(mailoutbox) == 4
    detail = web.get(reverse("meetings:report_detail", args=[report.pk])).content.decode()
    assert report.content_hash in detail and "孙丽" in detail


def test_a_sent_report_refuses_edits_on_the_page_and_through_the_api(cast, clientele, loop, login):
    report = sent(cast, clientele)
    web = login(cast.ae)
    url = reverse("meetings:report_edit", args=[report.pk])
    response = web.get(url, follow=True)
    assert zh(services.SENT_NO_EDIT) in response.content.decode()
    posted = web.post(url, edit_data(report, decisions=["改"]))
    assert posted.status_code == 400
    assert zh(services.SENT_NO_EDIT) in posted.content.decode()
    api = web.patch(
        f"{API}/{report.pk}",
        data=json.dumps({"version": report.version, "subject": "改"}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["message"] == zh(services.SENT_NO_EDIT)
    report.refresh_from_db()
    assert report.subject != "改" and [d.text for d in report.decisions.all()] == [DECISION]


def test_it_adds_an_addendum_from_the_page(cast, clientele, loop, login, mailoutbox):
    report = sent(cast, clientele)
    mailoutbox.clear()
    web = login(cast.ae)
    web.post(reverse("meetings:report_addendum", args=[report.pk]), {"text": "更正：周五"})
    assert report.addenda.get().number == 1 and len(mailoutbox) == 4
    pdf = web.get(reverse("meetings:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# Portal ------------------------------------------------------------------------------------


def test_the_client_acknowledges_in_the_portal(cast, clientele, loop, login):
    report = sent(cast, clientele)
    draft = written(cast, clientele)
    web = login(cast.client)
    listing = web.get(reverse("portal:report_list")).content.decode()
    assert report.subject in listing and f'data-report="{draft.pk}"' not in listing
    assert web.get(reverse("portal:report_detail", args=[draft.pk])).status_code == 404
    page = web.get(reverse("portal:report_detail", args=[report.pk]))
    assert page.status_code == 200 and "确认预算" in page.content.decode()
    web.post(reverse("portal:report_acknowledge", args=[report.pk]))
    receipt = ReportReceipt.objects.get(report=report, contact=clientele.contact)
    assert receipt.acknowledged_by == cast.client
    first = receipt.acknowledged_at
    web.post(reverse("portal:report_acknowledge", args=[report.pk]))
    receipt.refresh_from_db()
    assert receipt.acknowledged_at == first
    pdf = web.get(reverse("portal:report_pdf", args=[report.pk]))
    assert pdf.content.startswith(b"%PDF")
    staff_page = login(cast.ae).get(reverse("meetings:report_detail", args=[report.pk]))
    assert 'data-acknowledged="1"' in staff_page.content.decode()


def test_the_portal_is_isolated(cast, clientele, loop, login):
    report = sent(cast, clientele)
    outsider = login(cast.outsider)
    for name in ["portal:report_detail", "portal:report_pdf"]:
        assert outsider.get(reverse(name, args=[report.pk])).status_code == 404
    assert outsider.post(reverse("portal:report_acknowledge", args=[report.pk])).status_code == 404
    assert report.subject not in outsider.get(reverse("portal:report_list")).content.decode()
    assert outsider.get(f"{API}/{report.pk}").status_code == 404
    assert outsider.post(f"{API}/{report.pk}/acknowledge").status_code == 404
    assert outsider.get(API).json()["count"] == 0
    assert not ReportReceipt.objects.filter(acknowledged_at__isnull=False).exists()


# API ---------------------------------------------------------------------------------------


def test_the_api_writes_sends_and_refuses(cast, clientele, loop, login, mailoutbox):
    web = login(cast.ae)
    when = (timezone.now() - timedelta(hours=1)).isoformat()
    created = web.post(
        API,
        data=json.dumps(
            {
                "company": clientele.company.pk,
                "source": "phone",
                "occurred_at": when,
                "subject": "电话",
                "contacts": [clientele.contact.pk],
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    patch = {
        "version": body["version"],
        "decisions": ["同意"],
        "actions": [
            {"text": "确认", "side": "client", "owner_contact": clientele.contact.pk, "due_on": due}
        ],
    }
    url = f"{API}/{body['id']}"
    updated = web.patch(url, data=json.dumps(patch), content_type="application/json")
    assert updated.status_code == 200 and updated.json()["actions"][0]["owner_name"].startswith(
        "孙丽"
    )
    stale = web.patch(url, data=json.dumps(patch), content_type="application/json")
    assert stale.status_code == 409
    wrong = dict(patch, version=updated.json()["version"])
    wrong["actions"] = [
        {"text": "x", "side": "agency", "owner_contact": clientele.contact.pk, "due_on": due}
    ]
    refused = web.patch(url, data=json.dumps(wrong), content_type="application/json")
    assert refused.status_code == 400 and "actions.0.owner" in refused.json()["fields"]
    assert web.post(f"{url}/send").status_code == 200
    assert web.post(f"{url}/send").status_code == 409
    addendum = web.post(
        f"{url}/addenda", data=json.dumps({"text": "更正"}), content_type="application/json"
    )
    assert addendum.status_code == 201 and addendum.json()["number"] == 1
    assert web.get(f"{url}/pdf").content.startswith(b"%PDF")
    client_web = login(cast.client)
    assert client_web.get(API).json()["count"] == 1
    ack = client_web.post(f"{url}/acknowledge")
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == cast.client.pk
    detail = login(cast.ae).get(url).json()
    assert detail["receipts"][0]["acknowledged_at"] is not None
    assert detail["content_hash"] and detail["sent_late"] is False


def test_the_api_refuses_a_second_report_of_a_meeting(cast, clientele, loop, login):
    meeting = held_meeting(cast, clientele, loop)
    web = login(cast.ae)
    payload = json.dumps({"meeting": meeting.pk})
    assert web.post(API, data=payload, content_type="application/json").status_code == 201
    again = web.post(API, data=payload, content_type="application/json")
    assert again.status_code == 400 and again.json()["message"] == zh(services.ALREADY_REPORTED)


# Who may do what ---------------------------------------------------------------------------


def test_the_permission_matrix(cast, clientele, loop):
    draft = written(cast, clientele)
    report = sent(cast, clientele)
    meeting = held_meeting(cast, clientele, loop)
    detail = reverse("meetings:report_detail", args=[report.pk])
    edit = reverse("meetings:report_edit", args=[draft.pk])
    send = reverse("meetings:report_send", args=[draft.pk])
    portal = reverse("portal:report_detail", args=[report.pk])
    cases = [
        Case("anonymous", "GET", reverse("meetings:report_list"), 302),
        Case("ae", "GET", reverse("meetings:report_list"), 200),
        Case("ad", "GET", detail, 200),
        Case("gm", "GET", detail, 200),
        Case("admin", "GET", detail, 200),
        Case("designer", "GET", reverse("meetings:report_list"), 200),
        Case("designer", "GET", detail, 404),
        Case("finance", "GET", detail, 404),
        Case("client", "GET", detail, 404),
        Case("client", "GET", reverse("meetings:report_list"), 404),
        Case("ae", "GET", edit, 200),
        Case("gm", "GET", edit, 200),
        Case("designer", "GET", edit, 404),
        Case("designer", "GET", reverse("meetings:report_create"), 403),
        Case("ae", "GET", reverse("meetings:report_create"), 200),
        Case("ae", "GET", reverse("meetings:report_create") + f"?meeting={meeting.pk}", 200),
        Case("designer", "GET", reverse("meetings:report_create") + f"?meeting={meeting.pk}", 404),
        Case("finance", "POST", reverse("meetings:report_create"), 404, {"meeting": meeting.pk}),
        Case("finance", "POST", send, 404),
        Case("ae", "GET", portal, 404),
        Case("client", "GET", portal, 200),
        Case("outsider", "GET", portal, 404),
        Case("anonymous", "GET", f"{API}/{report.pk}", 401),
        Case("ae", "GET", f"{API}/{report.pk}", 200),
        Case("designer", "GET", f"{API}/{report.pk}", 404),
        Case("client", "GET", f"{API}/{report.pk}", 200),
        Case("client", "GET", f"{API}/{draft.pk}", 404),
        Case("outsider", "GET", f"{API}/{report.pk}", 404),
        Case("designer", "POST", API, 403, {"company": clientele.company.pk}),
        Case("client", "POST", API, 403, {"company": clientele.company.pk}),
        Case("client", "POST", f"{API}/{draft.pk}/send", 404),
        Case("ad", "POST", f"{API}/{report.pk}/acknowledge", 404),
    ]
    run_permission_matrix(cast, cases)


# Query budgets -----------------------------------------------------------------------------


def _many(cast, clientele, count: int) -> None:
    for _ in range(count):
        ContactReportFactory(company=clientele.company, created_by=cast.ae)


def test_the_list_page_has_a_fixed_query_budget(
    cast, clientele, loop, login, django_assert_num_queries
):
    web = login(cast.ae)
    url = reverse("meetings:report_list")
    _many(cast, clientele, 2)
    web.get(url)
    with CaptureQueriesContext(connection) as few:
        web.get(url)
    budget = len(few.captured_queries)
    assert budget <= 22
    _many(cast, clientele, 12)
    with django_assert_num_queries(budget):
        assert web.get(url + "?status=draft").status_code == 200


def test_the_detail_page_has_a_fixed_query_budget(
    cast, clientele, loop, login, django_assert_num_queries
):
    small = sent(cast, clientele, actions=[], decisions=["一"])
    big = sent(cast, clientele)
    services.addendum_add(actor=cast.ae, report=big, text="更正一")
    services.addendum_add(actor=cast.ae, report=big, text="更正二")
    web = login(cast.ae)
    web.get(reverse("meetings:report_detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as few:
        web.get(reverse("meetings:report_detail", args=[small.pk]))
    assert len(few.captured_queries) <= 24
    with django_assert_num_queries(len(few.captured_queries)):
        assert web.get(reverse("meetings:report_detail", args=[big.pk])).status_code == 200


def test_the_home_card_lists_my_drafts_with_overdue_ones_marked(cast, clientele, loop, login):
    due_soon = phone_report(cast, clientele)
    overdue = phone_report(cast, clientele, occurred_at=timezone.now() - timedelta(hours=30))
    sent(cast, clientele)
    home = login(cast.ae).get(reverse("core:home")).content.decode()
    assert home.count('data-testid="home-contact-report"') == 2
    assert home.count('data-overdue="1"') == 1
    assert reverse("meetings:report_edit", args=[overdue.pk]) in home
    assert reverse("meetings:report_edit", args=[due_soon.pk]) in home
    assert (
        'data-testid="home-contact-reports"'
        not in login(cast.ad).get(reverse("core:home")).content.decode()
    )


def test_the_pages_speak_english_on_request(cast, clientele, loop, login):
    from jobbag.accounts.models import User

    report = sent(cast, clientele)
    User.objects.filter(pk=cast.ae.pk).update(language="en")
    cast.ae.refresh_from_db()
    web = login(cast.ae)
    detail = web.get(reverse("meetings:report_detail", args=[report.pk])).content.decode()
    assert "Decisions" in detail and "Sent to" in detail
    listing = web.get(reverse("meetings:report_list")).content.decode()
    assert "Contact reports" in listing


def test_the_list_filters_by_client_status_and_overdue(cast, clientele, loop, login):
    on_time = phone_report(cast, clientele)
    overdue = phone_report(cast, clientele, occurred_at=timezone.now() - timedelta(hours=30))
    done = sent(cast, clientele)
    nike = ContactReportFactory(company=clientele.other_company, created_by=clientele.other_ae)
    web = login(cast.gm)
    url = reverse("meetings:report_list")

    def shown(query: str) -> set[int]:
        html = web.get(url + query).content.decode()
        return {r.pk for r in (on_time, overdue, done, nike) if f'data-report="{r.pk}"' in html}

    assert shown("") == {on_time.pk, overdue.pk, done.pk, nike.pk}
    assert shown(f"?client={clientele.company.pk}") == {on_time.pk, overdue.pk, done.pk}
    assert shown("?status=sent") == {done.pk}
    assert shown("?overdue=on") == {overdue.pk}
    # The AE of HAIER never sees NIKE's reports.
    assert nike.subject not in login(cast.ae).get(url).content.decode()
