"""The client's side: the one-time link without signing in (once, until it expires) and
the portal pages of a client user (their own company's surveys only)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from jobbag.service.models import Survey
from jobbag.service.surveys import services
from jobbag.service.tests.surveys_fixtures import *  # noqa: F403
from jobbag.service.tests.surveys_fixtures import link_of, send

pytestmark = pytest.mark.django_db


def shows(response, message) -> bool:
    with translation.override(response.headers["Content-Language"]):
        return str(message) in response.content.decode()


def form_of(scene, csat="5", nps="9", comment="很满意") -> dict:
    return {f"q_{pk}": value for pk, value in scene.answers(csat, nps, comment).items()}


def test_the_link_opens_without_signing_in_and_answers_once(client, cast, scene, mailoutbox):
    survey, _token = send(scene, cast.ae)
    link = link_of(mailoutbox[-1])
    page = client.get(link)
    assert page.status_code == 200 and 'data-testid="survey-answer-form"' in page.content.decode()
    done = client.post(link, form_of(scene))
    assert done.status_code == 200 and 'data-testid="survey-thanks"' in done.content.decode()
    survey.refresh_from_db()
    assert (survey.status, survey.csat, survey.nps, survey.answered_by) == ("answered", 5, 9, None)

    replay = client.post(link, form_of(scene, csat="1"))
    assert replay.status_code == 409 and shows(replay, services.LINK_USED)
    again = client.get(link)
    assert again.status_code == 200 and shows(again, services.LINK_USED)
    assert 'data-testid="survey-answer-form"' not in again.content.decode()
    survey.refresh_from_db()
    assert survey.csat == 5


def test_a_missing_answer_is_shown_on_the_form_and_changes_nothing(client, cast, scene):
    _survey, token = send(scene, cast.ae)
    data = form_of(scene)
    data.pop(f"q_{scene.question('csat').pk}")
    response = client.post(f"/portal/surveys/answer/{token}/", data)
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()
    assert Survey.objects.get().status == "sent"
    bad = client.post(
        f"/portal/surveys/answer/{token}/", {**data, f"q_{scene.question('csat').pk}": "7"}
    )
    assert bad.status_code == 400 and Survey.objects.get().status == "sent"


def test_an_expired_link_says_so(client, cast, scene):
    survey, token = send(scene, cast.ae)
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(f"/portal/surveys/answer/{token}/")
    assert response.status_code == 410 and shows(response, services.LINK_EXPIRED)
    post = client.post(f"/portal/surveys/answer/{token}/", form_of(scene))
    assert post.status_code == 410 and Survey.objects.get().status == "sent"


def test_an_unknown_link_is_404(client, db):
    response = client.get("/portal/surveys/answer/not-a-token/")
    assert response.status_code == 404 and shows(response, services.LINK_UNKNOWN)


def test_a_signed_in_client_user_may_use_the_link_too(login, cast, scene):
    _survey, token = send(scene, cast.ae)
    assert login(cast.outsider).get(f"/portal/surveys/answer/{token}/").status_code == 200


def test_the_portal_lists_and_answers_own_company_surveys(login, cast, clientele, scene):
    survey, _token = send(scene, cast.ae, job=scene.job)
    client = login(cast.client)
    listing = client.get("/portal/surveys/")
    assert listing.status_code == 200 and survey.number in listing.content.decode()
    page = client.get(f"/portal/surveys/{survey.pk}/")
    assert page.status_code == 200
    response = client.post(f"/portal/surveys/{survey.pk}/", form_of(scene, csat="4", nps="10"))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.csat, survey.nps, survey.answered_by, survey.answered_via) == (
        4,
        10,
        cast.client,
        "portal",
    )
    shown = client.get(f"/portal/surveys/{survey.pk}/")
    assert 'data-testid="survey-thanks"' in shown.content.decode()
    again = client.post(f"/portal/surveys/{survey.pk}/", form_of(scene, csat="1"))
    assert again.status_code == 200 and Survey.objects.get().csat == 4


def test_another_company_and_staff_get_404(login, cast, scene):
    survey, _token = send(scene, cast.ae)
    assert login(cast.outsider).get(f"/portal/surveys/{survey.pk}/").status_code == 404
    assert login(cast.outsider).get("/portal/surveys/").content.decode().count(survey.number) == 0
    assert login(cast.ae).get(f"/portal/surveys/{survey.pk}/").status_code == 404
    # Client users never reach the staff pages.
    assert login(cast.client).get("/service/surveys/").status_code == 404


def test_the_portal_list_query_count_is_fixed(login, cast, scene, django_assert_num_queries):
    client = login(cast.client)
    send(scene, cast.ae)
    client.get("/portal/surveys/")
    with django_assert_num_queries(PORTAL_QUERIES) as small:
        client.get("/portal/surveys/")
    for _ in range(10):
        send(scene, cast.ae)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/portal/surveys/").status_code == 200


PORTAL_QUERIES = 5


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_link_page_speaks_the_visitors_language(client, cast, scene, settings, language):
    _survey, token = send(scene, cast.ae)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/portal/surveys/answer/{token}/")
    assert response.headers["Content-Language"] == language
    with translation.override(language):
        assert str(translation.gettext("Send my answers")) in response.content.decode()
