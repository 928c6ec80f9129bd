"""Account's follow-up board (跟单): overdue and at-risk tasks and late problems across
the jobs the user may see, grouped by job, filtered, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobbag.calendar.services import add_working_days
from jobbag.jobs.models import FollowUpIssue, PlanTask
from jobbag.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db

URL = reverse("jobs:follow_up")


def _late_job(chain, cast, *, department=None, owner=None, company=None):
    """A job with one overdue task, one at-risk task and one late problem."""
    job = JobFactory(company=company or chain.job.company, owner=cast.ae)
    today = timezone.localdate()
    department = department or chain.design
    owner = owner or cast.designer
    yesterday = add_working_days(today, -1)
    for title, due in [("overdue", yesterday), ("at risk", today)]:
        PlanTask.objects.create(
            job=job,
            department=department,
            title=title,
            owner=owner,
            starts_on=min(due, yesterday),
            working_days=1,
            due_on=due,
            created_by=cast.ae,
        )
    FollowUpIssue.objects.create(
        job=job,
        department=department,
        topic="schedule",
        problem="进度?",
        answer_by=today - datetime.timedelta(days=1),
        raised_by=cast.ae,
    )
    return job


def test_the_board_groups_late_work_by_job(chain, cast, login):
    job = _late_job(chain, cast)
    page = login(cast.ae).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-job="{job.pk}"' in html
    assert 'data-state="overdue"' in html and 'data-state="at_risk"' in html
    assert 'data-testid="board-issue"' in html


def test_the_board_filters_by_client_department_and_owner(chain, cast, clientele, login):
    design_job = _late_job(chain, cast)
    qc_job = _late_job(chain, cast, department=chain.qc, owner=chain.qc_head)
    nike = _late_job(chain, cast, company=clientele.other_company)
    client = login(chain.dcs)  # Sees every job.

    def jobs(**params):
        board = client.get(URL, params).context["board"]
        return {entry.job.pk for entry in board}

    assert jobs() == {design_job.pk, qc_job.pk, nike.pk}
    assert jobs(client=clientele.company.pk) == {design_job.pk, qc_job.pk}
    assert jobs(department=chain.qc.pk) == {qc_job.pk}
    assert jobs(owner=cast.designer.pk) == {design_job.pk, nike.pk}


def test_a_designer_sees_only_jobs_sent_to_design(chain, cast, login):
    mine = _late_job(chain, cast)
    _late_job(chain, cast, department=chain.qc, owner=chain.qc_head)
    board = login(cast.designer).get(URL).context["board"]
    assert [entry.job.pk for entry in board] == [mine.pk]


def test_the_board_reads_a_fixed_number_of_queries(chain, cast, login, django_assert_num_queries):
    client = login(cast.ae)
    _late_job(chain, cast)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _index in range(4):
        _late_job(chain, cast, department=chain.qc, owner=chain.qc_head)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["board"]) == 5
