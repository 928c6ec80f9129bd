"""Pages of incentives: "My commissions" (a statement per month or quarter, every staff
member their own), every commission for Finance and management (with .xlsx and the
payout button), the commission rules, who was who on a job, "My targets" and the
targets table per person and per team with the bonus tiers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.forms import act, export_url, show_refusal, submit
from jobbag.core.memo import remembered
from jobbag.core.permissions import can, visible
from jobbag.core.xlsx import xlsx_response
from jobbag.finance.forms.incentives import (
    BonusTierForm,
    CommissionCreditForm,
    CommissionFilter,
    CommissionRuleForm,
    PaidForm,
    PeriodForm,
    TargetForm,
    YearForm,
)
from jobbag.finance.models import BonusTier, Commission, CommissionRule, Participant
from jobbag.finance.selectors import incentives as selectors
from jobbag.finance.services import incentives as services
from jobbag.jobs.models import Job

MINE = "finance.commission.mine"
VIEW_ALL = "finance.commission.view_all"
PAY = "finance.commission.pay"
RULES = "finance.commission.rules"
CREDIT = "finance.commission.credit"
TARGETS_MINE = "finance.target.mine"
TARGETS_ALL = "finance.target.view_all"
TARGETS_EDIT = "finance.target.edit"


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _period(request):
    """The statement's period from ?period= (this month when missing or malformed)."""
    the_period = selectors.period(request.GET.get("period"))
    form = PeriodForm(
        {"period": the_period.key},
        choices=selectors.period_choices(),
    )
    return form, the_period


def _xlsx(rows, filename: str):
    headers = [
        _("Staff member"),
        _("Job number"),
        _("Job"),
        _("Client"),
        _("Rule"),
        _("Participant"),
        _("Contract"),
        _("Amount"),
        _("Status"),
        _("Payable from"),
        _("Paid out on"),
    ]
    return xlsx_response(
        filename=filename,
        sheet=_("Commissions"),
        headers=headers,
        rows=(
            [
                str(c.user),
                c.job.number or "",
                c.job.title,
                c.job.company.code,
                c.rule.name,
                c.get_participant_display(),
                c.basis,
                c.amount,
                c.get_status_display(),
                c.payable_on,
                c.paid_on,
            ]
            for c in rows
        ),
    )


# Commissions ----------------------------------------------------------------------------


@login_required
def my_commissions(request):
    """My statement: what became payable in the period, and what is still pending."""
    _require(request, MINE)
    form, the_period = _period(request)
    statement = selectors.statement(
        visible(request.user, Commission.objects.all()), the_period, user=request.user
    )
    if request.GET.get("export") == "xlsx":
        return _xlsx([*statement.earned, *statement.pending], f"commissions-{the_period.key}.xlsx")
    context = {
        "form": form,
        "statement": statement,
        "export_url": export_url(request),
        "title": _("My commissions"),
        "mine": True,
    }
    return render(request, "finance/incentives/commissions.html", context)


@login_required
def commissions(request):
    """Everyone's commissions for the period (or one person's), with the payout button."""
    _require(request, VIEW_ALL)
    _form, the_period = _period(request)
    form = CommissionFilter(
        request.GET or None,
        initial={"period": the_period.key},
        choices=selectors.period_choices(),
    )
    rows = visible(request.user, Commission.objects.all())
    person = None
    if form.is_valid():
        person = form.cleaned_data.get("user")
        if form.cleaned_data.get("status"):
            rows = rows.filter(status=form.cleaned_data["status"])
    statement = selectors.statement(rows, the_period, user=person)
    if request.GET.get("export") == "xlsx":
        return _xlsx(
            [*statement.earned, *statement.pending], f"commissions-all-{the_period.key}.xlsx"
        )
    context = {
        "form": form,
        "statement": statement,
        "export_url": export_url(request),
        "title": _("Commissions"),
        "can_pay": can(request.user, PAY),
        "can_rules": can(request.user, RULES),
        "paid_form": PaidForm(),
        "next": request.get_full_path(),
    }
    return render(request, "finance/incentives/commissions.html", context)


@login_required
@require_POST
def commission_pay(request, pk: int):
    _require(request, PAY)
    commission = get_object_or_404(visible(request.user, Commission.objects.all()), pk=pk)
    form = PaidForm(request.POST)
    paid_on = form.cleaned_data.get("paid_on") if form.is_valid() else None
    act(
        request,
        lambda: services.commission_mark_paid(
            actor=request.user, commission=commission, paid_on=paid_on
        ),
        _("Commission marked paid out."),
    )
    target = request.POST.get("next") or ""
    if not target.startswith("/finance/"):
        target = reverse("finance:commissions")
    return redirect(target)


def _rules_page(request, form=None, status=200):
    context = {
        "rules": list(selectors.commission_rules()),
        "can_edit": can(request.user, RULES),
        "form": form or CommissionRuleForm(initial={"is_active": True}),
        "participants": Participant.choices,
    }
    return render(request, "finance/incentives/rules.html", context, status=status)


