"""The board (htmx moves), the list with its totals and export, the home card, the menu."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jobbag.pipeline.models import Prospect, Stage
from jobbag.pipeline.services import prospect_lose

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_board_shows_a_column_per_open_stage_and_the_closed_list(cast, login, prospect_at):
    prospect_at(Stage.RESEARCH, name="海信", expected_value=120000, probability=25)
    lost = prospect_at(Stage.PITCH, name="双星")
    prospect_lose(actor=cast.ae, prospect=lost, expected_version=lost.version, reason="价格")

    response = login(cast.ae).get("/pipeline/")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="board-column"') == 9
    assert 'id="cards-research"' in body and "海信" in body and "25%" in body
    assert 'data-testid="closed-row"' in body and "双星" in body


def test_a_forward_button_moves_the_card_into_its_next_column(cast, login, prospect_at):
    prospect = prospect_at(Stage.RESEARCH)

    response = login(cast.ae).post(
        f"/pipeline/{prospect.pk}/move/",
        {"to": Stage.AIMS_PREPARED, "version": prospect.version},
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="beforeend:#cards-aims_prepared"' in body
    assert f'id="prospect-{prospect.pk}"' in body
    assert f'name="version" value="{prospect.version + 1}"' in body
    prospect.refresh_from_db()
    assert prospect.stage == Stage.AIMS_PREPARED
    assert prospect.moves.filter(to_stage=Stage.AIMS_PREPARED, by=cast.ae).count() == 1


def test_a_back_button_asks_for_the_reason(cast, login, prospect_at):
    prospect = prospect_at(Stage.RESEARCH)
    client = login(cast.ae)
    url = f"/pipeline/{prospect.pk}/move/"
    data = {"to": Stage.PICK_TARGET, "version": prospect.version}

    refused = client.post(url, data, **HTMX)
    assert refused.status_code == 200
    assert 'data-testid="card-error"' in refused.content.decode()
    assert Prospect.objects.get(pk=prospect.pk).stage == Stage.RESEARCH

    moved = client.post(url, data, HTTP_HX_PROMPT="换个目标", **HTMX)
    assert "beforeend:#cards-pick_target" in moved.content.decode()
    assert prospect.moves.last().note == "换个目标"


def test_a_double_click_on_the_board_records_one_move(cast, login, prospect_at):
    prospect = prospect_at(Stage.RESEARCH)
    client = login(cast.ae)
    data = {"to": Stage.AIMS_PREPARED, "version": prospect.version}

    client.post(f"/pipeline/{prospect.pk}/move/", data, **HTMX)
    again = client.post(f"/pipeline/{prospect.pk}/move/", data, **HTMX)

    # The card comes back as it now is, with the reason the click did nothing.
    body = again.content.decode()
    assert 'data-testid="card-error"' in body and 'data-stage="aims_prepared"' in body
    assert prospect.moves.filter(to_stage=Stage.AIMS_PREPARED).count() == 1


def _rows(prospect_at, n: int):
    for i in range(n):
        prospect_at(
            OPEN[i % len(OPEN)], name=f"客户{i}", expected_value=1000 * (i + 1), probability=50
        )


OPEN = [Stage.COLLECT_INFO, Stage.RESEARCH, Stage.PITCH]


@pytest.mark.parametrize("url", ["/pipeline/", "/pipeline/list/"])
def test_the_board_and_list_read_a_fixed_number_of_queries(
    cast, login, prospect_at, django_assert_num_queries, url
):
    client = login(cast.ae)
    _rows(prospect_at, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    assert len(few.captured_queries) <= 15
    _rows(prospect_at, 25)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_list_filters_and_sums_the_weighted_value(cast, login, prospect_at):
    prospect_at(Stage.RESEARCH, name="海信", expected_value=100000, probability=50)
    prospect_at(Stage.PITCH, name="澳柯玛", expected_value=200000, probability=25)
    lost = prospect_at(Stage.PITCH, name="双星", expected_value=900000)
    prospect_lose(actor=cast.ae, prospect=lost, expected_version=lost.version, reason="价格")
    client = login(cast.ae)

    response = client.get("/pipeline/list/", {"state": "open"})

    assert [p.name for p in response.context["page_obj"]] == ["澳柯玛", "海信"]
    (total,) = response.context["totals"]
    assert (total["currency"], total["count"]) == ("CNY", 2)
    assert total["value"] == 300000 and total["weighted"] == 100000
    by_stage = client.get("/pipeline/list/", {"stage": "research", "owner": cast.ae.pk})
    assert [p.name for p in by_stage.context["page_obj"]] == ["海信"]
    assert 'href="/pipeline/list/export/?stage=research' in by_stage.content.decode()


def test_the_list_paginates(cast, login, prospect_at):
    _rows(prospect_at, 31)
    client = login(cast.ae)
    first = client.get("/pipeline/list/")
    second = client.get("/pipeline/list/", {"page": 2})
    assert len(first.context["page_obj"]) == 30
    assert len(second.context["page_obj"]) == 1


def test_it_exports_the_filtered_list_to_excel(cast, login, prospect_at):
    prospect_at(Stage.RESEARCH, name="海信", expected_value=100000, probability=50)
    prospect_at(Stage.PITCH, name="澳柯玛")

    response = login(cast.ae).get("/pipeline/list/export/", {"stage": "research"})

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "海信" and rows[1][4] == 100000 and rows[1][7] == 50000


def test_another_ae_sees_only_their_own_prospects(cast, clientele, login, prospect_at):
    prospect_at(name="海信")
    response = login(clientele.other_ae).get("/pipeline/list/")
    assert list(response.context["page_obj"]) == []
    board = login(clientele.other_ae).get("/pipeline/")
    assert "海信" not in board.content.decode()


def test_the_home_page_shows_my_open_prospects_and_their_weighted_value(cast, login, prospect_at):
    prospect_at(Stage.RESEARCH, name="海信", expected_value=100000, probability=50)
    response = login(cast.ae).get("/")
    body = response.content.decode()
    assert 'data-testid="home-pipeline"' in body and "海信" in body
    designer_home = login(cast.designer).get("/").content.decode()
    assert 'data-testid="home-pipeline"' not in designer_home


def test_the_menu_shows_new_business_to_account_people_only(cast, login):
    assert 'href="/pipeline/"' in login(cast.ae).get("/").content.decode()
    assert 'href="/pipeline/"' not in login(cast.designer).get("/").content.decode()
