"""API of satisfaction surveys under /api/v1/service/.

- GET `/survey-templates`: the templates (account roles, management, admins), with their
  questions.
- GET `/surveys?company=&status=`: the surveys the caller sees (paged); a client user
  gets their own company's. POST `/surveys`: send one (template, company, contact,
  optional job) by e-mail with a one-time link (those who work on the client).
- GET `/surveys/{id}`: one survey with its questions and (once answered) its answers.
- POST `/surveys/{id}/answers`: a client user answers their company's survey
  (`answers`: {question id: score, option or text}); 409 once answered, expired or
  withdrawn. The one-time link is answered through its page only.
- POST `/surveys/{id}/withdraw` with `version`.
- GET `/survey-results?company=&period=month|quarter&since=`: CSAT, NPS and response
  rate per period (empty periods included; by default the last 12 months) over the
  clients the caller sees, or one.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.clients.models import Company, Contact
from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.permissions import can
from jobbag.jobs.models import Job
from jobbag.service.models import Survey, SurveyTemplate
from jobbag.service.surveys import selectors, services
from jobbag.service.surveys.permissions import survey_company_ids

router = Router(tags=["service"])

UNKNOWN = "Not found."


class QuestionOut(Schema):
    id: int
    order: int
    text: str
    kind: str
    options: list[str]
    measure: str
    required: bool


class TemplateOut(Schema):
    id: int
    name: str
    introduction: str
    revision: int
    for_completion: bool
    is_active: bool
    frozen: bool
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())


class AnswerOut(Schema):
    question: int = Field(..., alias="question_id")
    score: int | None
    choice: str
    text: str


class SurveyOut(Schema):
    id: int
    number: str
    template: int = Field(..., alias="template_id")
    company: int = Field(..., alias="company_id")
    company_code: str
    job: int | None = Field(None, alias="job_id")
    contact: int | None = Field(None, alias="contact_id")
    reason: str
    status: str
    expired: bool
    sent_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    answered_via: str
    csat: int | None
    nps: int | None
    in_job_summary: bool
    version: int

    @staticmethod
    def resolve_company_code(obj) -> str:
        return obj.company.code

    @staticmethod
    def resolve_expired(obj) -> bool:
        return obj.is_expired(timezone.now())


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]
    answers: list[AnswerOut]
    comment: str

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.template.questions.all())

    @staticmethod
    def resolve_answers(obj) -> list:
        return list(obj.answers.all())


class SurveyFilters(Schema):
    company: int | None = None
    status: str = Field("", description="sent, answered or cancelled; empty for all")


class SendIn(Schema):
    template: int
    company: int
    contact: int
    job: int | None = None


class AnswerIn(Schema):
    answers: dict[str, int | str] = Field(
        ..., description="{question id: score (scales), option (choice) or text}"
    )


class VersionIn(Schema):
    version: int


class PeriodOut(Schema):
    period: date
    sent: int
    responses: int
    response_rate: Decimal | None
    csat: Decimal | None
    csat_mean: Decimal | None
    nps: Decimal | None


class ResultsFilters(Schema):
    company: int | None = None
    period: str = Field("month", description="month or quarter")
    since: date | None = Field(None, description="first day counted (default: a year ago)")


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    rows = selectors.visible_surveys(caller(request)).select_related("company", "template")
    return get_or_404(rows, pk=survey_id)


def _detail(request: HttpRequest, survey_id: int) -> Survey:
    rows = (
        selectors.visible_surveys(caller(request))
        .select_related("company", "template")
        .prefetch_related("template__questions", "answers")
    )
    return get_or_404(rows, pk=survey_id)


@router.get("/survey-templates", response={200: list[TemplateOut], **errors(403)})
def list_templates(request: HttpRequest):
    user = caller(request)
    if not can(user, "service.surveys.view"):
        raise NotAllowed()
    return list(
        selectors.template_list(user).prefetch_related("questions").order_by("name", "-revision")
    )


@router.get("/surveys", response={200: list[SurveyOut], **errors(403)})
@paginate(PagePagination)
def list_surveys(request: HttpRequest, filters: Query[SurveyFilters]):
    """The surveys you see, newest first; a client user's company's only."""
    user = caller(request)
    if not can(user, "service.survey.view"):
        raise NotAllowed()
    return selectors.survey_list(user, company_id=filters.company, status=filters.status)


@router.post("/surveys", response={201: SurveyDetailOut, **errors(400, 403, 404, 409)})
def send_survey(request: HttpRequest, payload: SendIn):
    """Sends a survey by e-mail with a one-time link (the token is never returned)."""
    user = caller(request)
    ids = survey_company_ids(user)
    if ids is not None and payload.company not in ids:
        raise Http404
    company = get_or_404(Company.objects.all(), pk=payload.company)
    template = SurveyTemplate.objects.filter(pk=payload.template).first()
    contact = Contact.objects.filter(pk=payload.contact).first()
    job = Job.objects.filter(pk=payload.job).first() if payload.job else None
    if template is None:
        raise DomainError(services.TEMPLATE_RETIRED, fields={"template": UNKNOWN})
    if contact is None:
        raise DomainError(services.CONTACT_REQUIRED, fields={"contact": UNKNOWN})
    if payload.job and job is None:
        raise DomainError(services.JOB_OTHER_CLIENT, fields={"job": UNKNOWN})
    survey, _token = services.survey_send(
        actor=user, template=template, company=company, contact=contact, job=job
    )
    return Status(201, _detail(request, survey.pk))


@router.get("/surveys/{int:survey_id}", response={200: SurveyDetailOut, **errors(404)})
def get_survey(request: HttpRequest, survey_id: int):
    return _detail(request, survey_id)


@router.post(
    "/surveys/{int:survey_id}/answers",
    response={200: SurveyDetailOut, **errors(400, 403, 404, 409)},
)
def answer_survey(request: HttpRequest, survey_id: int, payload: AnswerIn):
    """A client user answers their company's survey (once)."""
    survey = _survey(request, survey_id)
    services.survey_answer_portal(actor=caller(request), survey=survey, values=payload.answers)
    return _detail(request, survey_id)


@router.post(
    "/surveys/{int:survey_id}/withdraw",
    response={200: SurveyDetailOut, **errors(400, 403, 404, 409)},
)
def withdraw_survey(request: HttpRequest, survey_id: int, payload: VersionIn):
    survey = _survey(request, survey_id)
    services.survey_cancel(actor=caller(request), survey=survey, expected_version=payload.version)
    return _detail(request, survey_id)


@router.get("/survey-results", response={200: list[PeriodOut], **errors(403, 404)})
def survey_results(request: HttpRequest, filters: Query[ResultsFilters]):
    """CSAT, NPS and response rate per month or quarter, oldest first."""
    user = caller(request)
    if not can(user, "service.surveys.view"):
        raise NotAllowed()
    ids = survey_company_ids(user)
    if filters.company is not None:
        if ids is not None and filters.company not in ids:
            raise Http404
        ids = {filters.company}
    today = timezone.localdate()
    since = filters.since or selectors.next_month(date(today.year - 1, today.month, 1))
    period = "quarter" if filters.period == "quarter" else "month"
    return [
        {
            "period": m.period,
            "sent": m.sent,
            "responses": m.responses,
            "response_rate": m.response_rate,
            "csat": m.csat,
            "csat_mean": m.csat_mean,
            "nps": m.nps,
        }
        for m in selectors.trend(ids, since=since, period=period)
    ]
