"""The list of clients not contacted in N days: who is on it, in what order, how N is
chosen and changed, and what it costs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobbag.accounts.models import Role, ServiceTeamMembership
from jobbag.clients.models import ClientSettings, Company
from jobbag.clients.tests.factories import CompanyFactory
from jobbag.core.models import AuditEntry
from jobbag.fieldwork.tests.helpers import log

pytestmark = pytest.mark.django_db


def _serve(user, *companies) -> None:
    ServiceTeamMembership.objects.bulk_create(
        ServiceTeamMembership(user=user, team_role=Role.AE, company=c) for c in companies
    )


def _codes(response) -> list[str]:
    return [company.code for company in response.context["page_obj"]]


def test_it_lists_the_silent_active_clients_key_clients_first(cast, clientele, login):
    now = timezone.now()
    recent = CompanyFactory(code="RECENT")
    silent = CompanyFactory(code="SILENT")
    key = CompanyFactory(code="KEY", is_key_client=True)
    never = CompanyFactory(code="NEVER")
    dormant = CompanyFactory(code="DORMANT", status=Company.Status.DORMANT)
    _serve(cast.ae, recent, silent, key, never, dormant)
    log(recent, cast.ae, when=now - timedelta(days=3))
    log(silent, cast.ae, when=now - timedelta(days=60))
    log(silent, cast.ae, when=now - timedelta(days=45))
    log(key, cast.ae, when=now - timedelta(days=31))
    log(clientele.company, cast.ae, when=now - timedelta(days=1))

    response = login(cast.ae).get(reverse("clients:not_contacted"))

    assert response.status_code == 200
    assert response.context["days"] == 30
    # Key clients first, then never contacted, then the longest silent; never NIKE (not
    # served), never a dormant client, never one contacted within the 30 days.
    assert _codes(response) == ["KEY", "NEVER", "SILENT"]
    rows = {company.code: company for company in response.context["page_obj"]}
    assert rows["SILENT"].days_since == 45
    assert rows["NEVER"].days_since is None
    assert "45" in response.content.decode()


def test_days_come_from_the_settings_and_from_the_address(cast, clientele, login):
    log(clientele.company, cast.ae, when=timezone.now() - timedelta(days=10))
    client = login(cast.ae)
    assert _codes(client.get(reverse("clients:not_contacted"))) == []
    assert _codes(client.get(reverse("clients:not_contacted") + "?days=7")) == ["HAIER"]
    assert client.get(reverse("clients:not_contacted") + "?days=abc").context["days"] == 30

    ClientSettings.objects.filter(pk=ClientSettings.current().pk).update(no_contact_days=5)
    assert _codes(client.get(reverse("clients:not_contacted"))) == ["HAIER"]


def test_an_admin_changes_the_days_and_it_is_audited(cast, clientele, login):
    row = ClientSettings.current()
    client = login(cast.admin)
    assert client.get(reverse("clients:not_contacted")).context["settings_form"] is not None
    response = client.post(
        reverse("clients:not_contacted"), {"no_contact_days": 14, "version": row.version}
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.no_contact_days == 14
    entry = AuditEntry.objects.get(object_id=str(row.pk), content_type__model="clientsettings")
    assert entry.changes == {"no_contact_days": [30, 14]}

    bad = client.post(reverse("clients:not_contacted"), {"no_contact_days": 0, "version": 2})
    assert bad.status_code == 400
    assert "no_contact_days" in bad.context["settings_form"].errors
    row.refresh_from_db()
    assert row.no_contact_days == 14


def test_only_admins_change_the_days(cast, clientele, login):
    client = login(cast.ae)
    assert client.get(reverse("clients:not_contacted")).context["settings_form"] is None
    response = client.post(reverse("clients:not_contacted"), {"no_contact_days": 3, "version": 1})
    assert response.status_code == 403
    assert ClientSettings.current().no_contact_days == 30


def test_the_list_costs_a_fixed_number_of_queries_and_exports(cast, clientele, login):
    client = login(cast.ae)
    url = reverse("clients:not_contacted")
    client.get(url)  # Warms the per-process caches.
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    companies = [CompanyFactory() for _ in range(40)]
    _serve(cast.ae, *companies)
    for n, company in enumerate(companies[:20]):
        log(company, cast.ae, when=timezone.now() - timedelta(days=40 + n))
        log(company, cast.ae, when=timezone.now() - timedelta(days=50 + n))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.context["page_obj"].paginator.count == 41

    export = client.get(url + "?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_management_sees_every_silent_client(cast, clientele, login):
    assert _codes(login(cast.gm).get(reverse("clients:not_contacted"))) == ["HAIER", "NIKE"]
    assert _codes(login(clientele.other_ae).get(reverse("clients:not_contacted"))) == ["NIKE"]
    assert _codes(login(cast.designer).get(reverse("clients:not_contacted"))) == []
