"""The demo jobs that `seed_demo` loads after the demo agency and its clients."""

from io import StringIO

import pytest
from django.core.management import call_command

from jobbag.approvals.models import Policy
from jobbag.core.models import AuditEntry
from jobbag.jobs.demo import JOBS
from jobbag.jobs.models import Job, Stage


@pytest.mark.django_db
def test_seed_demo_loads_the_jobs_and_the_policies_once():
    call_command("seed_demo", stdout=StringIO())
    jobs = Job.objects.order_by("pk")
    assert jobs.count() == len(JOBS) >= 12
    stages = set(jobs.values_list("stage", flat=True))
    assert {Stage.INTAKE, Stage.REVIEW, Stage.CANCELLED} <= stages
    numbered = list(jobs.filter(number__isnull=False).values_list("number", flat=True))
    assert len(numbered) == len(set(numbered)) == 7
    assert all(n.split("-")[0] in {"HAIER", "DONGGAN", "LVYE", "QINGQUAN"} for n in numbered)
    # Taken through the services: every job has its history.
    assert AuditEntry.objects.filter(content_type__model="job").count() >= len(JOBS)
    assert Policy.objects.filter(document_type="quote").count() == 3

    # Loading again adds nothing, with or without --if-empty.
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert Job.objects.count() == len(JOBS)
    assert Policy.objects.filter(document_type="quote").count() == 3
