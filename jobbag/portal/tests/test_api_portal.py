"""GET /portal/company and /portal/team: the client user's own company and agency team."""

import pytest
from django.utils import translation

from jobbag.accounts.models import Role
from jobbag.accounts.tokens import token_create
from jobbag.clients.models import Company
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.portal.tests.api_urls import API

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jobbag.portal.tests.api_urls")]

COMPANY = f"{API}/portal/company"
TEAM = f"{API}/portal/team"


def test_it_answers_the_own_company_with_whitelisted_fields_only(cast, login, clientele):
    Company.objects.filter(pk=clientele.company.pk).update(
        industry="家用电器", notes="内部备注", bank="中国银行", address="青岛"
    )

    response = login(cast.client).get(COMPANY)

    assert response.status_code == 200
    assert response.json() == {
        "name": "海尔集团",
        "name_en": "Haier Group",
        "short_name": "",
        "industry": "家用电器",
        "address": "青岛",
        "phone": "",
        "website": "",
        "brands": ["海尔冰箱"],
    }


def test_it_answers_the_agency_team(cast, login, clientele):
    response = login(cast.outsider).get(TEAM)
    assert response.status_code == 200
    assert [member["name"] for member in response.json()] == ["周杰"]

    own = login(cast.client).get(TEAM).json()
    # In the client user's language (zh-hans).
    with translation.override("zh-hans"):
        ad_label = str(Role.AD.label)
    assert [(m["name"], m["role"]) for m in own] == [("李娜", "ad"), ("王小明", "ae")]
    assert own[0] == {
        "name": "李娜",
        "role": "ad",
        "role_label": ad_label,
        "email": "ad@agency.example",
        "phone": "",
        "mobile": "",
        "company_wide": True,
        "brands": [],
    }


def test_it_works_with_a_personal_token(cast, client, clientele):
    _token, secret = token_create(actor=cast.client, name="reports")
    response = client.get(COMPANY, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["name"] == "海尔集团"


def test_a_client_user_without_a_company_gets_404(cast, login):
    response = login(cast.client).get(COMPANY)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert login(cast.client).get(TEAM).json() == []


def test_the_portal_api_permission_matrix(cast, clientele):
    cases = []
    for url in (COMPANY, TEAM):
        cases += [
            Case("anonymous", "GET", url, 401),
            Case("client", "GET", url, 200),
            Case("outsider", "GET", url, 200),
            Case("designer", "GET", url, 403),
            Case("ae", "GET", url, 403),
            Case("gm", "GET", url, 403),
            Case("admin", "GET", url, 403),
            Case("client", "POST", url, 405),
        ]
    run_permission_matrix(cast, cases)
