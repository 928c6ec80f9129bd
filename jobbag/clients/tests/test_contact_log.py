"""The contact log: logging a visit with a next step, editing, next steps, the reminder
sweep, the per-client and per-person pages and who may see them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import ContactLogEntry
from jobbag.clients.services.contact_log import (
    contact_log_add,
    contact_log_edit,
    contact_log_next_step_done,
    remind_next_steps_due,
)
from jobbag.clients.sweeps import next_steps_due
from jobbag.clients.tests.factories import ContactFactory
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.core.sweeps import daily_sweeps
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.fieldwork.tests.helpers import chain, log

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def _form(clientele, cast, **overrides) -> dict:
    when = timezone.localtime() - timedelta(hours=1)
    data = {
        "kind": "visit",
        "occurred_at": when.strftime(LOCAL),
        "staff": [cast.ad.pk],
        "contacts": [clientele.contact.pk],
        "brand": clientele.brand.pk,
        "discussed": "讨论春季新品上市的广告预算",
        "next_step": "发送媒介方案",
        "next_step_due": (when.date() + timedelta(days=3)).isoformat(),
    }
    data.update(overrides)
    return data


def test_it_logs_a_visit_with_a_next_step(cast, clientele, login):
    client = login(cast.ae)
    response = client.post(
        reverse("clients:log_create", args=[clientele.company.pk]), _form(clientele, cast)
    )

    entry = ContactLogEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/clients/{clientele.company.pk}/log/#entry-{entry.pk}")
    assert entry.kind == "visit" and entry.next_step == "发送媒介方案"
    assert entry.created_by == cast.ae
    assert set(entry.staff.all()) == {cast.ae, cast.ad}
    assert list(entry.contacts.all()) == [clientele.contact]
    created = AuditEntry.objects.get(object_id=str(entry.pk), action="create")
    assert created.actor == cast.ae
    assert sorted(created.changes["staff"][1]) == sorted([str(cast.ae), str(cast.ad)])

    page = client.get(reverse("clients:company_log", args=[clientele.company.pk]))
    assert "发送媒介方案" in page.content.decode()


def test_it_always_includes_the_author(cast, clientele):
    entry = contact_log_add(
        actor=cast.ae,
        company=clientele.company,
        kind="call",
        occurred_at=timezone.now(),
        discussed="电话确认排期",
    )
    assert list(entry.staff.all()) == [cast.ae]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"discussed": "  "}, "discussed"),
        ({"kind": "letter"}, "kind"),
        ({"next_step": ""}, "next_step"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(cast, clientele, login, overrides, field):
    response = login(cast.ae).post(
        reverse("clients:log_create", args=[clientele.company.pk]),
        _form(clientele, cast, **overrides),
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ContactLogEntry.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="contactlogentry").exists()


def test_it_refuses_a_contact_more_than_a_day_ahead_and_a_due_date_before_it(cast, clientele):
    with pytest.raises(DomainError) as error:
        contact_log_add(
            actor=cast.ae,
            company=clientele.company,
            kind="visit",
            occurred_at=timezone.now() + timedelta(days=2),
            discussed="x",
            next_step="y",
            next_step_due=timezone.localdate() - timedelta(days=1),
        )
    assert set(error.value.fields) == {"occurred_at", "next_step_due"}
    with pytest.raises(DomainError) as error:
        contact_log_add(
            actor=cast.ae,
            company=clientele.company,
            kind="visit",
            occurred_at=timezone.now(),
            discussed="x",
            next_step="y",
            next_step_due=timezone.localdate() - timedelta(days=1),
        )
    assert set(error.value.fields) == {"next_step_due"}
    assert not ContactLogEntry.objects.exists()


def test_it_refuses_another_companys_contacts_and_inactive_or_client_people(cast, clientele):
    nike_person = ContactFactory(company=clientele.other_company)
    gone = User.objects.create(username="gone", is_active=False)
    for staff, contacts, field in [
        ([], [nike_person], "contacts"),
        ([gone], [], "staff"),
        ([cast.client], [], "staff"),
    ]:
        with pytest.raises(DomainError) as error:
            contact_log_add(
                actor=cast.ae,
                company=clientele.company,
                kind="visit",
                occurred_at=timezone.now(),
                discussed="x",
                staff=staff,
                contacts=contacts,
            )
        assert field in error.value.fields
    assert not ContactLogEntry.objects.exists()


def test_other_ae_and_outsiders_cannot_log_or_read_the_log(cast, clientele, login):
    entry = log(clientele.company, cast.ae, when=timezone.now())
    with pytest.raises(NotAllowed):
        contact_log_add(
            actor=clientele.other_ae,
            company=clientele.company,
            kind="visit",
            occurred_at=timezone.now(),
            discussed="x",
        )
    for user in (clientele.other_ae, cast.outsider, cast.client, cast.designer):
        client = login(user)
        assert (
            client.get(reverse("clients:company_log", args=[clientele.company.pk])).status_code
            == 404
        )
        assert client.get(reverse("clients:log_edit", args=[entry.pk])).status_code == 404
        assert (
            client.post(
                reverse("clients:log_create", args=[clientele.company.pk]), _form(clientele, cast)
            ).status_code
            == 404
        )
    assert ContactLogEntry.objects.count() == 1


def test_the_author_edits_with_the_version_and_the_change_is_audited(cast, clientele, login):
    entry = contact_log_add(
        actor=cast.ae,
        company=clientele.company,
        kind="visit",
        occurred_at=timezone.now(),
        discussed="初次拜访",
    )
    client = login(cast.ae)
    page = client.get(reverse("clients:log_edit", args=[entry.pk]))
    assert page.status_code == 200
    data = _form(clientele, cast, discussed="初次拜访，确认需求", version=entry.version)
    response = client.post(reverse("clients:log_edit", args=[entry.pk]), data)

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.discussed == "初次拜访，确认需求" and entry.version == 2
    change = AuditEntry.objects.get(object_id=str(entry.pk), action="change")
    assert change.changes["discussed"] == ["初次拜访", "初次拜访，确认需求"]
    assert str(cast.ad) in change.changes["staff"][1]

    stale = client.post(reverse("clients:log_edit", args=[entry.pk]), {**data, "discussed": "旧"})
    assert stale.status_code == 400
    entry.refresh_from_db()
    assert entry.discussed == "初次拜访，确认需求"


def test_only_the_author_or_an_admin_edits(cast, clientele, login):
    entry = log(clientele.company, cast.ae, when=timezone.now(), staff=[cast.ad])
    with pytest.raises(NotAllowed):
        contact_log_edit(actor=cast.ad, entry=entry, expected_version=1, discussed="改")
    assert login(cast.ad).get(reverse("clients:log_edit", args=[entry.pk])).status_code == 403
    with pytest.raises(Conflict):
        contact_log_edit(actor=cast.ae, entry=entry, expected_version=7, discussed="改")
    entry.refresh_from_db()
    assert entry.discussed != "改"


def test_a_participant_marks_the_next_step_done_once(cast, clientele, login):
    entry = log(
        clientele.company,
        cast.ae,
        when=timezone.now(),
        staff=[cast.ad],
        next_step="寄样品",
        next_step_due=timezone.localdate(),
    )
    response = login(cast.ad).post(
        reverse("clients:log_done", args=[entry.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="entry-{entry.pk}"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.next_step_done_at is not None
    assert AuditEntry.objects.filter(object_id=str(entry.pk), action="change").exists()
    with pytest.raises(Conflict):
        contact_log_next_step_done(actor=cast.ae, entry=entry)


def test_the_daily_sweep_reminds_each_author_once_a_day(cast, clientele):
    today = timezone.localdate()
    overdue = log(
        clientele.company,
        cast.ae,
        when=timezone.now() - timedelta(days=5),
        next_step="回复报价",
        next_step_due=today - timedelta(days=2),
    )
    due_today = log(
        clientele.company, cast.ad, when=timezone.now(), next_step="开会", next_step_due=today
    )
    log(
        clientele.company,
        cast.ae,
        when=timezone.now(),
        next_step="以后",
        next_step_due=today + timedelta(days=1),
    )
    log(
        clientele.company,
        cast.ae,
        when=timezone.now() - timedelta(days=3),
        next_step="已完成",
        next_step_due=today - timedelta(days=1),
        next_step_done_at=timezone.now(),
    )
    assert "clients.next_steps_due" in daily_sweeps()

    next_steps_due()
    next_steps_due()

    notes = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in notes] == [cast.ad, cast.ae]
    assert "开会" in notes[0].message and notes[0].link.endswith(f"#entry-{due_today.pk}")
    assert "回复报价" in notes[1].message
    overdue.refresh_from_db()
    assert overdue.next_step_reminded_on == today
    # The next day, the still-open steps are reminded again.
    assert remind_next_steps_due(today=today + timedelta(days=1)) == 3


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_company_log_costs_a_fixed_number_of_queries_and_exports(cast, clientele, login):
    client = login(cast.ae)
    url = reverse("clients:company_log", args=[clientele.company.pk])
    log(clientele.company, cast.ae, when=timezone.now(), staff=[cast.ad])
    client.get(url)  # Warms the per-process caches (content types, settings rows).
    few = _queries(client, url)
    for n in range(40):
        entry = log(
            clientele.company, cast.ae, when=timezone.now() - timedelta(hours=n), staff=[cast.ad]
        )
        entry.contacts.set([clientele.contact])
    assert _queries(client, url) == few

    response = client.get(url)
    rows = response.context["page_obj"]
    assert len(rows) == 25 and rows[0].occurred_at >= rows[1].occurred_at
    export = client.get(url + "?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_my_log_shows_my_entries_and_a_manager_picks_a_report(cast, clientele, login):
    chain(cast)
    mine = log(clientele.company, cast.ae, when=timezone.now(), discussed="我的拜访")
    log(clientele.company, cast.ad, when=timezone.now(), discussed="总监的拜访")

    own = login(cast.ae).get(reverse("clients:my_log"))
    assert [e.pk for e in own.context["page_obj"]] == [mine.pk]
    assert (
        login(cast.ae).get(reverse("clients:my_log") + f"?person={cast.ad.pk}").status_code == 404
    )

    managed = login(cast.ad).get(reverse("clients:my_log") + f"?person={cast.ae.pk}")
    assert managed.status_code == 200
    assert [e.pk for e in managed.context["page_obj"]] == [mine.pk]
    assert login(cast.ad).get(reverse("clients:my_log") + "?export=xlsx").status_code == 200


def test_next_steps_lists_my_open_steps_earliest_first(cast, clientele, login):
    today = timezone.localdate()
    later = log(
        clientele.company,
        cast.ae,
        when=timezone.now(),
        next_step="b",
        next_step_due=today + timedelta(days=5),
    )
    sooner = log(
        clientele.company,
        cast.ad,
        when=timezone.now(),
        staff=[cast.ae],
        next_step="a",
        next_step_due=today,
    )
    log(clientele.company, cast.ad, when=timezone.now(), next_step="not mine", next_step_due=today)

    response = login(cast.ae).get(reverse("clients:next_steps"))
    assert [e.pk for e in response.context["page_obj"]] == [sooner.pk, later.pk]


def test_contact_log_permission_matrix(cast, clientele):
    entry = log(clientele.company, cast.ae, when=timezone.now(), next_step="x")
    company_log = reverse("clients:company_log", args=[clientele.company.pk])
    edit = reverse("clients:log_edit", args=[entry.pk])
    cast.other_ae = clientele.other_ae
    cases = []
    for role, log_status, edit_status, list_status in [
        ("anonymous", 302, 302, 302),
        ("client", 404, 404, 404),
        ("outsider", 404, 404, 404),
        ("designer", 404, 404, 200),
        ("other_ae", 404, 404, 200),
        ("ad", 200, 403, 200),
        ("ae", 200, 200, 200),
        ("gm", 200, 403, 200),
        ("admin", 404, 404, 200),
    ]:
        cases += [
            Case(role, "GET", company_log, log_status),
            Case(role, "GET", edit, edit_status),
            Case(role, "GET", reverse("clients:my_log"), list_status),
            Case(role, "GET", reverse("clients:next_steps"), list_status),
            Case(role, "GET", reverse("clients:not_contacted"), list_status),
        ]
    run_permission_matrix(cast, cases)
