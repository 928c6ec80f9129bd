"""The results selectors: csat_by_month (for account health), trend and by_client."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.service.surveys import selectors
from jobbag.service.tests.surveys_fixtures import *  # noqa: F403
from jobbag.service.tests.surveys_fixtures import answered, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 9, 15))
    return date(2026, 9, 15)


def test_csat_by_month_gives_every_month_for_every_client(
    clientele, survey_template, today, django_assert_num_queries
):
    haier, nike = clientele.company, clientele.other_company
    answered(survey_template, haier, at("2026-07-03 10:00"), csat=5, nps=9)
    answered(survey_template, haier, at("2026-07-20 10:00"), csat=3, nps=6)
    answered(survey_template, haier, at("2026-07-21 10:00"), csat=4)
    answered(survey_template, haier, at("2026-09-01 00:30"), nps=10)  # no CSAT score
    answered(survey_template, nike, at("2026-08-31 23:30"), csat=2)
    answered(survey_template, haier, at("2026-05-31 23:59"), csat=1)  # before `since`

    with django_assert_num_queries(1):
        result = selectors.csat_by_month([haier.pk, nike.pk, 999999], date(2026, 6, 1))

    assert result[haier.pk] == [
        (date(2026, 6, 1), None, 0),
        (date(2026, 7, 1), Decimal("66.7"), 3),
        (date(2026, 8, 1), None, 0),
        (date(2026, 9, 1), None, 1),
    ]
    assert result[nike.pk][2] == (date(2026, 8, 1), Decimal("0.0"), 1)
    assert [row[2] for row in result[999999]] == [0, 0, 0, 0]


def test_csat_by_month_leaves_out_unanswered_and_other_clients(clientele, survey_template, today):
    from jobbag.service.models import Survey

    haier = clientele.company
    answered(survey_template, clientele.other_company, at("2026-09-02 10:00"), csat=5)
    Survey.objects.create(
        template=survey_template,
        company=haier,
        reason="manual",
        sent_at=at("2026-09-02 10:00"),
        expires_at=at("2026-09-20 10:00"),
    )
    assert selectors.csat_by_month([haier.pk], date(2026, 9, 1)) == {
        haier.pk: [(date(2026, 9, 1), None, 0)]
    }
    assert selectors.csat_by_month([], date(2026, 9, 1)) == {}


def test_trend_by_month_and_quarter(clientele, survey_template, today, django_assert_num_queries):
    haier = clientele.company
    answered(survey_template, haier, at("2026-07-03 10:00"), csat=5, nps=10)
    answered(survey_template, haier, at("2026-07-20 10:00"), csat=4, nps=9)
    answered(survey_template, haier, at("2026-08-20 10:00"), csat=2, nps=3)
    answered(survey_template, haier, at("2026-08-21 10:00"), csat=5, nps=8)

    with django_assert_num_queries(2):
        months = selectors.trend([haier.pk], since=date(2026, 7, 1))
    assert [m.period for m in months] == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    july, august, september = months
    assert (july.csat, july.csat_mean, july.nps, july.responses) == (
        Decimal("100.0"),
        Decimal("4.5"),
        Decimal("100.0"),
        2,
    )
    # One promoter-free passive (8) and one detractor (3): NPS -50.
    assert (august.csat, august.csat_mean, august.nps) == (
        Decimal("50.0"),
        Decimal("3.5"),
        Decimal("-50.0"),
    )
    assert september.csat is None and september.responses == 0
    assert august.response_rate == Decimal("100.0")

    quarters = selectors.trend(None, since=date(2026, 1, 10), period="quarter")
    assert [q.period for q in quarters] == [date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)]
    assert quarters[2].responses == 4 and quarters[2].nps == Decimal("25.0")


def test_by_client(clientele, survey_template, today):
    answered(survey_template, clientele.company, at("2026-08-20 10:00"), csat=5, nps=9)
    answered(survey_template, clientele.other_company, at("2026-08-20 10:00"), csat=1, nps=0)
    result = selectors.by_client(None, since=date(2026, 1, 1))
    assert result[clientele.company.pk].csat == Decimal("100.0")
    assert result[clientele.other_company.pk].nps == Decimal("-100.0")
    assert selectors.by_client([clientele.company.pk], since=date(2026, 1, 1)).keys() == {
        clientele.company.pk
    }
