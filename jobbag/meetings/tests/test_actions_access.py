"""Who reaches what in the action register: the permission matrix over pages, portal and
API; the API's filters, create, edit, close and cancel; the portal's isolation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.core.testing import Case, run_permission_matrix
from jobbag.meetings.models import Action, Side
from jobbag.meetings.tests.factories import ActionFactory, ContactReportFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/meetings/actions"


@pytest.fixture
def register(cast, clientele, loop):
    """HAIER: an action of the AE's, one owned by the designer, one on the client's side
    from a sent report and one in a draft report; NIKE: one of its AE's."""
    sent = ContactReportFactory(
        company=clientele.company, created_by=cast.ae, status="sent", sent_at=timezone.now()
    )
    draft = ContactReportFactory(company=clientele.company, created_by=cast.ae)
    return {
        "ae": ActionFactory(company=clientele.company, owner=cast.ae, text="AE的事"),
        "designer": ActionFactory(
            company=clientele.company, owner=cast.designer, created_by=cast.ae, text="设计的事"
        ),
        "client": ActionFactory(
            company=clientele.company,
            report=sent,
            side=Side.CLIENT,
            owner_contact=clientele.contact,
            created_by=cast.ae,
            text="客户的事",
        ),
        "draft": ActionFactory(
            company=clientele.company,
            report=draft,
            owner=cast.ae,
            status=Action.Status.DRAFT,
            text="草稿的事",
        ),
        "nike": ActionFactory(company=clientele.other_company, owner=clientele.other_ae),
    }


def test_the_permission_matrix(cast, clientele, register):
    def page(name, key=None):
        return reverse(f"meetings:{name}", args=[register[key].pk] if key else [])

    cases = []
    for role in ["ae", "ad", "gm", "designer", "finance", "admin"]:
        cases += [
            Case(role, "GET", page("my_actions"), 200),
            Case(role, "GET", page("action_list"), 200),
            Case(role, "GET", API, 200),
        ]
    for role in ["client", "outsider"]:
        cases += [
            Case(role, "GET", page("my_actions"), 404),
            Case(role, "GET", page("action_list"), 404),
            Case(role, "GET", page("action_detail", "ae"), 404),
            Case(role, "GET", reverse("portal:action_list"), 200),
        ]
    cases += [
        Case("anonymous", "GET", page("my_actions"), 302),
        Case("anonymous", "GET", API, 401),
        # The page to write one: the account people, management, admins.
        Case("ae", "GET", page("action_create"), 200),
        Case("gm", "GET", page("action_create"), 200),
        Case("designer", "GET", page("action_create"), 403),
        Case("finance", "GET", page("action_create"), 403),
        # Seeing one: the client's team, management, the owner; 404 for anyone else.
        Case("ae", "GET", page("action_detail", "designer"), 200),
        Case("ad", "GET", page("action_detail", "ae"), 200),
        Case("gm", "GET", page("action_detail", "nike"), 200),
        Case("designer", "GET", page("action_detail", "designer"), 200),
        Case("designer", "GET", page("action_detail", "ae"), 404),
        Case("finance", "GET", page("action_detail", "ae"), 404),
        Case("ae", "GET", page("action_detail", "nike"), 404),
        Case("ae", "GET", page("action_detail", "draft"), 200),
        Case("designer", "GET", page("action_edit", "designer"), 403),
        Case("ae", "GET", page("action_edit", "designer"), 200),
        # The API the same way.
        Case("designer", "GET", f"{API}/{register['ae'].pk}", 404),
        Case("client", "GET", f"{API}/{register['client'].pk}", 200),
        Case("client", "GET", f"{API}/{register['ae'].pk}", 200),
        Case("client", "GET", f"{API}/{register['draft'].pk}", 404),
        Case("outsider", "GET", f"{API}/{register['client'].pk}", 404),
        Case("client", "GET", API, 200),
        Case("gm", "GET", reverse("portal:action_list"), 404),
        Case("ae", "GET", reverse("portal:action_list"), 404),
        # Changes by the wrong role.
        Case("designer", "POST", page("action_close", "ae"), 404),
        Case("finance", "POST", page("action_cancel", "ae"), 404),
        Case("designer", "POST", page("action_cancel", "designer"), 403),
        Case("client", "POST", f"{API}/{register['ae'].pk}/close", 403),
        Case("outsider", "POST", f"{API}/{register['client'].pk}/close", 404),
        Case("outsider", "POST", reverse("portal:action_close", args=[register["client"].pk]), 404),
        Case("client", "POST", reverse("portal:action_close", args=[register["ae"].pk]), 403),
        Case("client", "POST", reverse("portal:action_close", args=[register["draft"].pk]), 404),
        Case("client", "PATCH", f"{API}/{register['client'].pk}", 403, {"version": 1, "text": "x"}),
        Case(
            "designer",
            "POST",
            API,
            403,
            {
                "company": clientele.company.pk,
                "text": "x",
                "side": "agency",
                "owner": cast.designer.pk,
                "due_on": timezone.localdate().isoformat(),
            },
        ),
    ]
    run_permission_matrix(cast, cases)
    assert Action.objects.filter(status=Action.Status.OPEN).count() == 4


