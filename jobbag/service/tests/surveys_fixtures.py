"""What the survey tests share: a template with a CSAT, an NPS, a choice and a text
question, and answered surveys made directly (for results over many months).

Import the fixtures into a test module with
`from jobbag.service.tests.surveys_fixtures import *  # noqa: F403`.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.utils import timezone

from jobbag.accounts.models import Role
from jobbag.accounts.tests.factories import staff
from jobbag.clients.models import Contact
from jobbag.jobs.tests.factories import JobFactory
from jobbag.service.models import Survey, SurveyQuestion, SurveyTemplate
from jobbag.service.surveys import services

__all__ = ["answered", "at", "make_template", "scene", "survey_template", "send", "link_of"]


def at(text: str) -> datetime:
    """A local moment, "2026-09-28 10:00"."""
    return timezone.make_aware(datetime.fromisoformat(text))


def make_template(name: str = "项目满意度调查", *, for_completion: bool = False) -> SurveyTemplate:
    template = SurveyTemplate.objects.create(name=name, for_completion=for_completion)
    SurveyQuestion.objects.bulk_create(
        [
            SurveyQuestion(
                template=template,
                order=1,
                text="您对本项目总体满意吗？",
                kind="scale5",
                measure="csat",
            ),
            SurveyQuestion(
                template=template,
                order=2,
                text="您有多大可能向同行推荐我们？",
                kind="scale10",
                measure="nps",
            ),
            SurveyQuestion(
                template=template,
                order=3,
                text="哪方面最需要改进？",
                kind="choice",
                options=["创意", "进度", "沟通"],
                required=False,
            ),
            SurveyQuestion(
                template=template, order=4, text="其他意见", kind="text", required=False
            ),
        ]
    )
    return template


@pytest.fixture
def survey_template(db) -> SurveyTemplate:
    return make_template()


def answered(template, company, when: datetime, *, csat=None, nps=None, job=None) -> Survey:
    """An answered survey of `company` (made directly, as results tests need many)."""
    return Survey.objects.create(
        template=template,
        company=company,
        job=job,
        reason=Survey.Reason.MANUAL,
        status=Survey.Status.ANSWERED,
        sent_at=when,
        expires_at=when,
        answered_at=when,
        answered_via=Survey.Via.LINK,
        csat=csat,
        nps=nps,
    )


@dataclass
class Scene:
    template: SurveyTemplate
    contact: Contact  # 孙丽 of HAIER, sunli@haier.example: the contact asked.
    job: object  # A HAIER job owned by cast.ae, with 孙丽 as its client contact.
    dcs: object  # The Director of Client Service: sees every client, manages templates.

    def question(self, measure: str) -> SurveyQuestion:
        return self.template.questions.get(measure=measure)

    def answers(self, csat=5, nps=9, comment="很满意") -> dict:
        """Answer values keyed by question id: CSAT, NPS, and the text question."""
        text = self.template.questions.get(kind="text")
        return {self.question("csat").pk: csat, self.question("nps").pk: nps, text.pk: comment}


@pytest.fixture
def scene(cast, clientele, survey_template) -> Scene:
    Contact.objects.filter(pk=clientele.contact.pk).update(email="sunli@haier.example")
    clientele.contact.refresh_from_db()
    job = JobFactory(
        company=clientele.company,
        brand=clientele.brand,
        owner=cast.ae,
        number="HAIER-2026-0001",
        client_contact=clientele.contact,
    )
    dcs = staff("dcs", Role.DCS, full_name="钱总监")
    return Scene(survey_template, clientele.contact, job, dcs)


def send(scene: Scene, actor, **values) -> tuple[Survey, str]:
    """Sends the scene's template to 孙丽 of HAIER as `actor`; (survey, token)."""
    values.setdefault("template", scene.template)
    values.setdefault("company", scene.contact.company)
    values.setdefault("contact", scene.contact)
    return services.survey_send(actor=actor, **values)


def link_of(message) -> str:
    """The one-time link's path in a sent survey e-mail."""
    return re.search(r"https?://[^/\s]+(/portal/surveys/answer/[^\s]+/)", message.body).group(1)


def first_of_month(day: date) -> date:
    return day.replace(day=1)
