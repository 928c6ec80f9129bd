"""Who may do what with invoices, payments and receivables, page by page and through the
API (finance.permissions.billing): only Finance issues, credits and records payments;
account people read their clients' invoices; client users see only their own company's
issued invoices and statement, in the portal."""

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.core.testing import Case, run_permission_matrix
from jobbag.finance.models import Invoice, Payment
from jobbag.finance.services import billing as services
from jobbag.finance.tests.conftest_billing import billing_fixture, issued_invoice  # noqa: F401

API = "/api/v1/finance"


@pytest.fixture
def invoices(cast, billing):
    issued = issued_invoice(cast, billing, kind="percentage", percentage="50")
    draft = services.invoice_draft_from_quote(
        actor=cast.finance, job=billing.job, kind="percentage", percentage="10"
    )
    return issued, draft


def test_the_permission_matrix(cast, clientele, billing, invoices):
    issued, draft = invoices
    detail = reverse("finance:invoice_detail", args=[issued.pk])
    draft_detail = reverse("finance:invoice_detail", args=[draft.pk])
    issue = reverse("finance:invoice_issue", args=[draft.pk])
    credit = reverse("finance:invoice_credit", args=[issued.pk])
    pay = reverse("finance:invoice_pay", args=[issued.pk])
    new = reverse("finance:invoice_new", args=[billing.job.pk])
    today = timezone.localdate().isoformat()
    pay_data = {"received_on": today, "amount": "1", "method": "bank"}
    staff_pages = [
        reverse("finance:invoice_list"),
        reverse("finance:payment_list"),
        reverse("finance:ageing"),
        reverse("finance:statement"),
    ]
    finance_pages = [
        reverse("finance:periods"),
        reverse("finance:series_list"),
        reverse("finance:billing_settings"),
    ]
    portal = reverse("portal:invoice_list")
    portal_pdf = reverse("portal:invoice_pdf", args=[issued.pk])
    portal_draft_pdf = reverse("portal:invoice_pdf", args=[draft.pk])
    cases = []
    for role, status in [("finance", 200), ("gm", 200), ("ae", 200), ("ad", 200)]:
        cases += [Case(role, "GET", url, status) for url in staff_pages]
        cases.append(Case(role, "GET", detail, status))
    cases += [Case("designer", "GET", url, 403) for url in staff_pages]
    cases += [Case("designer", "GET", detail, 404)]
    cases += [Case("finance", "GET", url, 200) for url in finance_pages]
    cases += [Case("admin", "GET", url, 200) for url in finance_pages[1:]]
    cases += [Case(role, "GET", finance_pages[0], 403) for role in ("admin", "gm", "ae")]
    cases += [Case(role, "GET", finance_pages[2], 403) for role in ("gm", "ae")]
    # Only Finance makes drafts, issues, credits and records payments.
    for role in ("ae", "ad", "gm", "admin", "designer"):
        cases += [
            Case(role, "GET", new, 403),
            Case(role, "POST", issue, 403 if role != "designer" else 404, {"version": 1}),
            Case(role, "GET", credit, 403 if role != "designer" else 404),
            Case(role, "POST", pay, 403 if role != "designer" else 404, pay_data),
            Case(
                role, "POST", f"{API}/invoices/{draft.pk}/issue", 403 if role != "designer" else 404
            ),
            Case(role, "POST", f"{API}/invoices", 403, {"job": billing.job.pk}),
        ]
    cases += [
        Case("finance", "GET", new, 200),
        Case("finance", "GET", credit, 200),
        # Client users: the portal only, their own company's issued invoices.
        Case("client", "GET", detail, 404),
        Case("client", "GET", reverse("finance:invoice_list"), 404),
        Case("client", "GET", portal, 200),
        Case("client", "GET", portal_pdf, 200),
        Case("client", "GET", portal_draft_pdf, 404),
        Case("client", "GET", reverse("portal:statement"), 200),
        Case("client", "GET", f"{API}/invoices/{issued.pk}", 200),
        Case("client", "GET", f"{API}/invoices/{draft.pk}", 404),
        Case("client", "POST", f"{API}/invoices/{draft.pk}/issue", 404),
        Case("outsider", "GET", portal_pdf, 404),
        Case("outsider", "GET", f"{API}/invoices/{issued.pk}", 404),
        Case("finance", "GET", portal, 404),
        Case("anonymous", "GET", detail, 302),
        Case("anonymous", "GET", f"{API}/invoices", 401),
        Case("finance", "GET", draft_detail, 200),
        Case("ae", "GET", draft_detail, 200),
    ]
    run_permission_matrix(cast, cases)
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.DRAFT
    assert not Payment.objects.exists()
    assert not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()


def test_the_portal_lists_only_the_clients_issued_invoices(
    login, cast, clientele, billing, invoices
):
    issued, draft = invoices
    nike = services.invoice_issue(
        actor=cast.finance,
        invoice=services.invoice_draft_from_quote(actor=cast.finance, job=billing.other_job),
    )
    page = login(cast.client).get(reverse("portal:invoice_list")).content.decode()
    assert issued.number in page and nike.number not in page
    assert page.count('data-testid="portal-invoice-row"') == 1
    other = login(cast.outsider).get(reverse("portal:invoice_list")).content.decode()
    assert nike.number in other and issued.number not in other


@pytest.mark.parametrize("count", [1, 6])
def test_the_portal_list_reads_a_fixed_number_of_queries(
    login, cast, billing, django_assert_num_queries, count
):
    for _n in range(count):
        issued_invoice(cast, billing, kind="percentage", percentage="10")
    client = login(cast.client)
    url = reverse("portal:invoice_list")
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count('data-testid="portal-invoice-row"') == count
