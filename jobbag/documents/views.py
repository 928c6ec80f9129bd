"""Pages of the archive: search, one document (classification and evidence), its
content and files (logged), borrowing requests, my borrowings, the access log and the
confidentiality of each document type (admins)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from jobbag.approvals import registry
from jobbag.approvals.services import snapshot_verify
from jobbag.core.errors import NotAllowed
from jobbag.core.forms import submit
from jobbag.core.permissions import can
from jobbag.documents import selectors
from jobbag.documents.forms import ArchiveFilterForm, BorrowForm, LogFilterForm, RuleForm
from jobbag.documents.models import DEFAULT_LEVELS, AccessLog, DocumentTypeRule, Level
from jobbag.documents.permissions import access, right_to_open
from jobbag.documents.services import borrowing as borrowing_services
from jobbag.documents.services import filing
from jobbag.documents.services.access import document_open


def _require_staff(request) -> None:
    # Client users have no archive: the pages do not exist for them.
    if not can(request.user, "documents.archive.list"):
        raise Http404


def _document(request, pk: int):
    _require_staff(request)
    document = selectors.document_for(request.user, pk)
    if document is None:
        raise Http404
    return document


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@login_required
@require_safe
def archive(request):
    _require_staff(request)
    form = ArchiveFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.Filters()
    after = request.GET.get("after", "")
    page = selectors.archive_page(request.user, filters, after=after)
    params = request.GET.copy()
    params.pop("after", None)
    base = params.urlencode()
    context = {
        "form": form,
        "page": page,
        "after": after,
        "first_url": f"?{base}",
        "next_url": f"?{base}&after={page.next_cursor}" if page.next_cursor else "",
        "can_manage": can(request.user, "documents.rules.manage"),
        "can_log": can(request.user, "documents.access_log.view"),
    }
    return render(request, "documents/archive.html", context)


@login_required
@require_safe
def archive_detail(request, pk: int):
    document = _document(request, pk)
    allowed, borrowing = access(request.user, document)
    context = {
        "document": document,
        "allowed": allowed,
        "by_right": allowed and borrowing is None,
        "borrowing": borrowing,
        "my_borrowings": selectors.borrowings_of(request.user, document),
        "may_borrow": not allowed and can(request.user, "documents.borrowing.request", document),
        "can_log": can(request.user, "documents.access_log.view"),
    }
    if allowed:
        context["verified"] = snapshot_verify(document.snapshot)
        context["files"] = list(document.snapshot.files.all())
        context["approval"] = document.approval
        context["decisions"] = selectors.decisions_of(document)
    return render(request, "documents/archive_detail.html", context)


def _refused(request, document, error: NotAllowed):
    context = {"document": document, "error": error.message}
    return render(request, "documents/archive_refused.html", context, status=403)


@login_required
@require_safe
def archive_view(request, pk: int):
    """The signed content itself: logged, refused (and logged) when restricted."""
    document = _document(request, pk)
    try:
        log = document_open(
            actor=request.user, document=document, action=AccessLog.Action.VIEW, ip=_ip(request)
        )
    except NotAllowed as error:
        return _refused(request, document, error)
    context = {"document": document, "log": log}
    return render(request, "documents/archive_view.html", context)


@login_required
@require_safe
def archive_download(request, pk: int, file_pk: int):
    document = _document(request, pk)
    row = document.snapshot.files.filter(pk=file_pk).first()
    if row is None:
        raise Http404
    try:
        document_open(
            actor=request.user,
            document=document,
            action=AccessLog.Action.DOWNLOAD,
            file_name=row.name,
            ip=_ip(request),
        )
    except NotAllowed as error:
        return _refused(request, document, error)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)


@login_required
def borrow(request, pk: int):
    document = _document(request, pk)
    if right_to_open(request.user, document):
        return redirect("documents:archive_detail", document.pk)
    form = BorrowForm(request.POST or None)
    result = submit(
        request,
        form,
        lambda values, _version: borrowing_services.borrowing_request(
            actor=request.user, document=document, **values
        ),
        _("Your request was sent to your department head for approval."),
    )
    if result is not None:
        return redirect("documents:borrowings")
    context = {"document": document, "form": form}
    return render(request, "documents/borrow.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def borrowings(request):
    _require_staff(request)
    now = timezone.now()
    paginator = Paginator(selectors.my_borrowings(request.user), selectors.PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = [(b, b.state(now)) for b in page_obj]
    return render(request, "documents/borrowings.html", {"page_obj": page_obj, "rows": rows})


@login_required
@require_safe
def access_log(request):
    _require_staff(request)
    if not can(request.user, "documents.access_log.view"):
        raise PermissionDenied
    form = LogFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.LogFilters()
    paginator = Paginator(selectors.access_log(request.user, filters), selectors.LOG_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "documents/access_log.html", {"form": form, "page_obj": page_obj})


@login_required
def rules(request):
    _require_staff(request)
    if not can(request.user, "documents.rules.manage"):
        raise PermissionDenied
    form = RuleForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda values, _version: filing.rule_set(actor=request.user, **values),
        _("The confidentiality was saved."),
    )
    if done is not None:
        return redirect("documents:rules")
    set_levels = dict(DocumentTypeRule.objects.values_list("document_type", "level"))
    rows = []
    for kind in registry.document_types():
        level = set_levels.get(kind.document_type) or DEFAULT_LEVELS.get(
            kind.document_type, Level.INTERNAL
        )
        rows.append(
            {
                "type": kind.document_type,
                "label": kind.label,
                "level": Level(level).label,
                "is_default": kind.document_type not in set_levels,
            }
        )
    context = {"form": form, "rows": rows}
    return render(request, "documents/rules.html", context, status=400 if form.errors else 200)
