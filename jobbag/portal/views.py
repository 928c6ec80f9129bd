"""Portal pages: the client user's company and agency team, the invitation link, and
the staff page for a contact's portal access. Thin: each calls selectors or services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jobbag.accounts import security
from jobbag.accounts.auth_forms import add_domain_error
from jobbag.core.errors import DomainError
from jobbag.core.permissions import can
from jobbag.portal import selectors, services
from jobbag.portal.forms import AcceptForm


def _client_only(request: HttpRequest) -> None:
    # Staff have no portal of their own: the page does not exist for them.
    if not can(request.user, "portal.view"):
        raise Http404


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The client user's company as they know it, and their agency team at a glance."""
    _client_only(request)
    return render(
        request,
        "portal/home.html",
        {
            "company": selectors.portal_company(user=request.user),
            "team": selectors.portal_team(user=request.user),
        },
    )


@login_required
@require_safe
def team(request: HttpRequest) -> HttpResponse:
    _client_only(request)
    return render(request, "portal/team.html", {"team": selectors.portal_team(user=request.user)})


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: the contact sets a password and is signed in as a client user."""
    invitation = services.portal_invitation_for_token(token)
    try:
        services.portal_invitation_check(invitation)
    except DomainError as error:
        return render(request, "portal/accept_invalid.html", {"message": error.message}, status=410)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.portal_invitation_accept(
                token=token,
                password=form.cleaned_data["new_password1"],
                language=getattr(request, "LANGUAGE_CODE", ""),
            )
        except DomainError as error:
            if error.code == "link":
                return render(
                    request, "portal/accept_invalid.html", {"message": error.message}, status=410
                )
            add_domain_error(form, error)
        else:
            security.sign_in(request, user)
            messages.success(request, _("Welcome! Your portal account is ready."))
            return redirect("portal:home")
    return render(
        request,
        "portal/accept.html",
        {"form": form, "invitation": invitation, "contact": invitation.contact},
        status=400 if form.errors else 200,
    )


def _access_page(request: HttpRequest, contact, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portal/contact_access.html",
        {
            "contact": contact,
            "status": selectors.access_status(contact),
            "invitations": selectors.invitation_history(contact),
            "can_manage": can(request.user, "portal.access.manage", contact),
        },
        status=status,
    )


@login_required
@require_safe
def contact_access(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact's portal status (none, invited, active, deactivated) and its invitations."""
    contact = selectors.contact_for_staff(viewer=request.user, pk=pk)
    return _access_page(request, contact)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_staff(viewer=request.user, pk=pk)
    try:
        invitation, _token = services.portal_invitation_create(actor=request.user, contact=contact)
    except DomainError as error:
        messages.error(request, error.message)
        return _access_page(request, contact, status=error.status)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    return redirect("portal:contact_access", pk=contact.pk)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_staff(viewer=request.user, pk=pk)
    try:
        services.portal_access_revoke(actor=request.user, contact=contact)
    except DomainError as error:
        messages.error(request, error.message)
        return _access_page(request, contact, status=error.status)
    messages.success(request, _("Portal access of %(name)s revoked.") % {"name": contact.name})
    return redirect("portal:contact_access", pk=contact.pk)
