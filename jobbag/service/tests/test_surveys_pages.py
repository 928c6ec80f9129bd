"""Staff survey pages: the list (and its .xlsx), one survey, the results overview, a
client's results with its chart, sending, the plan, templates; query counts fixed."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from jobbag.service.models import Survey, SurveyPlan, SurveyTemplate
from jobbag.service.surveys import services
from jobbag.service.surveys.forms import JOB_UNKNOWN
from jobbag.service.tests.surveys_fixtures import *  # noqa: F403
from jobbag.service.tests.surveys_fixtures import answered, send

pytestmark = pytest.mark.django_db


def shows(response, message) -> bool:
    """Whether the page shows `message` in the page's own language."""
    with translation.override(response.headers["Content-Language"]):
        return str(message) in response.content.decode()


def many(scene, count: int) -> None:
    now = timezone.now()
    for n in range(count):
        answered(
            scene.template,
            scene.contact.company,
            now - timedelta(days=31 * (n % 10)),
            csat=1 + n % 5,
            nps=n % 11,
            job=scene.job if n == 0 else None,
        )


def test_the_list_shows_the_surveys_the_user_sees(login, cast, clientele, scene):
    send(scene, cast.ae)
    answered(scene.template, clientele.other_company, timezone.now(), csat=5)
    response = login(cast.ae).get("/service/surveys/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="survey-row"') == 1
    assert login(cast.gm).get("/service/surveys/").content.decode().count("survey-row") == 2
    nike = login(cast.gm).get(f"/service/surveys/?company={clientele.other_company.pk}")
    assert nike.content.decode().count('data-testid="survey-row"') == 1
    assert login(cast.designer).get("/service/surveys/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/service/surveys/",
        "/service/surveys/results/",
        "/service/surveys/results/?period=quarter",
        "/service/surveys/clients/{company}/",
        "/service/surveys/templates/",
    ],
)
def test_query_counts_are_fixed(login, cast, scene, url, django_assert_num_queries):
    url = url.format(company=scene.contact.company.pk)
    client = login(cast.ae)
    many(scene, 2)
    client.get(url)  # warms the per-process caches (menu, content types)
    key = url.split("?")[0].replace(str(scene.contact.company.pk), "{company}")
    with django_assert_num_queries(QUERIES[key]) as small:
        assert client.get(url).status_code == 200
    many(scene, 18)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# The session, the user, the clients they serve (read once), the menu, the unread count,
# then the page's own reads.
QUERIES = {
    "/service/surveys/": 11,
    "/service/surveys/results/": 13,
    "/service/surveys/clients/{company}/": 19,
    "/service/surveys/templates/": 4,
}


def test_survey_detail_query_count_and_answers(login, cast, scene, django_assert_num_queries):
    survey, token = send(scene, cast.ae, job=scene.job)
    services.survey_answer_link(token=token, values=scene.answers(csat=5, nps=9))
    client = login(cast.ae)
    client.get(f"/service/surveys/{survey.pk}/")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/service/surveys/{survey.pk}/")
    page = response.content.decode()
    assert 'data-testid="survey-csat">5<' in page and "很满意" in page
    assert login(cast.designer).get(f"/service/surveys/{survey.pk}/").status_code == 404


DETAIL_QUERIES = 11


def test_another_clients_survey_and_results_are_404(login, clientele, scene, cast):
    other = answered(scene.template, clientele.other_company, timezone.now(), csat=5)
    client = login(cast.ae)
    assert client.get(f"/service/surveys/{other.pk}/").status_code == 404
    assert client.get(f"/service/surveys/clients/{clientele.other_company.pk}/").status_code == 404


def test_the_client_page_charts_the_months_answers(login, cast, scene):
    survey, token = send(scene, cast.ae)
    services.survey_answer_link(token=token, values=scene.answers(csat=5, nps=9))
    page = login(cast.ae).get(f"/service/surveys/clients/{scene.contact.company.pk}/")
    body = page.content.decode()
    month = timezone.localdate().isoformat()[:7]
    assert f'data-testid="trend-bar" data-period="{month}" data-csat="100.0"' in body
    assert f'data-testid="trend-nps" data-period="{month}" data-nps="100.0"' in body
    assert "<svg" in body and "<script" not in body.split("<svg")[1].split("</svg>")[0]


