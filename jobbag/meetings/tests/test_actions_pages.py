"""The action register's pages: my actions (open first, overdue marked, quick close),
the register with filters and its .xlsx, a new action, one action with its history,
editing, closing and cancelling; the home card, the menu and the query budgets."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobbag.core.models import AuditEntry
from jobbag.core.navigation import menu_for
from jobbag.meetings.models import Action, Side
from jobbag.meetings.services import actions as services
from jobbag.meetings.tests.factories import ActionFactory, ContactReportFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def text(response) -> str:
    return response.content.decode()


def test_my_actions_lists_open_first_with_overdue_marked(cast, clientele, login):
    late = ActionFactory(
        company=clientele.company, owner=cast.ae, text="逾期的事", due_on=today() - timedelta(2)
    )
    soon = ActionFactory(company=clientele.company, owner=cast.ae, text="明天的事")
    done = ActionFactory(
        company=clientele.company,
        owner=cast.ae,
        text="做完的事",
        status=Action.Status.DONE,
        closed_at=timezone.now(),
        closed_by=cast.ae,
    )
    ActionFactory(company=clientele.company, owner=cast.ad, text="别人的事")
    ActionFactory(
        company=clientele.company,
        owner=cast.ae,
        text="草稿里的事",
        status=Action.Status.DRAFT,
        report=ContactReportFactory(company=clientele.company, created_by=cast.ae),
    )
    response = login(cast.ae).get(reverse("meetings:my_actions"))
    assert response.status_code == 200
    rows = [a.pk for a in response.context["page_obj"]]
    assert rows == [late.pk, soon.pk, done.pk]
    body = text(response)
    assert body.count('data-overdue="1"') == 1 and "别人的事" not in body and "草稿" not in body

    overdue_only = login(cast.ae).get(reverse("meetings:my_actions") + "?due=overdue")
    assert [a.pk for a in overdue_only.context["page_obj"]] == [late.pk]
    closed = login(cast.ae).get(reverse("meetings:my_actions") + "?status=done")
    assert [a.pk for a in closed.context["page_obj"]] == [done.pk]


def test_my_actions_speaks_english(cast, clientele, login):
    ActionFactory(company=clientele.company, owner=english(cast.ae))
    body = text(login(cast.ae).get(reverse("meetings:my_actions")))
    assert "My actions" in body and "Due" in body


def test_the_quick_close_swaps_the_row_with_htmx(cast, clientele, login):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    client = login(cast.ae)
    url = reverse("meetings:action_close", args=[action.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-status="done"' in text(response) and "<html" not in text(response)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.closed_by == cast.ae
    # A second click (another tab): the row says why, nothing changes.
    again = client.post(url, HTTP_HX_REQUEST="true")
    assert 'data-testid="action-error"' in text(again)
    assert Action.objects.get(pk=action.pk).version == action.version


def test_the_close_form_redirects_back_with_a_message(cast, clientele, login):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    client = login(cast.ae)
    back = reverse("meetings:my_actions") + "?status=open"
    response = client.post(
        reverse("meetings:action_close", args=[action.pk]), {"note": "好了", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    assert Action.objects.get(pk=action.pk).closing_note == "好了"
    # An outside address is never followed.
    other = ActionFactory(company=clientele.company, owner=cast.ae)
    response = client.post(
        reverse("meetings:action_close", args=[other.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("meetings:action_detail", args=[other.pk])


def test_the_register_filters_and_exports(cast, clientele, login, loop):
    late = ActionFactory(
        company=clientele.company,
        owner=cast.designer,
        created_by=cast.ae,
        job=loop.job,
        due_on=today() - timedelta(1),
    )
    theirs = ActionFactory(
        company=clientele.company,
        side=Side.CLIENT,
        owner_contact=clientele.contact,
        created_by=cast.ae,
    )
    ActionFactory(company=clientele.other_company, owner=clientele.other_ae)
    client = login(cast.ae)
    url = reverse("meetings:action_list")
    assert [a.pk for a in client.get(url).context["page_obj"]] == [late.pk, theirs.pk]
    assert [a.pk for a in client.get(url + "?overdue=on").context["page_obj"]] == [late.pk]
    assert [a.pk for a in client.get(url + "?side=client").context["page_obj"]] == [theirs.pk]
    assert [a.pk for a in client.get(url + "?job=HAIER-2026").context["page_obj"]] == [late.pk]
    by_owner = client.get(url + f"?owner={cast.designer.pk}")
    assert [a.pk for a in by_owner.context["page_obj"]] == [late.pk]

    export = client.get(url + "?side=client&export=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == theirs.text and rows[1][5].startswith("孙丽")


def test_a_new_action_picks_the_client_then_saves(cast, clientele, login, loop):
    client = login(cast.ae)
    url = reverse("meetings:action_create")
    assert client.get(url).status_code == 200
    form_url = f"{url}?company={clientele.company.pk}"
    page = client.get(form_url)
    assert page.status_code == 200 and "孙丽" in text(page)
    bad = client.post(form_url, {"side": "agency", "due_on": today().isoformat()})
    assert bad.status_code == 400 and not Action.objects.exists()
    response = client.post(
        form_url,
        {
            "job": loop.job.pk,
            "text": "确认媒体排期",
            "side": "client",
            "owner_contact": clientele.contact.pk,
            "due_on": (today() + timedelta(2)).isoformat(),
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:action_detail", args=[action.pk])
    assert action.side == Side.CLIENT and action.owner_contact == clientele.contact
    assert action.job == loop.job and action.status == Action.Status.OPEN
    # A client the AE does not serve cannot be chosen.
    other = client.get(f"{url}?company={clientele.other_company.pk}")
    assert other.status_code == 200 and "action-pick" in text(other)


def test_the_detail_shows_who_closed_it_and_the_history(cast, clientele, login):
    action = ActionFactory(company=clientele.company, owner=cast.ae, text="发送报价单")
    services.action_close(actor=cast.ae, action=action, note="已发")
    response = login(english(cast.ae)).get(reverse("meetings:action_detail", args=[action.pk]))
    body = text(response)
    assert response.status_code == 200
    assert 'data-status="done"' in body and "王小明" in body and "已发" in body
    assert 'data-testid="action-close"' not in body and 'data-testid="action-edit"' not in body
    assert len(response.context["history"]) == 1


def test_editing_saves_and_a_stale_form_is_refused(cast, clientele, login):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    client = login(cast.ae)
    url = reverse("meetings:action_edit", args=[action.pk])
    assert client.get(url).status_code == 200
    values = {
        "text": "新的说法",
        "side": "agency",
        "owner": cast.ae.pk,
        "due_on": action.due_on.isoformat(),
        "version": 1,
    }
    assert client.post(url, values).status_code == 302
    stale = client.post(url, {**values, "text": "过时的"})
    assert stale.status_code == 400
    assert Action.objects.get(pk=action.pk).text == "新的说法"


def test_a_closed_action_cannot_be_edited_through_the_page(cast, clientele, login):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    services.action_close(actor=cast.ae, action=action)
    client = login(cast.ae)
    url = reverse("meetings:action_edit", args=[action.pk])
    response = client.post(url, {"text": "改", "side": "agency", "owner": cast.ae.pk})
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).text != "改"


def test_cancel_needs_a_reason(cast, clientele, login):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    client = login(cast.ae)
    url = reverse("meetings:action_cancel", args=[action.pk])
    client.post(url, {"reason": ""})
    assert Action.objects.get(pk=action.pk).status == Action.Status.OPEN
    client.post(url, {"reason": "客户改了计划"})
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED and action.closing_note == "客户改了计划"
    assert AuditEntry.objects.filter(object_id=str(action.pk), action="transition").count() == 1


def test_the_home_card_shows_ten_open_actions_and_the_count(cast, clientele, login):
    for n in range(12):
        ActionFactory(
            company=clientele.company, owner=cast.ae, due_on=today() + timedelta(days=n - 2)
        )
    body = text(login(cast.ae).get(reverse("core:home")))
    assert body.count('data-testid="home-action"') == 10
    assert body.count('data-testid="home-action-overdue"') == 2
    assert 'data-testid="home-actions-total"' in body


def test_the_menu_offers_my_actions_and_the_register(cast, clientele):
    staff_menu = [item.url_name for item in menu_for(cast.designer)]
    assert "meetings:my_actions" in staff_menu and "meetings:action_list" in staff_menu
    assert "portal:action_list" not in staff_menu
    client_menu = [item.url_name for item in menu_for(cast.client)]
    assert "portal:action_list" in client_menu and "meetings:my_actions" not in client_menu


def _budget(django_assert_num_queries, client, url, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def _rows(clientele, owner, count, **extra):
    for n in range(count):
        ActionFactory(
            company=clientele.company,
            owner=owner,
            due_on=today() + timedelta(days=n - 1),
            **extra,
        )


MY_ACTIONS_QUERIES = 6
REGISTER_QUERIES = 12
DETAIL_QUERIES = 10


@pytest.mark.parametrize("count", [3, 30])
def test_my_actions_has_a_fixed_query_budget(
    cast, clientele, loop, login, django_assert_num_queries, count
):
    _rows(clientele, cast.ae, count, job=loop.job)
    client = login(cast.ae)
    client.get(reverse("meetings:my_actions"))  # warm the session and caches
    _budget(django_assert_num_queries, client, reverse("meetings:my_actions"), MY_ACTIONS_QUERIES)


@pytest.mark.parametrize("count", [3, 30])
def test_the_register_has_a_fixed_query_budget(
    cast, clientele, loop, login, django_assert_num_queries, count
):
    report = ContactReportFactory(company=clientele.company, created_by=cast.ae)
    _rows(clientele, cast.designer, count, job=loop.job, report=report, created_by=cast.ae)
    client = login(cast.ae)
    client.get(reverse("meetings:action_list"))
    _budget(django_assert_num_queries, client, reverse("meetings:action_list"), REGISTER_QUERIES)


@pytest.mark.parametrize("changes", [3, 30])
def test_the_detail_has_a_fixed_query_budget(
    cast, clientele, loop, login, django_assert_num_queries, changes
):
    report = ContactReportFactory(company=clientele.company, created_by=cast.ae)
    action = ActionFactory(company=clientele.company, owner=cast.ae, job=loop.job, report=report)
    for n in range(changes):
        action = services.action_update(
            actor=cast.ae, action=action, expected_version=action.version, text=f"第{n}版"
        )
    client = login(cast.ae)
    url = reverse("meetings:action_detail", args=[action.pk])
    client.get(url)
    _budget(django_assert_num_queries, client, url, DETAIL_QUERIES)
