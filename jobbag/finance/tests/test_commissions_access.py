"""The permission matrix of credit control, commissions and targets, pages and API.

Cast: the AE and the designer see only their own commissions and targets; the AD sees
the credit of HAIER (served) and not NIKE; Finance sees and pays every commission and
sets targets; the Marketing Manager watches credit and reads every target; only the GM
grants an override; client users see none of it; anonymous visitors sign in first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.core.navigation import menu_for
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.finance.models import Commission
from jobbag.finance.services import incentives as services

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]


API = "/api/v1/finance"


@pytest.fixture
def world(cast, clientele, people, signed_job, books):
    books.invoice(company=clientele.company, total="10600", days_overdue=95)
    services.commission_rule_create(
        actor=cast.finance, code="account", name="客户提成", rate="5", shares={"owner": 100}
    )
    job = signed_job(owner=cast.ae, net="100000")
    books.pay(books.invoice(company=clientele.company, job=job, total="106000"))
    services.commissions_refresh(job)
    cast.manager = people.manager
    return {"job": job, "commission": Commission.objects.get(user=cast.ae)}


def test_the_matrix(cast, clientele, world):
    haier = clientele.company.pk
    nike = clientele.other_company.pk
    commission = world["commission"].pk
    job = world["job"].pk
    valid = (timezone.localdate() + timedelta(days=3)).isoformat()
    pages = {
        "credit": reverse("finance:credit"),
        "haier": reverse("finance:credit_company", args=[haier]),
        "nike": reverse("finance:credit_company", args=[nike]),
        "overrides": reverse("finance:credit_overrides"),
        "mine": reverse("finance:my_commissions"),
        "all": reverse("finance:commissions"),
        "rules": reverse("finance:commission_rules"),
        "credits": reverse("finance:job_credits", args=[job]),
        "my_targets": reverse("finance:my_targets"),
        "targets": reverse("finance:targets"),
    }
    expect = {
        #            credit haier nike overrides mine all rules credits my_t targets
        "ae": (403, 403, 403, 403, 200, 403, 403, 200, 200, 403),
        "ad": (200, 200, 404, 200, 200, 403, 403, 200, 200, 403),
        "designer": (403, 403, 403, 403, 200, 403, 403, 404, 200, 403),
        "finance": (200, 200, 200, 200, 200, 200, 200, 403, 200, 200),
        "manager": (200, 200, 200, 200, 200, 403, 403, 403, 200, 200),
        "gm": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        # Client users never reach staff pages (the portal isolation answers 404).
        "client": (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    }
    cases = [
        Case(role, "GET", url, status)
        for role, statuses in expect.items()
        for url, status in zip(pages.values(), statuses, strict=True)
    ]
    cases += [Case("anonymous", "GET", url, 302) for url in pages.values()]
    override = reverse("finance:credit_override", args=[haier])
    grant = {"reason": "ok", "valid_until": valid}
    pay = reverse("finance:commission_pay", args=[commission])
    cases += [
        Case("ae", "POST", override, 403, grant),
        Case("finance", "POST", override, 403, grant),
        Case("manager", "POST", override, 403, grant),
        Case("client", "POST", override, 404, grant),
        Case("ae", "POST", pay, 403),
        Case("gm", "POST", pay, 403),
        Case("ae", "POST", reverse("finance:target_save"), 403, {"user": cast.ae.pk}),
        Case("ae", "POST", reverse("finance:commission_rules"), 403, {"code": "x"}),
        Case("gm", "POST", override, 302, grant),
        Case("finance", "POST", pay, 302),
    ]
    api = f"{API}/credit/clients/{haier}/overrides"
    cases += [
        Case("ae", "GET", f"{API}/credit/clients", 403),
        Case("client", "GET", f"{API}/credit/clients/{haier}", 403),
        Case("ad", "GET", f"{API}/credit/clients/{nike}", 404),
        Case("finance", "POST", api, 403, grant),
        Case("anonymous", "GET", f"{API}/commissions", 401),
        Case("client", "GET", f"{API}/commissions", 403),
        Case("designer", "GET", f"{API}/commissions/{commission}", 404),
        Case("ae", "GET", f"{API}/commissions/{commission}", 200),
        Case("client", "GET", f"{API}/targets", 403),
        Case("designer", "GET", f"{API}/targets?user={cast.ae.pk}", 404),
    ]
    run_permission_matrix(cast, cases)


def test_the_menu_by_role(cast, people):
    def names(user):
        return {item.url_name for item in menu_for(user)}

    assert {"finance:my_commissions", "finance:my_targets"} <= names(cast.designer)
    assert not {"finance:credit", "finance:commissions", "finance:targets"} & names(cast.ae)
    assert {"finance:credit", "finance:commissions", "finance:targets"} <= names(cast.gm)
    assert "finance:credit" in names(people.manager) and "finance:credit" in names(cast.ad)
    assert not {n for n in names(cast.client) if n.startswith("finance:")}
