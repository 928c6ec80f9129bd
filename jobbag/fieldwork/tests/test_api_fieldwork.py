"""Field work over the API (router mounted on a test API like jobbag/api.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.fieldwork.models import DailyReport, Outing, ReportStatus
from jobbag.fieldwork.tests.helpers import chain, log

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jobbag.fieldwork.tests.api_urls")]

API = "/api/test/fieldwork"
JSON = "application/json"


def _outing(**overrides) -> dict:
    now = timezone.now()
    data = {
        "destination": "海尔集团",
        "whom": "孙丽",
        "purpose": "提案",
        "leaves_at": now.isoformat(),
        "back_by": (now + timedelta(hours=2)).isoformat(),
    }
    data.update(overrides)
    return data


def test_i_register_list_and_return_from_an_outing(cast, clientele, login):
    client = login(cast.ae)
    created = client.post(
        f"{API}/outings", _outing(contacts=[clientele.contact.pk], whom=""), content_type=JSON
    )
    assert created.status_code == 201
    body = created.json()
    assert body["company_id"] == clientele.company.pk and body["contact_ids"] == [
        clientele.contact.pk
    ]
    outing = Outing.objects.get()
    assert AuditEntry.objects.filter(object_id=str(outing.pk), action="create").exists()

    assert client.get(f"{API}/outings?open=true").json()["count"] == 1
    back = client.post(f"{API}/outings/{outing.pk}/return", {}, content_type=JSON)
    assert back.status_code == 200 and back.json()["returned_at"] is not None
    assert client.get(f"{API}/outings?open=true").json()["count"] == 0
    assert (
        client.post(f"{API}/outings/{outing.pk}/return", {}, content_type=JSON).status_code == 409
    )


def test_bad_outings_answer_field_messages_and_write_nothing(cast, clientele, login):
    now = timezone.now()
    response = login(cast.ae).post(
        f"{API}/outings",
        _outing(destination="", whom="", back_by=(now - timedelta(hours=1)).isoformat()),
        content_type=JSON,
    )
    assert response.status_code == 400
    assert {"destination", "whom", "back_by"} <= set(response.json()["fields"])
    assert not Outing.objects.exists()


def test_a_daily_report_is_saved_submitted_and_reviewed(cast, clientele, login):
    chain(cast)
    log(clientele.company, cast.ae, when=timezone.now() - timedelta(minutes=1))
    ae = login(cast.ae)
    today = timezone.localdate().isoformat()
    saved = ae.post(
        f"{API}/daily-reports", {"day": today, "summary": "拜访一次"}, content_type=JSON
    )
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    report_id = saved.json()["id"]
    again = ae.post(f"{API}/daily-reports", {"day": today, "summary": "重复"}, content_type=JSON)
    assert again.status_code == 409

    submitted = ae.post(
        f"{API}/daily-reports/{report_id}/submit", {"version": 1}, content_type=JSON
    )
    assert submitted.status_code == 200
    assert submitted.json()["visits"] == 1 and len(submitted.json()["activities"]) == 1
    assert ae.get(f"{API}/daily-reports?status=submitted").json()["count"] == 1

    ad = login(cast.ad)
    refused = ad.post(
        f"{API}/daily-reports/{report_id}/review",
        {"version": 2, "decision": "returned", "comment": ""},
        content_type=JSON,
    )
    assert refused.status_code == 400 and "comment" in refused.json()["fields"]
    reviewed = ad.post(
        f"{API}/daily-reports/{report_id}/review",
        {"version": 2, "decision": "reviewed", "comment": "好"},
        content_type=JSON,
    )
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "reviewed"
    assert DailyReport.objects.get().status == ReportStatus.REVIEWED
    assert AuditEntry.objects.filter(object_id=str(report_id), action="transition").count() == 2


def test_fieldwork_api_permission_matrix(cast, clientele, login):
    chain(cast)
    cast.other_ae = clientele.other_ae
    outing_id = login(cast.ae).post(f"{API}/outings", _outing(), content_type=JSON).json()["id"]
    today = timezone.localdate().isoformat()
    report_id = (
        login(cast.ae)
        .post(f"{API}/daily-reports", {"day": today, "summary": "x"}, content_type=JSON)
        .json()["id"]
    )
    login(cast.ae).post(
        f"{API}/daily-reports/{report_id}/submit", {"version": 1}, content_type=JSON
    )
    cases = []
    for role, mine, one_report, review, back in [
        ("anonymous", 401, 401, 401, 401),
        ("client", 403, 404, 404, 404),
        ("outsider", 403, 404, 404, 404),
        ("designer", 403, 404, 404, 404),
        ("admin", 403, 404, 404, 404),
        ("other_ae", 200, 404, 404, 404),
        ("gm", 200, 200, 400, 403),
    ]:
        cases += [
            Case(role, "GET", f"{API}/outings", mine),
            Case(role, "GET", f"{API}/daily-reports", mine),
            Case(role, "GET", f"{API}/daily-reports/{report_id}", one_report),
            Case(
                role,
                "POST",
                f"{API}/daily-reports/{report_id}/review",
                review,
                {"version": 2, "decision": "returned", "comment": ""},
            ),
            Case(role, "POST", f"{API}/outings/{outing_id}/return", back, {}),
        ]
    cases.append(Case("ae", "GET", f"{API}/daily-reports/{report_id}", 200))
    run_permission_matrix(cast, cases)
    assert Outing.objects.get().returned_at is None
