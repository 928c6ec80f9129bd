"""The client's archive in the portal: their company's signed documents meant for them
(portal_rules), searched and paged newest first; one document's signed content; its
PDF and attached files. Every view and download is written to the archive's access log
with the client user. Staff have no portal (404); a document the client may not see
does not exist for them (404, and the attempt is logged as refused)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from jobbag.approvals import registry
from jobbag.core.errors import NotFound
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can
from jobbag.documents import selectors
from jobbag.documents.models import AccessLog, ArchivedDocument
from jobbag.documents.portal_rules import CLIENT_TYPES, portal_document_open
from jobbag.documents.portal_selectors import portal_page


class PortalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    document_type = forms.ChoiceField(label=_("Type"), required=False)
    since = forms.DateField(
        label=_("Signed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Signed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for k in registry.document_types() if k.document_type in CLIENT_TYPES]
        self.fields["document_type"].choices = [
            ("", _("All types")),
            *((k.document_type, k.label) for k in kinds),
        ]

    def filters(self) -> selectors.Filters:
        if not self.is_valid():
            return selectors.Filters()
        data = self.cleaned_data
        return selectors.Filters(
            q=data["q"] or "",
            document_type=data["document_type"] or "",
            since=data["since"],
            until=data["until"],
        )


def _client(request) -> None:
    if not (can(request.user, "portal.view") and can(request.user, "documents.portal.list")):
        raise Http404


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _opened(request, pk: int, action: str, file_name=None) -> ArchivedDocument:
    """The document, its opening logged (allowed or refused); 404 when refused.
    `file_name(document)` names what is downloaded."""
    _client(request)
    document = (
        ArchivedDocument.objects.filter(pk=pk)
        .select_related("brand", "snapshot")
        .prefetch_related("snapshot__files")
        .first()
    )
    if document is None:
        raise Http404
    try:
        portal_document_open(
            actor=request.user,
            document=document,
            action=action,
            file_name=file_name(document) if file_name else "",
            ip=_ip(request),
        )
    except NotFound as error:
        raise Http404 from error
    return document


@login_required
@require_safe
def archive(request):
    _client(request)
    form = PortalFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.Filters()
    after = request.GET.get("after", "")
    page = portal_page(request.user, filters, after=after)
    params = request.GET.copy()
    params.pop("after", None)
    base = params.urlencode()
    context = {
        "form": form,
        "page": page,
        "after": after,
        "first_url": f"?{base}",
        "next_url": f"?{base}&after={page.next_cursor}" if page.next_cursor else "",
    }
    return render(request, "documents/portal/archive.html", context)


@login_required
@require_safe
def archive_detail(request, pk: int):
    """The signed content itself (a logged view) with its PDF and files."""
    document = _opened(request, pk, AccessLog.Action.VIEW)
    context = {"document": document, "files": list(document.snapshot.files.all())}
    return render(request, "documents/portal/detail.html", context)


@login_required
@require_safe
def archive_pdf(request, pk: int):
    document = _opened(request, pk, AccessLog.Action.DOWNLOAD, lambda d: f"{d.number}.pdf")
    content = render_pdf("documents/portal/pdf.html", {"document": document})
    return pdf_response(content, f"{document.number}.pdf", inline=False)


@login_required
@require_safe
def archive_file(request, pk: int, file_pk: int):
    _client(request)
    document = ArchivedDocument.objects.filter(pk=pk).select_related("snapshot").first()
    row = document.snapshot.files.filter(pk=file_pk).first() if document else None
    if row is None:
        raise Http404
    _opened(request, pk, AccessLog.Action.DOWNLOAD, lambda _d: row.name)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)
