"""Work orders and acknowledgements over the API: create (with field errors), patch
(409 when stale), submit, dispatch refused before sign-back (nothing changes), dispatch
once, revise, PDF; my receipts to give and confirming them; the permission matrix."""

from datetime import timedelta

from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.jobs.models import Acknowledgement, Job, Stage, WorkOrder
from jobbag.jobs.services import gates
from jobbag.jobs.services import work_orders as services
from jobbag.jobs.services.acknowledgements import ALREADY_ACKNOWLEDGED
from jobbag.jobs.tests.work_orders_support import draft, sign_back_quote, signed

BASE = "/api/v1/jobs"
JSON = "application/json"


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def payload(chain, **overrides) -> dict:
    data = {
        "client_request": "门店物料",
        "specification": "KT板 2m×1.2m",
        "quantity": "20 套",
        "quality_standard": "色差 ΔE<2",
        "delivery_place": "青岛",
        "delivery_due": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "budget": "12000.00",
        "departments": [chain.design.pk, chain.process.pk, chain.qc.pk],
    }
    data.update(overrides)
    return data


def test_it_creates_reads_and_patches_a_work_order(chain, cast, login):
    api = login(cast.ae)
    created = api.post(f"{BASE}/{chain.job.pk}/work-orders", payload(chain), content_type=JSON)

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["number"], body["signoff_status"]) == (1, "draft")
    assert sorted(d["code"] for d in body["departments"]) == ["design", "process", "qc"]
    listed = api.get(f"{BASE}/{chain.job.pk}/work-orders").json()
    assert [w["id"] for w in listed] == [body["id"]]

    patched = api.patch(
        f"{BASE}/work-orders/{body['id']}",
        {"version": body["version"], "quantity": "25 套"},
        content_type=JSON,
    )
    assert patched.status_code == 200 and patched.json()["quantity"] == "25 套"
    stale = api.patch(
        f"{BASE}/work-orders/{body['id']}",
        {"version": body["version"], "quantity": "30 套"},
        content_type=JSON,
    )
    assert stale.status_code == 409
    assert WorkOrder.objects.get().quantity == "25 套"


def test_an_incomplete_work_order_answers_field_errors(chain, cast, login):
    api = login(english(cast.ae))
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = api.post(
        f"{BASE}/{chain.job.pk}/work-orders",
        payload(chain, quantity=" ", departments=[], delivery_due=yesterday),
        content_type=JSON,
    )

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["quantity"] == [str(services.REQUIRED)]
    assert fields["departments"] == [str(services.DEPARTMENTS_REQUIRED)]
    assert fields["delivery_due"] == [str(services.DUE_IN_PAST)]
    assert not WorkOrder.objects.exists()


def test_dispatch_before_sign_back_is_refused_over_the_api_and_nothing_changes(chain, cast, login):
    work_order = signed(chain, cast)
    api = login(english(cast.ae))

    response = api.post(f"{BASE}/work-orders/{work_order.pk}/dispatch")

    assert response.status_code == 400
    assert response.json()["message"] == str(gates.QUOTE_NOT_SIGNED)
    assert response.json()["code"] == "work_held"
    work_order.refresh_from_db()
    assert work_order.dispatched_at is None
    assert not Acknowledgement.objects.exists()
    assert Job.objects.get(pk=chain.job.pk).stage == Stage.INTAKE


