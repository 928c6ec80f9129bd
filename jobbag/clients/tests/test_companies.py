"""The client list and the company pages: create, read, edit, confidentiality."""

from decimal import Decimal
from io import BytesIO

from django.utils import translation
from openpyxl import load_workbook

from jobbag.accounts.models import Role, ServiceTeamMembership
from jobbag.clients.models import Company
from jobbag.clients.tests.factories import CompanyFactory, ContactFactory
from jobbag.core.errors import Conflict
from jobbag.core.models import AuditEntry

LIST_QUERIES = 12
DETAIL_QUERIES = 16


def company_form(**overrides) -> dict:
    data = {
        "code": "GREE",
        "name": "格力电器",
        "name_en": "Gree Electric",
        "status": "active",
        "currency": "CNY",
        "industry": "家电",
        "annual_revenue": "1900000000.00",
        "headcount": "70000",
        "phone": "0756-8669999",
    }
    return {**data, **overrides}


def test_it_creates_a_client_and_puts_the_ae_on_its_team(cast, login):
    client = login(cast.ae)
    response = client.post("/clients/new/", company_form())

    company = Company.objects.get(code="GREE")
    assert response.status_code == 302 and response.url == f"/clients/{company.pk}/"
    assert company.name == "格力电器" and company.annual_revenue == Decimal("1900000000.00")
    assert company.created_by == cast.ae
    assert ServiceTeamMembership.objects.filter(user=cast.ae, company=company, team_role="ae")
    assert AuditEntry.objects.filter(object_id=str(company.pk), action="create").exists()

    page = client.get(response.url)
    assert page.context["file_open"] and page.context["can_edit"]
    assert "格力电器" in page.content.decode()


def test_it_shows_field_errors_and_writes_nothing_on_bad_input(cast, login):
    response = login(cast.ae).post(
        "/clients/new/", company_form(code="gree 1", name="", phone="abc", currency="yuan")
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"code", "name", "phone", "currency"} <= set(errors)
    assert not Company.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_stale_edit_with_a_clear_message(cast, clientele, login):
    company = clientele.company
    client = login(cast.ae)
    form = company_form(code="HAIER", name="海尔集团", version=company.version)
    Company.objects.filter(pk=company.pk).update(version=company.version + 1)

    response = client.post(f"/clients/{company.pk}/edit/", form)

    assert response.status_code == 400
    with translation.override("zh-hans"):
        assert response.context["form"].non_field_errors() == [str(Conflict.default_message)]
    company.refresh_from_db()
    assert company.annual_revenue is None


def test_it_edits_a_client_and_records_the_change(cast, clientele, login):
    company = clientele.company
    form = company_form(code="HAIER", name="海尔集团", version=company.version)
    response = login(cast.ae).post(f"/clients/{company.pk}/edit/", form)

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.industry == "家电" and company.headcount == 70000
    entry = AuditEntry.objects.get(object_id=str(company.pk), action="change")
    assert entry.actor == cast.ae and "headcount" in entry.changes


