"""Every change to satisfaction surveys: templates, sending, answering (plans and the
sweeps that send surveys are in surveys.plans).

- Templates: a template's questions are frozen once a survey was sent from it; an edit
  of a frozen template makes the next revision (a copy) and retires the old one.
- Sending: `survey_send` e-mails the contact a one-time link (a random token; only its
  SHA-256 is stored) that expires after settings.SURVEY_LINK_DAYS days (14 if unset).
- Answering: through the link (`survey_answer_link`, no sign-in) or in the portal
  (`survey_answer_portal`, a client user of the company). The first answer burns the
  link (the survey is no longer open; its digest is kept so that the link can say it
  was used); a second submit, a replay, an expired or withdrawn survey is refused.
- Job summary: the CSAT score (1–5) of a completion survey's answer is written into
  `JobSummary.satisfaction_score` of its job when the summary exists and is still
  editable (draft or returned; its version is bumped, so a summary form open elsewhere
  gets a 409 instead of overwriting the score). A summary under or past sign-off is left
  alone: the score stays on the survey (`in_job_summary` False).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import Job, JobSummary
from jobbag.service.models import (
    Survey,
    SurveyAnswer,
    SurveyPlan,
    SurveyQuestion,
    SurveyTemplate,
)
from jobbag.service.team import team

LINK_DAYS_DEFAULT = 14
MAIL_LANGUAGES = ("zh-hans", "en")
MAX_QUESTIONS = 30
MAX_TEXT = 2000

NAME_REQUIRED = _("Give the template a name.")
NO_QUESTIONS = _("A template needs at least one question.")
TOO_MANY_QUESTIONS = _("A template has at most 30 questions.")
QUESTION_TEXT_REQUIRED = _("Every question needs its text.")
QUESTION_KIND_INVALID = _("Unknown kind of question.")
OPTIONS_REQUIRED = _("A choice question needs at least two different options.")
MEASURE_INVALID = _(
    "The CSAT question must be a 1–5 scale and the NPS question a 0–10 scale, one of each."
)
TEMPLATE_RETIRED = _("This template is retired; use its latest revision.")
COMPLETION_TEMPLATE_TAKEN = _(
    "Another template is already the one sent when a job completes. Retire or change it first."
)
CONTACT_REQUIRED = _("Choose the client contact to ask.")
CONTACT_OTHER_CLIENT = _("That contact does not belong to this client.")
CONTACT_NO_EMAIL = _("This contact has no e-mail address.")
JOB_OTHER_CLIENT = _("That job belongs to another client.")
COMPLETION_NEEDS_JOB = _("A completion survey belongs to a job.")
ALREADY_SURVEYED = _("This job's completion survey was already sent.")
LINK_UNKNOWN = _("This survey link is not valid. It may have been mistyped or replaced.")
LINK_USED = _("This survey was already answered. Thank you!")
LINK_EXPIRED = _("This survey link has expired.")
SURVEY_WITHDRAWN = _("This survey was withdrawn.")
ANSWER_REQUIRED = _("Please answer this question.")
SCORE_INVALID = _("Choose a score on the scale.")
CHOICE_INVALID = _("Choose one of the options.")
TEXT_TOO_LONG = _("At most 2000 characters, please.")
NOT_CANCELLABLE = _("Only a survey still waiting for its answer can be withdrawn.")
PLAN_MONTHS_INVALID = _("Every 1 to 24 months.")
ANSWERED_NOTICE = _("%(client)s answered survey %(number)s.")


def link_days() -> int:
    return int(getattr(settings, "SURVEY_LINK_DAYS", LINK_DAYS_DEFAULT))


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Templates


def _clean_questions(questions) -> list[dict]:
    """The questions as rows to create, or DomainError naming the first problem."""
    if not isinstance(questions, list | tuple) or not questions:
        raise DomainError(NO_QUESTIONS, fields={"questions": NO_QUESTIONS})
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(TOO_MANY_QUESTIONS, fields={"questions": TOO_MANY_QUESTIONS})
    cleaned, measures = [], []
    for order, raw in enumerate(questions, start=1):
        if not isinstance(raw, dict):
            raise DomainError(QUESTION_KIND_INVALID, fields={"questions": QUESTION_KIND_INVALID})
        text = str(raw.get("text") or "").strip()
        kind = raw.get("kind")
        measure = raw.get("measure") or ""
        if not text or len(text) > 300:
            raise DomainError(QUESTION_TEXT_REQUIRED, fields={"questions": QUESTION_TEXT_REQUIRED})
        if kind not in SurveyQuestion.Kind.values:
            raise DomainError(QUESTION_KIND_INVALID, fields={"questions": QUESTION_KIND_INVALID})
        options: list[str] = []
        if kind == SurveyQuestion.Kind.CHOICE:
            raw_options = raw.get("options") or []
            if not isinstance(raw_options, list | tuple):
                raw_options = []
            options = list(
                dict.fromkeys(str(o).strip()[:200] for o in raw_options if str(o).strip())
            )
            if len(options) < 2:
                raise DomainError(OPTIONS_REQUIRED, fields={"questions": OPTIONS_REQUIRED})
        wanted = {"csat": SurveyQuestion.Kind.SCALE5, "nps": SurveyQuestion.Kind.SCALE10}
        if measure and (wanted.get(measure) != kind or measure in measures):
            raise DomainError(MEASURE_INVALID, fields={"questions": MEASURE_INVALID})
        if measure:
            measures.append(measure)
        cleaned.append(
            {
                "order": order,
                "text": text,
                "kind": kind,
                "options": options,
                "measure": measure,
                "required": bool(raw.get("required", True)),
            }
        )
    return cleaned


def _clean_name(name) -> str:
    name = str(name or "").strip()
    if not name or len(name) > 200:
        raise DomainError(NAME_REQUIRED, fields={"name": NAME_REQUIRED})
    return name


def _free_completion_slot(*, except_pk: int | None = None) -> None:
    taken = SurveyTemplate.objects.filter(for_completion=True, is_active=True)
    if except_pk:
        taken = taken.exclude(pk=except_pk)
    if taken.exists():
        raise DomainError(
            COMPLETION_TEMPLATE_TAKEN, fields={"for_completion": COMPLETION_TEMPLATE_TAKEN}
        )


def _make_template(*, actor, name, introduction, for_completion, questions, revision_of=None):
    template = SurveyTemplate.objects.create(
        name=name,
        introduction=introduction,
        for_completion=for_completion,
        created_by=actor,
        revision=(revision_of.revision + 1) if revision_of else 1,
        revision_of=revision_of,
    )
    SurveyQuestion.objects.bulk_create(SurveyQuestion(template=template, **q) for q in questions)
    return template


@transaction.atomic
def template_create(
    *,
    actor: User,
    name: str,
    questions: list[dict],
    introduction: str = "",
    for_completion: bool = False,
) -> SurveyTemplate:
    """Makes a template. `questions`: dicts of text, kind (scale5, scale10, choice,
    text), options (choice), measure ("", "csat", "nps"), required."""
    require(actor, "service.survey_templates.manage")
    name = _clean_name(name)
    cleaned = _clean_questions(questions)
    if for_completion:
        _free_completion_slot()
    try:
        with transaction.atomic():
            template = _make_template(
                actor=actor,
                name=name,
                introduction=str(introduction or "").strip(),
                for_completion=bool(for_completion),
                questions=cleaned,
            )
    except IntegrityError:
        raise Conflict(COMPLETION_TEMPLATE_TAKEN) from None
    audit.record_create(actor=actor, obj=template)
    return template


@transaction.atomic
def template_update(
    *,
    actor: User,
    template: SurveyTemplate,
    expected_version: int | None,
    name: str,
    questions: list[dict],
    introduction: str = "",
    for_completion: bool = False,
) -> SurveyTemplate:
    """Edits a template. One not yet used is changed in place; a frozen one (surveys were
    sent from it) is retired and the edit becomes its next revision, which is returned."""
    require(actor, "service.survey_templates.manage")
    template = SurveyTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    if expected_version is None or template.version != expected_version:
        raise Conflict()
    if not template.is_active:
        raise DomainError(TEMPLATE_RETIRED)
    name = _clean_name(name)
    cleaned = _clean_questions(questions)
    introduction = str(introduction or "").strip()
    if for_completion:
        _free_completion_slot(except_pk=template.pk)
    if not template.frozen:
        before = audit.snapshot(template, ["name", "introduction", "for_completion"])
        template.name, template.introduction = name, introduction
        template.for_completion = bool(for_completion)
        save_versioned(
            template,
            expected_version=expected_version,
            fields=["name", "introduction", "for_completion"],
        )
        template.questions.all().delete()
        SurveyQuestion.objects.bulk_create(SurveyQuestion(template=template, **q) for q in cleaned)
        audit.record_change(actor=actor, obj=template, before=before, note="questions replaced")
        return template
    # Frozen: retire this one (its surveys keep their questions) and make the revision.
    template.is_active, template.for_completion = False, False
    save_versioned(
        template, expected_version=expected_version, fields=["is_active", "for_completion"]
    )
    audit.record_transition(actor=actor, obj=template, old="active", new="retired", note="revised")
    revision = _make_template(
        actor=actor,
        name=name,
        introduction=introduction,
        for_completion=bool(for_completion),
        questions=cleaned,
        revision_of=template,
    )
    SurveyPlan.objects.filter(template=template).update(template=revision, version=F("version") + 1)
    audit.record_create(actor=actor, obj=revision, note="revision")
    return revision


@transaction.atomic
def template_retire(*, actor: User, template: SurveyTemplate, expected_version: int | None) -> None:
    """Retires a template: no new surveys from it (those sent stay answerable)."""
    require(actor, "service.survey_templates.manage")
    template = SurveyTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    if expected_version is None or template.version != expected_version:
        raise Conflict()
    if not template.is_active:
        raise DomainError(TEMPLATE_RETIRED)
    template.is_active, template.for_completion = False, False
    save_versioned(
        template, expected_version=expected_version, fields=["is_active", "for_completion"]
    )
    audit.record_transition(actor=actor, obj=template, old="active", new="retired")


# Sending


def _survey_mail(survey: Survey, token: str) -> None:
    context = {
        "survey": survey,
        "company": survey.company,
        "contact": survey.contact,
        "job": survey.job,
        "link": settings.SITE_URL.rstrip("/") + reverse("portal:survey_link", args=[token]),
        "valid_until": timezone.localtime(survey.expires_at),
    }
    subjects, bodies = [], []
    for language in MAIL_LANGUAGES:
        with translation.override(language):
            subject = render_to_string("service/surveys/mail_subject.txt", context)
            subjects.append(" ".join(subject.split()))
            bodies.append(render_to_string("service/surveys/mail_body.txt", context).strip())
    send_mail(
        " / ".join(subjects)[:200], "\n\n----------\n\n".join(bodies) + "\n", None, [survey.email]
    )


def _send(
    *,
    actor: User | None,
    template: SurveyTemplate,
    company: Company,
    contact: Contact | None,
    job: Job | None,
    reason: str,
) -> tuple[Survey, str]:
    """Sends a survey (inside the caller's transaction) and returns it with its token."""
    template = SurveyTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    if not template.is_active:
        raise DomainError(TEMPLATE_RETIRED, fields={"template": TEMPLATE_RETIRED})
    errors = {}
    if contact is None:
        errors["contact"] = CONTACT_REQUIRED
    elif contact.company_id != company.pk or not contact.is_active:
        errors["contact"] = CONTACT_OTHER_CLIENT
    elif not (contact.email or "").strip():
        errors["contact"] = CONTACT_NO_EMAIL
    if job is not None and job.company_id != company.pk:
        errors["job"] = JOB_OTHER_CLIENT
    if reason == Survey.Reason.COMPLETION and job is None:
        errors["job"] = COMPLETION_NEEDS_JOB
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                template=template,
                company=company,
                job=job,
                contact=contact,
                email=contact.email.strip(),
                reason=reason,
                token_digest=digest_of(token),
                sent_at=now,
                expires_at=now + timedelta(days=link_days()),
                sent_by=actor,
            )
    except IntegrityError:
        # The job's completion survey went out at the same moment (another sweep run).
        raise Conflict(ALREADY_SURVEYED) from None
    if not template.frozen:
        SurveyTemplate.objects.filter(pk=template.pk).update(frozen=True)
    audit.record_create(actor=actor, obj=survey)
    _survey_mail(survey, token)
    return survey, token


