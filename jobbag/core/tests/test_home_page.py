"""The home page and the notifications page: what each role sees, at a fixed query cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobbag.accounts.tests.factories import UserFactory
from jobbag.core.models import Notification
from jobbag.core.notifications import notify


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["ae", "ad", "gm", "designer", "finance", "admin"])
def test_it_greets_every_staff_role_on_its_home_page(cast, login, role):
    user = getattr(cast, role)

    response = login(user).get("/")

    assert response.status_code == 200
    assert user.display_name in response.content.decode()
    assert 'data-testid="home-title"' in response.content.decode()


def test_the_home_page_costs_the_same_queries_however_much_data_there_is(cast, login):
    client = login(cast.ad)
    client.get("/")  # Warm up: content types and translations load once per process.
    few = queries_for(client, "/")

    for n in range(40):
        UserFactory(username=f"report{n}", reports_to=cast.ad)
    notify(recipients=[cast.ad] * 60, message="a sign-off waits for you")
    many = queries_for(client, "/")

    # The cards (sign-offs waiting, my jobs, acknowledgements to give, my actions, reports
    # due, weekly drafts, complaints, credit control, commissions, account health, survey
    # answers, time) each cost a fixed few queries, however many rows they summarise; the
    # clients the user serves are read once for all of them.
    assert few == many == 35


def test_the_notifications_page_lists_mine_at_a_fixed_query_cost(cast, login):
    client = login(cast.ae)
    notify(recipients=[cast.ae] * 3, message="mine")
    notify(recipients=[cast.ad], message="not mine")
    client.get("/notifications/")
    few = queries_for(client, "/notifications/")

    notify(recipients=[cast.ae] * 50, message="mine")
    many = queries_for(client, "/notifications/")
    response = client.get("/notifications/")

    assert few == many
    assert "not mine" not in response.content.decode()
    assert len(response.context["page_obj"]) == 30


def test_marking_a_notification_read_touches_only_mine(cast, login):
    notify(recipients=[cast.ae, cast.ad], message="both")
    mine = Notification.objects.get(recipient=cast.ae)
    theirs = Notification.objects.get(recipient=cast.ad)
    client = login(cast.ae)

    client.post(f"/notifications/{theirs.pk}/read/")
    response = client.post(f"/notifications/{mine.pk}/read/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_reading_a_notification_needs_a_post(cast, login):
    notify(recipients=[cast.ae], message="hello")
    pk = Notification.objects.get().pk

    assert login(cast.ae).get(f"/notifications/{pk}/read/").status_code == 405
    assert Notification.objects.get().read_at is None
