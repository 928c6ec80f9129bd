"""Acceptance and the summary over the API (/api/v1/jobs/), and who may do what."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jobbag.approvals.models import Approval
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.jobs.models import Acceptance, AcceptanceItem, JobSummary
from jobbag.jobs.services.closing import job_complete
from jobbag.jobs.tests.factories import JobFactory
from jobbag.jobs.tests.test_acceptance import big, dispatch, new_acceptance, qc_ready

pytestmark = pytest.mark.django_db

API = "/api/v1/jobs"
JSON = "application/json"
NEW = {
    "place": "青岛门店",
    "planned_on": "2026-11-20",
    "notes": "",
    "items": [{"description": "展架", "quantity": "10 套"}, {"description": "灯箱"}],
}
SECTIONS = {
    "introduction": "介绍",
    "schedule": "进度",
    "execution": "执行",
    "problems": "问题",
    "improvements": "改进",
    "client_satisfaction": "满意",
}


def test_an_acceptance_goes_from_creation_to_sign_off(cast, chain, login):
    qc_ready(chain)
    api = login(cast.ae)
    url = f"{API}/{chain.job.pk}/acceptances"

    early = api.post(url, NEW, content_type=JSON)
    assert early.status_code == 400 and early.json()["code"] == "work_not_started"
    dispatch(chain)
    created = api.post(url, NEW, content_type=JSON)
    assert created.status_code == 201
    body = created.json()
    assert body["number"] == 1 and [i["result"] for i in body["items"]] == ["pending"] * 2

    refused = api.post(f"{API}/acceptances/{body['id']}/submit")
    assert refused.status_code == 400
    assert refused.json()["code"] == "items_not_passed"
    assert any("展架" in m for m in refused.json()["fields"]["items"])

    qc = login(chain.qc_head)
    for item in body["items"]:
        checked = qc.post(
            f"{API}/acceptance-items/{item['id']}/check", {"result": "passed"}, content_type=JSON
        )
        assert checked.status_code == 200
    assert api.get(url).json()[0]["items"][0]["checked_by"]["id"] == chain.qc_head.pk

    api = login(cast.ae)
    submitted = api.post(f"{API}/acceptances/{body['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"
    again = api.post(f"{API}/acceptances/{body['id']}/submit")
    assert again.status_code == 409
    late_check = login(chain.qc_head).post(
        f"{API}/acceptance-items/{body['items'][0]['id']}/check",
        {"result": "failed", "remark": "x"},
        content_type=JSON,
    )
    assert late_check.status_code == 409
    got = login(cast.ae).get(f"{API}/acceptances/{body['id']}")
    assert got.json()["approval_id"] == Approval.objects.get().pk
    assert got.json()["signoff_status"] == "submitted"


def test_bad_input_is_refused_with_field_errors(cast, chain, login):
    dispatch(chain)
    api = login(cast.ae)

    no_items = api.post(
        f"{API}/{chain.job.pk}/acceptances", {**NEW, "items": []}, content_type=JSON
    )
    bad_date = api.post(
        f"{API}/{chain.job.pk}/acceptances", {**NEW, "planned_on": "soon"}, content_type=JSON
    )
    item = new_acceptance(cast, chain).items.first()
    bad_result = api.post(
        f"{API}/acceptance-items/{item.pk}/check", {"result": "maybe"}, content_type=JSON
    )

    assert no_items.status_code == 400 and "items" in no_items.json()["fields"]
    assert bad_date.status_code == 422 and "planned_on" in bad_date.json()["fields"]
    assert bad_result.status_code == 422
    assert Acceptance.objects.count() == 1
    assert AcceptanceItem.objects.filter(result="pending").count() == 2


def test_the_pdf_comes_through_the_api(cast, chain, login):
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)

    response = login(cast.ae).get(f"{API}/acceptances/{acceptance.pk}/pdf")

    assert response.status_code == 200 and response.content[:4] == b"%PDF"


def test_the_summary_is_patched_against_its_version_and_sent(cast, chain, login):
    big(chain.job)
    api = login(cast.ae)
    assert api.get(f"{API}/{chain.job.pk}/summary").status_code == 404
    job_complete(job=chain.job, actor=cast.ae, on=date(2026, 11, 20))
    url = f"{API}/{chain.job.pk}/summary"

    summary = api.get(url).json()
    assert summary["due_on"] == "2026-11-27"
    assert summary["late"] == (timezone.localdate() > date(2026, 11, 27))
    patched = api.patch(
        url, {"version": summary["version"], "introduction": "介绍"}, content_type=JSON
    )
    assert patched.status_code == 200 and patched.json()["introduction"] == "介绍"
    stale = api.patch(url, {"version": summary["version"], "schedule": "x"}, content_type=JSON)
    assert stale.status_code == 409
    bad_score = api.patch(
        url, {"version": patched.json()["version"], "satisfaction_score": 7}, content_type=JSON
    )
    assert bad_score.status_code == 422

    missing = api.post(f"{url}/submit")
    assert missing.status_code == 400
    assert set(missing.json()["fields"]) == set(SECTIONS) - {"introduction"}

    full = api.patch(url, {"version": patched.json()["version"], **SECTIONS}, content_type=JSON)
    assert full.status_code == 200
    sent = api.post(f"{url}/submit")
    assert sent.status_code == 200 and sent.json()["document_type"] == "summary"
    assert JobSummary.objects.get().signoff_status == "submitted"


def test_marking_a_job_important_through_the_api(cast, chain, login):
    response = login(cast.ae).post(f"{API}/{chain.job.pk}/summary/require")

    assert response.status_code == 200
    assert response.json() == {"is_important": True, "summary": None}


def test_the_permission_matrix(cast, chain, clientele):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    item = acceptance.items.first()
    done = JobFactory(
        company=clientele.company, owner=cast.ae, number="HAIER-2026-0009", is_important=True
    )
    job_complete(job=done, actor=cast.ae, on=date(2026, 11, 20))
    version = JobSummary.objects.get(job=done).version
    people = SimpleNamespace(
        **vars(cast), qc=chain.qc_head, other_ae=clientele.other_ae, manager=chain.manager
    )
    job = chain.job.pk
    acceptances = f"{API}/{job}/acceptances"
    one = f"{API}/acceptances/{acceptance.pk}"
    check = f"{API}/acceptance-items/{item.pk}/check"
    summary = f"{API}/{done.pk}/summary"
    passed = {"result": "passed"}
    cases = [
        # Reading a job's acceptances: whoever sees the job (QC: dispatched to it).
        *[
            Case(role, "GET", acceptances, status)
            for role, status in [
                ("ae", 200),
                ("ad", 200),
                ("gm", 200),
                ("finance", 200),
                ("admin", 200),
                ("qc", 200),
                ("designer", 404),
                ("other_ae", 404),
                ("client", 403),
                ("outsider", 403),
                ("anonymous", 401),
            ]
        ],
        # Writing one: the job's editors.
        *[
            Case(role, "POST", acceptances, status, NEW)
            for role, status in [
                ("finance", 403),
                ("qc", 403),
                ("designer", 404),
                ("other_ae", 404),
                ("client", 403),
                ("anonymous", 401),
                ("ad", 201),
                ("gm", 201),
            ]
        ],
        Case("designer", "GET", one, 404),
        Case("client", "GET", one, 404),
        Case("finance", "GET", one, 200),
        # Checking an item: QC staff and the job's editors.
        *[
            Case(role, "POST", check, status, passed)
            for role, status in [
                ("finance", 403),
                ("designer", 404),
                ("other_ae", 404),
                ("outsider", 404),
                ("anonymous", 401),
                ("qc", 200),
                ("ad", 200),
            ]
        ],
        # Sending it: the job's editors.
        Case("qc", "POST", f"{one}/submit", 403),
        Case("finance", "POST", f"{one}/submit", 403),
        Case("designer", "POST", f"{one}/submit", 404),
        Case("ae", "POST", f"{one}/submit", 400),  # An item is not checked yet.
        # The summary: read by whoever sees the job, written by its owner and editors.
        *[
            Case(role, "GET", summary, status)
            for role, status in [
                ("ae", 200),
                ("manager", 200),
                ("finance", 200),
                ("qc", 404),
                ("designer", 404),
                ("other_ae", 404),
                ("client", 403),
                ("anonymous", 401),
            ]
        ],
        *[
            Case(role, "PATCH", summary, status, {"version": version, "problems": "x"})
            for role, status in [
                ("finance", 403),
                ("designer", 404),
                ("client", 403),
                ("outsider", 403),
                ("anonymous", 401),
                ("ae", 200),
                ("ad", 409),  # Same version again: stale.
            ]
        ],
        Case("finance", "POST", f"{summary}/submit", 403),
        Case("ae", "POST", f"{summary}/submit", 400),  # Sections missing.
        Case("finance", "POST", f"{API}/{job}/summary/require", 403),
        Case("designer", "POST", f"{API}/{job}/summary/require", 404),
    ]
    run_permission_matrix(people, cases)