@transaction.atomic
def survey_send(
    *,
    actor: User,
    template: SurveyTemplate,
    company: Company,
    contact: Contact | None,
    job: Job | None = None,
    completion: bool = False,
) -> tuple[Survey, str]:
    """Sends `template` to `contact` of `company` (about `job` if given) by e-mail with a
    one-time link; returns the survey and the link's token (never stored)."""
    require(actor, "service.survey.send", company)
    reason = Survey.Reason.COMPLETION if completion else Survey.Reason.MANUAL
    if completion and job is not None and Survey.objects.filter(job=job, reason=reason).exists():
        raise Conflict(ALREADY_SURVEYED)
    return _send(
        actor=actor, template=template, company=company, contact=contact, job=job, reason=reason
    )


@transaction.atomic
def survey_cancel(*, actor: User, survey: Survey, expected_version: int | None) -> Survey:
    """Withdraws an unanswered survey: its link stops working."""
    require(actor, "service.survey.cancel", survey)
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if survey.status != Survey.Status.SENT:
        raise DomainError(NOT_CANCELLABLE)
    if expected_version is None or survey.version != expected_version:
        raise Conflict()
    survey.status = Survey.Status.CANCELLED
    save_versioned(survey, expected_version=expected_version, fields=["status"])
    audit.record_transition(actor=actor, obj=survey, old="sent", new="cancelled")
    return survey


