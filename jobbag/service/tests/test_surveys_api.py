"""The survey API: templates, listing and sending surveys, a client user's answer, the
results per period; errors in the API's shape."""

import pytest
from django.utils import timezone

from jobbag.service.models import Survey
from jobbag.service.tests.surveys_fixtures import *  # noqa: F403
from jobbag.service.tests.surveys_fixtures import answered, send

pytestmark = pytest.mark.django_db

BASE = "/api/v1/service"


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_templates_with_their_questions(login, cast, scene):
    body = login(cast.ae).get(f"{BASE}/survey-templates").json()
    assert body[0]["name"] == scene.template.name
    assert [q["measure"] for q in body[0]["questions"]] == ["csat", "nps", "", ""]


def test_sending_and_listing(login, cast, clientele, scene, mailoutbox):
    client = login(cast.ae)
    payload = {
        "template": scene.template.pk,
        "company": clientele.company.pk,
        "contact": scene.contact.pk,
        "job": scene.job.pk,
    }
    response = post(client, f"{BASE}/surveys", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "sent" and body["job"] == scene.job.pk and len(body["questions"]) == 4
    assert "token" not in str(body) and len(mailoutbox) == 1
    listed = client.get(f"{BASE}/surveys?status=sent").json()
    assert [s["id"] for s in listed["items"]] == [body["id"]]
    bad = post(client, f"{BASE}/surveys", {**payload, "contact": 999999})
    assert bad.status_code == 400 and "contact" in bad.json()["fields"]
    malformed = client.post(f"{BASE}/surveys", data="{", content_type="application/json")
    assert malformed.status_code == 400
    assert Survey.objects.count() == 1


def test_a_client_user_answers_once_through_the_api(login, cast, scene):
    survey, _token = send(scene, cast.ae)
    client = login(cast.client)
    answers = {str(pk): value for pk, value in scene.answers(csat=5, nps=10).items()}
    response = post(client, f"{BASE}/surveys/{survey.pk}/answers", {"answers": answers})
    assert response.status_code == 200, response.content
    assert (response.json()["csat"], response.json()["nps"]) == (5, 10)
    assert len(response.json()["answers"]) == 3
    again = post(client, f"{BASE}/surveys/{survey.pk}/answers", {"answers": answers})
    assert again.status_code == 409
    assert client.get(f"{BASE}/surveys").json()["count"] == 1


def test_a_malformed_answer_is_400_and_changes_nothing(login, cast, scene):
    survey, _token = send(scene, cast.ae)
    answers = {str(pk): value for pk, value in scene.answers(csat=9).items()}
    response = post(login(cast.client), f"{BASE}/surveys/{survey.pk}/answers", {"answers": answers})
    assert response.status_code == 400
    assert f"q_{scene.question('csat').pk}" in response.json()["fields"]
    assert Survey.objects.get().status == "sent"


def test_withdrawing_with_a_stale_version_is_409(login, cast, scene):
    survey, _token = send(scene, cast.ae)
    client = login(cast.ad)
    assert post(client, f"{BASE}/surveys/{survey.pk}/withdraw", {"version": 7}).status_code == 409
    response = post(client, f"{BASE}/surveys/{survey.pk}/withdraw", {"version": survey.version})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_results_per_month(login, cast, clientele, scene):
    answered(scene.template, clientele.company, timezone.now(), csat=5, nps=9)
    answered(scene.template, clientele.other_company, timezone.now(), csat=1, nps=0)
    mine = login(cast.ae).get(f"{BASE}/survey-results").json()
    assert mine[-1]["csat"] == "100.0" or float(mine[-1]["csat"]) == 100.0
    assert mine[-1]["responses"] == 1 and len(mine) == 12
    every = login(cast.gm).get(f"{BASE}/survey-results?period=quarter").json()
    assert every[-1]["responses"] == 2 and float(every[-1]["nps"]) == 0.0
    nike = clientele.other_company.pk
    assert login(cast.ae).get(f"{BASE}/survey-results?company={nike}").status_code == 404
