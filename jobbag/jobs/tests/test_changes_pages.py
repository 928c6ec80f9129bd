"""The change-notice pages: the requirements history with its diffs, writing a notice
(refused before dispatch), sending it for sign-off, the PDF and the job-page panel."""

import shutil
import subprocess

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from jobbag.approvals.models import SignoffStatus
from jobbag.jobs.models import ChangeNotice
from jobbag.jobs.services import changes as services
from jobbag.jobs.tests.changes_support import dispatch, sign
from jobbag.jobs.views.changes import panel_context

pytestmark = pytest.mark.django_db


def _english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def _notice(chain, cast, changes=None, departments=None):
    return services.change_notice_create(
        actor=cast.ae,
        job=chain.job,
        what="展架尺寸改为 2.4m",
        why="客户门店层高变化",
        requested_by="孙丽",
        requested_on=timezone.localdate(),
        changes=changes or {"materials": "blue poster 2.4m"},
        departments=departments or [chain.design, chain.qc],
    )


def _form(chain, **extra):
    data = {
        "what": "换主题",
        "why": "客户要求",
        "requested_by": "孙丽",
        "requested_on": timezone.localdate().isoformat(),
        "departments": [chain.design.pk],
        "new_theme": "冬季新品",
        "new_launch_date": "",
    }
    data.update(extra)
    return data


def test_a_notice_before_dispatch_is_refused_with_the_reason(chain, cast, login):
    _english(cast.ae)
    client = login(cast.ae)
    url = reverse("jobs:change_notice_create", args=[chain.job.pk])
    response = client.post(url, _form(chain))
    assert response.status_code == 400
    assert escape(str(services.NOT_DISPATCHED)) in response.content.decode()
    assert not ChangeNotice.objects.exists()


def test_the_account_writes_a_notice_and_sends_it_for_sign_off(chain, cast, login):
    dispatch(chain, cast)
    client = login(cast.ae)
    url = reverse("jobs:change_notice_create", args=[chain.job.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(chain))
    history = reverse("jobs:requirements_history", args=[chain.job.pk])
    assert response.status_code == 302 and response.url == history
    notice = ChangeNotice.objects.get()
    assert notice.changes == {"theme": ["新品上市", "冬季新品"]}
    assert list(notice.departments.all()) == [chain.design]
    edit = reverse("jobs:change_notice_edit", args=[notice.pk])
    stale = client.post(edit, _form(chain, version=notice.version + 5, new_theme="夏季"))
    assert stale.status_code == 409
    response = client.post(reverse("jobs:change_notice_submit", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.signoff_status == SignoffStatus.SUBMITTED
    assert response.url == reverse("approvals:detail", args=[notice_approval_id(notice)])
    # Editors only: the designer (who sees the job) may not write one.
    designer = login(cast.designer)
    assert designer.get(url).status_code == 403
    assert designer.post(reverse("jobs:change_notice_submit", args=[notice.pk])).status_code == 403


def test_the_history_shows_the_current_requirements_and_each_diff(chain, cast, login):
    _english(cast.ae)
    dispatch(chain, cast)
    chain.job.materials = "red poster 2m"
    chain.job.save(update_fields=["materials"])
    notice = _notice(chain, cast)
    services.change_notice_submit(actor=cast.ae, notice=notice)
    sign(notice, cast)
    page = login(cast.ae).get(reverse("jobs:requirements_history", args=[chain.job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "blue poster 2.4m" in html  # Current value.
    assert "<del>red</del>" in html and "<ins>blue</ins>" in html
    assert "<del>2m</del>" in html and "<ins>2.4m</ins>" in html
    assert 'data-department="design"' in html and 'data-department="qc"' in html
    assert reverse("approvals:detail", args=[notice_approval_id(notice)]) in html


def notice_approval_id(notice) -> int:
    from jobbag.approvals.selectors import current_approval

    return current_approval(notice).pk


def test_the_history_reads_a_fixed_number_of_queries(chain, cast, login, django_assert_num_queries):
    dispatch(chain, cast)
    client = login(cast.ae)
    url = reverse("jobs:requirements_history", args=[chain.job.pk])
    for notice in [_notice(chain, cast)]:
        services.change_notice_submit(actor=cast.ae, notice=notice)
        sign(notice, cast)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(3):
        notice = _notice(chain, cast, changes={"effect": f"效果{index}"})
        services.change_notice_submit(actor=cast.ae, notice=notice)
        sign(notice, cast)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_outsiders_and_other_accounts_do_not_see_the_history(chain, cast, clientele, login):
    dispatch(chain, cast)
    notice = _notice(chain, cast)
    history = reverse("jobs:requirements_history", args=[chain.job.pk])
    pdf = reverse("jobs:change_notice_pdf", args=[notice.pk])
    for user in [clientele.other_ae, chain.purchasing_head]:
        client = login(user)
        assert client.get(history).status_code == 404
        assert client.get(pdf).status_code == 404
    assert login(cast.client).get(history).status_code == 404
    # Design received the work order: its designer reads the history.
    assert login(cast.designer).get(history).status_code == 200


def test_the_pdf_is_printable_with_chinese_text(chain, cast, login):
    dispatch(chain, cast)
    notice = _notice(chain, cast)
    services.change_notice_submit(actor=cast.ae, notice=notice)
    sign(notice, cast)
    response = login(cast.ae).get(reverse("jobs:change_notice_pdf", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content[:4] == b"%PDF"
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "展架尺寸改为" in text and "孙丽" in text
    assert "CN-1" in text and str(cast.ad) in text  # The AD's signature.


def test_the_job_panel_shows_the_notices(chain, cast):
    _english(cast.ae)
    dispatch(chain, cast)
    _notice(chain, cast)
    request = RequestFactory().get("/")
    request.user = cast.ae
    context = panel_context(request, chain.job)
    assert context["can_manage"] is True
    html = render_to_string("jobs/_changes_panel.html", context, request=request)
    assert 'data-number="1"' in html
    assert reverse("jobs:change_notice_create", args=[chain.job.pk]) in html
    # Before dispatch with no notice, the panel stays hidden.
    other = type(chain.job).objects.create(
        title="x",
        company=chain.job.company,
        order_kind=chain.job.order_kind,
        received_on=chain.job.received_on,
        owner=cast.ae,
        created_by=cast.ae,
    )
    assert panel_context(request, other) is None


def test_the_snapshot_shows_the_notice(chain, cast):
    from jobbag.approvals.selectors import current_approval

    dispatch(chain, cast)
    notice = _notice(chain, cast)
    services.change_notice_submit(actor=cast.ae, notice=notice)
    snapshot = current_approval(notice).snapshot
    assert "展架尺寸改为 2.4m" in snapshot.html
    assert "blue poster 2.4m" in snapshot.html
    assert snapshot.data["changes"] == {"materials": ["", "blue poster 2.4m"]}
