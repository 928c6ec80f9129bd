"""The client's side of surveys, in the portal's namespace under /portal/:

- surveys/                    a client user's company's surveys (open ones first)
- surveys/<pk>/               answer one (or see the answer given)
- surveys/answer/<token>/     the e-mailed one-time link ("portal:survey_link"): no
                              sign-in, the token is the credential; it works once and
                              until it expires

The one-time link page opens without signing in ("portal:survey_link" is one of
accounts.middleware's PUBLIC_URL_NAMES). Client users may open it too (its name starts
with "portal:").
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from jobbag.core.errors import Conflict, DomainError
from jobbag.core.forms import show_refusal
from jobbag.core.permissions import can, visible
from jobbag.service.models import Survey
from jobbag.service.surveys import forms, services

LINK_URL_NAME = "portal:survey_link"

PAGE_SIZE = 20


def _client(request) -> None:
    if not can(request.user, "service.survey.portal"):
        raise Http404


@login_required
@require_safe
def survey_list(request):
    _client(request)
    queryset = (
        visible(request.user, Survey.objects.exclude(status=Survey.Status.CANCELLED))
        .select_related("job", "template")
        .annotate(
            waiting=Case(
                When(status=Survey.Status.SENT, expires_at__gt=timezone.now(), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-sent_at", "-pk")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "now": timezone.now(), "querystring_without_page": ""}
    return render(request, "service/surveys/portal_list.html", context)


def _answer_page(request, survey, form, *, status=200, action=""):
    context = {"survey": survey, "form": form, "action": action}
    return render(request, "service/surveys/answer.html", context, status=status)


def _closed_page(request, message: str, *, status: int):
    return render(request, "service/surveys/closed.html", {"message": message}, status=status)


def _thanks(request, survey):
    return render(request, "service/surveys/thanks.html", {"survey": survey})


def _status_of(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 400


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, pk: int):
    _client(request)
    survey = (
        visible(request.user, Survey.objects.filter(pk=pk))
        .select_related("template", "job")
        .first()
    )
    if survey is None:
        raise Http404
    questions = list(survey.template.questions.all())
    if survey.status == Survey.Status.ANSWERED:
        answers = survey.answers.select_related("question")
        context = {"survey": survey, "answers": answers}
        return render(request, "service/surveys/portal_answered.html", context)
    if survey.status == Survey.Status.CANCELLED:
        return _closed_page(request, str(services.SURVEY_WITHDRAWN), status=410)
    if survey.is_expired(timezone.now()):
        return _closed_page(request, str(services.LINK_EXPIRED), status=410)
    form = forms.AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if not form.is_valid():
            return _answer_page(request, survey, form, status=400)
        try:
            services.survey_answer_portal(actor=request.user, survey=survey, values=form.values())
        except DomainError as error:
            show_refusal(form, error)
            return _answer_page(request, survey, form, status=_status_of(error))
        return redirect("portal:survey_answer", pk=survey.pk)
    return _answer_page(request, survey, form)


@require_http_methods(["GET", "POST"])
def survey_link(request, token: str):
    """The one-time link: anyone holding it answers once, before it expires."""
    survey, problem = services.survey_for_link(token)
    if survey is None:
        return _closed_page(request, problem, status=404)
    if problem:
        if request.method == "POST":
            # A second submit or a replay of the form.
            status = 409 if survey.status == Survey.Status.ANSWERED else 410
            return _closed_page(request, problem, status=status)
        # Opening a used link again is no error: it says the answer was received.
        status = 200 if survey.status == Survey.Status.ANSWERED else 410
        return _closed_page(request, problem, status=status)
    questions = list(survey.template.questions.all())
    form = forms.AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if not form.is_valid():
            return _answer_page(request, survey, form, status=400)
        try:
            answered = services.survey_answer_link(token=token, values=form.values())
        except DomainError as error:
            if isinstance(error, Conflict):
                return _closed_page(request, str(error.message), status=409)
            show_refusal(form, error)
            return _answer_page(request, survey, form, status=400)
        return _thanks(request, answered)
    return _answer_page(request, survey, form)


urlpatterns = [
    path("surveys/", survey_list, name="survey_list"),
    path("surveys/<int:pk>/", survey_answer, name="survey_answer"),
    path("surveys/answer/<str:token>/", survey_link, name="survey_link"),
]
