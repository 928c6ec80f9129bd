"""The pipeline over the API: list, get, create, patch (409 when stale), move, win, lose."""

import pytest

from jobbag.clients.models import Company, Contact
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.pipeline.models import Prospect, Stage
from jobbag.pipeline.tests.refusals import API_REFUSED_TO_CLIENTS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jobbag.pipeline.tests.api_urls")]

BASE = "/api/test/pipeline/prospects"
JSON = "application/json"


@pytest.fixture
def api(cast, login):
    return login(cast.ae)


def post(client, url, data):
    return client.post(url, data, content_type=JSON)


def test_it_creates_and_reads_a_prospect(api, cast):
    response = post(
        api,
        BASE,
        {
            "name": "青岛啤酒",
            "stage": "research",
            "expected_value": "800000",
            "probability": 30,
            "contact_name": "刘强",
            "contact_phone": "13912345678",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["stage"], body["owner"]["id"], body["version"]) == ("research", cast.ae.pk, 1)
    assert body["weighted_value"] in ("240000", "240000.00", 240000)
    assert [m["to_stage"] for m in body["moves"]] == ["research"]
    got = api.get(f"{BASE}/{body['id']}")
    assert got.status_code == 200 and got.json()["name"] == "青岛啤酒"
    assert AuditEntry.objects.filter(object_id=str(body["id"]), action="create").exists()


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"name": ""}, "name", 400),
        ({"probability": 120}, "probability", 400),
        ({"expected_value": "-5"}, "expected_value", 400),
        ({"contact_email": "nope"}, "contact_email", 400),
        ({"stage": "won"}, "stage", 400),
        ({"stage": "nowhere"}, "stage", 422),
        ({"probability": "many"}, "probability", 422),
    ],
)
def test_it_refuses_bad_input_in_the_error_shape(api, change, field, status):
    response = post(api, BASE, {"name": "青岛啤酒", **change})
    assert response.status_code == status
    assert field in response.json()["fields"]
    assert not Prospect.objects.exists()


def test_it_lists_with_filters_and_pages(api, prospect_at):
    prospect_at(Stage.RESEARCH, name="海信")
    prospect_at(Stage.PITCH, name="澳柯玛")

    everything = api.get(BASE, {"page_size": 1}).json()
    research = api.get(BASE, {"stage": "research"}).json()
    open_ones = api.get(BASE, {"state": "open"}).json()

    assert (everything["count"], everything["pages"], len(everything["items"])) == (2, 2, 1)
    assert [p["name"] for p in research["items"]] == ["海信"]
    assert open_ones["count"] == 2
    assert api.get(BASE, {"state": "maybe"}).status_code == 422


def test_a_stale_patch_gets_409_and_changes_nothing(api, prospect_at):
    prospect = prospect_at()
    url = f"{BASE}/{prospect.pk}"

    first = api.patch(url, {"version": 1, "probability": 70}, content_type=JSON)
    stale = api.patch(url, {"version": 1, "probability": 90}, content_type=JSON)

    assert first.status_code == 200 and first.json()["probability"] == 70
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Prospect.objects.get(pk=prospect.pk).probability == 70


def test_it_moves_and_refuses_an_illegal_or_repeated_move(api, prospect_at):
    prospect = prospect_at()
    url = f"{BASE}/{prospect.pk}/move"

    moved = post(api, url, {"to": "research", "version": 1})
    repeated = post(api, url, {"to": "research", "version": 1})
    illegal = post(api, url, {"to": "contract_signed", "version": 2})
    back = post(api, url, {"to": "collect_info", "version": 2})

    assert moved.status_code == 200 and moved.json()["stage"] == "research"
    assert repeated.status_code == 409
    assert illegal.status_code == 400 and "to" in illegal.json()["fields"]
    assert back.status_code == 400 and "note" in back.json()["fields"]
    assert prospect.moves.count() == 2


def test_it_wins_into_a_client_and_loses_with_a_reason(api, prospect_at):
    pitched = prospect_at(Stage.PITCH)
    other = prospect_at(Stage.RESEARCH, name="海信")

    bad_code = post(api, f"{BASE}/{pitched.pk}/win", {"version": 2, "code": "?"})
    won = post(api, f"{BASE}/{pitched.pk}/win", {"version": 2, "code": "TSING", "reason": "创意"})
    no_reason = post(api, f"{BASE}/{other.pk}/lose", {"version": 2, "reason": ""})
    lost = post(api, f"{BASE}/{other.pk}/lose", {"version": 2, "reason": "价格"})

    assert bad_code.status_code == 400 and "code" in bad_code.json()["fields"]
    assert won.status_code == 200
    assert won.json()["stage"] == "won" and won.json()["company"]["code"] == "TSING"
    company = Company.objects.get(code="TSING")
    assert Contact.objects.filter(company=company, name="刘强").exists()
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    assert lost.status_code == 200 and lost.json()["stage"] == "lost"


def test_the_permission_matrix_of_the_api(cast, clientele, prospect_at):
    prospect = prospect_at(Stage.PITCH)
    cast.other_ae = clientele.other_ae
    one = f"{BASE}/{prospect.pk}"
    move = {"to": "research", "version": prospect.version, "note": "x"}
    cases = [
        Case("anonymous", "GET", BASE, 401),
        Case("client", "GET", BASE, API_REFUSED_TO_CLIENTS),
        Case("outsider", "GET", one, API_REFUSED_TO_CLIENTS),
        Case("designer", "GET", BASE, 403),
        Case("designer", "POST", BASE, 403, {"name": "x"}),
        Case("client", "POST", f"{one}/move", API_REFUSED_TO_CLIENTS, move),
        Case("designer", "POST", f"{one}/lose", 403, {"version": 2, "reason": "x"}),
        Case("other_ae", "GET", BASE, 200),
        Case("other_ae", "GET", one, 404),
        Case("other_ae", "PATCH", one, 404, {"version": 2, "name": "x"}),
        Case("other_ae", "POST", f"{one}/move", 404, move),
        Case("other_ae", "POST", f"{one}/win", 404, {"version": 2, "code": "ZZZ"}),
        Case("ae", "GET", one, 200),
        Case("gm", "GET", one, 200),
        Case("admin", "GET", one, 200),
    ]
    run_permission_matrix(cast, cases)
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.name, prospect.version) == (Stage.PITCH, "青岛啤酒", 2)
