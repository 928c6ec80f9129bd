"""Pages of field work: my day (outings, today's contact log, my daily report), my team
(reports waiting for review, who is out, visits against target), reports, summaries and
targets. Views are thin: forms parse, services decide."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.clients.models import Company
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.forms import export_url, show_refusal
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response
from jobbag.fieldwork import selectors, services
from jobbag.fieldwork.forms import (
    DailyReportForm,
    OutingForm,
    ReviewForm,
    SettingsForm,
    SummaryForm,
    SummaryStartForm,
    VisitTargetForm,
)
from jobbag.fieldwork.models import (
    DailyReport,
    FieldworkSettings,
    PeriodSummary,
    ReportStatus,
)

PAGE_SIZE = 25


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _paginate(request, queryset) -> dict:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {"page_obj": page, "querystring_without_page": f"{encoded}&" if encoded else ""}


def _run(request, form, call, success: str) -> bool:
    """Runs `call(cleaned_data)` for a valid form; a refusal goes onto the form."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        show_refusal(form, error)
        return False
    messages.success(request, success)
    return True


def _day(value: str | None) -> date:
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _my_companies(user):
    ids = confidential_company_ids(user)
    companies = Company.objects.filter(status=Company.Status.ACTIVE)
    return companies if ids is None else companies.filter(pk__in=ids)


def _may_review(user, report) -> bool:
    return report.status == ReportStatus.SUBMITTED and can(user, "fieldwork.report.review", report)


def _report_form(report: DailyReport | None) -> DailyReportForm:
    if report is None:
        return DailyReportForm()
    return DailyReportForm(
        initial={
            "summary": report.summary,
            "problems": report.problems,
            "plan": report.plan,
            "version": report.version,
        }
    )


# My day ----------------------------------------------------------------------------------


def _my_day_page(request, day: date, *, outing_form=None, report_form=None, status=200):
    user = request.user
    report = DailyReport.objects.filter(staff=user, day=day).first()
    per_day = FieldworkSettings.current().visits_per_day
    now = timezone.localtime().replace(second=0, microsecond=0)
    context = {
        "day": day,
        "today": timezone.localdate(),
        "previous_day": date.fromordinal(day.toordinal() - 1),
        "next_day": date.fromordinal(day.toordinal() + 1),
        "outings": list(selectors.outings_of_day(user, day)),
        "items": selectors.day_items(user, day)
        if report is None or report.is_editable
        else report.activities,
        "report": report,
        "report_form": report_form or _report_form(report),
        "outing_form": outing_form
        or OutingForm(
            companies=_my_companies(user),
            initial={"leaves_at": now, "back_by": now.replace(hour=min(now.hour + 2, 23))},
        ),
        "visits": selectors.visits_between([user.pk], day, day).get(user.pk, 0),
        "visits_per_day": per_day,
    }
    return render(request, "fieldwork/my_day.html", context, status=status)


@login_required
def my_day(request):
    """My outings, my contact log and my daily report for a day (today by default)."""
    _require(request, "fieldwork.use")
    return _my_day_page(request, _day(request.GET.get("day")))


@login_required
@require_POST
def outing_register(request):
    _require(request, "fieldwork.use")
    form = OutingForm(request.POST, companies=_my_companies(request.user))
    day = timezone.localdate()

    def call(data):
        services.outing_register(actor=request.user, **data)

    if _run(request, form, call, _("Outing registered.")):
        day = timezone.localdate(form.cleaned_data["leaves_at"])
        return redirect(f"{reverse('fieldwork:my_day')}?day={day.isoformat()}")
    return _my_day_page(request, day, outing_form=form, status=400)


@login_required
@require_POST
def outing_return(request, pk: int):
    _require(request, "fieldwork.use")
    outing = selectors.outing_for_user(request.user, pk)
    try:
        services.outing_return(actor=request.user, outing=outing)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Welcome back."))
    day = timezone.localdate(outing.leaves_at)
    return redirect(f"{reverse('fieldwork:my_day')}?day={day.isoformat()}")


@login_required
@require_POST
def report_save(request, day: str):
    """Starts or changes my report for a day; with submit=1, hands it in as well."""
    _require(request, "fieldwork.use")
    when = _day(day)
    form = DailyReportForm(request.POST)
    submitting = request.POST.get("submit") == "1"

    def call(data):
        report = services.daily_report_save(
            actor=request.user,
            day=when,
            expected_version=data["version"],
            summary=data["summary"],
            problems=data["problems"],
            plan=data["plan"],
        )
        if submitting:
            services.daily_report_submit(
                actor=request.user, report=report, expected_version=report.version
            )

    success = _("Report handed in.") if submitting else _("Report saved.")
    if _run(request, form, call, success):
        return redirect(f"{reverse('fieldwork:my_day')}?day={when.isoformat()}")
    return _my_day_page(request, when, report_form=form, status=400)


# Daily reports ---------------------------------------------------------------------------


