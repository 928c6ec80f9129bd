"""Answers and sweeps at the same moment (PostgreSQL only: SQLite serialises writers
anyway): a double submit of the one-time link keeps one answer; two completion sweeps
send a job's survey once."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from jobbag.core.errors import Conflict
from jobbag.jobs.models import Job
from jobbag.service.models import Survey, SurveyAnswer
from jobbag.service.surveys import plans, services
from jobbag.service.tests.surveys_fixtures import *  # noqa: F403
from jobbag.service.tests.surveys_fixtures import send

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent connections"
)
THREADS = 4


def at_once(call) -> list[str]:
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def run() -> None:
        try:
            start.wait(10)
            outcomes.append(call())
        except Conflict:
            outcomes.append("refused")
        except BaseException as error:  # Reported below: a thread's error is lost otherwise.
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_of_the_link_keeps_one_answer(cast, scene):
    survey, token = send(scene, cast.ae)
    outcomes = at_once(
        lambda: services.survey_answer_link(token=token, values=scene.answers()) and "answered"
    )
    assert outcomes == ["answered"] + ["refused"] * (THREADS - 1)
    assert SurveyAnswer.objects.filter(survey=survey).count() == 3


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_sweeps_run_at_once_send_one_completion_survey(cast, scene, mailoutbox):
    scene.template.for_completion = True
    scene.template.save()
    Job.objects.filter(pk=scene.job.pk).update(completed_on=timezone.localdate())
    outcomes = at_once(lambda: str(plans.completion_surveys_send()))
    assert sorted(outcomes) == ["0"] * (THREADS - 1) + ["1"]
    assert Survey.objects.filter(job=scene.job).count() == 1
