"""Reviews (评审): minutes with each department's duties and open questions for the
client; edited while draft or returned; signed by the client's AD; revised into a new
revision; the job page's panel; the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.approvals.services import approval_decide
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.jobs.models import Job, JobSettings, Review, Stage
from jobbag.jobs.services import reviews as services

BASE = "/api/v1/jobs"
JSON = "application/json"


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def values(chain, **overrides) -> dict:
    data = {
        "kind": Review.Kind.PRE_REVIEW,
        "held_on": date(2026, 5, 8),
        "place": "海尔总部 3 楼会议室",
        "attendees": "孙丽（客户）、王小明、李娜",
        "minutes": "确认堆头尺寸与上市日期",
        "open_questions": "吊旗是否需要双面印刷？",
        "duties": [
            {"department": chain.design, "duties": "出堆头设计稿"},
            {"department": chain.purchasing, "duties": "询价 KT 板"},
            {"department": chain.qc, "duties": ""},
        ],
    }
    data.update(overrides)
    return data


def create(chain, cast, **overrides) -> Review:
    return services.review_create(actor=cast.ae, job=chain.job, **values(chain, **overrides))


def test_it_writes_minutes_with_duties_and_moves_the_job_to_review(chain, cast):
    review = create(chain, cast)

    assert review.signoff_status == SignoffStatus.DRAFT and review.revision == 1
    duties = {d.department.code: d.duties for d in review.duties.all()}
    assert duties == {"design": "出堆头设计稿", "purchasing": "询价 KT 板"}
    assert Job.objects.get(pk=chain.job.pk).stage == Stage.REVIEW


def test_it_does_not_move_a_job_past_intake_back_to_review(chain, cast):
    Job.objects.filter(pk=chain.job.pk).update(stage=Stage.QUOTE)
    create(chain, cast)
    assert Job.objects.get(pk=chain.job.pk).stage == Stage.QUOTE


def test_it_refuses_incomplete_minutes_with_field_errors(chain, cast):
    with pytest.raises(DomainError) as refused:
        create(chain, cast, kind="", held_on=None, attendees=" ", minutes="")
    assert set(refused.value.fields) == {"kind", "held_on", "attendees", "minutes"}
    assert not Review.objects.exists()


def test_a_department_has_one_set_of_duties(chain, cast):
    twice = [
        {"department": chain.design, "duties": "a"},
        {"department": chain.design, "duties": "b"},
    ]
    with pytest.raises(DomainError) as refused:
        create(chain, cast, duties=twice)
    assert refused.value.fields == {"duties": services.DUTY_DEPARTMENT_TWICE}


def test_only_the_jobs_editors_write_minutes(chain, cast):
    with pytest.raises(NotAllowed):
        services.review_create(actor=cast.designer, job=chain.job, **values(chain))


def test_it_edits_a_draft_and_detects_a_stale_version(chain, cast):
    review = create(chain, cast)
    services.review_update(
        actor=cast.ae,
        review=review,
        expected_version=review.version,
        **values(chain, minutes="改为 6 月上市", duties=[]),
    )
    review.refresh_from_db()
    assert review.minutes == "改为 6 月上市" and not review.duties.exists()

    with pytest.raises(Conflict):
        services.review_update(
            actor=cast.ae, review=review, expected_version=review.version - 1, **values(chain)
        )


def test_the_ad_signs_and_the_snapshot_holds_the_open_questions(chain, cast):
    review = create(chain, cast)
    approval = services.review_submit(actor=cast.ae, review=review)

    with pytest.raises(NotAllowed):
        approval_decide(actor=cast.ae, approval=approval, outcome="approve")
    approval_decide(actor=cast.ad, approval=approval, outcome="approve")

    review.refresh_from_db()
    assert review.signoff_status == SignoffStatus.APPROVED
    snapshot = Approval.objects.get(pk=approval.pk).snapshot
    assert "吊旗是否需要双面印刷？" in snapshot.html
    assert "出堆头设计稿" in snapshot.html
    assert snapshot.data["open_questions"] == "吊旗是否需要双面印刷？"


def test_a_signed_review_is_revised_not_edited(chain, cast):
    review = create(chain, cast)
    approval = services.review_submit(actor=cast.ae, review=review)
    approval_decide(actor=cast.ad, approval=approval, outcome="approve")
    review.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        services.review_update(
            actor=cast.ae, review=review, expected_version=review.version, **values(chain)
        )
    assert refused.value.message == services.NOT_EDITABLE

    services.review_revise(actor=cast.ae, review=review)
    review.refresh_from_db()
    assert (review.revision, review.signoff_status) == (2, SignoffStatus.DRAFT)
    second = services.review_submit(actor=cast.ae, review=review)
    assert second.revision == 2


def test_a_returned_review_is_edited_as_the_next_revision(chain, cast):
    review = create(chain, cast)
    approval = services.review_submit(actor=cast.ae, review=review)
    approval_decide(actor=cast.ad, approval=approval, outcome="return", reason="补充参会人")
    review.refresh_from_db()

    services.review_update(
        actor=cast.ae, review=review, expected_version=review.version, **values(chain)
    )
    review.refresh_from_db()
    assert (review.revision, review.signoff_status) == (2, SignoffStatus.DRAFT)


def test_a_draft_review_is_not_revised(chain, cast):
    with pytest.raises(DomainError) as refused:
        services.review_revise(actor=cast.ae, review=create(chain, cast))
    assert refused.value.message == services.NOT_REVISABLE


# Pages ------------------------------------------------------------------------------------


def test_it_writes_minutes_through_the_form(chain, cast, login):
    client = login(cast.ae)
    url = reverse("jobs:review_create", args=[chain.job.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "kind": "internal",
            "held_on": "2026-05-08",
            "attendees": "各部门主管",
            "minutes": "明确分工",
            f"duty_{chain.design.pk}": "设计稿 5 月 12 日前",
        },
    )

    review = Review.objects.get()
    assert response.status_code == 302
    assert review.kind == Review.Kind.INTERNAL
    assert [d.department for d in review.duties.all()] == [chain.design]


def test_the_form_shows_the_services_field_errors(chain, cast, login):
    response = login(english(cast.ae)).post(
        reverse("jobs:review_create", args=[chain.job.pk]), {"kind": "internal"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["minutes"] == [str(services.REQUIRED)]
    assert not Review.objects.exists()


def test_submit_and_revise_through_the_page(chain, cast, login):
    review = create(chain, cast)
    client = login(cast.ae)
    client.post(reverse("jobs:review_submit", args=[review.pk]))
    review.refresh_from_db()
    assert review.signoff_status == SignoffStatus.SUBMITTED

    again = client.post(reverse("jobs:review_submit", args=[review.pk]), follow=True)
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    assert Approval.objects.filter(object_id=review.pk, document_type="review").count() == 1

    approval = Approval.objects.get(object_id=review.pk, document_type="review")
    approval_decide(actor=cast.ad, approval=approval, outcome="approve")
    client.post(reverse("jobs:review_revise", args=[review.pk]))
    review.refresh_from_db()
    assert review.revision == 2


def test_the_job_page_panel_lists_reviews_and_the_internal_review_requirement(chain, cast, login):
    review = create(chain, cast)
    services.review_submit(actor=cast.ae, review=review)
    Job.objects.filter(pk=chain.job.pk).update(estimated_amount=Decimal("500000"))
    settings = JobSettings.current()
    assert Decimal("500000") > settings.internal_review_above

    response = login(cast.ae).get(reverse("jobs:detail", args=[chain.job.pk]))

    html = response.content.decode()
    assert 'data-testid="panel-reviews"' in html
    assert 'data-testid="review-row"' in html
    assert 'data-testid="internal-review-required"' in html
    approval = Approval.objects.get(object_id=review.pk, document_type="review")
    assert reverse("approvals:detail", args=[approval.pk]) in html
    assert "吊旗是否需要双面印刷？" in html


def test_the_review_page_reads_a_fixed_number_of_queries(
    chain, cast, login, django_assert_num_queries
):
    review = create(chain, cast, duties=[{"department": chain.design, "duties": "a"}])
    client = login(cast.ae)
    url = reverse("jobs:review_detail", args=[review.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    before = len(queries)
    services.review_update(
        actor=cast.ae,
        review=review,
        expected_version=review.version,
        **values(chain),
    )
    with django_assert_num_queries(before):
        assert client.get(url).status_code == 200


# API --------------------------------------------------------------------------------------


def test_reviews_over_the_api(chain, cast, login):
    api = login(english(cast.ae))
    created = api.post(
        f"{BASE}/{chain.job.pk}/reviews",
        {
            "kind": "pre_review",
            "held_on": "2026-05-08",
            "attendees": "孙丽、王小明",
            "minutes": "确认需求",
            "open_questions": "上市日期？",
            "duties": [{"department": chain.design.pk, "duties": "设计稿"}],
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["duties"][0]["department"] == chain.design.pk

    assert [r["id"] for r in api.get(f"{BASE}/{chain.job.pk}/reviews").json()] == [body["id"]]
    patched = api.patch(
        f"{BASE}/reviews/{body['id']}",
        {"version": body["version"], "minutes": "确认需求与预算"},
        content_type=JSON,
    )
    assert patched.status_code == 200
    assert patched.json()["minutes"] == "确认需求与预算"
    assert len(patched.json()["duties"]) == 1

    submitted = api.post(f"{BASE}/reviews/{body['id']}/submit")
    assert submitted.status_code == 200
    refused = api.post(f"{BASE}/reviews/{body['id']}/revise")
    assert refused.status_code == 400
    approval_decide(
        actor=cast.ad,
        approval=Approval.objects.get(pk=submitted.json()["approval"]),
        outcome="approve",
    )
    revised = api.post(f"{BASE}/reviews/{body['id']}/revise")
    assert revised.status_code == 200 and revised.json()["revision"] == 2


def test_the_api_refuses_an_unknown_department(chain, cast, login):
    response = login(cast.ae).post(
        f"{BASE}/{chain.job.pk}/reviews",
        {
            "kind": "internal",
            "held_on": "2026-05-08",
            "attendees": "x",
            "minutes": "y",
            "duties": [{"department": 999999, "duties": "z"}],
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "duties" in response.json()["fields"]


def test_the_permission_matrix(chain, cast, clientele):
    review = create(chain, cast)
    cast.other_ae = clientele.other_ae
    job = chain.job.pk
    body = {"kind": "internal", "held_on": "2026-05-08", "attendees": "x", "minutes": "y"}
    cases = [
        Case("ae", "GET", f"{BASE}/{job}/reviews", 200),
        Case("ad", "GET", f"{BASE}/reviews/{review.pk}", 200),
        Case("gm", "GET", f"{BASE}/reviews/{review.pk}", 200),
        Case("finance", "GET", f"{BASE}/reviews/{review.pk}", 200),
        Case("finance", "POST", f"{BASE}/{job}/reviews", 403, body),
        Case("designer", "GET", f"{BASE}/{job}/reviews", 404),
        Case("designer", "POST", f"{BASE}/reviews/{review.pk}/submit", 404),
        Case("other_ae", "GET", f"{BASE}/reviews/{review.pk}", 404),
        Case("client", "GET", f"{BASE}/{job}/reviews", 404),
        Case("outsider", "POST", f"{BASE}/{job}/reviews", 404, body),
        Case("anonymous", "GET", f"{BASE}/{job}/reviews", 401),
        Case("ad", "POST", f"{BASE}/{job}/reviews", 201, body),
    ]
    run_permission_matrix(cast, cases)
    assert Review.objects.count() == 2


def test_the_job_page_reviews_panel_reads_a_fixed_number_of_queries(
    chain, cast, login, django_assert_num_queries
):
    services.review_submit(actor=cast.ae, review=create(chain, cast))
    client = login(cast.ae)
    url = reverse("jobs:detail", args=[chain.job.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    before = len(queries)
    for _ in range(3):
        services.review_submit(actor=cast.ae, review=create(chain, cast))

    with django_assert_num_queries(before):
        assert client.get(url).status_code == 200
