"""Pages of payments: the list of receipts (with what is left on account), recording one
for a client, and one payment with its allocations and the form that sets what is left
of it against the client's open invoices."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbag.core.forms import submit
from jobbag.core.memo import remembered
from jobbag.core.permissions import can
from jobbag.finance.forms.billing import AllocateForm, ClientPaymentForm
from jobbag.finance.selectors import billing as selectors
from jobbag.finance.services import payments as services

PAGE_SIZE = 30


def _require(request, rule: str) -> None:
    if not can(request.user, rule):
        raise PermissionDenied


@login_required
def payment_list(request):
    with remembered(request.user):
        _require(request, "finance.invoice.list")
        can_record = can(request.user, "finance.payment.record")
        form = ClientPaymentForm(
            request.POST or None, initial={"received_on": timezone.localdate()}
        )
        if request.method == "POST":
            _require(request, "finance.payment.record")
        payment = submit(
            request,
            form,
            lambda values, _v: services.payment_record(actor=request.user, **values),
            _("The payment was recorded."),
        )
        if payment is not None:
            return redirect("finance:payment_detail", payment.pk)
        page = Paginator(selectors.payments_for(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "page_obj": page,
            "querystring_without_page": "",
            "form": form,
            "can_record": can_record,
        }
        return render(
            request, "finance/billing/payments.html", context, status=400 if form.errors else 200
        )


@login_required
def payment_detail(request, pk: int):
    with remembered(request.user):
        payment = selectors.payment_for(request.user, pk)
        if payment is None:
            raise Http404
        can_allocate = payment.unallocated > 0 and can(request.user, "finance.payment.record")
        invoices = selectors.open_invoices_of(payment.company_id, payment.currency)
        form = AllocateForm(request.POST or None, invoices=invoices)
        if request.method == "POST":
            _require(request, "finance.payment.record")
        done = submit(
            request,
            form,
            lambda values, _v: services.payment_allocate(
                actor=request.user,
                payment=payment,
                invoice=values["invoice"],
                amount=values["amount"],
                allocated_on=values["allocated_on"],
            ),
            _("The payment was allocated."),
        )
        if done is not None:
            return redirect("finance:payment_detail", payment.pk)
        context = {
            "payment": payment,
            "allocations": list(payment.allocations.all()),
            "form": form,
            "can_allocate": can_allocate,
        }
        return render(
            request,
            "finance/billing/payment_detail.html",
            context,
            status=400 if form.errors else 200,
        )


urlpatterns = [
    path("payments/", payment_list, name="payment_list"),
    path("payments/<int:pk>/", payment_detail, name="payment_detail"),
]
