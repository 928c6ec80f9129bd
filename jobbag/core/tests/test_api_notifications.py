"""My notifications over the API."""

from jobbag.core.models import Notification
from jobbag.core.notifications import notify


def test_it_lists_my_notifications_newest_first(cast, login):
    notify(recipients=[cast.ae], message="第一条")
    notify(recipients=[cast.ae, cast.ad], message="第二条", link="/jobs/1/")

    response = login(cast.ae).get("/api/v1/notifications")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["pages"] == 1
    assert [item["message"] for item in body["items"]] == ["第二条", "第一条"]
    assert body["items"][0]["link"] == "/jobs/1/" and body["items"][0]["read_at"] is None


def test_it_filters_the_unread_ones(cast, login):
    notify(recipients=[cast.ae], message="old")
    Notification.objects.update(read_at="2026-01-05T09:00:00+08:00")
    notify(recipients=[cast.ae], message="new")

    body = login(cast.ae).get("/api/v1/notifications", {"unread": "true"}).json()

    assert [item["message"] for item in body["items"]] == ["new"]


def test_it_marks_one_of_mine_read(cast, login):
    notify(recipients=[cast.ae], message="请审批")
    notification = Notification.objects.get()

    response = login(cast.ae).post(f"/api/v1/notifications/{notification.pk}/read")

    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_does_not_touch_someone_elses_notification(cast, login):
    notify(recipients=[cast.ad], message="not yours")
    notification = Notification.objects.get()

    response = login(cast.ae).post(f"/api/v1/notifications/{notification.pk}/read")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_list_costs_the_same_queries_for_few_and_many(cast, login, django_assert_num_queries):
    client = login(cast.ae)
    notify(recipients=[cast.ae], message="one")
    client.get("/api/v1/notifications")

    # Session, user, count and page.
    with django_assert_num_queries(4):
        client.get("/api/v1/notifications")
    notify(recipients=[cast.ae] * 40, message="many")
    with django_assert_num_queries(4):
        assert client.get("/api/v1/notifications").json()["count"] == 41
