"""Each staff member's meetings and deadlines as an iCal feed at a secret link: only the
link's digest is stored; a new link replaces the old one; revoked or unknown links are
404; the feed needs no session, reads a fixed number of queries and holds the user's own
items only, in Chinese as written."""

import hashlib
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from jobbag.accounts.models import Department
from jobbag.core.errors import NotFound
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.jobs.models import Job, PlanTask, Stage
from jobbag.jobs.tests.factories import JobFactory
from jobbag.meetings.models import Action, Attendee, CalendarFeed, ContactReport, Meeting, Side
from jobbag.meetings.services.feeds import feed_create, feed_revoke
from jobbag.meetings.tests.factories import ActionFactory, ContactReportFactory, MeetingFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/meetings/calendar-feed"


def feed_path(token: str) -> str:
    return reverse("meetings:feed", args=[token])


def read(token: str):
    """The feed as a calendar program reads it: no session, no cookies."""
    return Client().get(feed_path(token))


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def agenda(cast, clientele, loop):
    """The AE's items (and some that are not theirs or not due) in and around the window."""
    now = timezone.now()
    today = timezone.localdate()
    company = clientele.company
    organised = MeetingFactory(
        company=company,
        organizer=cast.ae,
        purpose="冰箱新品创意提案会",
        room="3号会议室",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
    )
    attended = MeetingFactory(company=company, organizer=cast.ad, purpose="季度回顾")
    Attendee.objects.create(meeting=attended, side=Side.AGENCY, user=cast.ae)
    MeetingFactory(
        company=company, organizer=cast.ae, purpose="已取消的会", status=Meeting.Status.CANCELLED
    )
    MeetingFactory(company=company, organizer=cast.ad, purpose="别人的会")
    MeetingFactory(
        company=company,
        organizer=cast.ae,
        purpose="太久以前",
        starts_at=now - timedelta(days=120),
        ends_at=now - timedelta(days=120) + timedelta(hours=1),
    )
    report = ContactReportFactory(
        company=company, meeting=organised, created_by=cast.ae, subject="创意提案会议纪要"
    )
    ContactReportFactory(
        company=company,
        created_by=cast.ae,
        subject="已发送的纪要",
        status=ContactReport.Status.SENT,
        sent_at=now,
    )
    action = ActionFactory(company=company, owner=cast.ae, text="提交修改稿给孙丽")
    ActionFactory(company=company, owner=cast.ad, text="别人的行动")
    ActionFactory(
        company=company,
        owner=cast.ae,
        text="已完成的行动",
        status=Action.Status.DONE,
        closed_at=now,
        closed_by=cast.ae,
    )
    task = PlanTask.objects.create(
        job=loop.job,
        department=Department.objects.get(code="account"),
        title="出街前检查",
        owner=cast.ae,
        starts_on=today,
        working_days=2,
        due_on=today + timedelta(days=3),
        created_by=cast.ae,
    )
    Job.objects.filter(pk=loop.job.pk).update(launch_date=today + timedelta(days=30))
    JobFactory(
        company=company,
        owner=cast.ae,
        launch_date=today + timedelta(days=10),
        stage=Stage.CLOSED,
        title="已结案",
    )
    return {
        "organised": organised,
        "attended": attended,
        "report": report,
        "action": action,
        "task": task,
        "job": loop.job,
    }


def test_it_stores_only_the_digest_of_the_link(cast):
    feed, token = feed_create(actor=cast.ae)

    feed.refresh_from_db()
    assert feed.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 40
    assert token not in feed.token_digest
    entry = AuditEntry.objects.get(object_id=str(feed.pk), action="create")
    assert token not in str(entry.changes) and token not in entry.note


def test_the_feed_holds_the_users_meetings_and_deadlines_only(agenda, cast):
    _feed, token = feed_create(actor=cast.ae)

    response = read(token)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert set(found) == {
        f"meeting-{agenda['organised'].pk}@jobbag",
        f"meeting-{agenda['attended'].pk}@jobbag",
        f"action-{agenda['action'].pk}@jobbag",
        f"report-{agenda['report'].pk}@jobbag",
        f"plan-task-{agenda['task'].pk}@jobbag",
        f"job-launch-{agenda['job'].pk}@jobbag",
    }
    meeting = found[f"meeting-{agenda['organised'].pk}@jobbag"]
    assert str(meeting["summary"]).startswith("冰箱新品创意提案会 · 海尔集团")
    assert str(meeting["location"]) == "3号会议室"
    assert str(meeting["url"]).endswith(f"/meetings/{agenda['organised'].pk}/")
    assert meeting.decoded("dtstart") == agenda["organised"].starts_at.replace(microsecond=0)
    assert meeting.decoded("dtstart").utcoffset() == timedelta(0)
    action = found[f"action-{agenda['action'].pk}@jobbag"]
    assert action.decoded("dtstart") == agenda["action"].due_on
    assert "提交修改稿给孙丽" in str(action["summary"])
    report = found[f"report-{agenda['report'].pk}@jobbag"]
    assert report.decoded("dtstart") == agenda["report"].due_at.replace(microsecond=0)
    assert "创意提案会议纪要" in str(report["summary"])
    assert "出街前检查" in str(found[f"plan-task-{agenda['task'].pk}@jobbag"]["summary"])
    launch = found[f"job-launch-{agenda['job'].pk}@jobbag"]
    assert launch.decoded("dtstart") == timezone.localdate() + timedelta(days=30)
    text = response.content.decode()
    for absent in [
        "别人的会",
        "别人的行动",
        "已取消的会",
        "已完成的行动",
        "已发送的纪要",
        "太久以前",
        "已结案",
    ]:
        assert absent not in text

    # Another person's feed does not hold the AE's items.
    _feed, other = feed_create(actor=cast.ad)
    theirs = events(read(other))
    assert f"action-{agenda['action'].pk}@jobbag" not in theirs
    assert f"meeting-{agenda['attended'].pk}@jobbag" in theirs


