"""Survey services: templates (frozen once used, revised on edit), sending with a
one-time link, answering once (link or portal), the job summary's score, plans and the
sweeps."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.jobs.models import Job, JobSummary
from jobbag.service.models import Survey, SurveyAnswer, SurveyPlan, SurveyTemplate
from jobbag.service.surveys import plans, services
from jobbag.service.tests.surveys_fixtures import *  # noqa: F403
from jobbag.service.tests.surveys_fixtures import link_of, make_template, send

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"text": "总体满意度", "kind": "scale5", "measure": "csat"},
    {"text": "推荐意愿", "kind": "scale10", "measure": "nps"},
    {"text": "最满意的方面", "kind": "choice", "options": ["创意", "服务", "创意"]},
    {"text": "建议", "kind": "text", "required": False},
]


def token_of(mailoutbox) -> str:
    return link_of(mailoutbox[-1]).rstrip("/").rsplit("/", 1)[1]


# Templates


def test_the_dcs_makes_a_template_and_an_ae_may_not(cast, scene):
    template = services.template_create(actor=scene.dcs, name="年度满意度", questions=QUESTIONS)
    kinds = list(template.questions.values_list("kind", "measure", "options"))
    assert kinds[2] == ("choice", "", ["创意", "服务"])
    assert AuditEntry.objects.filter(object_id=str(template.pk), action="create").exists()
    with pytest.raises(NotAllowed):
        services.template_create(actor=cast.ae, name="x", questions=QUESTIONS)


@pytest.mark.parametrize(
    "questions",
    [
        [],
        [{"text": "", "kind": "scale5"}],
        [{"text": "q", "kind": "stars"}],
        [{"text": "q", "kind": "choice", "options": ["only one"]}],
        [{"text": "q", "kind": "scale10", "measure": "csat"}],
        [{"text": "a", "kind": "scale5", "measure": "csat"}] * 2,
        ["not a dict"],
    ],
)
def test_malformed_questions_are_refused_and_nothing_is_made(scene, questions):
    with pytest.raises(DomainError):
        services.template_create(actor=scene.dcs, name="坏模板", questions=questions)
    assert not SurveyTemplate.objects.filter(name="坏模板").exists()


def test_an_unused_template_is_edited_in_place_a_used_one_is_revised(cast, scene):
    template = services.template_create(actor=scene.dcs, name="项目", questions=QUESTIONS)
    edited = services.template_update(
        actor=scene.dcs,
        template=template,
        expected_version=template.version,
        name="项目调查",
        questions=QUESTIONS[:2],
    )
    assert edited.pk == template.pk and edited.questions.count() == 2

    survey, _token = send(scene, cast.ae, template=edited)
    edited.refresh_from_db()
    assert edited.frozen
    revision = services.template_update(
        actor=scene.dcs,
        template=edited,
        expected_version=edited.version,
        name="项目调查",
        questions=QUESTIONS,
    )
    edited.refresh_from_db()
    assert revision.pk != edited.pk and revision.revision == 2 and revision.revision_of == edited
    assert not edited.is_active and edited.questions.count() == 2  # the sent survey's questions
    assert survey.template_id == edited.pk
    with pytest.raises(Conflict):
        services.template_update(
            actor=scene.dcs, template=edited, expected_version=1, name="x", questions=QUESTIONS
        )


def test_only_one_template_is_sent_on_completion(scene):
    services.template_create(actor=scene.dcs, name="A", questions=QUESTIONS, for_completion=True)
    with pytest.raises(DomainError):
        services.template_create(
            actor=scene.dcs, name="B", questions=QUESTIONS, for_completion=True
        )


# Sending


def test_sending_mails_a_one_time_link_and_stores_only_its_digest(
    cast, scene, mailoutbox, settings
):
    settings.SURVEY_LINK_DAYS = 10
    survey, token = send(scene, cast.ae, job=scene.job)
    assert survey.token_digest == services.digest_of(token) and token not in survey.token_digest
    assert survey.expires_at - survey.sent_at == timedelta(days=10)
    assert mailoutbox[-1].to == ["sunli@haier.example"]
    assert token in mailoutbox[-1].body and "HAIER-2026-0001" in mailoutbox[-1].body
    assert survey.status == "sent" and survey.sent_by == cast.ae


def test_sending_is_refused_for_the_wrong_people_and_bad_input(cast, clientele, scene):
    with pytest.raises(NotAllowed):
        send(scene, cast.designer)
    with pytest.raises(NotAllowed):
        send(scene, clientele.other_ae)
    with pytest.raises(NotAllowed):
        send(scene, cast.client)
    nike_contact = clientele.other_company.contacts.create(name="Tom", email="t@nike.example")
    with pytest.raises(DomainError) as error:
        send(scene, cast.ae, contact=nike_contact)
    assert "contact" in error.value.fields
    nike_job = Job.objects.create(
        company=clientele.other_company,
        title="x",
        order_kind=scene.job.order_kind,
        owner=cast.ae,
        received_on=date.today(),
        created_by=cast.ae,
    )
    with pytest.raises(DomainError) as error:
        send(scene, cast.ae, job=nike_job)
    assert "job" in error.value.fields
    scene.contact.email = ""
    scene.contact.save()
    with pytest.raises(DomainError):
        send(scene, cast.ae)
    assert not Survey.objects.exists()


def test_a_retired_template_is_not_sent(cast, scene):
    services.template_retire(
        actor=scene.dcs, template=scene.template, expected_version=scene.template.version
    )
    with pytest.raises(DomainError):
        send(scene, cast.ae)


# Answering


def test_the_link_is_answered_once(cast, scene, mailoutbox):
    survey, token = send(scene, cast.ae)
    answered = services.survey_answer_link(token=token, values=scene.answers(csat=5, nps=9))
    assert (answered.status, answered.csat, answered.nps) == ("answered", 5, 9)
    assert answered.comment == "很满意" and answered.answered_via == "link"
    assert SurveyAnswer.objects.filter(survey=survey).count() == 3
    with pytest.raises(Conflict) as error:
        services.survey_answer_link(token=token, values=scene.answers(csat=1, nps=0))
    assert error.value.message == services.LINK_USED
    survey.refresh_from_db()
    assert survey.csat == 5
    assert services.survey_for_link(token)[1] == str(services.LINK_USED)
    assert AuditEntry.objects.filter(object_id=str(survey.pk), action="transition").exists()


def test_an_expired_or_withdrawn_or_unknown_link_is_refused(cast, scene):
    survey, token = send(scene, cast.ae)
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict) as error:
        services.survey_answer_link(token=token, values=scene.answers())
    assert error.value.message == services.LINK_EXPIRED

    other, other_token = send(scene, cast.ae)
    services.survey_cancel(actor=cast.ad, survey=other, expected_version=other.version)
    with pytest.raises(Conflict) as error:
        services.survey_answer_link(token=other_token, values=scene.answers())
    assert error.value.message == services.SURVEY_WITHDRAWN

    with pytest.raises(DomainError):
        services.survey_answer_link(token="nope", values=scene.answers())
    assert services.survey_for_link("x" * 500) == (None, str(services.LINK_UNKNOWN))


@pytest.mark.parametrize(
    "bad",
    [
        {"csat": 6},
        {"csat": 0},
        {"nps": 11},
        {"nps": "nine"},
        {"csat": None},
        {"csat": True},
        {"csat": "4.5"},
    ],
)
def test_malformed_answers_are_refused_and_change_nothing(cast, scene, bad):
    survey, token = send(scene, cast.ae)
    values = scene.answers()
    for measure, value in bad.items():
        values[scene.question(measure).pk] = value
    with pytest.raises(DomainError) as error:
        services.survey_answer_link(token=token, values=values)
    assert not isinstance(error.value, Conflict)
    survey.refresh_from_db()
    assert survey.status == "sent" and not SurveyAnswer.objects.exists()


def test_a_choice_must_be_one_of_the_options(cast, scene):
    survey, token = send(scene, cast.ae)
    choice = scene.template.questions.get(kind="choice")
    values = {**scene.answers(), choice.pk: "价格"}
    with pytest.raises(DomainError) as error:
        services.survey_answer_link(token=token, values=values)
    assert f"q_{choice.pk}" in error.value.fields
    values[choice.pk] = "进度"
    assert services.survey_answer_link(token=token, values=values).status == "answered"


def test_a_client_user_answers_their_companys_survey_in_the_portal(cast, clientele, scene):
    survey, token = send(scene, cast.ae)
    with pytest.raises(NotAllowed):
        services.survey_answer_portal(actor=cast.outsider, survey=survey, values=scene.answers())
    with pytest.raises(NotAllowed):
        services.survey_answer_portal(actor=cast.ae, survey=survey, values=scene.answers())
    answered = services.survey_answer_portal(
        actor=cast.client, survey=survey, values=scene.answers(csat=4, nps=7)
    )
    assert answered.answered_by == cast.client and answered.answered_via == "portal"
    # The portal answer burns the link too.
    with pytest.raises(Conflict):
        services.survey_answer_link(token=token, values=scene.answers())


def test_the_answer_tells_the_client_team(cast, scene):
    from jobbag.core.models import Notification

    _survey, token = send(scene, cast.ae)
    services.survey_answer_link(token=token, values=scene.answers())
    assert set(Notification.objects.values_list("recipient", flat=True)) == {cast.ae.pk, cast.ad.pk}


# The job summary


def _summary(job, **values) -> JobSummary:
    return JobSummary.objects.create(job=job, due_on=date.today(), **values)


def test_the_csat_score_fills_an_editable_job_summary(cast, scene):
    summary = _summary(scene.job)
    survey, token = send(scene, cast.ae, job=scene.job, completion=True)
    answered = services.survey_answer_link(token=token, values=scene.answers(csat=4))
    summary.refresh_from_db()
    assert summary.satisfaction_score == 4 and summary.version == 2
    assert answered.in_job_summary
    survey.refresh_from_db()
    assert survey.in_job_summary


def test_a_signed_summary_is_left_alone_and_the_score_stays_on_the_survey(cast, scene):
    summary = _summary(scene.job, signoff_status=SignoffStatus.APPROVED, satisfaction_score=3)
    survey, token = send(scene, cast.ae, job=scene.job, completion=True)
    services.survey_answer_link(token=token, values=scene.answers(csat=5))
    summary.refresh_from_db()
    survey.refresh_from_db()
    assert summary.satisfaction_score == 3 and summary.version == 1
    assert survey.csat == 5 and not survey.in_job_summary


def test_one_completion_survey_per_job(cast, scene):
    send(scene, cast.ae, job=scene.job, completion=True)
    with pytest.raises(Conflict):
        send(scene, cast.ae, job=scene.job, completion=True)
    assert Survey.objects.filter(job=scene.job, reason="completion").count() == 1


# Sweeps and plans


def test_the_completion_sweep_sends_once_per_completed_job(cast, scene, mailoutbox):
    scene.template.for_completion = True
    scene.template.save()
    today = timezone.localdate()
    Job.objects.filter(pk=scene.job.pk).update(completed_on=today - timedelta(days=1))
    with transaction.atomic():
        assert plans.completion_surveys_send(today=today) == 1
        assert plans.completion_surveys_send(today=today) == 0
    survey = Survey.objects.get()
    assert (survey.reason, survey.job, survey.sent_by) == ("completion", scene.job, None)
    assert len(mailoutbox) == 1


def test_the_completion_sweep_skips_old_jobs_and_jobs_without_a_contact(cast, scene):
    scene.template.for_completion = True
    scene.template.save()
    today = timezone.localdate()
    Job.objects.filter(pk=scene.job.pk).update(completed_on=today - timedelta(days=60))
    assert plans.completion_surveys_send(today=today) == 0
    Job.objects.filter(pk=scene.job.pk).update(completed_on=today, client_contact=None)
    assert plans.completion_surveys_send(today=today) == 0
    assert not Survey.objects.exists()


def test_no_completion_template_sends_nothing(scene):
    Job.objects.filter(pk=scene.job.pk).update(completed_on=timezone.localdate())
    assert plans.completion_surveys_send() == 0


def test_a_plan_sends_every_n_months_and_only_once_per_due_date(cast, clientele, scene):
    start = date(2026, 1, 31)
    plan = plans.plan_set(
        actor=cast.ae,
        company=clientele.company,
        template=scene.template,
        contact=scene.contact,
        every_months=3,
        starts_on=start,
    )
    assert plans.periodic_surveys_send(today=date(2026, 1, 30)) == 0
    assert plans.periodic_surveys_send(today=date(2026, 2, 1)) == 1
    assert plans.periodic_surveys_send(today=date(2026, 2, 1)) == 0
    plan.refresh_from_db()
    assert plan.last_sent_on == date(2026, 2, 1) and plan.next_due_on == date(2026, 5, 1)
    assert plans.periodic_surveys_send(today=date(2026, 5, 1)) == 1
    assert Survey.objects.filter(reason="periodic").count() == 2


def test_plan_rules(cast, clientele, scene):
    values = {
        "company": clientele.company,
        "template": scene.template,
        "contact": scene.contact,
        "every_months": 6,
    }
    with pytest.raises(NotAllowed):
        plans.plan_set(actor=clientele.other_ae, **values)
    with pytest.raises(DomainError):
        plans.plan_set(actor=cast.ae, **{**values, "every_months": 0})
    plan = plans.plan_set(actor=cast.ae, **values)
    with pytest.raises(Conflict):
        plans.plan_set(actor=cast.ae, **values, expected_version=plan.version + 1)
    plan = plans.plan_set(
        actor=cast.ae, **{**values, "every_months": 12}, expected_version=plan.version
    )
    assert SurveyPlan.objects.get().every_months == 12


def test_withdrawing_needs_the_version_and_an_open_survey(cast, scene):
    survey, _token = send(scene, cast.ae)
    with pytest.raises(Conflict):
        services.survey_cancel(actor=cast.ae, survey=survey, expected_version=99)
    with pytest.raises(NotAllowed):
        services.survey_cancel(actor=cast.designer, survey=survey, expected_version=1)
    services.survey_cancel(actor=cast.ae, survey=survey, expected_version=survey.version)
    with pytest.raises(DomainError):
        services.survey_cancel(actor=cast.ae, survey=survey, expected_version=survey.version + 1)


def test_make_template_fixture_is_answerable(cast, scene):
    template = make_template("第二模板")
    _survey, token = send(scene, cast.ae, template=template)
    values = {
        template.questions.get(measure="csat").pk: 3,
        template.questions.get(measure="nps").pk: 10,
    }
    assert services.survey_answer_link(token=token, values=values).nps == 10


def test_the_sweeps_are_registered_daily():
    from jobbag.core.sweeps import daily_sweeps

    assert {"service.surveys_completion", "service.surveys_periodic"} <= set(daily_sweeps())
