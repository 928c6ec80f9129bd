"""Work-order pages: the form, the page with its buttons, dispatch refused before the
quote is signed back (nothing changes), the job page's panel, the PDF, query budgets."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.jobs.models import Acknowledgement, Job, Stage, WorkOrder
from jobbag.jobs.services import gates
from jobbag.jobs.services import work_orders as services
from jobbag.jobs.services.acknowledgements import acknowledgement_confirm
from jobbag.jobs.tests.work_orders_support import draft, sign_back_quote, signed


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def form_data(chain, **overrides) -> dict:
    data = {
        "client_request": "门店物料",
        "specification": "KT板 2m×1.2m",
        "quantity": "20 套",
        "quality_standard": "色差 ΔE<2",
        "packaging": "",
        "logistics": "",
        "delivery_place": "青岛",
        "delivery_due": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "budget": "",
        "notes": "",
        "departments": [chain.design.pk, chain.qc.pk],
    }
    data.update(overrides)
    return data


def test_it_writes_a_work_order_through_the_form(chain, cast, login):
    client = login(cast.ae)
    url = reverse("jobs:work_order_create", args=[chain.job.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, form_data(chain))

    work_order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:work_order_detail", args=[work_order.pk])
    assert set(work_order.departments.values_list("code", flat=True)) == {"design", "qc"}


def test_the_form_shows_the_services_field_errors(chain, cast, login):
    client = login(english(cast.ae))
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("jobs:work_order_create", args=[chain.job.pk]),
        form_data(chain, quantity="", departments=[], delivery_due=yesterday),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["quantity"] == [str(services.REQUIRED)]
    assert form.errors["departments"] == [str(services.DEPARTMENTS_REQUIRED)]
    assert form.errors["delivery_due"] == [str(services.DUE_IN_PAST)]
    assert not WorkOrder.objects.exists()


def test_dispatch_before_sign_back_is_refused_on_the_page_and_nothing_changes(chain, cast, login):
    work_order = signed(chain, cast)
    client = login(english(cast.ae))

    response = client.post(reverse("jobs:work_order_dispatch", args=[work_order.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("jobs:work_order_detail", args=[work_order.pk])
    assert [str(m) for m in response.context["messages"]] == [str(gates.QUOTE_NOT_SIGNED)]
    assert 'data-testid="work-order-dispatch"' in response.content.decode()
    work_order.refresh_from_db()
    assert work_order.dispatched_at is None
    assert not Acknowledgement.objects.exists()
    assert Job.objects.get(pk=chain.job.pk).stage == Stage.INTAKE


def test_dispatch_and_a_second_click_on_the_page(chain, cast, login):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)
    client = login(english(cast.ae))
    url = reverse("jobs:work_order_dispatch", args=[work_order.pk])

    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)

    assert [str(m) for m in again.context["messages"]][-1] == str(services.ALREADY_DISPATCHED)
    assert Acknowledgement.objects.filter(work_order=work_order).count() == 3


def test_submit_and_revise_through_the_page(chain, cast, login):
    work_order = draft(chain, cast)
    client = login(cast.ae)

    client.post(reverse("jobs:work_order_submit", args=[work_order.pk]))
    work_order.refresh_from_db()
    assert work_order.signoff_status == SignoffStatus.SUBMITTED

    signed_one = signed(chain, cast)
    client.post(reverse("jobs:work_order_revise", args=[signed_one.pk]))
    signed_one.refresh_from_db()
    assert (signed_one.revision, signed_one.signoff_status) == (2, SignoffStatus.DRAFT)


def test_the_designer_cannot_write_or_dispatch(chain, cast, login):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)
    client = login(cast.designer)

    # Nothing of this job has reached design yet: the designer does not see it.
    assert client.get(reverse("jobs:work_order_detail", args=[work_order.pk])).status_code == 404
    assert client.post(reverse("jobs:work_order_dispatch", args=[work_order.pk])).status_code in {
        403,
        404,
    }
    services.work_order_dispatch(actor=cast.ae, work_order=work_order)
    # Once dispatched to design, the designer reads it but still cannot write one.
    assert client.get(reverse("jobs:work_order_detail", args=[work_order.pk])).status_code == 200
    create = reverse("jobs:work_order_create", args=[chain.job.pk])
    assert client.post(create, form_data(chain)).status_code == 403
    assert WorkOrder.objects.count() == 1


def test_the_job_page_panel_shows_who_has_and_has_not_acknowledged(chain, cast, login):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)
    rows = services.work_order_dispatch(actor=cast.ae, work_order=work_order)
    design = next(r for r in rows if r.department_id == chain.design.pk)
    acknowledgement_confirm(actor=cast.designer, acknowledgement=design)
    late = next(r for r in rows if r.department_id == chain.process.pk)
    Acknowledgement.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - timedelta(days=2)
    )

    response = login(cast.ae).get(reverse("jobs:detail", args=[chain.job.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="panel-work_orders"' in html
    assert 'data-department="design" data-acknowledged="yes" data-late="no"' in html
    assert 'data-department="process" data-acknowledged="no" data-late="yes"' in html
    assert 'data-department="purchasing" data-acknowledged="no" data-late="no"' in html


def test_the_work_order_pdf_has_chinese_text_signatures_and_receipts(chain, cast, login):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)
    services.work_order_dispatch(actor=cast.ae, work_order=work_order)

    response = login(cast.ae).get(reverse("jobs:work_order_pdf", args=[work_order.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content[:4] == b"%PDF"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    squeezed = "".join(text.split())
    for expected in ["冰箱新品上市门店物料", "青岛海尔路", str(cast.ad), str(chain.dcs)]:
        assert "".join(expected.split()) in squeezed


def test_the_work_order_page_reads_a_fixed_number_of_queries(
    chain, cast, login, django_assert_num_queries
):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast, departments=[chain.design, chain.process])
    services.work_order_dispatch(actor=cast.ae, work_order=work_order)
    client = login(cast.ae)
    url = reverse("jobs:work_order_detail", args=[work_order.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    small = len(queries)
    work_order.departments.add(chain.purchasing, chain.qc, chain.planning)
    Acknowledgement.objects.bulk_create(
        Acknowledgement(
            job=chain.job,
            work_order=work_order,
            department=d,
            sent_at=timezone.now(),
            due_on=timezone.localdate(),
        )
        for d in [chain.purchasing, chain.qc, chain.planning]
    )
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_the_job_page_panel_reads_a_fixed_number_of_queries(
    chain, cast, login, django_assert_num_queries
):
    sign_back_quote(chain.job, cast.ae)
    first = signed(chain, cast)
    services.work_order_dispatch(actor=cast.ae, work_order=first)
    client = login(cast.ae)
    url = reverse("jobs:detail", args=[chain.job.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    before = len(queries)
    for _ in range(3):
        more = signed(chain, cast, departments=[chain.qc, chain.planning])
        services.work_order_dispatch(actor=cast.ae, work_order=more)
    with django_assert_num_queries(before):
        assert client.get(url).status_code == 200
