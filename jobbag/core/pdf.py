"""Printable documents (quotes, work orders, change notices, …) as PDFs with Chinese
text: a Django template rendered to HTML, then to PDF by WeasyPrint with the CJK font
installed at set-up (fonts-wqy-microhei). Nothing is fetched from the network."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


def _no_fetch(url: str, *args, **kwargs):
    # Documents embed everything they show; a stray link must never reach the network.
    raise ValueError(f"PDF documents do not load external resources ({url})")


def render_pdf(template: str, context: dict) -> bytes:
    """The PDF of `template` (which extends core/pdf_base.html) rendered with `context`."""
    from weasyprint import HTML  # Imported here: it loads Pango, which pages never need.

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    # Signed business documents are confidential: no shared cache may keep them.
    response["Cache-Control"] = "private, no-store"
    return response