# Answering


def survey_for_link(token: str) -> tuple[Survey | None, str]:
    """The survey of a one-time link and, if it cannot be answered, why (a message)."""
    if not token or len(token) > 200:
        return None, str(LINK_UNKNOWN)
    survey = (
        Survey.objects.select_related("template", "company", "job")
        .filter(token_digest=digest_of(token))
        .first()
    )
    if survey is None:
        return None, str(LINK_UNKNOWN)
    problem = _refusal(survey, timezone.now())
    return survey, str(problem) if problem else ""


def _refusal(survey: Survey, now):
    if survey.status == Survey.Status.ANSWERED:
        return LINK_USED
    if survey.status == Survey.Status.CANCELLED:
        return SURVEY_WITHDRAWN
    if now >= survey.expires_at:
        return LINK_EXPIRED
    return None


def _clean_answers(questions: list[SurveyQuestion], values: dict) -> list[SurveyAnswer]:
    """SurveyAnswer rows (unsaved) from `values` ({question id: raw value}); DomainError
    with a message per field "q_<id>" when something is wrong."""
    values = {str(key): value for key, value in (values or {}).items()}
    rows, errors = [], {}
    for question in questions:
        key = f"q_{question.pk}"
        raw = values.get(str(question.pk))
        raw = raw.strip() if isinstance(raw, str) else raw
        if raw in (None, ""):
            if question.required:
                errors[key] = ANSWER_REQUIRED
            continue
        answer = SurveyAnswer(question=question)
        if question.scale is not None:
            try:
                score = int(raw)
            except (TypeError, ValueError):
                score = None
            if isinstance(raw, bool) or score not in question.scale or str(raw) != str(score):
                errors[key] = SCORE_INVALID
                continue
            answer.score = score
        elif question.kind == SurveyQuestion.Kind.CHOICE:
            if raw not in question.options:
                errors[key] = CHOICE_INVALID
                continue
            answer.choice = raw
        else:
            if not isinstance(raw, str):
                errors[key] = ANSWER_REQUIRED
                continue
            if len(raw) > MAX_TEXT:
                errors[key] = TEXT_TOO_LONG
                continue
            answer.text = raw
        rows.append(answer)
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    return rows