def test_submit_dispatch_once_and_revise_refused_after_dispatch(chain, cast, login):
    sign_back_quote(chain.job, cast.ae)
    api = login(english(cast.ae))
    submitted = api.post(f"{BASE}/work-orders/{draft(chain, cast).pk}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"

    work_order = signed(chain, cast)
    dispatched = api.post(f"{BASE}/work-orders/{work_order.pk}/dispatch")
    assert dispatched.status_code == 200
    body = dispatched.json()
    assert body["dispatched_at"] is not None
    assert sorted(a["department"]["code"] for a in body["acknowledgements"]) == [
        "design",
        "process",
        "purchasing",
    ]
    again = api.post(f"{BASE}/work-orders/{work_order.pk}/dispatch")
    assert again.status_code == 409
    revise = api.post(f"{BASE}/work-orders/{work_order.pk}/revise")
    assert revise.status_code == 400
    assert revise.json()["message"] == str(services.DISPATCHED_USE_CHANGE)
    assert Acknowledgement.objects.count() == 3


def test_a_signed_work_order_is_revised_over_the_api(chain, cast, login):
    work_order = signed(chain, cast)
    response = login(cast.ae).post(f"{BASE}/work-orders/{work_order.pk}/revise")

    assert response.status_code == 200
    assert (response.json()["revision"], response.json()["signoff_status"]) == (
        2,
        SignoffStatus.DRAFT,
    )


def test_the_pdf_over_the_api(chain, cast, login):
    work_order = draft(chain, cast)
    response = login(cast.ae).get(f"{BASE}/work-orders/{work_order.pk}/pdf")

    assert response.status_code == 200
    assert response.content[:4] == b"%PDF"


def test_my_acknowledgements_and_confirming_them(chain, cast, login):
    sign_back_quote(chain.job, cast.ae)
    services.work_order_dispatch(actor=cast.ae, work_order=signed(chain, cast))
    api = login(english(cast.designer))

    mine = api.get(f"{BASE}/acknowledgements")
    assert mine.status_code == 200
    items = mine.json()["items"]
    assert [i["department"]["code"] for i in items] == ["design"]
    assert items[0]["is_late"] is False

    done = api.post(
        f"{BASE}/acknowledgements/{items[0]['id']}/confirm", {"note": "收到"}, content_type=JSON
    )
    assert done.status_code == 200
    assert done.json()["acknowledged_by"] == str(cast.designer)
    twice = api.post(f"{BASE}/acknowledgements/{items[0]['id']}/confirm", {}, content_type=JSON)
    assert twice.status_code == 409
    assert twice.json()["message"] == str(ALREADY_ACKNOWLEDGED)
    assert api.get(f"{BASE}/acknowledgements").json()["items"] == []


def test_the_permission_matrix(chain, cast, clientele):
    """AE and AD work the job; the designer sees it once it reached design and may
    acknowledge for design only; the GM sees all; client users and the other client's
    AE see nothing of it."""
    sign_back_quote(chain.job, cast.ae)
    dispatched = signed(chain, cast, departments=[chain.design, chain.process])
    services.work_order_dispatch(actor=cast.ae, work_order=dispatched)
    design = Acknowledgement.objects.get(department=chain.design)
    process = Acknowledgement.objects.get(department=chain.process)
    waiting = draft(chain, cast)
    cast.other_ae = clientele.other_ae
    job = chain.job.pk
    cases = []
    for role in ["ae", "ad", "gm"]:
        cases += [
            Case(role, "GET", f"{BASE}/{job}/work-orders", 200),
            Case(role, "GET", f"{BASE}/work-orders/{dispatched.pk}", 200),
        ]
    cases += [
        Case("designer", "GET", f"{BASE}/{job}/work-orders", 200),
        Case("designer", "GET", f"{BASE}/work-orders/{dispatched.pk}", 200),
        Case("designer", "POST", f"{BASE}/{job}/work-orders", 403, payload(chain)),
        Case("designer", "POST", f"{BASE}/work-orders/{waiting.pk}/submit", 403),
        Case("designer", "POST", f"{BASE}/acknowledgements/{process.pk}/confirm", 403),
        Case("designer", "POST", f"{BASE}/acknowledgements/{design.pk}/confirm", 200),
        Case("ae", "POST", f"{BASE}/acknowledgements/{process.pk}/confirm", 403),
        Case("other_ae", "GET", f"{BASE}/{job}/work-orders", 404),
        Case("other_ae", "GET", f"{BASE}/work-orders/{dispatched.pk}", 404),
        Case("other_ae", "POST", f"{BASE}/work-orders/{waiting.pk}/submit", 404),
        Case("other_ae", "POST", f"{BASE}/acknowledgements/{process.pk}/confirm", 404),
        Case("finance", "GET", f"{BASE}/work-orders/{dispatched.pk}", 200),
        Case("finance", "POST", f"{BASE}/work-orders/{waiting.pk}/submit", 403),
        Case("anonymous", "GET", f"{BASE}/{job}/work-orders", 401),
    ]
    for role in ["client", "outsider"]:
        cases += [
            Case(role, "GET", f"{BASE}/{job}/work-orders", 404),
            Case(role, "GET", f"{BASE}/work-orders/{dispatched.pk}", 404),
            Case(role, "GET", f"{BASE}/acknowledgements", 403),
            Case(role, "POST", f"{BASE}/work-orders/{waiting.pk}/submit", 404),
            Case(role, "POST", f"{BASE}/acknowledgements/{design.pk}/confirm", 403),
        ]
    run_permission_matrix(cast, cases)
    design.refresh_from_db()
    process.refresh_from_db()
    assert design.acknowledged_by == cast.designer
    assert process.acknowledged_at is None
    waiting.refresh_from_db()
    assert waiting.signoff_status == SignoffStatus.DRAFT
