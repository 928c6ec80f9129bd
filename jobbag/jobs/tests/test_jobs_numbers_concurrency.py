"""Job numbers under real concurrency: several project leads confirming briefs of one
client's jobs at the same moment get distinct, consecutive numbers (PostgreSQL only:
SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection

from jobbag.jobs.models import Job, JobNumberCounter
from jobbag.jobs.services import jobs as services
from jobbag.jobs.tests.factories import JobFactory

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent connections"
)

THREADS = 6


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_numbers_issued_at_once_are_distinct_and_consecutive(cast, clientele):
    jobs = [JobFactory(company=clientele.company, owner=cast.ae) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def review(job: Job) -> None:
        try:
            start.wait(10)
            services.job_brief_review(actor=cast.ae, job=job)
        except BaseException as error:  # Reported below: a thread's error is lost otherwise.
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert not failures, failures
    year = services.timezone.localdate().year
    numbers = sorted(Job.objects.values_list("number", flat=True))
    assert numbers == [f"HAIER-{year}-{n:04d}" for n in range(1, THREADS + 1)]
    assert JobNumberCounter.objects.get(key=f"HAIER-{year}").last == THREADS


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_issues_one_number(cast, clientele):
    job = JobFactory(company=clientele.company, owner=cast.ae)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def review() -> None:
        try:
            start.wait(10)
            services.job_brief_review(actor=cast.ae, job=job)
            outcomes.append("issued")
        except services.Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=review) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["issued", "refused", "refused", "refused"]
    assert JobNumberCounter.objects.get().last == 1