def _answer(survey_pk: int, values: dict, *, via: str, user: User | None) -> Survey:
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey_pk)
    problem = _refusal(survey, timezone.now())
    if problem is not None:
        raise Conflict(problem, code="answered" if problem == LINK_USED else "closed")
    questions = list(survey.template.questions.all())
    answers = _clean_answers(questions, values)
    for answer in answers:
        answer.survey = survey
    SurveyAnswer.objects.bulk_create(answers)
    measures = {a.question.measure: a.score for a in answers if a.question.measure}
    texts = [a.text for a in answers if a.text]
    survey.status = Survey.Status.ANSWERED
    survey.answered_at = timezone.now()
    survey.answered_via = via
    survey.answered_by = user
    survey.csat = measures.get("csat")
    survey.nps = measures.get("nps")
    survey.comment = "\n\n".join(texts)
    fields = ["status", "answered_at", "answered_via", "answered_by", "csat", "nps", "comment"]
    save_versioned(survey, expected_version=survey.version, fields=fields)
    audit.record_transition(actor=user, obj=survey, old="sent", new="answered", note=via)
    if survey.job_id and survey.csat is not None:
        survey.in_job_summary = job_summary_record_csat(survey=survey, actor=user)
    team_members = team(survey.company)
    if team_members:
        company, number = survey.company, survey.number
        notify(
            recipients=team_members,
            message=lambda: str(ANSWERED_NOTICE) % {"client": company, "number": number},
            link=reverse("service:survey_detail", args=[survey.pk]),
        )
    return survey


