"""Departments' acknowledgements (签收): the three-department story, the late flag, the
second click, the departments' page, the home card and menu, the daily late sweep."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobbag.core.errors import Conflict, NotAllowed
from jobbag.core.models import Notification
from jobbag.jobs.models import Acknowledgement
from jobbag.jobs.services import work_orders as services
from jobbag.jobs.services.acknowledgements import (
    ALREADY_ACKNOWLEDGED,
    acknowledgement_confirm,
    is_late,
)
from jobbag.jobs.sweeps_work_orders import remind_late_acknowledgements
from jobbag.jobs.tests.work_orders_support import sign_back_quote, signed


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def dispatched(chain, cast):
    """WO-1 sent to design, process and purchasing; its three receipts by department code."""
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)
    rows = services.work_order_dispatch(actor=cast.ae, work_order=work_order)
    return work_order, {row.department.code: row for row in rows}


def test_three_departments_acknowledge_and_the_job_shows_who_and_when(
    chain, cast, login, dispatched
):
    work_order, rows = dispatched
    client = login(cast.designer)
    response = client.post(
        reverse("jobs:acknowledgement_confirm", args=[rows["design"].pk]), {"note": "已收到"}
    )
    assert response.status_code == 302
    acknowledgement_confirm(actor=chain.process_head, acknowledgement=rows["process"])

    panel = login(cast.ae).get(reverse("jobs:work_order_detail", args=[work_order.pk]))
    html = panel.content.decode()
    assert 'data-department="design" data-acknowledged="yes"' in html
    assert 'data-department="process" data-acknowledged="yes"' in html
    assert 'data-department="purchasing" data-acknowledged="no"' in html

    acknowledgement_confirm(actor=chain.purchasing_head, acknowledgement=rows["purchasing"])
    done = {
        row.department.code: row
        for row in Acknowledgement.objects.filter(work_order=work_order).select_related(
            "department"
        )
    }
    assert all(row.acknowledged_at is not None for row in done.values())
    assert done["design"].acknowledged_by == cast.designer
    assert done["design"].note == "已收到"
    assert done["process"].acknowledged_by == chain.process_head


def test_a_department_acknowledges_only_for_itself(chain, cast, dispatched):
    _work_order, rows = dispatched
    with pytest.raises(NotAllowed):
        acknowledgement_confirm(actor=cast.designer, acknowledgement=rows["process"])
    with pytest.raises(NotAllowed):
        acknowledgement_confirm(actor=cast.ae, acknowledgement=rows["design"])
    assert not Acknowledgement.objects.filter(acknowledged_at__isnull=False).exists()


def test_a_second_click_is_told_it_is_already_acknowledged(chain, cast, login, dispatched):
    _work_order, rows = dispatched
    client = login(english(cast.designer))
    url = reverse("jobs:acknowledgement_confirm", args=[rows["design"].pk])
    client.post(url)
    first = Acknowledgement.objects.get(pk=rows["design"].pk).acknowledged_at

    response = client.post(url)

    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert str(ALREADY_ACKNOWLEDGED) in texts
    assert Acknowledgement.objects.get(pk=rows["design"].pk).acknowledged_at == first
    with pytest.raises(Conflict):
        acknowledgement_confirm(actor=chain.design_head, acknowledgement=rows["design"])


def test_the_late_flag(chain, cast, dispatched):
    _work_order, rows = dispatched
    today = timezone.localdate()
    row = rows["design"]

    assert not is_late(row, today)
    Acknowledgement.objects.filter(pk=row.pk).update(due_on=today - timedelta(days=1))
    row.refresh_from_db()
    assert is_late(row, today)
    # Acknowledged after its day: still flagged late.
    acknowledgement_confirm(actor=cast.designer, acknowledgement=row)
    row.refresh_from_db()
    assert is_late(row, today)
    # Acknowledged in time: not late.
    on_time = rows["process"]
    acknowledgement_confirm(actor=chain.process_head, acknowledgement=on_time)
    on_time.refresh_from_db()
    assert not is_late(on_time, today + timedelta(days=30))


def test_the_departments_page_lists_what_waits_with_late_flags(chain, cast, login, dispatched):
    _work_order, rows = dispatched
    Acknowledgement.objects.filter(pk=rows["design"].pk).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    response = login(cast.designer).get(reverse("jobs:acknowledgements"))

    assert response.status_code == 200
    pending = response.context["pending"]
    assert [item["row"].department.code for item in pending] == ["design"]
    assert pending[0]["late"] is True
    assert 'data-testid="acknowledgement-late"' in response.content.decode()


def test_the_departments_page_reads_a_fixed_number_of_queries(
    chain, cast, login, dispatched, django_assert_num_queries
):
    client = login(cast.designer)
    url = reverse("jobs:acknowledgements")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    before = len(queries)
    for _ in range(3):
        more = signed(chain, cast, departments=[chain.design])
        services.work_order_dispatch(actor=cast.ae, work_order=more)
    acknowledgement_confirm(
        actor=cast.designer,
        acknowledgement=Acknowledgement.objects.filter(department=chain.design)[0],
    )

    with django_assert_num_queries(before):
        response = client.get(url)
    assert len(response.context["pending"]) == 3


def test_the_home_card_and_menu_show_to_department_people_with_receipts_to_give(
    chain, cast, login, dispatched
):
    home = login(cast.designer).get(reverse("core:home"))
    html = home.content.decode()
    assert 'data-testid="home-acknowledgements"' in html
    assert reverse("jobs:acknowledgements") in html

    qc_home = login(chain.qc_head).get(reverse("core:home")).content.decode()
    assert 'data-testid="home-acknowledgements"' not in qc_home


def test_the_daily_sweep_tells_the_head_and_the_owner_once(chain, cast, dispatched):
    _work_order, rows = dispatched
    yesterday = timezone.localdate() - timedelta(days=1)
    Acknowledgement.objects.filter(pk__in=[rows["design"].pk, rows["process"].pk]).update(
        due_on=yesterday
    )
    acknowledgement_confirm(actor=chain.process_head, acknowledgement=rows["process"])
    Notification.objects.all().delete()

    assert remind_late_acknowledgements() == 1
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {chain.design_head.pk, cast.ae.pk}
    assert Acknowledgement.objects.get(pk=rows["design"].pk).reminded_on == timezone.localdate()

    assert remind_late_acknowledgements() == 0
    assert Notification.objects.count() == 2


def test_people_without_receipts_see_an_empty_list(chain, cast, login):
    response = login(english(chain.qc_head)).get(reverse("jobs:acknowledgements"))
    assert response.status_code == 200
    assert 'data-testid="acknowledgements-none"' in response.content.decode()
    assert login(cast.client).get(reverse("jobs:acknowledgements")).status_code == 404


def test_a_department_acknowledges_from_the_work_order_page(chain, cast, login, dispatched):
    work_order, rows = dispatched
    client = login(cast.designer)
    page = client.get(reverse("jobs:work_order_detail", args=[work_order.pk]))
    assert page.content.decode().count('data-testid="work-order-acknowledge"') == 1

    url = reverse("jobs:work_order_detail", args=[work_order.pk])
    response = client.post(
        reverse("jobs:acknowledgement_confirm", args=[rows["design"].pk]), {"next": url}
    )

    assert response.status_code == 302 and response["Location"] == url
    assert Acknowledgement.objects.get(pk=rows["design"].pk).acknowledged_by == cast.designer
    page = client.get(url)
    assert 'data-testid="work-order-acknowledge"' not in page.content.decode()
