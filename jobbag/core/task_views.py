"""The failed-tasks page: administrators see tasks that gave up and run them again."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.core.errors import Conflict, NotAllowed, NotFound
from jobbag.core.permissions import require
from jobbag.core.tasks import (
    GAVE_UP_KEY,
    failed_task_results,
    task_args_summary,
    task_label,
    task_retry,
    traceback_excerpt,
)

PAGE_SIZE = 25

QUEUED_AGAIN = gettext_lazy("The task was queued to run again.")


@dataclass(frozen=True)
class FailedTaskRow:
    pk: str
    name: str
    arguments: str
    attempts: int
    gave_up: bool
    error_class: str
    traceback: str
    failed_at: datetime | None


def _row(result) -> FailedTaskRow:
    return FailedTaskRow(
        pk=str(result.pk),
        name=task_label(result),
        arguments=task_args_summary(result),
        attempts=len(result.worker_ids),
        gave_up=isinstance(result.return_value, dict) and GAVE_UP_KEY in result.return_value,
        error_class=result.exception_class_path,
        traceback=traceback_excerpt(result),
        failed_at=result.finished_at,
    )


@login_required
def failed_tasks(request):
    try:
        require(request.user, "core.tasks.view_failed")
    except NotAllowed:
        raise PermissionDenied from None
    page = Paginator(failed_task_results(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/failed_tasks.html",
        {
            "page_obj": page,
            "rows": [_row(result) for result in page],
            "max_attempts": settings.TASK_MAX_ATTEMPTS,
        },
    )


@login_required
@require_POST
def retry_task(request, pk):
    try:
        task_retry(actor=request.user, task_id=pk)
    except NotAllowed:
        raise PermissionDenied from None
    except NotFound:
        raise Http404 from None
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, QUEUED_AGAIN)
    return redirect("core:failed_tasks")