def test_another_ae_sees_the_name_only(cast, clientele, login):
    Company.objects.filter(pk=clientele.company.pk).update(annual_revenue=Decimal("123456789"))
    response = login(clientele.other_ae).get(f"/clients/{clientele.company.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "海尔集团" in body and "HAIER" in body
    assert not response.context["file_open"]
    assert "孙丽" not in body and "123,456,789" not in body and "123456789" not in body
    assert (
        login(clientele.other_ae).get(f"/clients/{clientele.company.pk}/edit/").status_code == 403
    )


def test_the_list_shows_confidential_columns_only_where_the_file_is_open(cast, clientele, login):
    Company.objects.update(annual_revenue=Decimal("5000000"))
    response = login(cast.ae).get("/clients/")

    rows = {c.code: c.file_open for c in response.context["page_obj"]}
    assert rows == {"HAIER": True, "NIKE": False}
    assert response.content.decode().count("5,000,000") == 1


def test_the_list_filters_by_name_pinyin_status_and_mine(cast, clientele, login):
    CompanyFactory(code="GREE", name="格力电器", status="dormant", is_key_client=True)
    client = login(cast.ae)

    def codes(**params):
        return [c.code for c in client.get("/clients/", params).context["page_obj"]]

    assert codes(q="haier") == ["HAIER"]
    assert codes(q="gl") == ["GREE"]
    assert codes(q="nike") == ["NIKE"]
    assert codes(status="dormant") == ["GREE"]
    assert codes(key="on") == ["GREE"]
    assert codes(mine="on") == ["HAIER"]
    assert codes(industry="运动服饰") == ["NIKE"]


def test_the_list_answers_htmx_with_the_results_only(cast, clientele, login):
    response = login(cast.ae).get(
        "/clients/", {"q": "nike"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="client-results"
    )
    body = response.content.decode()
    assert "<html" not in body and "耐克体育" in body and "海尔集团" not in body


def test_the_export_has_the_filtered_rows_and_hides_confidential_figures(cast, clientele, login):
    Company.objects.update(annual_revenue=Decimal("5000000"))
    CompanyFactory(code="GREE", name="格力电器", status="dormant")
    response = login(cast.ae).get("/clients/export/", {"status": "active"})

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["HAIER", "NIKE"]
    assert rows[1][7] == 5000000 and rows[2][7] is None


def test_the_list_costs_the_same_queries_for_few_or_many_clients(
    cast, clientele, login, django_assert_num_queries
):
    client = login(cast.ae)
    client.get("/clients/")
    with django_assert_num_queries(LIST_QUERIES):
        few = client.get("/clients/")
    for n in range(40):
        CompanyFactory(code=f"BULK{n:02d}", name=f"客户{n}")
    with django_assert_num_queries(LIST_QUERIES):
        many = client.get("/clients/")
    assert len(few.context["page_obj"]) == 2 and len(many.context["page_obj"]) == 30


def test_the_company_page_costs_the_same_queries_for_few_or_many_people(
    cast, clientele, login, django_assert_num_queries
):
    client = login(cast.ae)
    url = f"/clients/{clientele.company.pk}/"
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(url)
    boss = clientele.contact
    for n in range(15):
        ContactFactory(company=clientele.company, reports_to=boss, name=f"下属{n}")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    assert len(response.context["contacts"]) == 16


def test_the_company_page_links_to_the_dossier_and_the_contact_log(cast, clientele, login):
    body = login(cast.ae).get(f"/clients/{clientele.company.pk}/").content.decode()
    assert f"/clients/brands/{clientele.brand.pk}/dossier/" in body
    assert f"/clients/{clientele.company.pk}/log/" in body


def test_account_people_see_my_clients_on_the_home_page(cast, clientele, login):
    ContactFactory(company=clientele.company, name="决策人", is_decision_maker=True)
    ContactFactory(
        company=clientele.company, name="离职者", is_decision_maker=True, is_active=False
    )

    response = login(cast.ae).get("/")

    sections = dict(response.context["sections"])
    mine = sections["clients/companies/_home_my_clients.html"]["companies"]
    assert [(c.code, c.key_contacts) for c in mine] == [("HAIER", 1)]
    assert 'data-testid="home-my-clients"' in response.content.decode()
    assert 'href="/clients/"' in response.content.decode()
    designer_home = login(cast.designer).get("/")
    assert 'data-testid="home-my-clients"' not in designer_home.content.decode()


def test_the_home_card_lists_ten_clients_and_counts_the_rest(cast, clientele, login):
    for n in range(11):
        company = CompanyFactory(code=f"MORE{n:02d}")
        ServiceTeamMembership.objects.create(user=cast.ae, team_role=Role.AE, company=company)

    response = login(cast.ae).get("/")

    section = dict(response.context["sections"])["clients/companies/_home_my_clients.html"]
    assert len(section["companies"]) == 10
    assert (section["total"], section["more"]) == (12, 2)
