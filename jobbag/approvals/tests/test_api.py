"""Sign-off over the API (/api/v1/signoff/): inbox, evidence, decisions, withdrawal and
the client's side, with every refusal in the one error shape."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbag.accounts.models import Deputy
from jobbag.approvals import services
from jobbag.approvals.models import Decision, MemberKind, Policy, PolicyStep, StepKind, StepMember

pytestmark = pytest.mark.django_db

API = "/api/v1/signoff"
JSON = "application/json"


def login(user) -> Client:
    """A test client of its own per user (the shared `login` fixture reuses one)."""
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    return body


def test_the_inbox(chain, cast, submitted):
    today = timezone.localdate()
    Deputy.objects.create(
        principal=chain.dcs,
        deputy=cast.ad,
        starts_on=today,
        ends_on=today + timedelta(days=2),
        created_by=cast.admin,
    )
    _q, approval = submitted("120000")
    body = login(chain.dcs).get(f"{API}/inbox").json()
    assert [item["approval_id"] for item in body] == [approval.pk]
    assert body[0]["document_type"] == "quote"
    assert body[0]["amount"] == "120000.00"
    assert body[0]["deputy_for"] == []
    assert body[0]["submitted_by"]["username"] == "ae"
    body = login(cast.ad).get(f"{API}/inbox").json()
    assert [p["username"] for p in body[0]["deputy_for"]] == ["dcs"]
    assert login(cast.designer).get(f"{API}/inbox").json() == []
    error_shape(login(cast.client).get(f"{API}/inbox"), 403, "forbidden")


def test_the_inbox_query_count_does_not_grow(chain, cast, submitted):
    submitted("30000")
    client = login(chain.dcs)
    client.get(f"{API}/inbox")
    with CaptureQueriesContext(connection) as one:
        client.get(f"{API}/inbox")
    for total in ["10000", "20000"]:
        submitted(total)
    assert len(client.get(f"{API}/inbox").json()) == 3
    with CaptureQueriesContext(connection) as three:
        client.get(f"{API}/inbox")
    assert len(three) == len(one)


def test_deciding_and_the_evidence(chain, cast, submitted):
    _q, approval = submitted("120000")
    client = login(chain.dcs)
    # A reason is required to reject.
    body = error_shape(
        post(client, f"{API}/{approval.pk}/decisions", {"outcome": "reject"}), 400, "invalid"
    )
    assert body["fields"] == {"reason": [str(services.REASON_REQUIRED)]}
    # A stale revision.
    error_shape(
        post(client, f"{API}/{approval.pk}/decisions", {"outcome": "approve", "revision": 7}),
        409,
        "conflict",
    )
    # The wrong person.
    error_shape(
        post(login(cast.ae), f"{API}/{approval.pk}/decisions", {"outcome": "approve"}),
        403,
        "forbidden",
    )
    response = post(
        client,
        f"{API}/{approval.pk}/decisions",
        {"outcome": "approve", "revision": approval.revision},
    )
    assert response.status_code == 201, response.content
    assert response.json()["decided_by"]["username"] == "dcs"
    assert response.json()["method"] == "in_app"
    # Already decided.
    error_shape(
        post(client, f"{API}/{approval.pk}/decisions", {"outcome": "approve"}), 409, "conflict"
    )
    evidence = login(cast.ae).get(f"{API}/{approval.pk}").json()
    assert evidence["content_hash"] == approval.snapshot.content_hash
    assert evidence["snapshot_verified"] is True
    assert [s["status"] for s in evidence["steps"]] == ["approved", "active", "waiting"]
    assert evidence["steps"][1]["seats"][0]["candidates"][0]["username"] == "manager"
    assert [d["outcome"] for d in evidence["decisions"]] == ["approve"]
    error_shape(login(cast.designer).get(f"{API}/{approval.pk}"), 404, "not_found")
    error_shape(login(cast.client).get(f"{API}/{approval.pk}"), 404, "not_found")
    error_shape(login(cast.ae).get(f"{API}/999999"), 404, "not_found")
    error_shape(post(client, f"{API}/999999/decisions", {"outcome": "approve"}), 404, "not_found")
    error_shape(
        post(client, f"{API}/{approval.pk}/decisions", {"outcome": "maybe"}), 422, "invalid"
    )


def test_over_the_authority_limit_is_forbidden(chain, cast, submitted):
    row = Policy.objects.create(document_type="quote", name="haier", company=chain.job.company)
    step = PolicyStep.objects.create(
        policy=row, order=1, kind=StepKind.ONE, label="头", checks_authority=True
    )
    StepMember.objects.create(step=step, kind=MemberKind.DEPARTMENT_HEAD)
    _q, approval = submitted("120000")
    body = error_shape(
        post(login(chain.dcs), f"{API}/{approval.pk}/decisions", {"outcome": "approve"}),
        403,
        "forbidden",
    )
    assert "120000" in body["message"]
    assert not Decision.objects.exists()


def test_withdrawing(chain, cast, submitted):
    _q, approval = submitted("30000")
    error_shape(post(login(chain.dcs), f"{API}/{approval.pk}/withdraw"), 403, "forbidden")
    response = post(login(cast.ae), f"{API}/{approval.pk}/withdraw")
    assert response.json() == {"id": approval.pk, "status": "withdrawn"}
    error_shape(post(login(cast.ae), f"{API}/{approval.pk}/withdraw"), 409, "conflict")


def test_the_clients_side(chain, cast, submitted):
    _q, approval = submitted("30000")
    client = login(cast.client)
    assert client.get(f"{API}/portal/waiting").json() == []
    error_shape(
        post(client, f"{API}/{approval.pk}/client-decisions", {"outcome": "approve"}),
        400,
        "invalid",
    )
    services.approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
    waiting = client.get(f"{API}/portal/waiting").json()
    assert [a["id"] for a in waiting] == [approval.pk]
    assert waiting[0]["content_hash"] == approval.snapshot.content_hash
    assert login(cast.outsider).get(f"{API}/portal/waiting").json() == []
    error_shape(login(cast.ae).get(f"{API}/portal/waiting"), 403, "forbidden")
    error_shape(
        post(login(cast.outsider), f"{API}/{approval.pk}/client-decisions", {"outcome": "approve"}),
        404,
        "not_found",
    )
    error_shape(
        post(login(cast.ae), f"{API}/{approval.pk}/client-decisions", {"outcome": "approve"}),
        403,
        "forbidden",
    )
    body = error_shape(
        post(client, f"{API}/{approval.pk}/client-decisions", {"outcome": "return"}),
        400,
        "invalid",
    )
    assert "reason" in body["fields"]
    response = post(
        client,
        f"{API}/{approval.pk}/client-decisions",
        {"outcome": "approve", "revision": approval.revision},
    )
    assert response.status_code == 201, response.content
    assert response.json()["method"] == "portal"
    error_shape(
        post(client, f"{API}/{approval.pk}/client-decisions", {"outcome": "approve"}),
        409,
        "conflict",
    )