def test_uids_are_stable_and_reading_is_noted(agenda, cast):
    feed, token = feed_create(actor=cast.ae)
    assert feed.last_fetched_at is None
    first = set(events(read(token)))
    second = set(events(read(token)))
    assert first == second
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None


def test_a_replaced_or_revoked_link_is_404(cast):
    _feed, old = feed_create(actor=cast.ae)
    feed, new = feed_create(actor=cast.ae)

    assert read(old).status_code == 404
    assert read(new).status_code == 200
    assert CalendarFeed.objects.filter(user=cast.ae).count() == 1
    assert AuditEntry.objects.filter(object_id=str(feed.pk), action="change").exists()

    feed_revoke(actor=cast.ae)
    assert read(new).status_code == 404
    assert not CalendarFeed.objects.exists()
    with pytest.raises(NotFound):
        feed_revoke(actor=cast.ae)
    assert read("not-a-token").status_code == 404
    assert Client().get("/meetings/feed/x.ics").status_code == 404


def test_a_deactivated_users_feed_is_404(cast):
    _feed, token = feed_create(actor=cast.ae)
    cast.ae.is_active = False
    cast.ae.save(update_fields=["is_active"])
    assert read(token).status_code == 404


def test_the_feed_reads_a_fixed_number_of_queries(
    agenda, cast, clientele, django_assert_num_queries
):
    _feed, token = feed_create(actor=cast.ae)
    with django_assert_num_queries(7):
        assert read(token).status_code == 200
    for _n in range(5):
        meeting = MeetingFactory(company=clientele.company, organizer=cast.ad)
        Attendee.objects.create(meeting=meeting, side=Side.AGENCY, user=cast.ae)
        ActionFactory(company=clientele.company, owner=cast.ae)
        ContactReportFactory(company=clientele.company, created_by=cast.ae)
    with django_assert_num_queries(7):
        response = read(token)
    assert len(events(response)) == 6 + 15


def test_the_feed_is_worded_in_the_users_language(agenda, cast):
    cast.ae.language = "en"
    cast.ae.save(update_fields=["language"])
    _feed, token = feed_create(actor=cast.ae)
    found = events(read(token))
    assert str(found[f"action-{agenda['action'].pk}@jobbag"]["summary"]).startswith("Action due:")


# The page ---------------------------------------------------------------------------------


def test_the_page_shows_a_new_link_once(cast, login):
    client = login(cast.ae)
    page = client.get(reverse("meetings:calendar_feed"))
    assert 'data-state="none"' in page.content.decode()

    made = client.post(reverse("meetings:calendar_feed_create"))
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    html = made.content.decode()
    start = html.index('data-testid="calendar-feed-link">') + len(
        'data-testid="calendar-feed-link">'
    )
    link = html[start : html.index("</code>", start)]
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    assert link.startswith("http://testserver/meetings/feed/")
    assert read(token).status_code == 200

    again = client.get(reverse("meetings:calendar_feed")).content.decode()
    assert token not in again
    assert 'data-state="active"' in again
    assert 'data-testid="calendar-feed-last-read"' in again

    revoked = client.post(reverse("meetings:calendar_feed_revoke"))
    assert revoked.status_code == 302
    assert read(token).status_code == 404
    # Revoking twice says there is nothing to revoke, and changes nothing.
    twice = client.post(reverse("meetings:calendar_feed_revoke"), follow=True)
    assert "msg-error" in twice.content.decode()


def test_who_may_have_a_feed(cast, clientele):
    page = reverse("meetings:calendar_feed")
    cases = [
        Case("ae", "GET", page, 200),
        Case("designer", "GET", page, 200),
        Case("finance", "GET", page, 200),
        Case("gm", "GET", page, 200),
        Case("client", "GET", page, 404),
        Case("client", "POST", reverse("meetings:calendar_feed_create"), 404),
        Case("anonymous", "GET", page, 302),
        Case("anonymous", "POST", reverse("meetings:calendar_feed_create"), 302),
        Case("designer", "POST", reverse("meetings:calendar_feed_create"), 200),
        Case("ae", "GET", API, 200),
        Case("client", "GET", API, 403),
        Case("client", "POST", API, 403),
        Case("outsider", "DELETE", API, 403),
        Case("anonymous", "POST", API, 401),
        Case("finance", "DELETE", API, 404),
    ]
    run_permission_matrix(cast, cases)
    assert list(CalendarFeed.objects.values_list("user__username", flat=True)) == ["designer"]


def test_the_feed_over_the_api(cast, login):
    api = login(cast.ae)
    assert api.get(API).json() == {"exists": False, "created_at": None, "last_fetched_at": None}

    made = api.post(API)
    assert made.status_code == 201
    assert made["Cache-Control"] == "no-store"
    link = made.json()["link"]
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    assert read(token).status_code == 200
    state = api.get(API).json()
    assert state["exists"] is True and state["last_fetched_at"] is not None

    assert api.delete(API).status_code == 204
    assert read(token).status_code == 404
    assert api.delete(API).status_code == 404


def test_the_window_runs_from_90_days_ago_to_a_year_ahead(cast, clientele):
    from jobbag.meetings.selectors.feeds import feed_items

    today = date(2026, 6, 1)
    inside = [today - timedelta(days=90), today + timedelta(days=365)]
    outside = [today - timedelta(days=91), today + timedelta(days=366)]
    for due in inside + outside:
        ActionFactory(company=clientele.company, owner=cast.ae, due_on=due)
    items = feed_items(cast.ae, today=today)
    assert sorted(action.due_on for action in items.actions) == inside
