"""Scene-setting for the contact report tests (no tests here): a draft written through
the services, with a decision and actions on both sides."""

from datetime import timedelta

from django.utils import timezone

from jobbag.meetings.models import ContactReport, Side
from jobbag.meetings.services import reports as services
from jobbag.meetings.tests.factories import MeetingFactory

DISCUSSION = "客户认可第二套创意方向，要求下周二前提交修改稿。"
DECISION = "采用第二套创意方向"


def actions_for(cast, clientele, *, count: int = 3) -> list[dict]:
    due = timezone.localdate() + timedelta(days=5)
    rows = [
        {"text": "提交修改稿", "side": Side.AGENCY, "owner": cast.ae, "due_on": due},
        {
            "text": "确认预算",
            "side": Side.CLIENT,
            "owner_contact": clientele.contact,
            "due_on": due,
        },
        {"text": "安排拍摄档期", "side": Side.AGENCY, "owner": cast.ad, "due_on": due},
    ]
    return rows[:count]


def phone_report(cast, clientele, *, actor=None, occurred_at=None, **extra) -> ContactReport:
    return services.report_create(
        actor=actor or cast.ae,
        company=clientele.company,
        source=ContactReport.Source.PHONE,
        occurred_at=occurred_at or timezone.now() - timedelta(hours=1),
        subject="电话沟通：冰箱新品上市",
        staff=[cast.ae],
        contacts=[clientele.contact],
        **extra,
    )


def written(cast, clientele, report=None, **values) -> ContactReport:
    """A draft with the discussion, one decision and three actions."""
    report = report or phone_report(cast, clientele)
    fields = {
        "subject": report.subject,
        "place": report.place,
        "discussion": DISCUSSION,
        "staff": [cast.ae],
        "contacts": [clientele.contact],
        "decisions": [DECISION],
        "actions": actions_for(cast, clientele),
    }
    fields.update(values)
    return services.report_update(
        actor=cast.ae, report=report, expected_version=report.version, **fields
    )


def sent(cast, clientele, **values) -> ContactReport:
    report = written(cast, clientele, **values)
    return services.report_send(actor=cast.ae, report=report)


def held_meeting(cast, clientele, loop, **extra):
    from jobbag.meetings.models import Attendee

    starts = timezone.now() - timedelta(hours=3)
    meeting = MeetingFactory(
        company=clientele.company,
        job=loop.job,
        organizer=cast.ae,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        **extra,
    )
    Attendee.objects.create(meeting=meeting, side=Side.AGENCY, user=cast.ae)
    Attendee.objects.create(meeting=meeting, side=Side.AGENCY, user=cast.ad)
    Attendee.objects.create(meeting=meeting, side=Side.CLIENT, contact=clientele.contact)
    return meeting