@login_required
def rules(request):
    if not (can(request.user, RULES) or can(request.user, VIEW_ALL)):
        raise PermissionDenied
    if request.method != "POST":
        return _rules_page(request)
    _require(request, RULES)
    form = CommissionRuleForm(request.POST)

    def call(values, _version):
        return services.commission_rule_create(actor=request.user, **values)

    if submit(request, form, call, _("Commission rule added.")):
        return redirect("finance:commission_rules")
    return _rules_page(request, form=form, status=400)


@login_required
def rule_edit(request, pk: int):
    _require(request, RULES)
    rule = get_object_or_404(CommissionRule.objects.prefetch_related("shares"), pk=pk)
    initial = {
        "code": rule.code,
        "name": rule.name,
        "rate": rule.rate,
        "is_active": rule.is_active,
        "version": rule.version,
    }
    initial.update({f"share_{s.participant}": s.share for s in rule.shares.all()})
    form = CommissionRuleForm(request.POST or None, initial=initial)

    def call(values, version):
        return services.commission_rule_update(
            actor=request.user, rule=rule, expected_version=version or 0, **values
        )

    if submit(request, form, call, _("Commission rule saved.")):
        return redirect("finance:commission_rules")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "finance/incentives/rule_edit.html", {"rule": rule, "form": form}, status=status
    )


@login_required
def job_credits(request, job_pk: int):
    """Who was who on a job, as its commissions are shared; editable until the job's
    first invoice is issued."""
    with remembered(request.user):
        job = (
            visible(request.user, Job.objects.select_related("company", "owner"))
            .filter(pk=job_pk)
            .first()
        )
        if job is None:
            raise Http404
        _require(request, CREDIT, job)
    form = CommissionCreditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commission_credit_set(actor=request.user, job=job, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied from error
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("finance:job_credits", job.pk)
    people = services.job_participants(job)
    context = {
        "job": job,
        "form": form,
        "people": [(label, people.get(value)) for value, label in Participant.choices],
        "commissions": list(
            selectors.commissions(Commission.objects.filter(job=job)).order_by("pk")
        ),
    }
    status = 400 if form.errors else 200
    return render(request, "finance/incentives/job_credits.html", context, status=status)


# Targets --------------------------------------------------------------------------------


def _year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year


@login_required
def my_targets(request):
    _require(request, TARGETS_MINE)
    year = _year(request)
    rows = selectors.results(year, user_ids={request.user.pk})
    context = {
        "year": year,
        "result": rows[0] if rows else None,
        "tiers": selectors.bonus_tiers(year),
    }
    return render(request, "finance/incentives/my_targets.html", context)


def _targets_page(request, *, target_form=None, tier_form=None, status=200):
    year = _year(request)
    rows = selectors.results(year)
    context = {
        "year": year,
        "rows": rows,
        "teams": selectors.teams(rows, no_team=_("No department")),
        "tiers": selectors.bonus_tiers(year),
        "can_edit": can(request.user, TARGETS_EDIT),
        "target_form": target_form or TargetForm(initial={"year": year}),
        "tier_form": tier_form or BonusTierForm(initial={"year": year}),
    }
    return render(request, "finance/incentives/targets.html", context, status=status)


@login_required
def targets(request):
    _require(request, TARGETS_ALL)
    return _targets_page(request)


@login_required
@require_POST
def target_save(request):
    _require(request, TARGETS_EDIT)
    form = TargetForm(request.POST)

    def call(values, _version):
        return services.target_save(actor=request.user, **values)

    if submit(request, form, call, _("Target saved.")):
        return redirect(f"{reverse('finance:targets')}?year={form.cleaned_data['year']}")
    return _targets_page(request, target_form=form, status=400)


@login_required
@require_POST
def tier_add(request):
    _require(request, TARGETS_EDIT)
    form = BonusTierForm(request.POST)

    def call(values, _version):
        return services.bonus_tier_add(actor=request.user, **values)

    if submit(request, form, call, _("Bonus tier added.")):
        return redirect(f"{reverse('finance:targets')}?year={form.cleaned_data['year']}")
    return _targets_page(request, tier_form=form, status=400)


@login_required
@require_POST
def tier_remove(request, pk: int):
    _require(request, TARGETS_EDIT)
    tier = get_object_or_404(BonusTier, pk=pk)
    year = tier.year
    act(
        request,
        lambda: services.bonus_tier_remove(actor=request.user, tier=tier),
        _("Bonus tier removed."),
    )
    return redirect(f"{reverse('finance:targets')}?year={year}")


urlpatterns = [
    path("commissions/mine/", my_commissions, name="my_commissions"),
    path("commissions/", commissions, name="commissions"),
    path("commissions/<int:pk>/paid/", commission_pay, name="commission_pay"),
    path("commissions/rules/", rules, name="commission_rules"),
    path("commissions/rules/<int:pk>/", rule_edit, name="commission_rule_edit"),
    path("commissions/jobs/<int:job_pk>/", job_credits, name="job_credits"),
    path("targets/mine/", my_targets, name="my_targets"),
    path("targets/", targets, name="targets"),
    path("targets/save/", target_save, name="target_save"),
    path("targets/tiers/", tier_add, name="bonus_tier_add"),
    path("targets/tiers/<int:pk>/remove/", tier_remove, name="bonus_tier_remove"),
]
