"""Meetings' pages and portal pages: the list with its flags, scheduling with attendees and
agenda rows, the detail page's actions and checklist, the client's portal, who may open
what (a permission matrix over pages and API), and fixed query budgets."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jobbag.accounts.models import User
from jobbag.clients.tests.factories import ContactFactory
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.meetings.models import AgendaItem, Attendee, ChecklistItem, Meeting, Side
from jobbag.meetings.services import meetings as services
from jobbag.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(str(text)))


def in_hours(hours: float):
    return timezone.localtime(timezone.now() + timedelta(hours=hours)).replace(
        second=0, microsecond=0
    )


def form_data(*, attendees, agenda, version=None, **values) -> dict:
    """The meeting form's POST: main fields and the two formsets' rows."""
    starts = values.pop("starts_at", in_hours(48))
    data = {
        "kind": "client",
        "purpose": "冰箱新品创意提案会",
        "room": "3号会议室",
        "starts_at": starts.strftime(LOCAL),
        "ends_at": values.pop("ends_at", starts + timedelta(hours=1)).strftime(LOCAL),
        "attendees-TOTAL_FORMS": str(len(attendees)),
        "attendees-INITIAL_FORMS": "0",
        "agenda-TOTAL_FORMS": str(len(agenda)),
        "agenda-INITIAL_FORMS": "0",
        **values,
    }
    if version is not None:
        data["version"] = str(version)
    for n, (person, role) in enumerate(attendees):
        data[f"attendees-{n}-person"] = person
        data[f"attendees-{n}-role"] = role
    for n, row in enumerate(agenda):
        for name, value in row.items():
            data[f"agenda-{n}-{name}"] = "" if value is None else str(value)
    return data


def planned(cast, clientele, loop, *, hours: float = 48, **values) -> Meeting:
    start = timezone.now() + timedelta(hours=hours)
    return services.meeting_create(
        actor=cast.ae,
        company=clientele.company,
        job=loop.job,
        purpose=values.pop("purpose", "冰箱新品创意提案会"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        room="3号会议室",
        attendees=values.pop(
            "attendees", [{"user": cast.ae, "role": "客户执行"}, {"contact": clientele.contact}]
        ),
        agenda=values.pop(
            "agenda",
            [
                {"title": "第二套创意方向", "owner": cast.ae, "minutes": 30},
                {"title": "上市时间", "owner_contact": clientele.contact},
            ],
        ),
        **values,
    )


def send(cast, meeting) -> Meeting:
    services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    return meeting


# The list --------------------------------------------------------------------------------


def test_the_list_shows_upcoming_meetings_with_their_flags(cast, clientele, loop, login):
    late = send(cast, planned(cast, clientele, loop, hours=1, purpose="迟发议程的会"))
    unsent = planned(cast, clientele, loop, hours=1.5, purpose="议程未发的会")
    fine = planned(cast, clientele, loop, hours=72, purpose="下周的会")
    past = MeetingFactory(
        company=clientele.company,
        organizer=cast.ae,
        purpose="上周的会",
        starts_at=timezone.now() - timedelta(days=7),
    )
    response = login(cast.ae).get(reverse("meetings:meeting_list"))

    assert response.status_code == 200
    text = response.content.decode()
    assert [m.pk for m in response.context["page_obj"]] == [late.pk, unsent.pk, fine.pk]
    assert text.count('data-testid="flag-agenda-late"') == 1
    assert text.count('data-testid="flag-agenda-not-sent"') == 1
    assert past.purpose not in text

    response = login(cast.ae).get(reverse("meetings:meeting_list") + "?when=past")
    assert [m.pk for m in response.context["page_obj"]] == [past.pk]


def test_the_list_filters_by_client_and_shows_staff_only_what_they_see(
    cast, clientele, loop, login
):
    haier = planned(cast, clientele, loop)
    nike = MeetingFactory(company=clientele.other_company, organizer=clientele.other_ae)
    url = reverse("meetings:meeting_list")

    rows = login(cast.gm).get(url).context["page_obj"]
    assert {m.pk for m in rows} == {haier.pk, nike.pk}
    rows = login(cast.gm).get(f"{url}?company={clientele.company.pk}").context["page_obj"]
    assert [m.pk for m in rows] == [haier.pk]
    assert [m.pk for m in login(cast.ae).get(url).context["page_obj"]] == [haier.pk]
    assert list(login(cast.designer).get(url).context["page_obj"]) == []
    Attendee.objects.create(meeting=nike, side=Side.AGENCY, user=cast.designer)
    assert [m.pk for m in login(cast.designer).get(url).context["page_obj"]] == [nike.pk]


def test_the_list_is_paged(cast, clientele, login):
    for n in range(27):
        MeetingFactory(
            company=clientele.company,
            organizer=cast.ae,
            starts_at=timezone.now() + timedelta(days=1, hours=n),
        )
    client = login(cast.ae)
    assert len(client.get(reverse("meetings:meeting_list")).context["page_obj"]) == 25
    page2 = client.get(reverse("meetings:meeting_list") + "?page=2").context["page_obj"]
    assert len(page2) == 2


# Scheduling and editing ------------------------------------------------------------------


def test_the_ae_chooses_the_client_then_schedules(cast, clientele, loop, login):
    client = login(cast.ae)
    response = client.get(reverse("meetings:meeting_create"))
    assert response.status_code == 200
    assert list(response.context["pick"].fields["company"].queryset) == [clientele.company]

    url = reverse("meetings:meeting_create") + f"?company={clientele.company.pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].attendee_rows.forms[0].initial["person"] == f"u:{cast.ae.pk}"
    data = form_data(
        job=str(loop.job.pk),
        attendees=[
            (f"u:{cast.ae.pk}", "客户执行"),
            (f"u:{cast.ad.pk}", ""),
            (f"c:{clientele.contact.pk}", "市场总监"),
            ("", ""),
        ],
        agenda=[
            {"title": "第二套创意方向", "owner": f"u:{cast.ae.pk}", "minutes": 30},
            {"title": "上市时间", "owner": f"c:{clientele.contact.pk}", "details": "确认档期"},
            {"title": "", "owner": "", "minutes": ""},
        ],
    )
    response = client.post(url, data)

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert meeting.job == loop.job and meeting.organizer == cast.ae
    assert meeting.attendees.count() == 3
    assert [(i.title, i.owner_contact_id) for i in meeting.agenda.all()] == [
        ("第二套创意方向", None),
        ("上市时间", clientele.contact.pk),
    ]
    assert meeting.checklist.count() == 8


def test_the_create_page_starts_from_a_job(cast, clientele, loop, login):
    response = login(cast.ae).get(reverse("meetings:meeting_create") + f"?job={loop.job.pk}")
    assert response.status_code == 200
    assert response.context["company"] == clientele.company
    assert response.context["form"].initial["job"] == loop.job.pk


def test_bad_input_shows_clear_messages_and_changes_nothing(cast, clientele, loop, login):
    nike_contact = ContactFactory(company=clientele.other_company)
    url = reverse("meetings:meeting_create") + f"?company={clientele.company.pk}"
    start = in_hours(48)
    data = form_data(
        starts_at=start,
        ends_at=start - timedelta(hours=1),
        attendees=[(f"u:{cast.ae.pk}", "")],
        agenda=[],
    )
    response = login(cast.ae).post(url, data)
    assert response.status_code == 400
    assert zh(services.ENDS_BEFORE_START) in response.content.decode()

    data = form_data(attendees=[(f"c:{nike_contact.pk}", "")], agenda=[])
    response = login(cast.ae).post(url, data)
    assert response.status_code == 400
    assert response.context["form"].attendee_rows.forms[0].errors["person"]
    assert not Meeting.objects.exists()


def test_another_clients_page_is_not_found(cast, clientele, login):
    url = reverse("meetings:meeting_create") + f"?company={clientele.other_company.pk}"
    assert login(cast.ae).get(url).status_code == 404


def test_the_edit_page_keeps_the_clients_topic_and_refuses_a_stale_version(
    cast, clientele, loop, login
):
    meeting = send(cast, planned(cast, clientele, loop))
    proposed = services.meeting_topic_propose(actor=cast.client, meeting=meeting, title="预算确认")
    meeting.refresh_from_db()
    client = login(cast.ae)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    form = client.get(url).context["form"]
    rows = [f.initial for f in form.agenda_rows.forms if f.initial]
    assert [r["title"] for r in rows] == ["第二套创意方向", "上市时间", "预算确认"]
    data = form_data(
        version=meeting.version,
        job=str(loop.job.pk),
        starts_at=timezone.localtime(meeting.starts_at),
        attendees=[(f"u:{cast.ae.pk}", ""), (f"c:{clientele.contact.pk}", "")],
        agenda=[{k: r[k] for k in ("id", "title", "owner", "minutes", "details")} for r in rows],
        room="1号会议室",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.room == "1号会议室"
    assert meeting.agenda_changed_at is not None
    assert AgendaItem.objects.get(pk=proposed.pk).from_client

    response = client.post(url, {**data, "room": "2号会议室"})
    assert response.status_code == 400
    assert zh("Someone else changed this record in the meantime. Reload and try again.") in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.room == "1号会议室"


# The detail page and its actions -------------------------------------------------------


def test_the_detail_page_shows_agenda_attendees_and_checklist(cast, clientele, loop, login):
    meeting = planned(cast, clientele, loop)
    response = login(cast.ae).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('data-testid="agenda-item"') == 2
    assert 'data-side="agency"' in text and 'data-side="client"' in text
    assert text.count('data-testid="checklist-item"') == 8
    assert reverse("meetings:report_create") + f"?meeting={meeting.pk}" in text
    assert 'data-testid="meeting-send-agenda"' in text


def test_sending_the_agenda_from_the_page_twice_sends_it_once(
    cast, clientele, loop, login, mailoutbox
):
    meeting = planned(cast, clientele, loop)
    client = login(cast.ae)
    url = reverse("meetings:meeting_send_agenda", args=[meeting.pk])
    response = client.post(url, {"version": meeting.version})
    assert response.status_code == 302
    sent = len(mailoutbox)
    assert sent == 2
    response = client.post(url, {"version": meeting.version}, follow=True)
    assert zh("Someone else changed this record in the meantime. Reload and try again.") in (
        response.content.decode()
    )
    assert len(mailoutbox) == sent
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT


def test_the_page_asks_for_topics_cancels_and_ticks_the_checklist(cast, clientele, loop, login):
    meeting = planned(cast, clientele, loop)
    client = login(cast.ae)
    client.post(
        reverse("meetings:meeting_request_topics", args=[meeting.pk]), {"version": meeting.version}
    )
    meeting.refresh_from_db()
    assert meeting.topics_requested_at is not None

    item = meeting.checklist.get(kind=ChecklistItem.Kind.GUIDELINES)
    response = client.post(
        reverse("meetings:meeting_checklist", args=[meeting.pk, item.pk]),
        {"done": "on", "link": "/clients/", "note": "已带"},
    )
    assert response.status_code == 302 and response.url.endswith("#checklist")
    item.refresh_from_db()
    assert item.done and item.link == "/clients/" and item.note == "已带"

    client.post(
        reverse("meetings:meeting_cancel", args=[meeting.pk]),
        {"version": meeting.version, "reason": "客户出差"},
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_a_started_meeting_is_marked_held(cast, clientele, login):
    meeting = MeetingFactory(
        company=clientele.company, organizer=cast.ae, starts_at=timezone.now() - timedelta(hours=1)
    )
    client = login(cast.ae)
    text = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="meeting-held"' in text
    assert 'data-testid="meeting-send-agenda"' not in text
    client.post(reverse("meetings:meeting_held", args=[meeting.pk]), {"version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


# The portal --------------------------------------------------------------------------------


def test_the_client_sees_only_shared_meetings_and_proposes_a_topic(cast, clientele, loop, login):
    shared = send(cast, planned(cast, clientele, loop, purpose="已发议程的会"))
    planned(cast, clientele, loop, purpose="尚未共享的会")
    client = login(cast.client)

    response = client.get(reverse("portal:meeting_list"))
    assert response.status_code == 200
    assert [m.pk for m in response.context["upcoming"]] == [shared.pk]

    url = reverse("portal:meeting_detail", args=[shared.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "pre-meeting" not in response.content.decode().lower()
    response = client.post(url, {"title": "", "details": ""})
    assert response.status_code == 400
    response = client.post(url, {"title": "包装设计反馈", "details": "请准备样品"})
    assert response.status_code == 302
    item = shared.agenda.get(from_client=True)
    assert item.title == "包装设计反馈" and item.proposed_by == cast.client


def test_the_portal_isolates_companies(cast, clientele, loop, login):
    shared = send(cast, planned(cast, clientele, loop))
    outsider = login(cast.outsider)
    assert list(outsider.get(reverse("portal:meeting_list")).context["upcoming"]) == []
    url = reverse("portal:meeting_detail", args=[shared.pk])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"title": "闯入"}).status_code == 404
    assert not shared.agenda.filter(from_client=True).exists()


# Who may open what -------------------------------------------------------------------------


def test_permission_matrix(cast, clientele, loop):
    meeting = send(cast, planned(cast, clientele, loop))
    Attendee.objects.create(meeting=meeting, side=Side.AGENCY, user=cast.designer)
    meeting.refresh_from_db()
    people = SimpleNamespace(**vars(cast), other_ae=clientele.other_ae, manager=loop.manager)
    detail = reverse("meetings:meeting_detail", args=[meeting.pk])
    edit = reverse("meetings:meeting_edit", args=[meeting.pk])
    create = reverse("meetings:meeting_create")
    listing = reverse("meetings:meeting_list")
    held = reverse("meetings:meeting_held", args=[meeting.pk])
    portal_list = reverse("portal:meeting_list")
    portal_detail = reverse("portal:meeting_detail", args=[meeting.pk])
    api = f"/api/v1/meetings/meetings/{meeting.pk}"
    start = timezone.now() + timedelta(days=3)
    new_meeting = {
        "company": clientele.company.pk,
        "purpose": "不该安排的会",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "attendees": [{"user": cast.ae.pk}],
    }
    cases = [
        *[Case(role, "GET", listing, 200) for role in ("ae", "ad", "gm", "designer", "finance")],
        *[Case(role, "GET", listing, 404) for role in ("client", "outsider")],
        Case("anonymous", "GET", listing, 302),
        *[Case(role, "GET", create, 200) for role in ("ae", "ad", "gm", "manager", "other_ae")],
        *[Case(role, "GET", create, 403) for role in ("designer", "finance")],
        Case("client", "GET", create, 404),
        *[Case(role, "GET", detail, 200) for role in ("ae", "ad", "gm", "admin", "designer")],
        *[Case(role, "GET", detail, 404) for role in ("other_ae", "finance", "client")],
        *[Case(role, "GET", edit, 200) for role in ("ae", "ad", "gm", "admin")],
        Case("designer", "GET", edit, 403),
        Case("other_ae", "GET", edit, 404),
        Case("designer", "POST", held, 403),
        Case("other_ae", "POST", held, 404),
        Case("outsider", "POST", held, 404),
        Case("client", "GET", portal_list, 200),
        Case("outsider", "GET", portal_list, 200),
        *[Case(role, "GET", portal_list, 404) for role in ("ae", "gm")],
        Case("client", "GET", portal_detail, 200),
        *[Case(role, "GET", portal_detail, 404) for role in ("outsider", "ae")],
        # The API.
        Case("anonymous", "GET", "/api/v1/meetings/meetings", 401),
        *[Case(r, "GET", "/api/v1/meetings/meetings", 200) for r in ("ae", "client", "outsider")],
        *[Case(role, "GET", api, 200) for role in ("ae", "gm", "designer", "client")],
        *[Case(role, "GET", api, 404) for role in ("other_ae", "finance", "outsider")],
        *[
            Case(role, "POST", "/api/v1/meetings/meetings", 403, new_meeting)
            for role in ("designer", "client")
        ],
        Case("designer", "PATCH", api, 403, {"version": meeting.version}),
        Case("client", "PATCH", api, 403, {"version": meeting.version}),
        Case("other_ae", "PATCH", api, 404, {"version": meeting.version}),
        Case("client", "POST", f"{api}/send-agenda", 403, {"version": meeting.version}),
        Case("outsider", "POST", f"{api}/send-agenda", 404, {"version": meeting.version}),
        Case("designer", "POST", f"{api}/cancel", 403, {}),
        Case("ae", "POST", f"{api}/topics", 403, {"title": "员工不能提议"}),
        Case("outsider", "POST", f"{api}/topics", 404, {"title": "闯入"}),
        Case("client", "POST", f"{api}/topics", 201, {"title": "客户议题"}),
    ]
    run_permission_matrix(people, cases)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT
    assert list(meeting.agenda.filter(from_client=True).values_list("title", flat=True)) == [
        "客户议题"
    ]


# Query budgets -----------------------------------------------------------------------------

# Session, user, the clients the user sees (5, read once), the count, the page, the
# settings, the unread notifications and the filter's clients.
LIST_QUERIES = 12
# Session, user, the clients (5), the meeting with its attendees, agenda and checklist
# (4), the settings, the unread notifications and the history.
DETAIL_QUERIES = 14


def test_the_list_page_reads_a_fixed_number_of_queries(
    cast, clientele, loop, login, django_assert_num_queries
):
    for hours in (30, 40, 50):
        planned(cast, clientele, loop, hours=hours)
    client = login(cast.ae)
    url = reverse("meetings:meeting_list")
    client.get(url)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(client.get(url).context["page_obj"]) == 3
    for hours in range(60, 80):
        planned(cast, clientele, loop, hours=hours)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(client.get(url).context["page_obj"]) == 23


def test_the_detail_page_reads_a_fixed_number_of_queries(
    cast, clientele, loop, login, django_assert_num_queries
):
    small = planned(cast, clientele, loop)
    contacts = [ContactFactory(company=clientele.company) for _ in range(5)]
    big = planned(
        cast,
        clientele,
        loop,
        attendees=[{"user": u} for u in (cast.ae, cast.ad, loop.manager)]
        + [{"contact": c} for c in contacts],
        agenda=[{"title": f"议题{n}", "owner_contact": contacts[n % 5]} for n in range(10)],
    )
    client = login(cast.ae)
    client.get(reverse("meetings:meeting_detail", args=[small.pk]))
    for meeting in (small, big):
        with django_assert_num_queries(DETAIL_QUERIES):
            client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))


def test_client_users_language_is_used_in_the_portal(cast, clientele, loop, login):
    shared = send(cast, planned(cast, clientele, loop))
    User.objects.filter(pk=cast.client.pk).update(language="en")
    response = login(cast.client).get(reverse("portal:meeting_detail", args=[shared.pk]))
    with translation.override("en"):
        assert str(translation.gettext("Propose a topic")) in response.content.decode()
