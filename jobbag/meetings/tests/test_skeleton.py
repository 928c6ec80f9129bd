import pytest

from jobbag.meetings.tests.factories import ActionFactory, ContactReportFactory, MeetingFactory


@pytest.mark.django_db
def test_factories_make_rows(cast, clientele, loop):
    meeting = MeetingFactory(company=clientele.company, organizer=cast.ae, job=loop.job)
    report = ContactReportFactory(company=clientele.company, meeting=meeting, created_by=cast.ae)
    action = ActionFactory(company=clientele.company, report=report, owner=cast.ae)
    assert action.report.meeting == meeting
