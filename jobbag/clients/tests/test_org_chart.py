"""The client's org chart: a tree of who reports to whom, built from one query."""

from jobbag.clients.models import Contact
from jobbag.clients.selectors import org_chart
from jobbag.clients.tests.factories import ContactFactory


def names(nodes) -> list:
    return [(node.contact.name, names(node.children)) for node in nodes]


def test_it_builds_the_tree_with_people_without_a_superior_at_the_root(clientele):
    company = clientele.company
    boss = clientele.contact
    vp = ContactFactory(company=company, name="副总", reports_to=boss)
    ContactFactory(company=company, name="经理", reports_to=vp)
    ContactFactory(company=company, name="独立顾问")

    tree = org_chart(list(Contact.objects.filter(company=company).order_by("name")))

    assert names(tree) == [("孙丽", [("副总", [("经理", [])])]), ("独立顾问", [])]


def test_a_loop_in_old_data_is_broken_rather_than_lost(clientele):
    a = clientele.contact
    b = ContactFactory(company=clientele.company, name="乙", reports_to=a)
    Contact.objects.filter(pk=a.pk).update(reports_to=b)

    tree = org_chart(list(Contact.objects.filter(company=clientele.company).order_by("pk")))

    assert names(tree) == [("孙丽", [("乙", [])])]


def test_the_company_page_draws_the_tree_as_nested_lists(cast, clientele, login):
    boss = clientele.contact
    ContactFactory(company=clientele.company, name="广告经理", reports_to=boss)
    ContactFactory(company=clientele.company, name="已离职", reports_to=boss, is_active=False)

    response = login(cast.ae).get(f"/clients/{clientele.company.pk}/")

    body = response.content.decode()
    chart = body[body.index('data-testid="org-chart"') :]
    assert chart.index("孙丽") < chart.index("<ul>") < chart.index("广告经理")
    assert "已离职" not in chart