@transaction.atomic
def survey_answer_link(*, token: str, values: dict) -> Survey:
    """Answers the survey of a one-time link (no sign-in: the token is the credential).
    The link is burnt; a second answer or a replay gets Conflict."""
    survey, problem = survey_for_link(token)
    if survey is None:
        raise DomainError(LINK_UNKNOWN, code="link")
    return _answer(survey.pk, values, via=Survey.Via.LINK, user=None)


@transaction.atomic
def survey_answer_portal(*, actor: User, survey: Survey, values: dict) -> Survey:
    """A client user answers their company's survey in the portal (burns its link)."""
    require(actor, "service.survey.answer", survey)
    return _answer(survey.pk, values, via=Survey.Via.PORTAL, user=actor)


def job_summary_record_csat(*, survey: Survey, actor: User | None) -> bool:
    """Writes the survey's CSAT score into its job's summary if the summary exists and is
    still editable; returns whether it did (the caller keeps that on the survey)."""
    summary = (
        JobSummary.objects.select_for_update(of=("self",)).filter(job_id=survey.job_id).first()
    )
    if summary is None or not summary.is_editable:
        return False
    before = audit.snapshot(summary, ["satisfaction_score"])
    summary.satisfaction_score = survey.csat
    save_versioned(summary, expected_version=summary.version, fields=["satisfaction_score"])
    audit.record_change(
        actor=actor, obj=summary, before=before, note=f"from survey {survey.number}"
    )
    Survey.objects.filter(pk=survey.pk).update(in_job_summary=True)
    return True
