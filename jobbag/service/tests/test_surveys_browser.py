"""In Chromium, in Chinese: the AE sends HAIER a survey from the client's results page;
孙丽 opens the e-mailed one-time link without signing in and answers (CSAT 5, NPS 9, a
comment); the link then refuses a second answer; the AE sees the answer as this month's
bar and point in the client's trend chart."""

import pytest
from django.utils import timezone

from jobbag.service.models import Survey
from jobbag.service.tests.surveys_fixtures import *  # noqa: F403
from jobbag.service.tests.surveys_fixtures import link_of

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def test_a_survey_answered_through_its_link_shows_in_the_trend_chart(
    page, cast, clientele, scene, password, mailoutbox
):
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    company = clientele.company
    sign_in(page, "ae", password)
    page.goto(f"/service/surveys/clients/{company.pk}/")
    page.get_by_test_id("trend-empty").wait_for()
    page.select_option("[data-testid=survey-send-form] [name=template]", str(scene.template.pk))
    page.select_option("[data-testid=survey-send-form] [name=contact]", str(scene.contact.pk))
    page.get_by_test_id("survey-send").click()
    page.get_by_test_id("client-survey").wait_for()
    survey = Survey.objects.get()
    assert survey.status == "sent" and mailoutbox[-1].to == ["sunli@haier.example"]
    link = link_of(mailoutbox[-1])

    # 孙丽 has no account: the link is enough.
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_test_id("survey-answer-form").wait_for()
    page.check(f"input[name=q_{scene.question('csat').pk}][value='5']")
    page.check(f"input[name=q_{scene.question('nps').pk}][value='9']")
    text = scene.template.questions.get(kind="text")
    page.fill(f"textarea[name=q_{text.pk}]", "创意出色，交付准时。")
    page.get_by_test_id("survey-submit").click()
    page.get_by_test_id("survey-thanks").wait_for()
    survey.refresh_from_db()
    assert (survey.status, survey.csat, survey.nps) == ("answered", 5, 9)
    assert survey.comment == "创意出色，交付准时。"

    # The link works once.
    page.goto(link)
    page.get_by_test_id("survey-closed").wait_for()
    assert page.get_by_test_id("survey-answer-form").count() == 0

    sign_in(page, "ae", password)
    page.goto(f"/service/surveys/clients/{company.pk}/")
    month = timezone.localdate().isoformat()[:7]
    bar = page.locator(f"[data-testid=trend-bar][data-period='{month}']")
    assert bar.get_attribute("data-csat") == "100.0"
    assert bar.get_attribute("data-responses") == "1"
    assert float(bar.get_attribute("height")) > 0
    point = page.locator(f"[data-testid=trend-nps][data-period='{month}']")
    assert point.get_attribute("data-nps") == "100.0"
    assert page.locator("[data-testid=client-survey] [data-status=answered]").count() == 1