@login_required
def report_detail(request, pk: int):
    """One daily report: what it was built from, the author's text and the review."""
    report = selectors.report_for_user(request.user, pk)
    can_review = _may_review(request.user, report)
    context = {
        "report": report,
        "items": report.activities
        if not report.is_editable
        else selectors.day_items(report.staff, report.day),
        "review_form": ReviewForm(initial={"version": report.version}) if can_review else None,
        "history": history_for(report),
    }
    return render(request, "fieldwork/report_detail.html", context)


@login_required
@require_POST
def report_review(request, pk: int):
    report = selectors.report_for_user(request.user, pk)
    form = ReviewForm(request.POST)

    def call(data):
        services.daily_report_review(
            actor=request.user,
            report=report,
            decision=data["decision"],
            comment=data["comment"],
            expected_version=data["version"],
        )

    if _run(request, form, call, _("Review saved.")):
        return redirect("fieldwork:team")
    context = {
        "report": report,
        "items": report.activities,
        "review_form": form,
        "history": history_for(report),
    }
    return render(request, "fieldwork/report_detail.html", context, status=400)


REPORT_HEADERS = [
    gettext_lazy("Day"),
    gettext_lazy("Staff member"),
    gettext_lazy("Status"),
    gettext_lazy("Visits"),
    gettext_lazy("Summary"),
    gettext_lazy("Problems"),
    gettext_lazy("Plan"),
    gettext_lazy("Submitted"),
    gettext_lazy("Reviewed by"),
    gettext_lazy("Comment"),
]


def _report_filters(request, queryset):
    """?person= (one of the people the viewer may see) and ?status=."""
    person = request.GET.get("person", "")
    if person.isdigit():
        queryset = queryset.filter(staff_id=int(person))
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


@login_required
def reports(request):
    """Daily reports: mine and those of the people below me, filtered."""
    _require(request, "fieldwork.report.view")
    rows = _report_filters(request, selectors.reports_for(request.user))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename="daily-reports.xlsx",
            sheet=_("Daily work reports"),
            headers=REPORT_HEADERS,
            rows=(
                [
                    r.day,
                    str(r.staff),
                    r.get_status_display(),
                    r.visits,
                    r.summary,
                    r.problems,
                    r.plan,
                    r.submitted_at,
                    str(r.reviewed_by or ""),
                    r.review_comment,
                ]
                for r in rows
            ),
        )
    context = {
        "people": selectors.people_overseen(request.user),
        "statuses": ReportStatus.choices,
        "person": request.GET.get("person", ""),
        "status": request.GET.get("status", ""),
        "export_url": export_url(request),
        **_paginate(request, rows),
    }
    return render(request, "fieldwork/reports.html", context)


# My team ---------------------------------------------------------------------------------


def _visits_against_targets(people: list, month: date) -> list[dict]:
    """Per person: visits this month, their target and the share reached."""
    ids = [person.pk for person in people]
    first, last = selectors.month_start(month), selectors.month_end(month)
    visits = selectors.visits_between(ids, first, last)
    targets = selectors.targets_for(ids, month)
    rows = []
    for person in people:
        target, is_set = targets[person.pk]
        done = visits.get(person.pk, 0)
        rows.append(
            {
                "person": person,
                "visits": done,
                "target": target,
                "is_set": is_set,
                "percent": round(100 * done / target) if target else None,
            }
        )
    return rows


@login_required
def team(request):
    """For managers: reports waiting for my review, who is out now, visits vs target."""
    _require(request, "fieldwork.team.view")
    today = timezone.localdate()
    people = list(selectors.people_overseen(request.user))
    context = {
        "today": today,
        "waiting_reports": selectors.waiting_review(request.user, DailyReport),
        "waiting_summaries": selectors.waiting_review(request.user, PeriodSummary),
        "out_now": selectors.out_now(request.user).exclude(staff=request.user),
        "targets": _visits_against_targets(people, today),
    }
    return render(request, "fieldwork/team.html", context)


# Summaries -------------------------------------------------------------------------------


@login_required
def summaries(request):
    """Weekly records and monthly summaries I may see; late ones flagged."""
    _require(request, "fieldwork.report.view")
    rows = _report_filters(request, selectors.summaries_for(request.user))
    today = timezone.localdate()
    context = {
        "people": selectors.people_overseen(request.user),
        "statuses": ReportStatus.choices,
        "person": request.GET.get("person", ""),
        "status": request.GET.get("status", ""),
        "start_form": SummaryStartForm(initial={"kind": PeriodSummary.Kind.WEEK, "day": today}),
        "can_start": can(request.user, "fieldwork.use"),
        **_paginate(request, rows),
    }
    return render(request, "fieldwork/summaries.html", context)