def test_sending_from_the_client_page(login, cast, scene, mailoutbox):
    company = scene.contact.company
    client = login(cast.ae)
    response = client.post(
        f"/service/surveys/clients/{company.pk}/send/",
        {"template": scene.template.pk, "contact": scene.contact.pk, "job": "HAIER-2026-0001"},
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.job == scene.job and len(mailoutbox) == 1
    bad = client.post(
        f"/service/surveys/clients/{company.pk}/send/",
        {"template": scene.template.pk, "contact": scene.contact.pk, "job": "NOPE-1"},
    )
    assert bad.status_code == 400 and shows(bad, JOB_UNKNOWN)
    assert Survey.objects.count() == 1


def test_a_designer_cannot_send(login, cast, scene):
    company = scene.contact.company
    response = login(cast.designer).post(
        f"/service/surveys/clients/{company.pk}/send/",
        {"template": scene.template.pk, "contact": scene.contact.pk},
    )
    assert response.status_code == 404 and not Survey.objects.exists()


def test_the_plan_form_saves_and_a_stale_version_is_409(login, cast, scene):
    company = scene.contact.company
    client = login(cast.ae)
    data = {"template": scene.template.pk, "contact": scene.contact.pk, "every_months": 6}
    data["is_active"] = "on"
    assert client.post(f"/service/surveys/clients/{company.pk}/plan/", data).status_code == 302
    plan = SurveyPlan.objects.get()
    stale = client.post(
        f"/service/surveys/clients/{company.pk}/plan/", {**data, "version": plan.version + 3}
    )
    assert stale.status_code == 409
    assert SurveyPlan.objects.get().every_months == 6


def test_the_export_has_one_row_per_answer(login, cast, scene):
    _survey, token = send(scene, cast.ae)
    services.survey_answer_link(token=token, values=scene.answers(csat=4, nps=8))
    response = login(cast.ae).get("/service/surveys/?export=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][0] == Survey.objects.get().number
    assert [row[-1] for row in rows[1:]] == [4, 8, "很满意"]


def test_templates_are_made_and_revised_through_the_pages(login, cast, scene):
    client = login(scene.dcs)
    assert login(cast.ae).get("/service/surveys/templates/new/").status_code == 404
    client = login(scene.dcs)
    form = {
        "name": "季度满意度",
        "introduction": "",
        "q-TOTAL_FORMS": "3",
        "q-INITIAL_FORMS": "0",
        "q-0-text": "总体满意度",
        "q-0-kind": "scale5",
        "q-0-measure": "csat",
        "q-0-required": "on",
        "q-1-text": "推荐意愿",
        "q-1-kind": "scale10",
        "q-1-measure": "nps",
        "q-2-text": "",
        "q-2-kind": "text",
    }
    assert client.post("/service/surveys/templates/new/", form).status_code == 302
    template = SurveyTemplate.objects.get(name="季度满意度")
    assert template.questions.count() == 2
    send(scene, cast.ae, template=template)
    page = client.get(f"/service/surveys/templates/{template.pk}/")
    assert 'data-testid="template-frozen"' in page.content.decode()
    form.update({"version": template.version, "q-2-text": "建议", "q-2-kind": "text"})
    assert client.post(f"/service/surveys/templates/{template.pk}/", form).status_code == 302
    assert SurveyTemplate.objects.filter(name="季度满意度", is_active=True).get().revision == 2
    bad = client.post("/service/surveys/templates/new/", {**form, "q-0-kind": "scale10"})
    assert bad.status_code == 400


def test_withdrawing_from_the_detail_page(login, cast, scene):
    survey, _token = send(scene, cast.ae)
    client = login(cast.ad)
    response = client.post(f"/service/surveys/{survey.pk}/withdraw/", {"version": survey.version})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "cancelled"


def test_the_job_page_panel_lists_the_jobs_surveys(login, cast, scene):
    survey, _token = send(scene, cast.ae, job=scene.job)
    page = login(cast.ae).get(f"/jobs/{scene.job.pk}/")
    assert page.status_code == 200
    assert survey.number in page.content.decode()


def test_the_home_card_marks_low_scores_for_the_team_only(login, cast, scene):
    answered(scene.template, scene.contact.company, timezone.now(), csat=1, nps=2)
    answered(scene.template, scene.contact.company, timezone.now(), csat=5, nps=10)
    page = login(cast.ae).get("/").content.decode()
    assert page.count('data-testid="home-survey"') == 2
    assert page.index("CSAT 1") < page.index("CSAT 5")
    assert 'data-testid="home-surveys"' not in login(cast.designer).get("/").content.decode()