def test_the_api_lists_with_filters(cast, clientele, register, login):
    client = login(cast.ae)
    body = client.get(API).json()
    ids = {item["id"] for item in body["items"]}
    assert ids == {register[k].pk for k in ("ae", "designer", "client")}
    mine = client.get(f"{API}?mine=1").json()
    assert [item["id"] for item in mine["items"]] == [register["ae"].pk]
    Action.objects.filter(pk=register["designer"].pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    overdue = client.get(f"{API}?overdue=1").json()
    assert [item["id"] for item in overdue["items"]] == [register["designer"].pk]
    assert overdue["items"][0]["overdue"] is True
    other = client.get(f"{API}?company={clientele.other_company.pk}").json()
    assert other["count"] == 0
    theirs = login(cast.client).get(API).json()
    assert {item["id"] for item in theirs["items"]} == {
        register[k].pk for k in ("ae", "designer", "client")
    }


def test_the_api_creates_edits_closes_and_cancels(cast, clientele, register, login, loop):
    client = login(cast.ae)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    created = client.post(
        API,
        {
            "company": clientele.company.pk,
            "job": loop.job.pk,
            "text": "排期确认",
            "side": "agency",
            "owner": cast.designer.pk,
            "due_on": due,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    action_id = created.json()["id"]
    assert created.json()["status"] == "open" and created.json()["job"] == loop.job.pk

    bad = client.post(
        API,
        {
            "company": clientele.company.pk,
            "text": "",
            "side": "agency",
            "owner": 999999,
            "due_on": due,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"text", "owner"} <= set(bad.json()["fields"])

    patched = client.patch(
        f"{API}/{action_id}",
        {"version": 1, "text": "排期再确认"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(
        f"{API}/{action_id}", {"version": 1, "text": "旧的"}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"

    closed = client.post(
        f"{API}/{action_id}/close", {"note": "完成"}, content_type="application/json"
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "done" and closed.json()["closed_by"] == cast.ae.pk
    twice = client.post(f"{API}/{action_id}/close", {}, content_type="application/json")
    assert twice.status_code == 409
    edit_closed = client.patch(
        f"{API}/{action_id}", {"version": 3, "text": "x"}, content_type="application/json"
    )
    assert edit_closed.status_code == 409
    assert Action.objects.get(pk=action_id).text == "排期再确认"

    no_reason = client.post(
        f"{API}/{register['designer'].pk}/cancel", {}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    cancelled = client.post(
        f"{API}/{register['designer'].pk}/cancel",
        {"reason": "不需要了"},
        content_type="application/json",
    )
    assert cancelled.json()["status"] == "cancelled"

    draft = client.post(f"{API}/{register['draft'].pk}/close", {}, content_type="application/json")
    assert draft.status_code == 400
    assert Action.objects.get(pk=register["draft"].pk).status == Action.Status.DRAFT


def test_a_client_user_closes_their_action_through_the_api(cast, register, login):
    client = login(cast.client)
    response = client.post(
        f"{API}/{register['client'].pk}/close",
        {"note": "资料已发"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["closed_by"] == cast.client.pk


def test_the_portal_shows_the_companys_actions_and_closes_the_clients(
    cast, clientele, register, login
):
    client = login(cast.client)
    response = client.get(reverse("portal:action_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "客户的事" in body and "AE的事" in body and "草稿的事" not in body
    assert body.count('data-testid="portal-action-close"') == 1
    assert [a.pk for a in response.context["ours"]] == [register["client"].pk]

    outsider = login(cast.outsider).get(reverse("portal:action_list"))
    assert "客户的事" not in outsider.content.decode()

    client = login(cast.client)
    done = client.post(
        reverse("portal:action_close", args=[register["client"].pk]), {"note": "已提供"}
    )
    assert done.status_code == 302
    action = Action.objects.get(pk=register["client"].pk)
    assert action.status == Action.Status.DONE and action.closed_by == cast.client
    again = client.post(reverse("portal:action_close", args=[register["client"].pk]))
    assert again.status_code == 302
    assert Action.objects.get(pk=action.pk).version == action.version
    page = client.get(reverse("portal:action_list")).content.decode()
    assert 'data-testid="portal-done-row"' in page and "客户甲" in page
