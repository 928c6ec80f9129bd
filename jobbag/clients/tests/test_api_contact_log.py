"""The contact log over the API (router mounted on a test API like jobbag/api.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.clients.models import ContactLogEntry
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.fieldwork.tests.helpers import log

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jobbag.fieldwork.tests.api_urls")]

API = "/api/test/clients"


def _payload(clientele, cast, **overrides) -> dict:
    data = {
        "kind": "visit",
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "discussed": "讨论年度传播策略",
        "staff": [cast.ad.pk],
        "contacts": [clientele.contact.pk],
        "brand": clientele.brand.pk,
        "next_step": "提交策略草案",
        "next_step_due": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


def test_it_logs_a_visit_and_lists_the_companys_log(cast, clientele, login):
    client = login(cast.ae)
    response = client.post(
        f"{API}/{clientele.company.pk}/log",
        _payload(clientele, cast),
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    entry = ContactLogEntry.objects.get()
    assert body["id"] == entry.pk and body["version"] == 1
    assert {p["id"] for p in body["staff"]} == {cast.ae.pk, cast.ad.pk}
    assert body["contacts"] == [{"id": clientele.contact.pk, "name": "孙丽"}]
    assert AuditEntry.objects.filter(object_id=str(entry.pk), action="create").exists()

    listed = client.get(f"{API}/{clientele.company.pk}/log").json()
    assert listed["count"] == 1 and listed["items"][0]["next_step"] == "提交策略草案"


def test_bad_input_answers_field_messages_and_writes_nothing(cast, clientele, login):
    response = login(cast.ae).post(
        f"{API}/{clientele.company.pk}/log",
        _payload(clientele, cast, discussed="", kind="fax"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"discussed", "kind"}
    assert not ContactLogEntry.objects.exists()


def test_the_author_edits_with_the_version_and_a_stale_edit_is_refused(cast, clientele, login):
    entry = log(clientele.company, cast.ae, when=timezone.now())
    client = login(cast.ae)
    url = f"{API}/log-entries/{entry.pk}"
    ok = client.patch(
        url, {"version": 1, "discussed": "补充：预算待定"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 2 and ok.json()["discussed"] == "补充：预算待定"
    stale = client.patch(url, {"version": 1, "discussed": "旧"}, content_type="application/json")
    assert stale.status_code == 409
    entry.refresh_from_db()
    assert entry.discussed == "补充：预算待定"
    change = AuditEntry.objects.get(object_id=str(entry.pk), action="change")
    assert change.actor == cast.ae


def test_the_next_step_is_marked_done(cast, clientele, login):
    entry = log(clientele.company, cast.ae, when=timezone.now(), next_step="打样")
    response = login(cast.ae).post(f"{API}/log-entries/{entry.pk}/next-step-done")
    assert response.status_code == 200
    assert response.json()["next_step_done_at"] is not None
    assert login(cast.ae).post(f"{API}/log-entries/{entry.pk}/next-step-done").status_code == 409


def test_contact_log_api_permission_matrix(cast, clientele):
    entry = log(clientele.company, cast.ae, when=timezone.now(), next_step="x")
    cast.other_ae = clientele.other_ae
    company_log = f"{API}/{clientele.company.pk}/log"
    edit = f"{API}/log-entries/{entry.pk}"
    new = _payload(clientele, cast, staff=[], contacts=[], brand=None)
    cases = []
    for role, read, write, patch in [
        ("anonymous", 401, 401, 401),
        ("client", 404, 404, 404),
        ("outsider", 404, 404, 404),
        ("designer", 404, 404, 404),
        ("other_ae", 404, 404, 404),
        ("admin", 404, 404, 404),
        ("ad", 200, 201, 403),
    ]:
        cases += [
            Case(role, "GET", company_log, read),
            Case(role, "POST", company_log, write, new),
            Case(role, "PATCH", edit, patch, {"version": 1, "discussed": "改"}),
        ]
    cases.append(Case("ae", "PATCH", edit, 200, {"version": 1, "discussed": "改"}))
    run_permission_matrix(cast, cases)
    entry.refresh_from_db()
    assert entry.discussed == "改"
