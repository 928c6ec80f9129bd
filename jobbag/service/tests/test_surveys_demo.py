"""The demo surveys: built on the demo agency, clients and jobs (seed_demo), they give
HAIER a year of answers for its trend chart, a quarterly plan and one open survey."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobbag.service.models import Survey, SurveyPlan, SurveyTemplate
from jobbag.service.surveys import selectors
from jobbag.service.surveys.demo import surveys_build, surveys_loaded


@pytest.mark.django_db
def test_the_demo_surveys_fill_the_trend_charts(mailoutbox):
    call_command("seed_demo", stdout=StringIO())
    if not surveys_loaded():
        surveys_build()
    assert SurveyTemplate.objects.filter(for_completion=True, is_active=True).count() == 1
    assert SurveyPlan.objects.get().company.code == "HAIER"
    assert Survey.objects.filter(status="sent", sent_by__isnull=False).count() == 1
    haier = Survey.objects.filter(company__code="HAIER").values_list("company", flat=True)[0]
    today = timezone.localdate()
    months = selectors.csat_by_month([haier], date(today.year - 1, today.month, 1))[haier]
    answered_months = [row for row in months if row[2]]
    assert len(answered_months) >= 10
    assert all(row[1] is not None for row in answered_months)
