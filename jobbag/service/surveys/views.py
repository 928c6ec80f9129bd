"""Staff pages of satisfaction surveys (in the service: namespace, under /service/):

- surveys/                              the surveys the user sees (filters, .xlsx of answers)
- surveys/<pk>/                         one survey with its answers; withdraw it
- surveys/results/                      results per client and over time (management sees
                                        every client, account people their own)
- surveys/clients/<company>/            one client's results and trend chart, its surveys,
                                        sending one, its periodic plan
- surveys/templates/ (new/, <pk>/)      templates: make, edit (a used one is revised),
                                        retire
"""

from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jobbag.clients.models import Company
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import act, export_url, show_refusal
from jobbag.core.memo import remembered
from jobbag.core.permissions import can, visible
from jobbag.core.xlsx import xlsx_response
from jobbag.service.models import Survey, SurveyAnswer, SurveyPlan, SurveyTemplate
from jobbag.service.surveys import forms, plans, selectors, services
from jobbag.service.surveys.charts import trend_chart
from jobbag.service.surveys.permissions import survey_company_ids

PAGE_SIZE = 30
YEARS_SHOWN = 1
QUARTERS_SHOWN = 8


def remembering(view):
    """Runs the view with the user's served clients read once (core.memo)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with remembered(request.user):
            return view(request, *args, **kwargs)

    return wrapper


def _allowed(request, rule: str = "service.surveys.view") -> None:
    if not can(request.user, rule):
        raise Http404


def _period(request) -> str:
    return "quarter" if request.GET.get("period") == "quarter" else "month"


def _since(period: str) -> date:
    """The first day charted: the last 12 months, or the last 8 quarters."""
    today = timezone.localdate()
    if period == "quarter":
        start = selectors.quarter_start(today)
        index = start.year * 12 + start.month - 1 - 3 * (QUARTERS_SHOWN - 1)
        return date(index // 12, index % 12 + 1, 1)
    return selectors.next_month(date(today.year - YEARS_SHOWN, today.month, 1))


def _company(request, pk: int) -> Company:
    ids = survey_company_ids(request.user)
    if ids is not None and pk not in ids:
        raise Http404
    return get_object_or_404(Company, pk=pk)


@login_required
@remembering
@require_safe
def survey_list(request):
    _allowed(request)
    form = forms.SurveyFilterForm(request.GET or None, company_ids=survey_company_ids(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    company = filters.get("company")
    queryset = selectors.survey_list(
        request.user, status=filters.get("status", ""), company_id=company.pk if company else None
    )
    if request.GET.get("export") == "xlsx":
        return _export(queryset)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "querystring_without_page": f"{params.urlencode()}&" if params else "",
        "export_url": export_url(request),
        "now": timezone.now(),
        "can_templates": can(request.user, "service.survey_templates.manage"),
    }
    return render(request, "service/surveys/list.html", context)


def _export(queryset):
    """The answers of the surveys listed, one row per answer."""
    answers = (
        SurveyAnswer.objects.filter(survey__in=queryset.filter(status=Survey.Status.ANSWERED))
        .select_related("survey__company", "survey__job", "survey__template", "question")
        .order_by("survey__answered_at", "survey_id", "question__order", "question_id")
    )
    rows = (
        (
            a.survey.number,
            a.survey.company.code,
            str(a.survey.company),
            str(a.survey.job or ""),
            str(a.survey.template),
            a.survey.get_reason_display(),
            a.survey.answered_at,
            a.survey.get_answered_via_display(),
            a.question.text,
            a.question.get_measure_display() if a.question.measure else "",
            a.score if a.score is not None else (a.choice or a.text),
        )
        for a in answers.iterator(chunk_size=2000)
    )
    headers = [
        _("Number"),
        _("Client code"),
        _("Client"),
        _("Job"),
        _("Template"),
        _("Reason"),
        _("Answered"),
        _("Answered through"),
        _("Question"),
        _("Measures"),
        _("Answer"),
    ]
    return xlsx_response(
        filename="survey-answers.xlsx", sheet=_("Survey answers"), headers=headers, rows=rows
    )


def _survey(request, pk: int) -> Survey:
    survey = selectors.survey_detail(request.user, pk)
    if survey is None or request.user.is_client_user:
        raise Http404
    return survey


@login_required
@remembering
@require_safe
def survey_detail(request, pk: int):
    _allowed(request)
    survey = _survey(request, pk)
    context = {
        "survey": survey,
        "answers": list(survey.answers.all()),
        "now": timezone.now(),
        "can_cancel": survey.status == Survey.Status.SENT
        and can(request.user, "service.survey.cancel", survey),
    }
    return render(request, "service/surveys/detail.html", context)


@login_required
@remembering
@require_POST
def survey_cancel(request, pk: int):
    survey = _survey(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    act(
        request,
        lambda: services.survey_cancel(actor=request.user, survey=survey, expected_version=version),
        _("The survey was withdrawn; its link no longer works."),
    )
    return redirect("service:survey_detail", pk=survey.pk)


@login_required
@remembering
@require_safe
def results(request):
    _allowed(request)
    user = request.user
    period = _period(request)
    since = _since(period)
    ids = survey_company_ids(user)
    series = selectors.trend(ids, since=since, period=period)
    per_client = selectors.by_client(ids, since=since)
    companies = Company.objects.filter(pk__in=per_client.keys()).order_by("code")
    rows = [(company, per_client[company.pk]) for company in companies]
    context = {
        "chart": trend_chart(series, period=period),
        "series": series,
        "rows": rows,
        "period": period,
        "since": since,
        "all_clients": ids is None,
    }
    return render(request, "service/surveys/results.html", context)


def _client_context(request, company: Company, *, send_form=None, plan_form=None) -> dict:
    user = request.user
    period = _period(request)
    since = _since(period)
    series = selectors.trend([company.pk], since=since, period=period)
    plan = SurveyPlan.objects.select_related("template", "contact").filter(company=company).first()
    can_send = can(user, "service.survey.send", company)
    can_plan = can(user, "service.survey_plan.edit", company)
    if send_form is None and can_send:
        send_form = forms.SendForm(company=company)
    if plan_form is None and can_plan:
        initial = {"every_months": 6, "is_active": True}
        if plan is not None:
            initial = {
                "version": plan.version,
                "template": plan.template_id,
                "contact": plan.contact_id,
                "every_months": plan.every_months,
                "starts_on": plan.starts_on,
                "is_active": plan.is_active,
            }
        plan_form = forms.PlanForm(company=company, initial=initial)
    total = selectors.by_client([company.pk], since=since).get(company.pk) or selectors.Measures()
    return {
        "company": company,
        "chart": trend_chart(series, period=period),
        "series": series,
        "total": total,
        "period": period,
        "since": since,
        "surveys": list(selectors.survey_list(user, company_id=company.pk)[:20]),
        "plan": plan,
        "send_form": send_form if can_send else None,
        "plan_form": plan_form if can_plan else None,
        "now": timezone.now(),
    }


@login_required
@remembering
@require_safe
def client_results(request, company_id: int):
    _allowed(request)
    company = _company(request, company_id)
    return render(request, "service/surveys/client.html", _client_context(request, company))


def _refused(form, error: DomainError) -> int:
    if isinstance(error, NotAllowed):
        raise PermissionDenied from error
    show_refusal(form, error)
    return 409 if isinstance(error, Conflict) else 400


@login_required
@remembering
@require_POST
def survey_send(request, company_id: int):
    _allowed(request)
    company = _company(request, company_id)
    form = forms.SendForm(request.POST, company=company)
    status = 400
    if form.is_valid():
        values = form.cleaned_data
        try:
            survey, _token = services.survey_send(
                actor=request.user,
                template=values["template"],
                company=company,
                contact=values["contact"],
                job=values["job"],
            )
        except DomainError as error:
            status = _refused(form, error)
        else:
            messages.success(
                request,
                _("Survey %(number)s was sent to %(email)s.")
                % {
                    "number": survey.number,
                    "email": survey.email,
                },
            )
            return redirect("service:survey_client", company_id=company.pk)
    context = _client_context(request, company, send_form=form)
    return render(request, "service/surveys/client.html", context, status=status)


@login_required
@remembering
@require_POST
def plan_set(request, company_id: int):
    _allowed(request)
    company = _company(request, company_id)
    form = forms.PlanForm(request.POST, company=company)
    status = 400
    if form.is_valid():
        values = form.cleaned_data
        try:
            plans.plan_set(
                actor=request.user,
                company=company,
                template=values["template"],
                contact=values["contact"],
                every_months=values["every_months"],
                starts_on=values["starts_on"],
                is_active=values["is_active"],
                expected_version=values["version"],
            )
        except DomainError as error:
            status = _refused(form, error)
        else:
            messages.success(request, _("The periodic survey plan was saved."))
            return redirect("service:survey_client", company_id=company.pk)
    context = _client_context(request, company, plan_form=form)
    return render(request, "service/surveys/client.html", context, status=status)


@login_required
@remembering
@require_safe
def template_list(request):
    _allowed(request)
    context = {
        "templates": selectors.template_list(request.user),
        "can_manage": can(request.user, "service.survey_templates.manage"),
    }
    return render(request, "service/surveys/templates.html", context)


def _template_page(request, template, form, questions, *, status=200):
    context = {"template": template, "form": form, "questions": questions}
    return render(request, "service/surveys/template_form.html", context, status=status)


def _question_values(questions) -> list[dict]:
    rows = [question.as_question() for question in questions]
    return [row for row in rows if row is not None]


@login_required
@remembering
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int | None = None):
    _allowed(request, "service.survey_templates.manage")
    template = None
    if pk is not None:
        template = get_object_or_404(
            visible(request.user, SurveyTemplate.objects.prefetch_related("questions")), pk=pk
        )
    if request.method == "GET":
        initial = {}
        if template is not None:
            initial = {
                "version": template.version,
                "name": template.name,
                "introduction": template.introduction,
                "for_completion": template.for_completion,
            }
        form = forms.TemplateForm(initial=initial)
        questions = forms.QuestionFormSet(prefix="q", initial=forms.question_initial(template))
        return _template_page(request, template, form, questions)
    form = forms.TemplateForm(request.POST)
    questions = forms.QuestionFormSet(request.POST, prefix="q")
    if not (form.is_valid() and questions.is_valid()):
        return _template_page(request, template, form, questions, status=400)
    values = form.cleaned_data
    try:
        if template is None:
            saved = services.template_create(
                actor=request.user,
                name=values["name"],
                introduction=values["introduction"],
                for_completion=values["for_completion"],
                questions=_question_values(questions),
            )
        else:
            saved = services.template_update(
                actor=request.user,
                template=template,
                expected_version=values["version"],
                name=values["name"],
                introduction=values["introduction"],
                for_completion=values["for_completion"],
                questions=_question_values(questions),
            )
    except DomainError as error:
        return _template_page(request, template, form, questions, status=_refused(form, error))
    if template is not None and saved.pk != template.pk:
        messages.success(
            request,
            _("The template was in use, so your edit became revision %(n)s.")
            % {"n": saved.revision},
        )
    else:
        messages.success(request, _("The template was saved."))
    return redirect("service:survey_templates")


@login_required
@remembering
@require_POST
def template_retire(request, pk: int):
    _allowed(request, "service.survey_templates.manage")
    template = get_object_or_404(visible(request.user, SurveyTemplate.objects.all()), pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    act(
        request,
        lambda: services.template_retire(
            actor=request.user, template=template, expected_version=version
        ),
        _("The template was retired."),
    )
    return redirect(reverse("service:survey_templates"))


urlpatterns = [
    path("surveys/", survey_list, name="survey_list"),
    path("surveys/results/", results, name="survey_results"),
    path("surveys/templates/", template_list, name="survey_templates"),
    path("surveys/templates/new/", template_edit, name="survey_template_create"),
    path("surveys/templates/<int:pk>/", template_edit, name="survey_template_edit"),
    path("surveys/templates/<int:pk>/retire/", template_retire, name="survey_template_retire"),
    path("surveys/clients/<int:company_id>/", client_results, name="survey_client"),
    path("surveys/clients/<int:company_id>/send/", survey_send, name="survey_send"),
    path("surveys/clients/<int:company_id>/plan/", plan_set, name="survey_plan_set"),
    path("surveys/<int:pk>/", survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/withdraw/", survey_cancel, name="survey_cancel"),
]
