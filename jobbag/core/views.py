from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jobbag.accounts.services import user_set_language
from jobbag.core import home as home_sections
from jobbag.core.notifications import notification_mark_read, notifications_for


@login_required
def home(request):
    """The role's home page: each section registered in core.home that applies to the user."""
    return render(
        request,
        "core/home.html",
        {"sections": home_sections.sections_for(request), "today": timezone.localdate()},
    )


@require_POST
def set_language(request):
    """Switches the interface language and keeps the choice on the user."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    response = redirect(next_url)
    if language not in dict(translation.trans_real.get_languages()):
        return response
    if request.user.is_authenticated:
        user_set_language(actor=request.user, language=language)
    translation.activate(language)
    response.set_cookie("django_language", language, samesite="Lax", max_age=365 * 24 * 3600)
    return response


@login_required
def notifications(request):
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page_obj": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification_mark_read(user=request.user, pk=pk)
    if request.htmx:
        return render(request, "core/_notification_read.html")
    return redirect("core:notifications")
