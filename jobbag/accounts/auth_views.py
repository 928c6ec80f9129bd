"""Sign-in pages: login, logout, passwords, the second factor, the profile and the
security policy. Thin: each view parses a form and calls accounts.security."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobbag.accounts import security
from jobbag.accounts.auth_forms import (
    CodeForm,
    LanguageForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetForm,
    SecurityPolicyForm,
    TokenForm,
    add_domain_error,
)
from jobbag.accounts.models import ApiToken, SecurityPolicy, User
from jobbag.accounts.services import user_set_language
from jobbag.accounts.tokens import token_create, token_revoke
from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError, NotFound
from jobbag.core.permissions import can

LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


def _next_url(request: HttpRequest, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    """The `next` page if it is on this site, else `default` (no open redirects)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """The language cookie follows the user's choice, so the sign-in page after they
    sign out is in their language too."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = security.sign_in_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            security.sign_in(request, user)
            return _remember_language(redirect(next_url), user.language)
    # A refused sign-in answers 200 like Django's own LoginView: the page is the answer.
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own page. A POST here saves the language preference."""
    language_form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and language_form.is_valid():
        language = language_form.cleaned_data["language"]
        user_set_language(actor=request.user, language=language)
        translation.activate(language)
        messages.success(request, _("Your language preference has been saved."))
        return _remember_language(redirect("accounts:profile"), language)
    return _render_profile(request, language_form=language_form)


def _render_profile(request: HttpRequest, **forms) -> HttpResponse:
    user = User.objects.select_related("department", "position").get(pk=request.user.pk)
    context = {
        "profile_user": user,
        "language_form": LanguageForm(initial={"language": user.language}),
        "token_form": TokenForm(),
        "remove_form": CodeForm(),
        "tokens": list(ApiToken.objects.filter(user=user, revoked_at__isnull=True)),
        "has_second_factor": security.has_second_factor(user),
        "second_factor_required": security.second_factor_required(user),
        "new_token_secret": None,
    }
    context.update(forms)
    status = 400 if any(getattr(f, "errors", None) for f in forms.values()) else 200
    return render(request, "accounts/profile.html", context, status=status)


@require_POST
def token_create_view(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = token_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # Shown on this response only: the secret is not stored anywhere to show later.
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            return _render_profile(request, new_token_secret=secret)
    return _render_profile(request, token_form=form)


@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = token_revoke(actor=request.user, token_id=pk)
    except NotFound as error:
        raise Http404 from error
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            security.password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # Other sessions end with the old password; this one carries on.
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        security.password_reset_request(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return render(
        request,
        "accounts/password_reset_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    valid = security.password_reset_user(uidb64=uidb64, token=token) is not None
    form = NewPasswordForm(request.POST or None)
    if valid and request.method == "POST" and form.is_valid():
        try:
            security.password_reset_complete(
                uidb64=uidb64, token=token, new_password=form.cleaned_data["new_password1"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("accounts:password_reset_complete")
    return render(
        request,
        "accounts/password_reset_confirm.html",
        {"form": form, "validlink": valid},
        status=200 if valid and not form.errors else 400,
    )


def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The code step after the password, for users with an authenticator app."""
    next_url = _next_url(request)
    if security.session_second_factor(request) != security.SECOND_FACTOR_PENDING:
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            security.totp_verify(
                user=request.user, code=form.cleaned_data["code"], ip=security.client_ip(request)
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            security.second_factor_passed(request)
            return redirect(next_url)
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: shows the QR code and secret; a correct code turns the factor on."""
    try:
        device = security.totp_setup_start(actor=request.user)
    except DomainError as error:
        messages.info(request, str(error.message))
        return redirect("accounts:profile")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            security.totp_confirm(
                actor=request.user, code=form.cleaned_data["code"], ip=security.client_ip(request)
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # The user has just proved they hold the device.
            security.second_factor_passed(request)
            messages.success(request, _("Two-step sign-in is on."))
            return redirect(_next_url(request, "accounts:profile"))
    context = {
        "form": form,
        "secret": device.secret,
        "qr_svg": security.totp_qr_svg(device),
        "required": security.second_factor_required(request.user),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


@require_POST
def otp_remove(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            security.totp_remove(
                actor=request.user, code=form.cleaned_data["code"], ip=security.client_ip(request)
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # If the policy requires a factor, the user is sent to set up a new one.
            request.session[security.SESSION_SECOND_FACTOR] = security.second_factor_state(
                request.user
            )
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:profile")
    return _render_profile(request, remove_form=form)


@require_http_methods(["GET", "POST"])
def security_policy(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "accounts.organisation.manage"):
        raise PermissionDenied
    policy = SecurityPolicy.current()
    form = SecurityPolicyForm(
        request.POST or None, instance=policy, initial={"version": policy.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            security.security_policy_update(
                actor=request.user,
                version=form.cleaned_data["version"],
                require_2fa_admins=form.cleaned_data["require_2fa_admins"],
                require_2fa_finance=form.cleaned_data["require_2fa_finance"],
                require_2fa_approvers=form.cleaned_data["require_2fa_approvers"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The security policy has been saved."))
            return redirect("accounts:security_policy")
    context = {"form": form, "history": history_for(policy)[:50]}
    return render(
        request, "accounts/security_policy.html", context, status=400 if form.errors else 200
    )
