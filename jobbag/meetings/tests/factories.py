"""Rows of meetings and reports for tests and the benchmark, made directly (the services
are what the tests test; these only set the scene)."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jobbag.meetings.models import Action, ContactReport, Meeting, Side


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    purpose = factory.Sequence(lambda n: f"冰箱新品创意提案会{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + timedelta(hours=1))
    room = "3号会议室"


class ContactReportFactory(DjangoModelFactory):
    class Meta:
        model = ContactReport

    source = ContactReport.Source.MEETING
    subject = factory.Sequence(lambda n: f"创意提案会议纪要{n}")
    occurred_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda report: report.occurred_at + timedelta(hours=24))
    discussion = "客户认可第二套创意方向。"


class ActionFactory(DjangoModelFactory):
    """An open action of ours (pass owner=); side=Side.CLIENT with owner_contact= for one
    of the client's."""

    class Meta:
        model = Action

    text = factory.Sequence(lambda n: f"提交修改稿{n}")
    side = Side.AGENCY
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3))
    status = Action.Status.OPEN
    created_by = factory.LazyAttribute(lambda action: action.owner or action.report.created_by)
