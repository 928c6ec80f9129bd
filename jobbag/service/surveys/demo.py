"""The demo agency's satisfaction surveys: two templates made by the DCS (the project
survey sent when a job completes, and the quarterly client survey), a year of answered
surveys of HAIER, DONGGAN and LVYE so that the trend charts show something (made
directly, back-dated, without e-mails), HAIER's quarterly plan, and one survey sent to
HAIER through the service that is still waiting for its answer.

Deterministic: the same rows every time (a seeded random), with dates counted from the
day it is loaded. Run after the demo agency, clients and jobs.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.service.models import Survey, SurveyAnswer, SurveyTemplate
from jobbag.service.surveys import plans, services
from jobbag.service.surveys.selectors import months_between

PROJECT = [
    {"text": "您对本项目的总体满意度如何？", "kind": "scale5", "measure": "csat"},
    {"text": "您有多大可能向同行推荐我们？", "kind": "scale10", "measure": "nps"},
    {
        "text": "本项目哪方面最需要改进？",
        "kind": "choice",
        "options": ["创意质量", "交付进度", "沟通响应", "费用透明"],
        "required": False,
    },
    {"text": "其他意见或建议", "kind": "text", "required": False},
]
QUARTERLY = [
    {"text": "本季度您对我们服务的总体满意度如何？", "kind": "scale5", "measure": "csat"},
    {"text": "您有多大可能向同行推荐我们？", "kind": "scale10", "measure": "nps"},
    {"text": "客户团队的响应速度", "kind": "scale5"},
    {"text": "您希望我们下季度重点改进什么？", "kind": "text", "required": False},
]
# Client, how satisfied it tends to be (the mean CSAT it drifts around), surveys a month.
CLIENTS = [("HAIER", 4.3, 2), ("DONGGAN", 3.6, 1), ("LVYE", 4.0, 1)]
COMMENTS = ["创意很好，希望提前沟通进度。", "交付准时，团队专业。", "", "报价可以更清楚一些。"]


def surveys_loaded() -> bool:
    return SurveyTemplate.objects.exists()


def _score(rng: random.Random, mean: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.gauss(mean, 0.9))))


def _history(template: SurveyTemplate, company: Company, contact: Contact, rng, mean, per_month):
    """A year of answered surveys of `company`, back-dated, with their answers."""
    questions = list(template.questions.all())
    today = timezone.localdate()
    months = months_between(today.replace(year=today.year - 1), today)[:-1]
    surveys, answers = [], []
    for index, month in enumerate(months):
        drift = mean + 0.4 * (index - len(months) / 2) / len(months)
        for n in range(per_month):
            sent = timezone.make_aware(
                datetime.combine(month + timedelta(days=3 + 9 * n), time(10))
            )
            if rng.random() < 0.2:
                # Not every survey gets an answer: the response rate is not 100%.
                surveys.append(
                    Survey(
                        template=template,
                        company=company,
                        contact=contact,
                        email=contact.email,
                        reason=Survey.Reason.PERIODIC,
                        status=Survey.Status.SENT,
                        sent_at=sent,
                        expires_at=sent + timedelta(days=services.link_days()),
                    )
                )
                continue
            csat = _score(rng, drift, 1, 5)
            nps = _score(rng, drift * 2 + 0.5, 0, 10)
            comment = rng.choice(COMMENTS)
            survey = Survey(
                template=template,
                company=company,
                contact=contact,
                email=contact.email,
                reason=Survey.Reason.PERIODIC,
                status=Survey.Status.ANSWERED,
                sent_at=sent,
                expires_at=sent + timedelta(days=services.link_days()),
                answered_at=sent + timedelta(days=1 + rng.randrange(4), hours=rng.randrange(6)),
                answered_via=Survey.Via.LINK,
                csat=csat,
                nps=nps,
                comment=comment,
            )
            surveys.append(survey)
            answers.append((survey, {"csat": csat, "nps": nps, "text": comment}))
    Survey.objects.bulk_create(surveys)
    rows = []
    for survey, values in answers:
        for question in questions:
            if question.measure:
                rows.append(
                    SurveyAnswer(survey=survey, question=question, score=values[question.measure])
                )
            elif question.kind == "scale5":
                rows.append(SurveyAnswer(survey=survey, question=question, score=values["csat"]))
            elif question.kind == "text" and values["text"]:
                rows.append(SurveyAnswer(survey=survey, question=question, text=values["text"]))
    SurveyAnswer.objects.bulk_create(rows)
    return len(surveys)


@transaction.atomic
def surveys_build() -> dict:
    """Builds the demo templates, a year of answers, HAIER's plan and an open survey."""
    rng = random.Random(8)
    users = {u.username: u for u in User.objects.filter(username__in=["chenjing", "xuli"])}
    dcs, ae = users["chenjing"], users["xuli"]
    project = services.template_create(
        actor=dcs,
        name="项目满意度调查",
        introduction="感谢您与我们合作！请花一分钟为本项目打分。",
        questions=PROJECT,
        for_completion=True,
    )
    quarterly = services.template_create(
        actor=dcs,
        name="季度客户满意度调查",
        introduction="请对本季度我们的服务作出评价。",
        questions=QUARTERLY,
    )
    SurveyTemplate.objects.filter(pk__in=[project.pk, quarterly.pk]).update(frozen=True)
    made = 0
    for code, mean, per_month in CLIENTS:
        company = Company.objects.filter(code=code).first()
        contact = (
            Contact.objects.filter(company=company, is_active=True)
            .exclude(email="")
            .order_by("pk")
            .first()
        )
        if company is None or contact is None:
            continue
        made += _history(quarterly, company, contact, rng, mean, per_month)
    haier = Company.objects.get(code="HAIER")
    contact = Contact.objects.filter(company=haier, is_active=True).exclude(email="").order_by("pk")
    plan = plans.plan_set(
        actor=ae,
        company=haier,
        template=quarterly,
        contact=contact.first(),
        every_months=3,
        starts_on=timezone.localdate() + timedelta(days=30),
    )
    waiting, _token = services.survey_send(
        actor=ae, template=project, company=haier, contact=contact.first()
    )
    return {"templates": [project, quarterly], "surveys": made + 1, "plan": plan, "open": waiting}
