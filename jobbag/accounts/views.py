"""Pages for people and organisation: the staff directory, one's own deputies, and the
management pages admins use. Views are thin: forms parse, services decide."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.accounts import selectors, services
from jobbag.accounts.forms import (
    AuthorityLimitForm,
    ClientGroupForm,
    DepartmentForm,
    DeputyForm,
    DirectoryFilterForm,
    PositionForm,
    ServiceTeamEndForm,
    ServiceTeamForm,
    UserForm,
)
from jobbag.accounts.models import (
    AuthorityLimit,
    ClientGroup,
    Department,
    Deputy,
    Position,
    ServiceTeamMembership,
    User,
)
from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.forms import submit
from jobbag.core.permissions import can, visible

MANAGE = "accounts.organisation.manage"
PAGE_SIZE = 30


def rule_required(action: str):
    """Signed-in users for whom `action` holds; anyone else gets 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not can(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _paginate(request, queryset) -> dict:
    """A page of `queryset` and the query string (without `page`) its links keep."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {"page_obj": page, "querystring_without_page": f"{encoded}&" if encoded else ""}


def _bound(form_class, request, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def _run(request, call: Callable[[], object], success: str) -> bool:
    """Runs a service for a button press; a refusal becomes an error message."""
    try:
        call()
    except DomainError as error:
        # A bare refusal is a 403; a refusal with its own reason (such as deactivating
        # oneself) is explained to the user.
        if isinstance(error, NotAllowed) and error.code == NotAllowed.code:
            raise PermissionDenied from error
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def _form_page(request, form, *, title: str, back: str, obj=None, template=None, **extra):
    context = {
        "form": form,
        "title": title,
        "back_url": back,
        "object": obj,
        "history": history_for(obj) if obj is not None else None,
        **extra,
    }
    return render(request, template or "accounts/record_form.html", context)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


# Directory --------------------------------------------------------------------------------


@rule_required("accounts.directory.view")
def directory(request):
    """The staff directory; the search box refreshes only the result table (htmx)."""
    departments = selectors.departments_for_choice()
    form = DirectoryFilterForm(request.GET or None, departments=departments)
    # A bad filter value (a department since closed, say) is dropped; the others still apply.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    department = filters.get("department")
    users = selectors.directory_search(
        viewer=request.user,
        query=filters.get("q", ""),
        department_id=department.pk if department else None,
        role=filters.get("role", ""),
    )
    context = {"form": form, **_paginate(request, users)}
    if request.htmx and request.htmx.target == "directory-results":
        return render(request, "accounts/_directory_results.html", context)
    return render(request, "accounts/directory.html", context)


@rule_required("accounts.directory.view")
def user_detail(request, pk: int):
    person = selectors.user_for_viewer(viewer=request.user, pk=pk)
    if person is None:
        raise Http404
    detail = selectors.user_detail(user=person)
    context = {"detail": detail, "person": person, "can_manage": can(request.user, MANAGE)}
    return render(request, "accounts/user_detail.html", context)


# My deputies ------------------------------------------------------------------------------


@rule_required("accounts.deputy.manage_own")
def my_deputies(request):
    """Whom I name for my absences, and for whom I act."""
    form = _bound(DeputyForm, request, exclude=request.user)
    created = submit(
        request,
        form,
        lambda values, _version: services.deputy_create(
            actor=request.user, principal=request.user, **values
        ),
        _("Deputy named."),
    )
    if created is not None:
        return redirect("accounts:my_deputies")
    context = {
        "form": form,
        "today": timezone.localdate(),
        **selectors.my_deputies(user=request.user),
    }
    return render(request, "accounts/my_deputies.html", context)


@login_required
@require_POST
def deputy_cancel(request, pk: int):
    record = get_object_or_404(visible(request.user, Deputy.objects.all()), pk=pk)
    _run(
        request,
        lambda: services.deputy_cancel(actor=request.user, record=record),
        _("Deputy arrangement cancelled."),
    )
    return redirect(_safe_next(request, reverse("accounts:my_deputies")))


# Management -------------------------------------------------------------------------------


@rule_required(MANAGE)
def manage(request):
    return render(request, "accounts/manage.html")


@rule_required(MANAGE)
def department_list(request):
    return render(
        request, "accounts/department_list.html", {"departments": selectors.department_list()}
    )


@rule_required(MANAGE)
def department_create(request):
    form = _bound(DepartmentForm, request, creating=True)
    department = submit(
        request,
        form,
        lambda values, _version: services.department_create(actor=request.user, **values),
        _("Department saved."),
    )
    if department is not None:
        return redirect("accounts:department_edit", department.pk)
    return _form_page(request, form, title=_("New department"), back="accounts:department_list")


@rule_required(MANAGE)
def department_edit(request, pk: int):
    department = get_object_or_404(Department, pk=pk)
    fields = ["code", "name_zh", "name_en", "kind", "parent", "head", "is_active", "version"]
    form = _bound(
        DepartmentForm, request, initial={name: getattr(department, name) for name in fields}
    )
    saved = submit(
        request,
        form,
        lambda values, version: services.department_update(
            actor=request.user, department=department, expected_version=version, **values
        ),
        _("Department saved."),
    )
    if saved is not None:
        return redirect("accounts:department_edit", department.pk)
    return _form_page(
        request, form, title=str(department), back="accounts:department_list", obj=department
    )


@rule_required(MANAGE)
def position_list(request):
    return render(request, "accounts/position_list.html", {"positions": selectors.position_list()})


@rule_required(MANAGE)
def position_create(request):
    form = _bound(PositionForm, request)
    position = submit(
        request,
        form,
        lambda values, _version: services.position_create(actor=request.user, **values),
        _("Position saved."),
    )
    if position is not None:
        return redirect("accounts:position_edit", position.pk)
    return _form_page(request, form, title=_("New position"), back="accounts:position_list")


@rule_required(MANAGE)
def position_edit(request, pk: int):
    position = get_object_or_404(Position, pk=pk)
    fields = ["code", "name_zh", "name_en", "role", "department", "is_approver", "version"]
    form = _bound(PositionForm, request, initial={name: getattr(position, name) for name in fields})
    saved = submit(
        request,
        form,
        lambda values, version: services.position_update(
            actor=request.user, position=position, expected_version=version, **values
        ),
        _("Position saved."),
    )
    if saved is not None:
        return redirect("accounts:position_edit", position.pk)
    return _form_page(
        request, form, title=str(position), back="accounts:position_list", obj=position
    )


@rule_required(MANAGE)
def client_group_list(request):
    return render(
        request, "accounts/client_group_list.html", {"groups": selectors.client_group_list()}
    )


@rule_required(MANAGE)
def client_group_create(request):
    form = _bound(ClientGroupForm, request)
    group = submit(
        request,
        form,
        lambda values, _version: services.client_group_create(actor=request.user, **values),
        _("Client group saved."),
    )
    if group is not None:
        return redirect("accounts:client_group_edit", group.pk)
    return _form_page(request, form, title=_("New client group"), back="accounts:client_group_list")


def _client_group_page(request, group: ClientGroup, form, team_form):
    return _form_page(
        request,
        form,
        title=str(group),
        back="accounts:client_group_list",
        obj=group,
        template="accounts/client_group_form.html",
        team_form=team_form,
        team=selectors.service_team_of(group),
        end_form=ServiceTeamEndForm(),
        today=timezone.localdate(),
    )


@rule_required(MANAGE)
def client_group_edit(request, pk: int):
    group = get_object_or_404(ClientGroup, pk=pk)
    initial = {
        name: getattr(group, name)
        for name in ["code", "name_zh", "name_en", "department", "leader", "version"]
    }
    initial["members"] = list(group.members.all())
    form = _bound(ClientGroupForm, request, initial=initial)
    saved = submit(
        request,
        form,
        lambda values, version: services.client_group_update(
            actor=request.user, group=group, expected_version=version, **values
        ),
        _("Client group saved."),
    )
    if saved is not None:
        return redirect("accounts:client_group_edit", group.pk)
    return _client_group_page(request, group, form, ServiceTeamForm())


@rule_required(MANAGE)
@require_POST
def service_team_add(request, pk: int):
    group = get_object_or_404(ClientGroup, pk=pk)
    team_form = ServiceTeamForm(request.POST)
    added = submit(
        request,
        team_form,
        lambda values, _version: services.service_team_add(
            actor=request.user, client_group=group, **values
        ),
        _("Added to the service team."),
    )
    if added is not None:
        return redirect("accounts:client_group_edit", group.pk)
    initial = {
        name: getattr(group, name)
        for name in ["code", "name_zh", "name_en", "department", "leader", "version"]
    }
    initial["members"] = list(group.members.all())
    return _client_group_page(request, group, ClientGroupForm(initial=initial), team_form)


@rule_required(MANAGE)
@require_POST
def service_team_end(request, pk: int):
    membership = get_object_or_404(ServiceTeamMembership, pk=pk)
    form = ServiceTeamEndForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.service_team_end(
                actor=request.user, membership=membership, ends_on=form.cleaned_data["ends_on"]
            ),
            _("Taken off the service team."),
        )
    else:
        messages.error(request, _("Enter a valid date."))
    if membership.client_group_id:
        return redirect("accounts:client_group_edit", membership.client_group_id)
    return redirect("accounts:client_group_list")


@rule_required(MANAGE)
def user_list(request):
    status = request.GET.get("status", "active")
    users = selectors.user_list(viewer=request.user, query=request.GET.get("q", ""), status=status)
    context = {"status": status, "q": request.GET.get("q", ""), **_paginate(request, users)}
    return render(request, "accounts/user_list.html", context)


@rule_required(MANAGE)
def user_create(request):
    form = _bound(UserForm, request, initial={"language": settings.LANGUAGE_CODE})
    user = submit(
        request,
        form,
        lambda values, _version: services.user_create(actor=request.user, **values),
        _("User created."),
    )
    if user is not None:
        return redirect("accounts:user_edit", user.pk)
    return _form_page(request, form, title=_("New user"), back="accounts:user_list")


@rule_required(MANAGE)
def user_edit(request, pk: int):
    user = get_object_or_404(visible(request.user, User.objects.all()), pk=pk)
    fields = [
        "full_name",
        "email",
        "phone",
        "mobile",
        "department",
        "position",
        "reports_to",
        "language",
        "is_superuser",
        "version",
    ]
    form = _bound(
        UserForm, request, creating=False, initial={name: getattr(user, name) for name in fields}
    )
    saved = submit(
        request,
        form,
        lambda values, version: services.user_update(
            actor=request.user, user=user, expected_version=version, **values
        ),
        _("User saved."),
    )
    if saved is not None:
        return redirect("accounts:user_edit", user.pk)
    return _form_page(
        request,
        form,
        title=str(user),
        back="accounts:user_list",
        obj=user,
        template="accounts/user_form.html",
    )


def _confirm_user_change(request, pk: int, *, activate: bool):
    """GET asks for confirmation; POST deactivates or reactivates the user."""
    user = get_object_or_404(visible(request.user, User.objects.all()), pk=pk)
    if request.method == "POST":
        change = services.user_reactivate if activate else services.user_deactivate
        done = (
            _("User reactivated.")
            if activate
            else _("User deactivated: their sessions and API tokens have ended.")
        )
        _run(request, lambda: change(actor=request.user, user=user), done)
        return redirect("accounts:user_edit", user.pk)
    return render(request, "accounts/user_confirm.html", {"person": user, "activate": activate})


@rule_required(MANAGE)
def user_deactivate(request, pk: int):
    return _confirm_user_change(request, pk, activate=False)


@rule_required(MANAGE)
def user_reactivate(request, pk: int):
    return _confirm_user_change(request, pk, activate=True)


@rule_required(MANAGE)
def deputy_list(request):
    state = request.GET.get("state", "open")
    records = selectors.deputy_list(viewer=request.user, state=state)
    context = {"state": state, **_paginate(request, records)}
    return render(request, "accounts/deputy_list.html", context)


@rule_required(MANAGE)
def deputy_create(request):
    form = _bound(DeputyForm, request, for_anyone=True)
    record = submit(
        request,
        form,
        lambda values, _version: services.deputy_create(actor=request.user, **values),
        _("Deputy named."),
    )
    if record is not None:
        return redirect("accounts:deputy_list")
    return _form_page(request, form, title=_("Name a deputy"), back="accounts:deputy_list")


@rule_required(MANAGE)
def authority_limit_list(request):
    return render(
        request, "accounts/authority_list.html", {"limits": selectors.authority_limit_list()}
    )


@rule_required(MANAGE)
def authority_limit_create(request):
    form = _bound(AuthorityLimitForm, request, initial={"currency": "CNY"})
    limit = submit(
        request,
        form,
        lambda values, _version: services.authority_limit_set(actor=request.user, **values),
        _("Authority limit saved."),
    )
    if limit is not None:
        return redirect("accounts:authority_limit_list")
    return _form_page(
        request, form, title=_("New authority limit"), back="accounts:authority_limit_list"
    )


@rule_required(MANAGE)
def authority_limit_edit(request, pk: int):
    limit = get_object_or_404(AuthorityLimit.objects.select_related("position"), pk=pk)
    fields = ["position", "document_type", "currency", "max_amount", "version"]
    form = _bound(
        AuthorityLimitForm,
        request,
        creating=False,
        initial={name: getattr(limit, name) for name in fields},
    )
    saved = submit(
        request,
        form,
        lambda values, version: services.authority_limit_set(
            actor=request.user, expected_version=version, **values
        ),
        _("Authority limit saved."),
    )
    if saved is not None:
        return redirect("accounts:authority_limit_list")
    return _form_page(
        request,
        form,
        title=str(limit),
        back="accounts:authority_limit_list",
        obj=limit,
        template="accounts/authority_form.html",
    )


@rule_required(MANAGE)
@require_POST
def authority_limit_remove(request, pk: int):
    limit = get_object_or_404(AuthorityLimit, pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    _run(
        request,
        lambda: services.authority_limit_remove(
            actor=request.user, limit=limit, expected_version=version
        ),
        _("Authority limit removed."),
    )
    return redirect("accounts:authority_limit_list")
