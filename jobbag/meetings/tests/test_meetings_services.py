"""Meetings' services: scheduling with attendees and agenda from both sides, the
pre-meeting checklist, sending the agenda (late or not, once per version), asking the
client for topics and their proposals, held and cancelled, and who may do what."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from jobbag.accounts.models import User
from jobbag.accounts.tests.factories import UserFactory
from jobbag.clients.tests.factories import ContactFactory
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.jobs.tests.factories import JobFactory
from jobbag.meetings.models import AgendaItem, ChecklistItem, Meeting, MeetingSettings, Side
from jobbag.meetings.services import meetings as services
from jobbag.meetings.tests.factories import ContactReportFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def when(hours: float = 48):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours)
    return {"starts_at": start, "ends_at": start + timedelta(hours=1)}


def schedule(cast, clientele, loop, *, actor=None, attendees=None, agenda=None, **values):
    """A meeting with HAIER two days ahead: the AE and 孙丽, two agenda items."""
    fields = {
        "kind": Meeting.Kind.CLIENT,
        "purpose": "冰箱新品创意提案会",
        "room": "3号会议室",
        "job": loop.job,
        **when(),
        **values,
    }
    if attendees is None:
        attendees = [
            {"user": cast.ae, "role": "客户执行"},
            {"contact": clientele.contact, "role": "市场总监"},
        ]
    if agenda is None:
        agenda = [
            {"title": "第二套创意方向", "owner": cast.ae, "minutes": 30},
            {"title": "上市时间", "owner_contact": clientele.contact, "minutes": 15},
        ]
    return services.meeting_create(
        actor=actor or cast.ae,
        company=clientele.company,
        attendees=attendees,
        agenda=agenda,
        **fields,
    )


def audit_actions(meeting) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(meeting.pk), object_repr=str(meeting)).values_list(
            "action", flat=True
        )
    )


# Scheduling --------------------------------------------------------------------------------


def test_it_schedules_a_meeting_with_attendees_and_agenda_from_both_sides(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)

    assert meeting.organizer == cast.ae
    assert meeting.status == Meeting.Status.PLANNED
    sides = {(a.side, a.user_id, a.contact_id, a.role) for a in meeting.attendees.all()}
    assert sides == {
        (Side.AGENCY, cast.ae.pk, None, "客户执行"),
        (Side.CLIENT, None, clientele.contact.pk, "市场总监"),
    }
    items = list(meeting.agenda.all())
    assert [(i.position, i.title, i.owner_id, i.owner_contact_id) for i in items] == [
        (1, "第二套创意方向", cast.ae.pk, None),
        (2, "上市时间", None, clientele.contact.pk),
    ]
    assert "create" in audit_actions(meeting)


def test_it_fills_the_checklist_with_links_to_what_jobbag_holds(cast, clientele, loop):
    ContactReportFactory(company=clientele.company, created_by=cast.ae, status="draft")
    sent = ContactReportFactory(
        company=clientele.company, created_by=cast.ae, status="sent", sent_at=timezone.now()
    )
    meeting = schedule(cast, clientele, loop)

    links = {item.kind: item.link for item in meeting.checklist.all()}
    assert set(links) == set(ChecklistItem.Kind.values)
    job_page = reverse("jobs:detail", args=[loop.job.pk])
    report_page = reverse("meetings:report_detail", args=[sent.pk])
    assert links[ChecklistItem.Kind.LAST_REPORT] == report_page
    assert links[ChecklistItem.Kind.BUDGET] == reverse(
        "clients:dossier_section", kwargs={"pk": clientele.brand.pk, "section": "budgets"}
    )
    assert links[ChecklistItem.Kind.WORK_IN_PROGRESS] == (
        f"{reverse('jobs:list')}?company={clientele.company.pk}&stage=open"
    )
    assert links[ChecklistItem.Kind.QUOTES_TIMELINE] == f"{job_page}#quotes"
    assert links[ChecklistItem.Kind.APPROVALS] == f"{job_page}#work_orders"
    assert links[ChecklistItem.Kind.MEDIA_SAMPLES] == ""
    assert not any(item.done for item in meeting.checklist.all())


def test_it_links_the_approvals_inbox_when_the_meeting_has_no_job(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop, job=None)

    links = {item.kind: item.link for item in meeting.checklist.all()}
    assert links[ChecklistItem.Kind.APPROVALS] == reverse("approvals:inbox")
    assert links[ChecklistItem.Kind.QUOTES_TIMELINE] == ""
    assert links[ChecklistItem.Kind.LAST_REPORT] == ""


@pytest.mark.parametrize("who", ["designer", "finance", "client"])
def test_it_refuses_the_wrong_role(cast, clientele, loop, who):
    with pytest.raises(NotAllowed):
        schedule(cast, clientele, loop, actor=getattr(cast, who))
    assert not Meeting.objects.exists()


def test_it_refuses_an_account_person_of_another_client(cast, clientele, loop):
    with pytest.raises(NotAllowed):
        schedule(cast, clientele, loop, actor=clientele.other_ae)


def test_management_schedules_for_any_client(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop, actor=cast.gm)
    assert meeting.organizer == cast.gm


def test_it_refuses_another_clients_contact_as_attendee(cast, clientele, loop):
    nike_contact = ContactFactory(company=clientele.other_company, name="Nike 联系人")
    with pytest.raises(DomainError) as refusal:
        schedule(
            cast,
            clientele,
            loop,
            attendees=[{"user": cast.ae}, {"contact": nike_contact}],
        )
    assert refusal.value.fields == {"attendees": services.ATTENDEE_NOT_CLIENT}
    assert not Meeting.objects.exists()


def test_it_refuses_an_inactive_contact_and_a_client_user_as_staff(cast, clientele, loop):
    gone = ContactFactory(company=clientele.company, is_active=False)
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, attendees=[{"contact": gone}])
    assert refusal.value.fields == {"attendees": services.ATTENDEE_NOT_CLIENT}
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, attendees=[{"user": cast.client}])
    assert refusal.value.fields == {"attendees": services.ATTENDEE_NOT_STAFF}


def test_it_refuses_an_agenda_owner_of_another_client(cast, clientele, loop):
    nike_contact = ContactFactory(company=clientele.other_company)
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, agenda=[{"title": "预算", "owner_contact": nike_contact}])
    assert refusal.value.fields == {"agenda": services.AGENDA_OWNER_INVALID}


def test_it_refuses_a_job_of_another_client(cast, clientele, loop):
    nike_job = JobFactory(company=clientele.other_company, owner=clientele.other_ae)
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, job=nike_job)
    assert refusal.value.fields == {"job": services.JOB_OTHER_CLIENT}
    assert not Meeting.objects.exists()


def test_it_refuses_an_end_before_the_start_and_a_start_in_the_past(cast, clientele, loop):
    times = when()
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, starts_at=times["starts_at"], ends_at=times["starts_at"])
    assert refusal.value.fields == {"ends_at": services.ENDS_BEFORE_START}
    past = when(-3)
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, **past)
    assert refusal.value.fields == {"starts_at": services.STARTS_IN_PAST}
    assert not Meeting.objects.exists()


def test_it_refuses_malformed_input_with_field_errors(cast, clientele, loop):
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, purpose="  ", kind="party", starts_at=None)
    assert set(refusal.value.fields) == {"purpose", "kind", "starts_at"}
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, attendees=[])
    assert refusal.value.fields == {"attendees": services.NO_ATTENDEES}
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, attendees=[{"user": cast.ae}, {"user": cast.ae}])
    assert refusal.value.fields == {"attendees": services.ATTENDEE_TWICE}
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, agenda=[{"title": "", "details": "说明"}])
    assert refusal.value.fields == {"agenda": services.AGENDA_TITLE_REQUIRED}
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, agenda=[{"title": "预算", "minutes": 0}])
    assert refusal.value.fields == {"agenda": services.MINUTES_INVALID}
    assert not Meeting.objects.exists()


def test_an_internal_meeting_has_no_client_attendees(cast, clientele, loop):
    with pytest.raises(DomainError) as refusal:
        schedule(cast, clientele, loop, kind=Meeting.Kind.INTERNAL)
    assert refusal.value.fields == {"attendees": services.INTERNAL_NO_CLIENT}


# Editing ---------------------------------------------------------------------------------


def test_it_edits_a_planned_meeting_and_records_the_change(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    first = meeting.agenda.first()
    services.meeting_update(
        actor=cast.ad,
        meeting=meeting,
        expected_version=meeting.version,
        attendees=[{"user": cast.ae}, {"user": cast.ad}, {"contact": loop.key_contact}],
        agenda=[{"id": first.pk, "title": "第二套创意方向（修改）", "owner": cast.ad}],
        **{**{name: getattr(meeting, name) for name in services.FIELDS}, "room": "1号会议室"},
    )
    meeting.refresh_from_db()
    assert meeting.room == "1号会议室"
    assert meeting.version == 2
    assert meeting.agenda_changed_at is None
    assert [(i.pk, i.title, i.owner_id) for i in meeting.agenda.all()] == [
        (first.pk, "第二套创意方向（修改）", cast.ad.pk)
    ]
    assert {a.contact_id for a in meeting.attendees.all()} == {None, loop.key_contact.pk}
    change = AuditEntry.objects.filter(action="change", object_id=str(meeting.pk)).get()
    assert set(change.changes) == {"room", "attendees", "agenda"}


def test_a_stale_version_is_refused_and_changes_nothing(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    values = {name: getattr(meeting, name) for name in services.FIELDS}
    people = [{"user": cast.ae}]
    services.meeting_update(
        actor=cast.ae,
        meeting=meeting,
        expected_version=1,
        attendees=people,
        **{**values, "room": "A"},
    )
    with pytest.raises(Conflict):
        services.meeting_update(
            actor=cast.ad,
            meeting=meeting,
            expected_version=1,
            attendees=people,
            **{**values, "room": "B"},
        )
    meeting.refresh_from_db()
    assert meeting.room == "A"


def test_an_edit_refuses_an_agenda_item_of_another_meeting(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    other = schedule(cast, clientele, loop)
    foreign = other.agenda.first()
    with pytest.raises(DomainError) as refusal:
        services.meeting_update(
            actor=cast.ae,
            meeting=meeting,
            expected_version=meeting.version,
            attendees=[{"user": cast.ae}],
            agenda=[{"id": foreign.pk, "title": "偷来的议题"}],
            **{name: getattr(meeting, name) for name in services.FIELDS},
        )
    assert refusal.value.fields == {"agenda": services.AGENDA_ITEM_UNKNOWN}
    assert other.agenda.get(pk=foreign.pk).title == foreign.title


def test_a_held_or_cancelled_meeting_no_longer_changes(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    services.meeting_cancel(actor=cast.ae, meeting=meeting)
    meeting.refresh_from_db()
    with pytest.raises(DomainError) as refusal:
        services.meeting_update(
            actor=cast.ae,
            meeting=meeting,
            expected_version=meeting.version,
            attendees=[{"user": cast.ae}],
            **{name: getattr(meeting, name) for name in services.FIELDS},
        )
    assert refusal.value.message == services.NOT_OPEN
    with pytest.raises(DomainError):
        services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)


# Sending the agenda ----------------------------------------------------------------------


def test_it_sends_the_agenda_to_staff_and_client_contacts(cast, clientele, loop, mailoutbox):
    User.objects.filter(pk=cast.ad.pk).update(language="en")
    no_address = ContactFactory(company=clientele.company, name="无邮箱", email="")
    meeting = schedule(
        cast,
        clientele,
        loop,
        attendees=[
            {"user": cast.ae, "role": "客户执行"},
            {"user": cast.ad},
            {"contact": clientele.contact, "role": "市场总监"},
            {"contact": loop.key_contact},
            {"contact": no_address},
        ],
    )
    services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT
    assert meeting.agenda_sent_at is not None
    assert meeting.agenda_late is False
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {
        cast.ae.email,
        cast.ad.email,
        "sunli@haier.example",
        "qian@haier.example",
    }
    to_client = by_address["sunli@haier.example"]
    assert meeting.purpose in to_client.subject
    for text in ["第二套创意方向", "上市时间", "3号会议室", "王小明", "孙丽", "客户执行"]:
        assert text in to_client.body
    # cast.client is 孙丽's portal user: the e-mail points at the portal's meeting page.
    assert reverse("portal:meeting_detail", args=[meeting.pk]) in to_client.body
    assert reverse("portal:meeting_detail", args=[meeting.pk]) not in (
        by_address["qian@haier.example"].body
    )
    with translation.override("en"):
        assert str(translation.gettext("Attendees")) in by_address[cast.ad.email].body
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in by_address[cast.ae.email].body
    # Staff get a notice in Jobbag too; the sender is not told about their own sending.
    assert list(Notification.objects.values_list("recipient", flat=True)) == [cast.ad.pk]
    transition = AuditEntry.objects.filter(action="transition", object_id=str(meeting.pk)).get()
    assert transition.changes == {"status": ["planned", "agenda_sent"]}


@pytest.mark.parametrize(("hours", "late"), [(1, True), (3, False)])
def test_it_flags_an_agenda_sent_later_than_the_lead_time(cast, clientele, loop, hours, late):
    assert MeetingSettings.current().agenda_lead_hours == 2
    meeting = schedule(cast, clientele, loop, **when(hours))
    services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.agenda_late is late


def test_the_lead_time_is_a_setting(cast, clientele, loop):
    MeetingSettings.objects.update_or_create(pk=1, defaults={"agenda_lead_hours": 4})
    meeting = schedule(cast, clientele, loop, **when(3))
    services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.agenda_late is True


def test_a_double_send_is_refused_and_sends_nothing_twice(cast, clientele, loop, mailoutbox):
    meeting = schedule(cast, clientele, loop)
    version = meeting.version
    services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=version)
    sent = len(mailoutbox)
    with pytest.raises(Conflict):
        services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=version)
    assert len(mailoutbox) == sent


def test_a_changed_agenda_is_sent_again_and_says_so(cast, clientele, loop, mailoutbox):
    meeting = schedule(cast, clientele, loop)
    services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    items = [
        {"id": i.pk, "title": i.title, "owner": i.owner, "owner_contact": i.owner_contact}
        for i in meeting.agenda.all()
    ]
    services.meeting_update(
        actor=cast.ae,
        meeting=meeting,
        expected_version=meeting.version,
        attendees=[{"user": cast.ae}, {"contact": clientele.contact}],
        agenda=[*items, {"title": "媒体排期", "owner": cast.ae}],
        **{name: getattr(meeting, name) for name in services.FIELDS},
    )
    meeting.refresh_from_db()
    assert meeting.agenda_changed_at is not None
    assert meeting.status == Meeting.Status.AGENDA_SENT
    mailoutbox.clear()

    # The audit note is written in the language active when the agenda goes out.
    with translation.override("zh-hans"):
        services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
        resent = translation.gettext("Agenda re-sent")

    meeting.refresh_from_db()
    assert meeting.agenda_changed_at is None
    assert len(mailoutbox) == 2
    with translation.override("zh-hans"):
        replaces = str(translation.gettext("This agenda replaces the one sent before."))
        updated = str(translation.gettext("Updated agenda"))
    assert all(replaces in m.body and "媒体排期" in m.body for m in mailoutbox)
    assert all(m.subject.startswith(updated) for m in mailoutbox)
    notes = AuditEntry.objects.filter(action="transition", object_id=str(meeting.pk))
    assert resent == "议程已重新发送"
    assert resent in list(notes.values_list("note", flat=True))


def test_the_agenda_is_not_sent_empty_or_after_the_start(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop, agenda=[])
    with pytest.raises(DomainError) as refusal:
        services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
    assert refusal.value.message == services.AGENDA_EMPTY
    started = MeetingFactory(
        company=clientele.company, organizer=cast.ae, starts_at=timezone.now() - timedelta(hours=1)
    )
    AgendaItem.objects.create(meeting=started, title="议题")
    with pytest.raises(DomainError) as refusal:
        services.agenda_send(actor=cast.ae, meeting=started, expected_version=started.version)
    assert refusal.value.message == services.ALREADY_STARTED


def test_only_who_works_on_the_client_sends_the_agenda(cast, clientele, loop, mailoutbox):
    meeting = schedule(cast, clientele, loop)
    for user in (cast.designer, clientele.other_ae, cast.client):
        with pytest.raises(NotAllowed):
            services.agenda_send(actor=user, meeting=meeting, expected_version=meeting.version)
    assert mailoutbox == []


# Client topics -----------------------------------------------------------------------------


def test_it_asks_the_attending_client_users_for_topics(cast, clientele, loop, mailoutbox):
    UserFactory(username="client2", kind=User.Kind.CLIENT, company=clientele.company)
    meeting = schedule(cast, clientele, loop)
    services.meeting_topics_request(
        actor=cast.ae, meeting=meeting, expected_version=meeting.version
    )
    meeting.refresh_from_db()
    assert meeting.topics_requested_at is not None
    notice = Notification.objects.get()
    assert notice.recipient == cast.client
    assert notice.link == reverse("portal:meeting_detail", args=[meeting.pk])
    assert [m.to for m in mailoutbox] == [[cast.client.email]]


def test_without_attending_client_users_every_client_user_is_asked(cast, clientele, loop):
    other = UserFactory(username="client2", kind=User.Kind.CLIENT, company=clientele.company)
    UserFactory(username="gone", kind=User.Kind.CLIENT, company=clientele.company, is_active=False)
    meeting = schedule(cast, clientele, loop, attendees=[{"user": cast.ae}])
    services.meeting_topics_request(
        actor=cast.ae, meeting=meeting, expected_version=meeting.version
    )
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {cast.client.pk, other.pk}


def test_topics_are_asked_only_of_a_client_with_portal_users(cast, clientele, loop):
    User.objects.filter(kind=User.Kind.CLIENT, company=clientele.company).update(is_active=False)
    meeting = schedule(cast, clientele, loop)
    with pytest.raises(DomainError) as refusal:
        services.meeting_topics_request(
            actor=cast.ae, meeting=meeting, expected_version=meeting.version
        )
    assert refusal.value.message == services.NO_CLIENT_USERS
    meeting.refresh_from_db()
    assert meeting.topics_requested_at is None


def test_an_internal_meeting_asks_the_client_nothing(cast, clientele, loop):
    meeting = schedule(
        cast, clientele, loop, kind=Meeting.Kind.INTERNAL, attendees=[{"user": cast.ae}], agenda=[]
    )
    with pytest.raises(DomainError) as refusal:
        services.meeting_topics_request(
            actor=cast.ae, meeting=meeting, expected_version=meeting.version
        )
    assert refusal.value.message == services.NOT_CLIENT_MEETING


def test_the_client_proposes_a_topic_and_the_organiser_is_told(cast, clientele, loop, mailoutbox):
    meeting = schedule(cast, clientele, loop)
    services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    mailoutbox.clear()

    item = services.meeting_topic_propose(
        actor=cast.client, meeting=meeting, title="包装设计反馈", details="附件见邮件"
    )

    assert item.from_client and item.proposed_by == cast.client
    assert item.owner_contact == clientele.contact
    assert item.position == 3
    meeting.refresh_from_db()
    assert meeting.agenda_changed_at is not None
    assert meeting.version == 3
    notice = Notification.objects.get(recipient=cast.ae)
    assert "包装设计反馈" in notice.message
    assert [m.to for m in mailoutbox] == [[cast.ae.email]]


def test_a_stale_edit_cannot_drop_a_topic_the_client_proposed(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    services.meeting_topics_request(
        actor=cast.ae, meeting=meeting, expected_version=meeting.version
    )
    meeting.refresh_from_db()
    loaded = meeting.version
    services.meeting_topic_propose(actor=cast.client, meeting=meeting, title="预算确认")
    with pytest.raises(Conflict):
        services.meeting_update(
            actor=cast.ae,
            meeting=meeting,
            expected_version=loaded,
            attendees=[{"user": cast.ae}],
            agenda=[],
            **{name: getattr(meeting, name) for name in services.FIELDS},
        )
    assert meeting.agenda.filter(from_client=True).count() == 1


def test_topics_are_proposed_only_until_the_start_and_only_by_the_client(cast, clientele, loop):
    meeting = MeetingFactory(
        company=clientele.company,
        organizer=cast.ae,
        starts_at=timezone.now() - timedelta(minutes=5),
        agenda_sent_at=timezone.now() - timedelta(hours=5),
        status=Meeting.Status.AGENDA_SENT,
    )
    with pytest.raises(DomainError) as refusal:
        services.meeting_topic_propose(actor=cast.client, meeting=meeting, title="太晚了")
    assert refusal.value.message == services.TOPICS_CLOSED
    future = schedule(cast, clientele, loop)
    services.agenda_send(actor=cast.ae, meeting=future, expected_version=future.version)
    for user in (cast.outsider, cast.ae):
        with pytest.raises(NotAllowed):
            services.meeting_topic_propose(actor=user, meeting=future, title="不该出现")
    with pytest.raises(DomainError) as refusal:
        services.meeting_topic_propose(actor=cast.client, meeting=future, title="   ")
    assert refusal.value.fields == {"title": services.REQUIRED}
    assert not AgendaItem.objects.filter(from_client=True).exists()


def test_a_client_user_sees_no_meeting_before_it_is_shared(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    with pytest.raises(NotAllowed):
        services.meeting_topic_propose(actor=cast.client, meeting=meeting, title="提前")


# Held, cancelled, the checklist ------------------------------------------------------------


def test_it_marks_a_started_meeting_held_once(cast, clientele, loop):
    meeting = MeetingFactory(
        company=clientele.company, organizer=cast.ae, starts_at=timezone.now() - timedelta(hours=1)
    )
    services.meeting_mark_held(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    with pytest.raises(DomainError):
        services.meeting_mark_held(actor=cast.ae, meeting=meeting)
    with pytest.raises(Conflict):
        services.meeting_mark_held(actor=cast.ae, meeting=meeting, expected_version=1)


def test_a_meeting_to_come_is_not_marked_held(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    with pytest.raises(DomainError) as refusal:
        services.meeting_mark_held(actor=cast.ae, meeting=meeting)
    assert refusal.value.message == services.NOT_STARTED


def test_cancelling_after_the_agenda_tells_everyone(cast, clientele, loop, mailoutbox):
    meeting = schedule(
        cast,
        clientele,
        loop,
        attendees=[{"user": cast.ae}, {"user": cast.ad}, {"contact": clientele.contact}],
    )
    services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=meeting.version)
    mailoutbox.clear()
    Notification.objects.all().delete()

    services.meeting_cancel(actor=cast.ae, meeting=meeting, reason="客户临时出差")

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert {m.to[0] for m in mailoutbox} == {cast.ad.email, "sunli@haier.example"}
    assert all("客户临时出差" in m.body for m in mailoutbox)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [cast.ad.pk]
    notes = AuditEntry.objects.filter(action="transition", object_id=str(meeting.pk))
    assert "客户临时出差" in set(notes.values_list("note", flat=True))
    with pytest.raises(DomainError):
        services.meeting_cancel(actor=cast.ae, meeting=meeting)


def test_it_ticks_a_checklist_item_with_its_link_and_note(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    item = meeting.checklist.get(kind=ChecklistItem.Kind.MEDIA_SAMPLES)
    services.meeting_checklist_update(
        actor=cast.ae, item=item, done=True, link="https://media.example/samples", note="已打印"
    )
    item.refresh_from_db()
    assert (item.done, item.link, item.note) == (True, "https://media.example/samples", "已打印")
    assert AuditEntry.objects.filter(action="change", object_id=str(meeting.pk)).exists()

    with pytest.raises(DomainError) as refusal:
        services.meeting_checklist_update(actor=cast.ae, item=item, link="javascript:alert(1)")
    assert refusal.value.fields == {"link": services.LINK_INVALID}
    with pytest.raises(NotAllowed):
        services.meeting_checklist_update(actor=cast.designer, item=item, done=False)
    item.refresh_from_db()
    assert item.link == "https://media.example/samples" and item.done


def test_an_edit_fills_the_links_of_a_newly_named_job(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop, job=None)
    services.meeting_update(
        actor=cast.ae,
        meeting=meeting,
        expected_version=meeting.version,
        attendees=[{"user": cast.ae}],
        **{**{name: getattr(meeting, name) for name in services.FIELDS}, "job": loop.job},
    )
    links = {item.kind: item.link for item in meeting.checklist.all()}
    assert links[ChecklistItem.Kind.QUOTES_TIMELINE].endswith("#quotes")
    assert links[ChecklistItem.Kind.APPROVALS] == (
        reverse("jobs:detail", args=[loop.job.pk]) + "#work_orders"
    )


def test_mail_is_only_queued_when_the_change_is_kept(cast, clientele, loop):
    meeting = schedule(cast, clientele, loop)
    mail.outbox = []
    with pytest.raises(Conflict):
        services.agenda_send(actor=cast.ae, meeting=meeting, expected_version=99)
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.agenda_sent_at is None