@login_required
@require_POST
def summary_start(request):
    _require(request, "fieldwork.use")
    form = SummaryStartForm(request.POST)
    started = []

    def call(data):
        started.append(
            services.period_summary_start(actor=request.user, kind=data["kind"], day=data["day"])
        )

    if _run(request, form, call, _("Summary opened.")):
        return redirect("fieldwork:summary_detail", pk=started[0].pk)
    for error in [
        *form.non_field_errors(),
        *form.errors.get("day", []),
        *form.errors.get("kind", []),
    ]:
        messages.error(request, error)
    return redirect("fieldwork:summaries")


def _summary_page(request, summary, *, form=None, review_form=None, status=200):
    mine = summary.staff_id == request.user.pk
    can_review = _may_review(request.user, summary)
    if form is None and mine and summary.is_editable:
        form = SummaryForm(
            initial={
                "summary": summary.summary,
                "problems": summary.problems,
                "plan": summary.plan,
                "version": summary.version,
            }
        )
    if review_form is None and can_review:
        review_form = ReviewForm(initial={"version": summary.version})
    context = {
        "summary": summary,
        "form": form if mine and summary.is_editable else None,
        "review_form": review_form if can_review else None,
        "history": history_for(summary),
    }
    return render(request, "fieldwork/summary_detail.html", context, status=status)


@login_required
def summary_detail(request, pk: int):
    return _summary_page(request, selectors.summary_for_user(request.user, pk))


@login_required
@require_POST
def summary_save(request, pk: int):
    """Saves my summary; with submit=1, hands it in as well."""
    summary = selectors.summary_for_user(request.user, pk)
    form = SummaryForm(request.POST)
    submitting = request.POST.get("submit") == "1"

    def call(data):
        saved = services.period_summary_save(
            actor=request.user,
            period=summary,
            expected_version=data["version"] or 0,
            **{name: data[name] for name in services.TEXT_FIELDS},
        )
        if submitting:
            services.period_summary_submit(
                actor=request.user, period=saved, expected_version=saved.version
            )

    success = _("Summary handed in.") if submitting else _("Summary saved.")
    if _run(request, form, call, success):
        return redirect("fieldwork:summary_detail", pk=summary.pk)
    return _summary_page(request, summary, form=form, status=400)


@login_required
@require_POST
def summary_review(request, pk: int):
    summary = selectors.summary_for_user(request.user, pk)
    form = ReviewForm(request.POST)

    def call(data):
        services.period_summary_review(
            actor=request.user,
            period=summary,
            decision=data["decision"],
            comment=data["comment"],
            expected_version=data["version"],
        )

    if _run(request, form, call, _("Review saved.")):
        return redirect("fieldwork:team")
    return _summary_page(request, summary, review_form=form, status=400)


# Visit targets ---------------------------------------------------------------------------


def _month(value: str | None) -> date:
    if not value:
        return selectors.month_start(timezone.localdate())
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise Http404 from None


@login_required
def targets(request):
    """Visits against target for a month (?month=YYYY-MM): mine and my people's. Admins
    come here to set the default visits per day and anyone's target."""
    if not any(
        can(request.user, action)
        for action in ("fieldwork.use", "fieldwork.team.view", "fieldwork.settings.manage")
    ):
        raise PermissionDenied
    month = _month(request.GET.get("month"))
    people = [request.user, *selectors.people_overseen(request.user)]
    if not can(request.user, "fieldwork.use"):
        people = people[1:]
    row = FieldworkSettings.current()
    context = {
        "month": month,
        "previous_month": selectors.month_start(date.fromordinal(month.toordinal() - 1)),
        "next_month": selectors.month_start(date.fromordinal(month.toordinal() + 31)),
        "rows": _visits_against_targets(people, month),
        "can_set": can(request.user, "fieldwork.target.set"),
        "settings_form": SettingsForm(
            initial={"visits_per_day": row.visits_per_day, "version": row.version}
        )
        if can(request.user, "fieldwork.settings.manage")
        else None,
        "working_days": selectors.working_days_in(month, selectors.month_end(month)),
        "visits_per_day": row.visits_per_day,
    }
    return render(request, "fieldwork/targets.html", context)


@login_required
@require_POST
def target_set(request):
    month = _month(request.POST.get("month"))
    form = VisitTargetForm(request.POST)
    people = {p.pk: p for p in selectors.people_overseen(request.user)}

    def call(data):
        person = people.get(data["person"])
        if person is None:
            raise Http404
        services.visit_target_set(
            actor=request.user, person=person, month=month, visits=data["visits"]
        )

    if not _run(request, form, call, _("Target saved.")):
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('fieldwork:targets')}?month={month:%Y-%m}")


@login_required
@require_POST
def settings_update(request):
    _require(request, "fieldwork.settings.manage")
    form = SettingsForm(request.POST)

    def call(data):
        services.fieldwork_settings_update(
            actor=request.user,
            expected_version=data["version"],
            visits_per_day=data["visits_per_day"],
        )

    if not _run(request, form, call, _("Saved.")):
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("fieldwork:targets")
