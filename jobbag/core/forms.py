"""What every page with a form does the same way: run the service, show its refusal."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from jobbag.core.errors import DomainError, NotAllowed


def show_refusal(form, error: DomainError) -> None:
    """Shows a service's refusal on the form: on the field it names, else above the form."""
    if not error.fields:
        form.add_error(None, str(error.message))
    for field, message in error.fields.items():
        form.add_error(field if field in form.fields else None, str(message))


def submit(request, form, call: Callable[[dict, int | None], object], success: str):
    """Runs the service `call(values, version)` for a valid POSTed form and returns its
    result, with `success` as a message; a refusal goes onto the form and gives None."""
    if request.method != "POST" or not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    version = values.pop("version", None)
    try:
        result = call(values, version)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        show_refusal(form, error)
        return None
    messages.success(request, success)
    return result


def export_url(request) -> str:
    """This page's address asking for its .xlsx export, with the same filters."""
    params = request.GET.copy()
    params.pop("page", None)
    params["export"] = "xlsx"
    return f"?{params.urlencode()}"


def act(request, call: Callable[[], object], success: str) -> bool:
    """Runs a form-less service action (a button): success or the refusal becomes a
    message, for the caller to redirect after (so a reload re-sends nothing)."""
    try:
        call()
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
        return False
    messages.success(request, success)
    return True
