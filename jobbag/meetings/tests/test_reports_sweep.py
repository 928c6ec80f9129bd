"""The hourly sweep of contact reports: a draft due soon reminds its author once; one
past due escalates once to the client's AD, the author's superior and the author."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.accounts.models import Role, User
from jobbag.accounts.tests.factories import staff
from jobbag.core.models import Notification
from jobbag.core.sweeps import _hourly
from jobbag.meetings.models import ContactReport
from jobbag.meetings.sweeps.reports import remind_reports_due
from jobbag.meetings.tests.test_reports_support import phone_report, sent

pytestmark = pytest.mark.django_db


def test_it_is_registered_hourly():
    assert _hourly["meetings.reports_due"] is remind_reports_due


def test_it_reminds_the_author_once_before_the_report_is_due(cast, clientele, loop, mailoutbox):
    report = phone_report(cast, clientele)  # due 23 hours from now
    early = report.due_at - timedelta(hours=10)
    assert remind_reports_due(now=early) == {"reminded": 0, "escalated": 0}
    soon = report.due_at - timedelta(hours=3)
    assert remind_reports_due(now=soon) == {"reminded": 1, "escalated": 0}
    assert remind_reports_due(now=soon + timedelta(hours=1)) == {"reminded": 0, "escalated": 0}
    report.refresh_from_db()
    assert report.reminded_at == soon and report.escalated_at is None
    notices = Notification.objects.filter(message__contains=report.subject)
    assert [n.recipient for n in notices] == [cast.ae]
    assert [m.to for m in mailoutbox] == [[cast.ae.email]]


def test_it_escalates_an_overdue_draft_once(cast, clientele, loop, mailoutbox):
    boss = staff("boss", Role.DCS, full_name="周总")
    User.objects.filter(pk=cast.ae.pk).update(reports_to=boss)
    report = phone_report(cast, clientele)
    late = report.due_at + timedelta(minutes=5)
    assert remind_reports_due(now=late) == {"reminded": 0, "escalated": 1}
    assert remind_reports_due(now=late + timedelta(hours=1)) == {"reminded": 0, "escalated": 0}
    report.refresh_from_db()
    assert report.escalated_at == late
    told = set(
        Notification.objects.filter(message__contains=report.subject).values_list(
            "recipient", flat=True
        )
    )
    assert told == {cast.ad.pk, boss.pk, cast.ae.pk}
    assert sorted(a for m in mailoutbox for a in m.to) == sorted(
        [cast.ad.email, boss.email, cast.ae.email]
    )


def test_it_leaves_sent_reports_alone(cast, clientele, loop):
    report = sent(cast, clientele)
    assert remind_reports_due(now=report.due_at + timedelta(hours=1)) == {
        "reminded": 0,
        "escalated": 0,
    }
    assert not ContactReport.objects.filter(escalated_at__isnull=False).exists()


def test_it_runs_without_a_now(cast, clientele, loop):
    report = phone_report(cast, clientele, occurred_at=timezone.now() - timedelta(hours=25))
    assert remind_reports_due()["escalated"] == 1
    report.refresh_from_db()
    assert report.escalated_at is not None
