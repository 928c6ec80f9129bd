"""Weekly report pages, portal pages and API: who sees and does what, the sent report's
refusals through page and API, the stale version, the portal's isolation and the query
budgets of the list and detail pages."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from jobbag.accounts.models import Role, ServiceTeamMembership
from jobbag.bench.ops_status_reports import open_work_build
from jobbag.clients.tests.factories import CompanyFactory
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.meetings.models import Action, StatusReport
from jobbag.meetings.services import status_reports as services
from jobbag.meetings.tests.test_status_reports_support import (
    WEEK,
    Scene,
    scene_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(cast, clientele, loop) -> Scene:
    return scene_build(cast, clientele, loop)


API = "/api/v1/meetings/status-reports"


@pytest.fixture
def report(scene, cast, clientele) -> StatusReport:
    return services.status_report_draft(actor=cast.ae, company=clientele.company, week_ending=WEEK)


@pytest.fixture
def sent(report, cast) -> StatusReport:
    return services.status_report_send(actor=cast.ae, report=report)


# Pages ---------------------------------------------------------------------------------


def test_the_draft_shows_as_the_client_will_see_it(report, login, cast):
    response = login(cast.ae).get(f"/meetings/status-reports/{report.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("冰箱新品发布会", "HAIER-2026-0002", "客户签字", "确认预算"):
        assert text in page
    assert 'data-testid="status-report-send"' in page
    assert 'data-testid="status-report-overdue"' in page
    assert "耐克" not in page


def test_the_detail_page_speaks_english_too(report, login, cast):
    cast.ae.language = "en"
    cast.ae.save(update_fields=["language"])
    page = login(cast.ae).get(f"/meetings/status-reports/{report.pk}/").content.decode()
    assert "Waiting on the client" in page and "In production" in page


def test_the_ae_drafts_from_the_page(scene, login, cast, clientele):
    client = login(cast.ae)
    assert client.get("/meetings/status-reports/new/").status_code == 200
    response = client.post(
        "/meetings/status-reports/new/",
        {"company": clientele.company.pk, "week_ending": WEEK.isoformat()},
    )
    report = StatusReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/status-reports/{report.pk}/"
    # Again: the same draft opens.
    again = client.post(
        "/meetings/status-reports/new/",
        {"company": clientele.company.pk, "week_ending": WEEK.isoformat()},
    )
    assert again["Location"] == response["Location"] and StatusReport.objects.count() == 1


def test_a_day_that_is_not_a_friday_is_refused_on_the_page(scene, login, cast, clientele):
    response = login(cast.ae).post(
        "/meetings/status-reports/new/",
        {"company": clientele.company.pk, "week_ending": "2026-11-30"},
    )
    assert response.status_code == 400
    assert str(services.NOT_A_FRIDAY) in response.content.decode()
    assert not StatusReport.objects.exists()


def test_the_ae_cannot_draft_for_another_client(scene, login, clientele, cast):
    response = login(cast.ae).post(
        "/meetings/status-reports/new/", {"company": clientele.other_company.pk}
    )
    # Not among the choices: a form error, nothing made.
    assert response.status_code == 400
    assert not StatusReport.objects.exists()


def test_note_refresh_and_send_from_the_pages(report, login, cast, mailoutbox):
    client = login(cast.ae)
    url = f"/meetings/status-reports/{report.pk}/"
    response = client.post(f"{url}note/", {"note": "发布会筹备顺利", "version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.note == "发布会筹备顺利" and report.version == 2
    client.post(f"{url}refresh/", {"version": report.version})
    report.refresh_from_db()
    assert report.version == 3
    response = client.post(f"{url}send/", {"version": report.version}, follow=True)
    report.refresh_from_db()
    assert report.status == StatusReport.Status.SENT
    assert 'data-testid="status-report-frozen"' in response.content.decode()
    assert 'data-testid="status-report-send"' not in response.content.decode()
    assert len(mailoutbox) == 4


def test_a_stale_note_is_refused_on_the_page(report, login, cast):
    client = login(cast.ae)
    services.status_report_refresh(actor=cast.ad, report=report)
    response = client.post(
        f"/meetings/status-reports/{report.pk}/note/", {"note": "旧的", "version": 1}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.note == ""


def test_a_sent_report_refuses_every_change_on_the_pages(sent, login, cast, mailoutbox):
    client = login(cast.ae)
    url = f"/meetings/status-reports/{sent.pk}/"
    frozen = dict(sent.content)
    Action.objects.update(status=Action.Status.DONE, closed_at=timezone.now(), closed_by=cast.ae)
    mails = len(mailoutbox)
    for action in ("refresh", "send"):
        response = client.post(f"{url}{action}/", {"version": sent.version}, follow=True)
        assert str(services.ALREADY_SENT) in response.content.decode()
    response = client.post(f"{url}note/", {"note": "改", "version": sent.version})
    assert response.status_code == 400
    assert str(services.ALREADY_SENT) in response.content.decode()
    assert client.get(f"{url}note/").status_code == 302
    sent.refresh_from_db()
    assert sent.content == frozen and sent.note == "" and len(mailoutbox) == mails


def test_the_pdf_downloads(report, login, cast):
    response = login(cast.ae).get(f"/meetings/status-reports/{report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:4] == b"%PDF"


def test_the_list_filters(report, login, cast, clientele):
    client = login(cast.gm)
    services.status_report_draft(actor=cast.gm, company=clientele.other_company, week_ending=WEEK)
    page = client.get("/meetings/status-reports/").content.decode()
    assert page.count('data-testid="status-report-row"') == 2
    page = client.get(f"/meetings/status-reports/?company={clientele.company.pk}").content.decode()
    assert page.count('data-testid="status-report-row"') == 1
    page = client.get("/meetings/status-reports/?status=sent").content.decode()
    assert page.count('data-testid="status-report-row"') == 0
    page = client.get("/meetings/status-reports/?week_ending=2026-11-20").content.decode()
    assert page.count('data-testid="status-report-row"') == 0
    # The AE sees only HAIER's.
    page = login(cast.ae).get("/meetings/status-reports/").content.decode()
    assert page.count('data-testid="status-report-row"') == 1


def test_the_home_card_lists_my_drafts(report, login, cast):
    page = login(cast.ae).get("/").content.decode()
    assert 'data-testid="home-status-reports"' in page
    assert f"/meetings/status-reports/{report.pk}/" in page
    assert "/meetings/status-reports/" in login(cast.ae).get("/").content.decode()


# Query budgets -------------------------------------------------------------------------

LIST_QUERIES = 11
DETAIL_QUERIES = 20


@pytest.mark.parametrize("extra", [0, 12])
def test_the_pages_take_a_fixed_number_of_queries(
    scene, cast, clientele, login, extra, django_assert_num_queries
):
    if extra:
        open_work_build(
            company=clientele.company,
            owner=cast.ae,
            contact=clientele.contact,
            week_ending=WEEK,
            jobs=extra,
            actions=extra,
            signoffs=extra,
            tasks=extra,
        )
        for n in range(extra):
            company = CompanyFactory(code=f"C{n}", name=f"客户{n}")
            ServiceTeamMembership.objects.create(user=cast.ae, team_role=Role.AE, company=company)
            services.status_report_draft(actor=cast.ae, company=company, week_ending=WEEK)
    report = services.status_report_draft(
        actor=cast.ae, company=clientele.company, week_ending=WEEK
    )
    client = login(cast.ae)
    client.get("/meetings/status-reports/")
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/meetings/status-reports/").status_code == 200
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(f"/meetings/status-reports/{report.pk}/").status_code == 200


# Portal --------------------------------------------------------------------------------


def test_the_client_sees_sent_reports_in_the_portal(sent, report, login, cast):
    client = login(cast.client)
    page = client.get("/portal/status-reports/").content.decode()
    assert f"/portal/status-reports/{sent.pk}/" in page
    detail = client.get(f"/portal/status-reports/{sent.pk}/")
    assert detail.status_code == 200
    assert "确认预算" in detail.content.decode()
    pdf = client.get(f"/portal/status-reports/{sent.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    # Their menu has the entry.
    assert 'href="/portal/status-reports/"' in page


def test_the_portal_hides_drafts_and_other_companies(report, login, cast, clientele):
    client = login(cast.client)
    assert client.get(f"/portal/status-reports/{report.pk}/").status_code == 404
    assert 'data-testid="portal-status-reports-empty"' in (
        client.get("/portal/status-reports/").content.decode()
    )
    services.status_report_send(actor=cast.ae, report=report)
    outsider = login(cast.outsider)
    assert outsider.get(f"/portal/status-reports/{report.pk}/").status_code == 404
    assert outsider.get(f"/portal/status-reports/{report.pk}/pdf/").status_code == 404
    assert f"/portal/status-reports/{report.pk}/" not in (
        outsider.get("/portal/status-reports/").content.decode()
    )
    assert outsider.get(f"{API}/{report.pk}").status_code == 404
    assert outsider.get(API).json()["count"] == 0


# API -----------------------------------------------------------------------------------


def test_the_api_drafts_notes_refreshes_and_sends(scene, login, cast, clientele, mailoutbox):
    client = login(cast.ae)
    response = client.post(
        API,
        {"company": clientele.company.pk, "week_ending": WEEK.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    pk = body["id"]
    assert body["status"] == "draft" and body["content"]["counts"]["jobs"] == 2
    listing = client.get(API).json()
    assert listing["count"] == 1 and listing["items"][0]["company_code"] == "HAIER"
    patched = client.patch(
        f"{API}/{pk}", {"version": body["version"], "note": "API 备注"}, "application/json"
    )
    assert patched.status_code == 200 and patched.json()["note"] == "API 备注"
    stale = client.patch(
        f"{API}/{pk}", {"version": body["version"], "note": "旧"}, "application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    refreshed = client.post(f"{API}/{pk}/refresh", {}, "application/json")
    assert refreshed.status_code == 200
    sent = client.post(
        f"{API}/{pk}/send", {"version": refreshed.json()["version"]}, "application/json"
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert len(sent.json()["content_hash"]) == 64
    pdf = client.get(f"{API}/{pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_api_refuses_changes_to_a_sent_report(sent, login, cast):
    client = login(cast.ae)
    frozen = dict(sent.content)
    Action.objects.update(status=Action.Status.DONE, closed_at=timezone.now(), closed_by=cast.ae)
    for method, path, data in (
        ("post", f"{API}/{sent.pk}/refresh", {}),
        ("post", f"{API}/{sent.pk}/send", {}),
        ("patch", f"{API}/{sent.pk}", {"version": sent.version, "note": "改"}),
    ):
        response = getattr(client, method)(path, data, content_type="application/json")
        assert response.status_code == 409, path
        assert response.json()["code"] == "report_sent"
        assert response.json()["message"] == str(services.ALREADY_SENT)
    sent.refresh_from_db()
    assert sent.content == frozen and sent.note == ""


def test_the_api_refuses_malformed_input(scene, login, cast, clientele):
    client = login(cast.ae)
    bad = client.post(API, {"company": "海尔"}, content_type="application/json")
    assert bad.status_code == 422
    monday = client.post(
        API, {"company": clientele.company.pk, "week_ending": "2026-11-30"}, "application/json"
    )
    assert monday.status_code == 400 and "week_ending" in monday.json()["fields"]
    assert client.post(API, {"company": 999999}, "application/json").status_code == 404
    assert not StatusReport.objects.exists()


def test_client_users_get_their_sent_reports_through_the_api(sent, login, cast):
    client = login(cast.client)
    listing = client.get(API).json()
    assert [row["id"] for row in listing["items"]] == [sent.pk]
    assert client.get(f"{API}/{sent.pk}").json()["status"] == "sent"
    assert client.post(f"{API}/{sent.pk}/refresh", {}, "application/json").status_code == 403


# Permission matrix ---------------------------------------------------------------------


def test_the_permission_matrix(report, cast, clientele, loop):
    people = SimpleNamespace(**vars(cast), other_ae=clientele.other_ae, manager=loop.manager)
    detail = f"/meetings/status-reports/{report.pk}/"
    portal = f"/portal/status-reports/{report.pk}/"
    company = {"company": clientele.company.pk, "week_ending": WEEK.isoformat()}
    cases = [
        Case("anonymous", "GET", "/meetings/status-reports/", 302),
        Case("anonymous", "GET", API, 401),
        Case("anonymous", "GET", "/portal/status-reports/", 302),
    ]
    for role, list_status, detail_status, create_status in (
        ("ae", 200, 200, 200),
        ("ad", 200, 200, 200),
        ("gm", 200, 200, 200),
        ("admin", 200, 200, 200),
        ("other_ae", 200, 404, 200),
        ("designer", 200, 404, 403),
        ("finance", 200, 404, 403),
        ("client", 404, 404, 404),
        ("outsider", 404, 404, 404),
    ):
        cases += [
            Case(role, "GET", "/meetings/status-reports/", list_status),
            Case(role, "GET", detail, detail_status),
            Case(role, "GET", f"{detail}pdf/", detail_status),
            Case(role, "GET", "/meetings/status-reports/new/", create_status),
            Case(role, "GET", f"{API}/{report.pk}", detail_status),
        ]
    for role, status in (
        ("other_ae", 403),
        ("designer", 403),
        ("finance", 403),
        ("client", 403),
        ("outsider", 403),
    ):
        cases.append(Case(role, "POST", API, status, data=company))
    for role, status in (("other_ae", 404), ("designer", 404), ("client", 404)):
        cases += [
            Case(role, "POST", f"{API}/{report.pk}/send", status, data={}),
            Case(role, "POST", f"{API}/{report.pk}/refresh", status, data={}),
            Case(role, "POST", f"{detail}send/", 404),
        ]
    for role, status in (("ae", 404), ("gm", 404), ("client", 404), ("outsider", 404)):
        cases.append(Case(role, "GET", portal, status))
    cases.append(Case("ae", "GET", "/portal/status-reports/", 404))
    run_permission_matrix(people, cases)
    report.refresh_from_db()
    assert report.status == StatusReport.Status.DRAFT
