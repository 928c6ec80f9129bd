"""Intake services: taking a job, editing it, the job number, cancelling, the settings
and the kinds of order."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from jobbag.accounts.models import Role
from jobbag.accounts.tests.factories import staff
from jobbag.clients.tests.factories import BrandFactory, ContactFactory
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.jobs.models import (
    Acknowledgement,
    Job,
    JobNumberCounter,
    JobSettings,
    OrderKind,
    Stage,
    WorkOrder,
)
from jobbag.jobs.services import jobs as services
from jobbag.jobs.tests.factories import JobFactory, order_kind


@pytest.fixture
def formal(db) -> OrderKind:
    return order_kind("formal")


def take(cast, clientele, formal, **values) -> Job:
    fields = {
        "actor": cast.ae,
        "company": clientele.company,
        "brand": clientele.brand,
        "order_kind": formal,
        "title": "冰箱夏季促销",
        "owner": cast.ae,
        "received_on": date(2026, 5, 6),
        "client_contact": clientele.contact,
        "is_important": False,
        "estimated_amount": Decimal("80000"),
        "currency": "CNY",
        "theme": "清凉一夏",
        "quality": "印刷品色差 ΔE<2",
    }
    fields.update(values)
    return services.job_create(**fields)


def entries(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("at", "id")
    )


def test_the_three_kinds_of_order_are_there_from_the_start(db):
    assert set(OrderKind.objects.values_list("code", "is_formal")) >= {
        ("notice", False),
        ("intent", False),
        ("formal", True),
    }


def test_it_takes_a_job_at_intake_without_a_number(cast, clientele, formal):
    job = take(cast, clientele, formal, owner=cast.ad)

    assert (job.stage, job.number, job.created_by, job.owner) == (
        Stage.INTAKE,
        None,
        cast.ae,
        cast.ad,
    )
    assert job.department == cast.ad.department
    assert job.quality == "印刷品色差 ΔE<2" and job.estimated_amount == Decimal("80000.00")
    assert [e.action for e in entries(job)] == [AuditEntry.Action.CREATE]
    note = Notification.objects.get(recipient=cast.ad)
    assert note.link == f"/jobs/{job.pk}/"


def test_it_refuses_a_client_whose_file_the_actor_may_not_open(cast, clientele, formal):
    with pytest.raises(DomainError) as refused:
        take(
            cast,
            clientele,
            formal,
            company=clientele.other_company,
            brand=None,
            client_contact=None,
        )
    assert set(refused.value.fields) == {"company"}
    assert not Job.objects.exists()


def test_management_and_admins_take_jobs_for_any_client(cast, clientele, formal):
    for actor in (cast.gm, cast.admin):
        job = take(
            cast,
            clientele,
            formal,
            actor=actor,
            company=clientele.other_company,
            brand=None,
            client_contact=None,
        )
        assert job.company == clientele.other_company


def test_brand_and_contact_must_be_the_clients(cast, clientele, formal):
    other_brand = BrandFactory(company=clientele.other_company)
    other_contact = ContactFactory(company=clientele.other_company)
    with pytest.raises(DomainError) as refused:
        take(cast, clientele, formal, brand=other_brand, client_contact=other_contact)
    assert set(refused.value.fields) == {"brand", "client_contact"}


def test_the_owner_must_be_active_staff(cast, clientele, formal):
    gone = staff("gone", Role.AE, is_active=False)
    for owner in (gone, cast.client):
        with pytest.raises(DomainError) as refused:
            take(cast, clientele, formal, owner=owner)
        assert set(refused.value.fields) == {"owner"}


def test_it_checks_every_field_at_once(cast, clientele, formal):
    with pytest.raises(DomainError) as refused:
        take(cast, clientele, formal, title=" ", estimated_amount=Decimal("-1"), currency="rmb1")
    assert set(refused.value.fields) == {"title", "estimated_amount", "currency"}


def test_only_the_job_takers_may_take_jobs(cast, clientele, formal):
    for actor in (cast.designer, cast.finance, cast.client):
        with pytest.raises(NotAllowed):
            take(cast, clientele, formal, actor=actor)


def test_it_updates_with_the_version_and_refuses_a_stale_one(cast, clientele, formal):
    job = take(cast, clientele, formal)
    job = services.job_update(
        actor=cast.ae, job=job, expected_version=job.version, title="冰箱夏季大促", timing="六月"
    )
    assert (job.title, job.timing, job.version) == ("冰箱夏季大促", "六月", 2)
    change = entries(job)[-1]
    assert change.changes["title"] == ["冰箱夏季促销", "冰箱夏季大促"]
    with pytest.raises(Conflict):
        services.job_update(actor=cast.ae, job=job, expected_version=1, title="旧版本")
    assert Job.objects.get(pk=job.pk).title == "冰箱夏季大促"


def test_requirements_change_only_through_change_notices_after_dispatch(cast, clientele, formal):
    job = take(cast, clientele, formal)
    order = WorkOrder.objects.create(
        job=job,
        number=1,
        client_request="x",
        specification="x",
        quantity="1",
        quality_standard="x",
        delivery_place="青岛",
        delivery_due=date(2026, 6, 1),
        created_by=cast.ae,
    )
    Acknowledgement.objects.create(
        job=job,
        work_order=order,
        department=cast.designer.department,
        sent_at=services.timezone.now(),
        due_on=date(2026, 6, 1),
    )

    with pytest.raises(DomainError) as refused:
        services.job_update(actor=cast.ae, job=job, expected_version=job.version, theme="新主题")
    assert str(refused.value.message) == str(services.REQUIREMENTS_LOCKED)
    assert set(refused.value.fields) == {"theme"}
    # What is not a requirement still changes.
    job = services.job_update(
        actor=cast.ae, job=job, expected_version=job.version, is_important=True
    )
    assert job.is_important and job.theme == "清凉一夏"


def test_only_those_who_may_edit_update(cast, clientele, formal):
    job = take(cast, clientele, formal)
    for actor in (cast.designer, clientele.other_ae):
        with pytest.raises(NotAllowed):
            services.job_update(actor=actor, job=job, expected_version=job.version, title="x")


def test_brief_review_issues_the_number_and_moves_to_review(cast, clientele, formal):
    job = take(cast, clientele, formal)
    year = services.timezone.localdate().year

    job = services.job_brief_review(actor=cast.ae, job=job)

    assert job.number == f"HAIER-{year}-0001"
    assert job.stage == Stage.REVIEW and job.brief_reviewed_at is not None
    assert JobNumberCounter.objects.get(key=f"HAIER-{year}").last == 1
    last = entries(job)[-1]
    assert last.action == AuditEntry.Action.TRANSITION
    assert last.changes == {"number": [None, job.number], "stage": ["intake", "review"]}


def test_issuing_twice_refuses_and_changes_nothing(cast, clientele, formal):
    job = services.job_brief_review(actor=cast.ae, job=take(cast, clientele, formal))
    with pytest.raises(Conflict):
        services.job_brief_review(actor=cast.ae, job=job)
    assert Job.objects.get(pk=job.pk).number == job.number
    assert JobNumberCounter.objects.get().last == 1


def test_numbers_run_per_client_and_are_never_reused(cast, clientele, formal):
    year = services.timezone.localdate().year
    first = services.job_brief_review(actor=cast.ae, job=take(cast, clientele, formal))
    services.job_cancel(actor=cast.ae, job=first, reason="客户取消活动")
    second = services.job_brief_review(actor=cast.ae, job=take(cast, clientele, formal))
    other = take(
        cast,
        clientele,
        formal,
        actor=cast.gm,
        company=clientele.other_company,
        brand=None,
        client_contact=None,
    )
    other = services.job_brief_review(actor=cast.gm, job=other)

    first.refresh_from_db()
    assert (first.stage, first.number) == (Stage.CANCELLED, f"HAIER-{year}-0001")
    assert second.number == f"HAIER-{year}-0002"
    assert other.number == f"NIKE-{year}-0001"


def test_it_skips_numbers_taken_otherwise(cast, clientele, formal):
    year = services.timezone.localdate().year
    JobFactory(company=clientele.company, owner=cast.ae, number=f"HAIER-{year}-0001")
    job = services.job_brief_review(actor=cast.ae, job=take(cast, clientele, formal))
    assert job.number == f"HAIER-{year}-0002"


def test_the_number_follows_the_configured_format(cast, clientele, formal):
    settings = JobSettings.current()
    settings.number_format = "{yy}{client}{seq:03d}"
    settings.save()
    job = services.job_brief_review(actor=cast.ae, job=take(cast, clientele, formal))
    assert job.number == f"{services.timezone.localdate().year % 100:02d}HAIER001"


def test_only_those_who_may_edit_review_the_brief(cast, clientele, formal):
    job = take(cast, clientele, formal)
    with pytest.raises(NotAllowed):
        services.job_brief_review(actor=cast.designer, job=job)
    assert Job.objects.get(pk=job.pk).number is None


def test_cancel_needs_a_reason_and_keeps_the_number(cast, clientele, formal):
    job = take(cast, clientele, formal, owner=cast.ad)
    with pytest.raises(DomainError) as refused:
        services.job_cancel(actor=cast.ae, job=job, reason=" ")
    assert set(refused.value.fields) == {"reason"}
    job = services.job_cancel(actor=cast.ae, job=job, reason="客户取消")
    assert job.stage == Stage.CANCELLED
    with pytest.raises(DomainError):
        services.job_cancel(actor=cast.ae, job=job, reason="again")
    with pytest.raises(DomainError):
        services.job_update(actor=cast.ae, job=job, expected_version=job.version, title="x")
    assert Notification.objects.filter(recipient=cast.ad).count() == 2


@pytest.mark.parametrize(
    "number_format",
    ["{client}-{year}", "{client}-{seq:04d}-{oops}", "{seq:zz}", "{client}-{seq", "{}{seq}"],
)
def test_a_number_format_that_cannot_make_numbers_is_refused(cast, number_format):
    settings = JobSettings.current()
    with pytest.raises(DomainError) as refused:
        services.job_settings_update(
            actor=cast.admin, expected_version=settings.version, number_format=number_format
        )
    assert set(refused.value.fields) == {"number_format"}
    assert JobSettings.current().number_format == "{client}-{year}-{seq:04d}"


def test_admins_change_the_settings(cast):
    settings = JobSettings.current()
    saved = services.job_settings_update(
        actor=cast.admin,
        expected_version=settings.version,
        number_format="JB{yy}-{client}-{seq:05d}",
        internal_review_above=Decimal("150000"),
        acknowledge_within_days=2,
    )
    assert saved.number_format == "JB{yy}-{client}-{seq:05d}" and saved.version == 2
    with pytest.raises(Conflict):
        services.job_settings_update(actor=cast.admin, expected_version=1, summary_within_days=3)
    with pytest.raises(NotAllowed):
        services.job_settings_update(actor=cast.gm, expected_version=2, summary_within_days=3)


def test_admins_keep_the_kinds_of_order(cast):
    kind = services.order_kind_create(
        actor=cast.admin, code="framework", name_zh="框架订单", name_en="Framework order", order=40
    )
    assert OrderKind.objects.get(code="framework") == kind
    with pytest.raises(DomainError) as refused:
        services.order_kind_create(actor=cast.admin, code="formal", name_zh="重复")
    assert set(refused.value.fields) == {"code"}
    kind = services.order_kind_update(actor=cast.admin, kind=kind, is_active=False)
    assert not kind.is_active
    with pytest.raises(NotAllowed):
        services.order_kind_create(actor=cast.ae, code="x", name_zh="x")


def test_a_retired_kind_cannot_take_new_jobs(cast, clientele, formal):
    services.order_kind_update(actor=cast.admin, kind=formal, is_active=False)
    formal.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        take(cast, clientele, formal)
    assert set(refused.value.fields) == {"order_kind"}


def test_a_new_owner_brings_their_department_and_is_told(cast, clientele, formal):
    job = take(cast, clientele, formal)
    job = services.job_update(actor=cast.ae, job=job, expected_version=job.version, owner=cast.gm)
    assert (job.owner, job.department) == (cast.gm, cast.gm.department)
    assert Notification.objects.filter(recipient=cast.gm, link=f"/jobs/{job.pk}/").exists()


def test_the_client_changes_only_before_the_number(cast, clientele, formal):
    job = take(cast, clientele, formal, actor=cast.gm, brand=None, client_contact=None)
    job = services.job_update(
        actor=cast.gm, job=job, expected_version=job.version, company=clientele.other_company
    )
    assert job.company == clientele.other_company
    job = services.job_brief_review(actor=cast.gm, job=job)
    with pytest.raises(DomainError) as refused:
        services.job_update(
            actor=cast.gm, job=job, expected_version=job.version, company=clientele.company
        )
    assert set(refused.value.fields) == {"company"}
