"""Meetings over the API: scheduling, editing with a version (409 when stale), sending the
agenda once per version, asking for topics, held, cancelled, the checklist, and the
client's view (their company's shared meetings, proposing a topic)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.clients.tests.factories import ContactFactory
from jobbag.jobs.tests.factories import JobFactory
from jobbag.meetings.models import ChecklistItem, Meeting
from jobbag.meetings.services import meetings as services
from jobbag.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/meetings"


def payload(cast, clientele, loop, **values) -> dict:
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    return {
        "company": clientele.company.pk,
        "job": loop.job.pk,
        "purpose": "冰箱新品创意提案会",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "room": "3号会议室",
        "attendees": [
            {"user": cast.ae.pk, "role": "客户执行"},
            {"contact": clientele.contact.pk, "role": "市场总监"},
        ],
        "agenda": [
            {"title": "第二套创意方向", "owner": cast.ae.pk, "minutes": 30},
            {"title": "上市时间", "owner_contact": clientele.contact.pk},
        ],
        **values,
    }


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_it_schedules_a_meeting_and_shows_it(cast, clientele, loop, login):
    client = login(cast.ae)
    response = post(client, BASE, payload(cast, clientele, loop))
    assert response.status_code == 201, response.json()
    body = response.json()
    meeting = Meeting.objects.get()
    assert body["id"] == meeting.pk
    assert body["status"] == "planned" and body["version"] == 1
    assert [(a["side"], a["name"]) for a in body["attendees"]] == [
        ("agency", "王小明"),
        ("client", "孙丽 (市场总监)"),
    ]
    assert [i["title"] for i in body["agenda"]] == ["第二套创意方向", "上市时间"]
    assert len(body["checklist"]) == 8

    listing = client.get(BASE).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == meeting.pk
    assert client.get(f"{BASE}?when=past").json()["count"] == 0
    assert client.get(f"{BASE}?when=someday").status_code == 422


def test_it_refuses_bad_input_with_field_errors(cast, clientele, loop, login):
    client = login(cast.ae)
    nike_contact = ContactFactory(company=clientele.other_company)
    nike_job = JobFactory(company=clientele.other_company, owner=clientele.other_ae)
    start = timezone.now() + timedelta(days=2)
    cases = [
        ({"ends_at": start.isoformat(), "starts_at": start.isoformat()}, "ends_at"),
        ({"attendees": [{"contact": nike_contact.pk}]}, "attendees"),
        ({"attendees": [{"user": 999999}]}, "attendees"),
        ({"job": nike_job.pk}, "job"),
        ({"job": 999999}, "job"),
        ({"agenda": [{"title": "x", "owner_contact": nike_contact.pk}]}, "agenda"),
    ]
    for values, field in cases:
        response = post(client, BASE, payload(cast, clientele, loop, **values))
        assert response.status_code == 400, (values, response.json())
        assert field in response.json()["fields"]
    response = post(client, BASE, payload(cast, clientele, loop, company=999999))
    assert response.status_code == 400
    response = client.post(BASE, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_an_edit_with_a_stale_version_answers_409(cast, clientele, loop, login):
    client = login(cast.ae)
    meeting_id = post(client, BASE, payload(cast, clientele, loop)).json()["id"]
    url = f"{BASE}/{meeting_id}"
    response = patch(client, url, {"version": 1, "room": "1号会议室"})
    assert response.status_code == 200
    body = response.json()
    assert body["room"] == "1号会议室" and body["version"] == 2
    assert len(body["agenda"]) == 2 and len(body["attendees"]) == 2
    response = patch(login(cast.ad), url, {"version": 1, "room": "2号会议室"})
    assert response.status_code == 409
    assert Meeting.objects.get().room == "1号会议室"


def test_the_agenda_goes_out_once_per_version(cast, clientele, loop, login, mailoutbox):
    client = login(cast.ae)
    meeting_id = post(client, BASE, payload(cast, clientele, loop)).json()["id"]
    url = f"{BASE}/{meeting_id}/send-agenda"
    response = post(client, url, {"version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "agenda_sent"
    assert response.json()["agenda_late"] is False
    assert len(mailoutbox) == 2
    assert post(client, url, {"version": 1}).status_code == 409
    assert post(client, url, {}).status_code == 422
    assert len(mailoutbox) == 2


def test_it_asks_for_topics_and_the_client_proposes_one(cast, clientele, loop, login):
    staff = login(cast.ae)
    meeting_id = post(staff, BASE, payload(cast, clientele, loop)).json()["id"]
    response = post(staff, f"{BASE}/{meeting_id}/request-topics", {"version": 1})
    assert response.status_code == 200
    assert response.json()["topics_requested_at"]

    client = login(cast.client)
    listing = client.get(BASE).json()
    assert [m["id"] for m in listing["items"]] == [meeting_id]
    detail = client.get(f"{BASE}/{meeting_id}").json()
    assert detail["checklist"] == []
    response = post(client, f"{BASE}/{meeting_id}/topics", {"title": "包装设计反馈"})
    assert response.status_code == 201
    assert response.json()["from_client"] is True
    assert response.json()["owner_contact"] == clientele.contact.pk
    assert post(client, f"{BASE}/{meeting_id}/topics", {"title": ""}).status_code == 400


def test_a_client_user_sees_no_unshared_or_other_meeting(cast, clientele, loop, login):
    unshared = services.meeting_create(
        actor=cast.ae,
        company=clientele.company,
        purpose="内部准备",
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
        attendees=[{"user": cast.ae}],
    )
    nike = MeetingFactory(
        company=clientele.other_company,
        organizer=clientele.other_ae,
        agenda_sent_at=timezone.now(),
        status=Meeting.Status.AGENDA_SENT,
    )
    client = login(cast.client)
    assert client.get(BASE).json()["count"] == 0
    assert client.get(f"{BASE}/{unshared.pk}").status_code == 404
    assert client.get(f"{BASE}/{nike.pk}").status_code == 404
    assert post(client, f"{BASE}/{nike.pk}/topics", {"title": "闯入"}).status_code == 404


def test_held_cancel_and_the_checklist(cast, clientele, loop, login):
    client = login(cast.ae)
    meeting_id = post(client, BASE, payload(cast, clientele, loop)).json()["id"]
    item = ChecklistItem.objects.get(meeting_id=meeting_id, kind="media_samples")
    url = f"{BASE}/{meeting_id}/checklist/{item.pk}"
    response = patch(client, url, {"done": True, "note": "样品已备"})
    assert response.status_code == 200
    assert response.json()["done"] is True and response.json()["link"] == ""
    assert patch(client, url, {"link": "ftp://x"}).status_code == 400
    other = MeetingFactory(company=clientele.company, organizer=cast.ae)
    assert patch(client, f"{BASE}/{other.pk}/checklist/{item.pk}", {"done": True}).status_code == (
        404
    )

    response = post(client, f"{BASE}/{meeting_id}/held", {})
    assert response.status_code == 400
    response = post(client, f"{BASE}/{meeting_id}/cancel", {"reason": "客户出差"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert post(client, f"{BASE}/{meeting_id}/cancel", {}).status_code == 400
    assert patch(client, f"{BASE}/{meeting_id}", {"version": 3, "room": "x"}).status_code == 409
    version = Meeting.objects.get(pk=meeting_id).version
    assert patch(client, f"{BASE}/{meeting_id}", {"version": version}).status_code == 400
