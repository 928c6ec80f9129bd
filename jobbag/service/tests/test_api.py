"""The API under /api/v1/service/: list and filter, create (staff and client users),
detail, each move with its version (stale → 409, illegal → 400), visits."""

from datetime import date

from jobbag.service.models import Complaint, ReturnVisit

BASE = "/api/v1/service"


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_it_lists_filters_and_shows(login, complain, cast, service):
    complain(subject="一", severity="low")
    complain(subject="二", severity="high")
    client = login(cast.ad)
    body = client.get(f"{BASE}/complaints?severity=high").json()
    assert [item["subject"] for item in body["items"]] == ["二"]
    assert client.get(f"{BASE}/complaints?status=bogus").status_code == 400
    pk = body["items"][0]["id"]
    detail = client.get(f"{BASE}/complaints/{pk}").json()
    assert detail["escalations"][0]["level"] == 1 and detail["company_code"] == "HAIER"
    assert login(service.clientele.other_ae).get(f"{BASE}/complaints/{pk}").status_code == 404
    assert len(client.get(f"{BASE}/categories").json()) == 7


def test_it_runs_the_moves(login, cast, service):
    client = login(cast.ad)
    created = post(
        client,
        f"{BASE}/complaints",
        {
            "company": service.company.pk,
            "channel": "phone",
            "category": service.category.pk,
            "subject": "API 投诉",
            "description": "d",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    url = f"{BASE}/complaints/{pk}"
    assert post(client, f"{url}/answer", {"version": 1, "answer": "a"}).status_code == 400
    assert post(client, f"{url}/assign", {"version": 1, "assignee": cast.ae.pk}).status_code == 200
    assert post(client, f"{url}/assign", {"version": 1, "assignee": cast.ae.pk}).status_code == 409
    ae = login(cast.ae)
    assert post(ae, f"{url}/answer", {"version": 2, "answer": "a"}).status_code == 200
    assert post(ae, f"{url}/resolve", {"version": 3, "resolution": "r"}).status_code == 200
    today = date.today().isoformat()
    client = login(cast.ad)
    scheduled = post(
        client, f"{url}/schedule-visit", {"version": 4, "due_on": today, "visitor": cast.ae.pk}
    )
    assert scheduled.status_code == 200
    visited = post(
        client,
        f"{url}/record-visit",
        {"version": 5, "visited_on": today, "notes": "满意", "satisfied": True},
    )
    assert visited.status_code == 200 and visited.json()["status"] == "revisited"
    portal = login(cast.client)
    assert post(portal, f"{url}/confirm", {"version": 6}).json()["status"] == "closed"
    assert Complaint.objects.get().confirmed_by == cast.client


def test_client_users_create_list_and_reopen(login, complain, cast, service):
    client = login(cast.client)
    created = post(
        client,
        f"{BASE}/complaints",
        {
            "category": service.category.pk,
            "subject": "门户投诉",
            "description": "d",
            "channel": "phone",
        },
    )
    assert created.status_code == 201
    assert created.json()["channel"] == "portal"
    complain(subject="员工登记的")
    assert {i["subject"] for i in client.get(f"{BASE}/complaints").json()["items"]} == {
        "门户投诉",
        "员工登记的",
    }
    outsider = login(cast.outsider)
    assert outsider.get(f"{BASE}/complaints").json()["items"] == []
    pk = created.json()["id"]
    # A client user cannot make staff moves.
    client = login(cast.client)
    assert (
        post(
            client, f"{BASE}/complaints/{pk}/assign", {"version": 1, "assignee": cast.ae.pk}
        ).status_code
        == 403
    )
    assert (
        post(client, f"{BASE}/complaints/{pk}/reopen", {"version": 1, "reason": "x"}).status_code
        == 400
    )


def test_it_rejects_malformed_input(login, cast, service):
    client = login(cast.ad)
    bad = post(
        client,
        f"{BASE}/complaints",
        {"company": service.company.pk, "category": 99999, "subject": "s", "description": "d"},
    )
    assert bad.status_code == 400 and "category" in bad.json()["fields"]
    assert client.post(
        f"{BASE}/complaints", data="{", content_type="application/json"
    ).status_code in {400, 422}
    assert not Complaint.objects.exists()


def test_it_lists_due_visits_and_records_one(login, cast, service):
    client = login(cast.ae)
    assert client.get(f"{BASE}/visits/due").json() == []
    response = post(
        client,
        f"{BASE}/visits",
        {"company": service.company.pk, "visited_on": date.today().isoformat(), "notes": "例行"},
    )
    assert response.status_code == 201 and ReturnVisit.objects.get().kind == "routine"
    other = post(
        client,
        f"{BASE}/visits",
        {
            "company": service.clientele.other_company.pk,
            "visited_on": date.today().isoformat(),
            "notes": "x",
        },
    )
    assert other.status_code == 403
    assert login(cast.client).get(f"{BASE}/visits/due").status_code == 403
