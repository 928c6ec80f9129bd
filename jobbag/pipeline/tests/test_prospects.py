"""Prospects: creating and editing them, bad input, who may see them (the matrix)."""

import pytest

from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.pipeline.models import Prospect, ProspectStageMove, Stage
from jobbag.pipeline.services import prospect_move
from jobbag.pipeline.tests.refusals import PAGE_REFUSED_TO_CLIENTS

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "青岛啤酒",
    "industry": "啤酒",
    "source": "referral",
    "stage": "research",
    "expected_value": "800000",
    "currency": "CNY",
    "probability": "30",
    "expected_close_on": "2026-12-31",
    "contact_name": "刘强",
    "contact_phone": "139 1234 5678",
    "contact_email": "liuqiang@tsingtao.example",
}


def test_it_creates_a_prospect_with_its_first_move_and_audit(cast, login):
    client = login(cast.ae)
    assert client.get("/pipeline/new/").status_code == 200

    response = client.post("/pipeline/new/", GOOD)

    prospect = Prospect.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pipeline/{prospect.pk}/"
    assert (prospect.owner, prospect.stage, prospect.probability) == (cast.ae, Stage.RESEARCH, 30)
    assert str(prospect.expected_value) == "800000.00"
    assert list(prospect.moves.values_list("from_stage", "to_stage")) == [("", Stage.RESEARCH)]
    assert AuditEntry.objects.filter(
        object_id=str(prospect.pk), action=AuditEntry.Action.CREATE, actor=cast.ae
    ).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("expected_value", "-1"),
        ("probability", "101"),
        ("probability", "-5"),
        ("currency", "人民币"),
        ("contact_phone", "call me"),
        ("contact_email", "not-an-address"),
        ("stage", "won"),
        ("source", "gossip"),
    ],
)
def test_it_refuses_bad_input_with_a_field_message_and_writes_nothing(cast, login, field, value):
    response = login(cast.ae).post("/pipeline/new/", {**GOOD, field: value})

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert not Prospect.objects.exists()
    assert not ProspectStageMove.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_an_owner_outside_the_actors_team(cast, login, clientele):
    response = login(cast.ae).post("/pipeline/new/", {**GOOD, "owner": clientele.other_ae.pk})
    assert response.status_code == 400
    assert response.context["form"].errors.get("owner")
    assert not Prospect.objects.exists()


def test_a_superior_assigns_a_prospect_to_their_ae(team, login):
    response = login(team.ad).post("/pipeline/new/", {**GOOD, "owner": team.ae.pk})
    assert response.status_code == 302
    assert Prospect.objects.get().owner == team.ae


def test_it_edits_a_prospect_and_refuses_a_stale_edit(cast, login, prospect_at):
    prospect = prospect_at()
    client = login(cast.ae)
    url = f"/pipeline/{prospect.pk}/edit/"
    assert client.get(url).status_code == 200
    data = {**GOOD, "owner": cast.ae.pk, "probability": "60", "version": prospect.version}
    data.pop("stage")

    saved = client.post(url, data)
    stale = client.post(url, {**data, "probability": "70"})

    assert saved.status_code == 302
    assert stale.status_code == 409
    prospect.refresh_from_db()
    assert (prospect.probability, prospect.version, prospect.stage) == (60, 2, Stage.COLLECT_INFO)
    change = AuditEntry.objects.get(object_id=str(prospect.pk), action=AuditEntry.Action.CHANGE)
    assert change.changes["probability"] == [40, 60]


def test_the_prospect_page_shows_details_moves_and_history(cast, login, prospect_at):
    prospect = prospect_at(Stage.CREDENTIALS)
    response = login(cast.ae).get(f"/pipeline/{prospect.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "青岛啤酒" in body and "刘强" in body
    assert body.count('data-testid="move-row"') == 2
    assert 'data-testid="history"' in body


def test_the_prospect_page_reads_a_fixed_number_of_queries(
    cast, login, prospect_at, django_assert_num_queries
):
    few = prospect_at(Stage.RESEARCH)
    many = prospect_at(Stage.RESEARCH, name="海信")
    for stage in [Stage.AIMS_PREPARED, Stage.FIRST_MEETING, Stage.CREDENTIALS, Stage.AGREED]:
        many = prospect_move(actor=cast.ae, prospect=many, expected_version=many.version, to=stage)
    client = login(cast.ae)
    client.get(f"/pipeline/{few.pk}/")
    with django_assert_num_queries(10) as few_queries:
        client.get(f"/pipeline/{few.pk}/")
    with django_assert_num_queries(len(few_queries.captured_queries)):
        client.get(f"/pipeline/{many.pk}/")


def test_the_permission_matrix_of_the_pages(cast, clientele, prospect_at):
    prospect = prospect_at(Stage.PITCH)
    cast.other_ae = clientele.other_ae
    pages = [
        "/pipeline/",
        "/pipeline/list/",
        "/pipeline/list/export/",
        "/pipeline/new/",
    ]
    one = [
        f"/pipeline/{prospect.pk}/",
        f"/pipeline/{prospect.pk}/edit/",
        f"/pipeline/{prospect.pk}/move/",
        f"/pipeline/{prospect.pk}/win/",
        f"/pipeline/{prospect.pk}/lose/",
    ]
    cases = []
    for url in pages + one:
        cases.append(Case("anonymous", "GET", url, 302))
        for role in ("client", "outsider"):
            cases.append(Case(role, "GET", url, PAGE_REFUSED_TO_CLIENTS))
        for role in ("designer", "finance"):
            cases.append(Case(role, "GET", url, 403))
        for role in ("ae", "gm", "admin"):
            cases.append(Case(role, "GET", url, 200))
    for url in pages:
        cases.append(Case("other_ae", "GET", url, 200))
    for url in one:
        # Another AE's prospects are not theirs to see: 404, not 403.
        cases.append(Case("other_ae", "GET", url, 404))
    post = {"to": "research", "version": prospect.version, "reason": "x", "code": "ZZ"}
    for action in ("move", "win", "lose", "reopen"):
        url = f"/pipeline/{prospect.pk}/{action}/"
        cases += [
            Case("client", "POST", url, PAGE_REFUSED_TO_CLIENTS, post),
            Case("designer", "POST", url, 403, post),
            Case("other_ae", "POST", url, 404, post),
        ]
    run_permission_matrix(cast, cases)
    prospect.refresh_from_db()
    assert prospect.stage == Stage.PITCH
    assert prospect.moves.count() == 2
