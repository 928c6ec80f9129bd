"""The client's side of complaints in the portal: log one, follow its progress, confirm
the resolution or say it is not resolved. Staff have no portal (404); another company's
complaint does not exist for a client user (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobbag.clients.models import Company
from jobbag.core.permissions import can, visible
from jobbag.service import forms, services
from jobbag.service.models import Complaint
from jobbag.service.views import run

PAGE_SIZE = 20


def _client(request) -> int:
    if not can(request.user, "portal.view") or not can(request.user, "service.complaint.portal"):
        raise Http404
    return request.user.company_id


def _complaint(request, pk: int) -> Complaint:
    _client(request)
    complaint = (
        visible(request.user, Complaint.objects.filter(pk=pk))
        .select_related("category", "brand", "raised_by", "assigned_to")
        .prefetch_related("visits")
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


@login_required
@require_safe
def complaint_list(request):
    _client(request)
    queryset = visible(request.user, Complaint.objects.all()).select_related("category", "brand")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "service/portal/list.html", {"page_obj": page})


@login_required
def complaint_create(request):
    company_id = _client(request)
    form = forms.PortalComplaintForm(request.POST or None, company_id=company_id)
    status = 200
    if request.method == "POST":
        company = Company.objects.get(pk=company_id)
        complaint, status = run(
            request,
            form,
            lambda values, _version: services.complaint_create(
                actor=request.user, company=company, **values
            ),
            _("Thank you: your complaint was logged. We will answer soon."),
        )
        if complaint is not None:
            return redirect("portal:complaint_detail", complaint.pk)
    return render(request, "service/portal/form.html", {"form": form}, status=status)


def _detail(request, complaint: Complaint, *, bound=None, status: int = 200):
    settling = complaint.status in services.SETTLING
    context = {"complaint": complaint, "settling": settling, "visits": complaint.visits.all()}
    if settling:
        context["confirm_form"] = forms.VersionForm(initial={"version": complaint.version})
        context["reopen_form"] = (
            bound
            if bound is not None
            else forms.ReasonForm(initial={"version": complaint.version}, prefix="reopen")
        )
    return render(request, "service/portal/detail.html", context, status=status)


@login_required
@require_safe
def complaint_detail(request, pk: int):
    return _detail(request, _complaint(request, pk))


@login_required
@require_POST
def complaint_confirm(request, pk: int):
    complaint = _complaint(request, pk)
    form = forms.VersionForm(request.POST)
    _result, status = run(
        request,
        form,
        lambda _values, version: services.complaint_confirm(
            actor=request.user, complaint=complaint, expected_version=version
        ),
        _("Thank you for confirming: the complaint is closed."),
    )
    if status != 200:
        for error in form.non_field_errors() or [_("Reload the page and try again.")]:
            messages.error(request, error)
    return redirect("portal:complaint_detail", pk)


@login_required
@require_POST
def complaint_reopen(request, pk: int):
    complaint = _complaint(request, pk)
    form = forms.ReasonForm(request.POST, prefix="reopen")
    _result, status = run(
        request,
        form,
        lambda values, version: services.complaint_reopen(
            actor=request.user,
            complaint=complaint,
            expected_version=version,
            reason=values["reason"],
        ),
        _("We are sorry: the complaint was reopened and the team is told."),
    )
    if status == 200:
        return redirect("portal:complaint_detail", pk)
    return _detail(request, _complaint(request, pk), bound=form, status=status)
