"""Who reaches what of surveys, pages and API, by role (a row per case): client users see
only their company's surveys, a designer none, account people their clients',
management all; templates are managed by the DCS, management and admins."""

import pytest

from jobbag.core.testing import Case, run_permission_matrix
from jobbag.service.tests.surveys_fixtures import *  # noqa: F403
from jobbag.service.tests.surveys_fixtures import send

pytestmark = pytest.mark.django_db


def test_the_survey_permission_matrix(cast, clientele, scene):
    mine, _token = send(scene, cast.ae)
    nike_contact = clientele.other_company.contacts.create(name="Tom", email="t@nike.example")
    other, _token = send(
        scene, clientele.other_ae, company=clientele.other_company, contact=nike_contact
    )
    cast.other_ae = clientele.other_ae
    cast.dcs = scene.dcs
    haier, nike = clientele.company.pk, clientele.other_company.pk
    cases = []
    # One survey, page and API: its client's team, management and its client's users.
    for role, page, api in [
        ("ae", 200, 200),
        ("ad", 200, 200),
        # The DCS sees the clients of those who report to her: none here.
        ("dcs", 404, 404),
        ("gm", 200, 200),
        ("admin", 200, 200),
        ("other_ae", 404, 404),
        ("designer", 404, 404),
        ("finance", 404, 404),
        ("client", 404, 200),
        ("outsider", 404, 404),
    ]:
        cases += [
            Case(role, "GET", f"/service/surveys/{mine.pk}/", page),
            Case(role, "GET", f"/api/v1/service/surveys/{mine.pk}", api),
        ]
    for role, status in [("ae", 404), ("gm", 200), ("other_ae", 200), ("client", 404)]:
        cases.append(Case(role, "GET", f"/service/surveys/{other.pk}/", status))
    # Lists, results, a client's page.
    for role, status in [
        ("ae", 200),
        ("gm", 200),
        ("designer", 404),
        ("finance", 404),
        ("client", 404),
        ("anonymous", 302),
    ]:
        cases += [
            Case(role, "GET", "/service/surveys/", status),
            Case(role, "GET", "/service/surveys/results/", status),
            Case(role, "GET", "/service/surveys/templates/", status),
        ]
    for role, status in [("ae", 200), ("gm", 200), ("other_ae", 404), ("designer", 404)]:
        cases.append(Case(role, "GET", f"/service/surveys/clients/{haier}/", status))
    for role, status in [("ae", 404), ("other_ae", 200), ("admin", 200)]:
        cases.append(Case(role, "GET", f"/service/surveys/clients/{nike}/", status))
    # Templates: the DCS, management and admins.
    for role, status in [("dcs", 200), ("gm", 200), ("admin", 200), ("ae", 404), ("ad", 404)]:
        cases.append(Case(role, "GET", "/service/surveys/templates/new/", status))
    # Sending: those who work on the client.
    send_data = {"template": scene.template.pk, "company": nike, "contact": nike_contact.pk}
    cases += [
        Case("ae", "POST", "/api/v1/service/surveys", 404, send_data),
        Case("designer", "POST", "/api/v1/service/surveys", 404, send_data),
        Case("client", "POST", "/api/v1/service/surveys", 404, send_data),
        Case("ae", "POST", f"/service/surveys/clients/{nike}/send/", 404, send_data),
        Case("ae", "POST", f"/service/surveys/{other.pk}/withdraw/", 404, {"version": 1}),
        Case("designer", "POST", f"/service/surveys/{mine.pk}/withdraw/", 404, {"version": 1}),
    ]
    # The portal: client users, their own company's only.
    for role, status in [("client", 200), ("outsider", 200), ("ae", 404), ("gm", 404)]:
        cases.append(Case(role, "GET", "/portal/surveys/", status))
    for role, status in [("client", 200), ("outsider", 404), ("ae", 404)]:
        cases.append(Case(role, "GET", f"/portal/surveys/{mine.pk}/", status))
    cases += [
        Case(
            "outsider", "POST", f"/api/v1/service/surveys/{mine.pk}/answers", 404, {"answers": {}}
        ),
        Case("ae", "POST", f"/api/v1/service/surveys/{mine.pk}/answers", 403, {"answers": {}}),
        Case("anonymous", "GET", f"/api/v1/service/surveys/{mine.pk}", 401),
        Case("anonymous", "GET", "/portal/surveys/", 302),
        Case("designer", "GET", "/api/v1/service/survey-results", 403),
        Case("client", "GET", "/api/v1/service/survey-templates", 403),
    ]
    run_permission_matrix(cast, cases)
    mine.refresh_from_db()
    assert mine.status == "sent" and not mine.answers.exists()
