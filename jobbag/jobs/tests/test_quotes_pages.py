"""The quote pages: the quotes panel of the job page, the editor (htmx lines, taxes,
totals, sign-off, next version), the PDF and the prepayment forms; who may do what."""

import datetime
import re
import shutil
import subprocess
import zlib
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.jobs.models import Job, QuoteLine, QuoteVersion
from jobbag.jobs.services import quotes
from jobbag.jobs.tests.test_quotes_helpers import approve, client_decides, quote_of, rates
from jobbag.jobs.views.quotes import panel_context, render_panel

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def card(chain):
    return rates()


@pytest.fixture
def quote(chain, cast, card):
    return quote_of(cast.ae, chain.job, 1000)


def url(name: str, *args) -> str:
    return reverse(f"jobs:{name}", args=args)


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def line_data(quote, **values) -> dict:
    return {
        "kind": "external",
        "description": "门店物料",
        "quantity": "2",
        "unit_price": "500",
        "markup_percent": "10",
        "version": quote.version,
        **values,
    }


def test_the_editor_shows_lines_taxes_and_totals(login, cast, quote):
    response = login(cast.ae).get(url("quote_detail", quote.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "门店POP制作" in body
    assert 'data-testid="quote-line-form"' in body
    assert "增值税" in body and "文化事业建设费" in body
    assert "¥1,060.00" in body
    assert 'data-testid="quote-submit"' in body


def test_a_reader_sees_the_quote_without_forms(login, cast, quote):
    response = login(cast.finance).get(url("quote_detail", quote.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "门店POP制作" in body
    assert 'data-testid="quote-line-form"' not in body
    assert 'data-testid="quote-submit"' not in body


def test_it_adds_a_line_with_htmx(login, cast, quote):
    response = login(cast.ae).post(url("quote_line_add", quote.pk), line_data(quote), **HTMX)
    assert response.status_code == 200
    assert 'id="quote-editor"' in response.content.decode()
    line = quote.lines.get(description="门店物料")
    assert line.amount == Decimal("1100.00")
    quote.refresh_from_db()
    assert quote.net_total == Decimal("2100.00")
    assert "¥2,226.00" in response.content.decode()


def test_a_refused_line_shows_why_and_adds_nothing(login, cast, quote):
    english(cast.ae)
    client = login(cast.ae)
    data = line_data(quote, kind="time", unit_price="", rate_item="")
    response = client.post(url("quote_line_add", quote.pk), data, **HTMX)
    assert response.status_code == 200
    assert str(quotes.RATE_ITEM_NEEDED) in response.content.decode()
    response = client.post(url("quote_line_add", quote.pk), data)
    assert response.status_code == 400
    assert quote.lines.count() == 1


def test_it_picks_a_rate_card_item(login, cast, quote, card):
    film = card["rate_items"]["film"]
    data = line_data(quote, kind="piece", rate_item=film.pk, unit_price="", description="")
    response = login(cast.ae).post(url("quote_line_add", quote.pk), data)
    assert response.status_code == 302
    line = quote.lines.get(rate_item=film)
    assert line.unit_price == Decimal("120.00") and line.amount == Decimal("240.00")


def test_it_edits_and_removes_a_line_with_htmx(login, cast, quote):
    client = login(cast.ae)
    line = quote.lines.get()
    response = client.get(url("quote_line_edit", quote.pk, line.pk), **HTMX)
    assert response.status_code == 200
    assert 'data-testid="quote-line-edit-form"' in response.content.decode()
    data = line_data(quote, kind="external", quantity="3", unit_price="1000", markup_percent="")
    response = client.post(url("quote_line_edit", quote.pk, line.pk), data, **HTMX)
    assert response.status_code == 200
    line.refresh_from_db()
    assert line.amount == Decimal("3000.00")
    quote.refresh_from_db()
    response = client.post(
        url("quote_line_remove", quote.pk, line.pk), {"version": quote.version}, **HTMX
    )
    assert response.status_code == 200
    assert not QuoteLine.objects.filter(pk=line.pk).exists()
    assert 'data-testid="quote-no-lines"' in response.content.decode()


def test_a_stale_quote_form_is_a_conflict(login, cast, quote):
    client = login(cast.ae)
    stale = quote.version
    client.post(url("quote_line_add", quote.pk), line_data(quote))
    response = client.post(
        url("quote_edit", quote.pk), {"notes": "含运输", "version": stale, "tax_profile": ""}
    )
    assert response.status_code == 409
    quote.refresh_from_db()
    assert quote.notes == ""


def test_it_saves_taxes_validity_and_notes(login, cast, quote):
    valid = timezone.localdate() + datetime.timedelta(days=20)
    data = {
        "tax_profile": quote.tax_profile_id,
        "valid_until": valid.isoformat(),
        "notes": "含运输安装",
        "client_feedback": "",
        "version": quote.version,
    }
    response = login(cast.ae).post(url("quote_edit", quote.pk), data, **HTMX)
    assert response.status_code == 200
    quote.refresh_from_db()
    assert quote.valid_until == valid and quote.notes == "含运输安装"


def test_it_sends_the_quote_for_sign_off(login, cast, quote):
    response = login(cast.ae).post(url("quote_submit", quote.pk))
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.SUBMITTED
    response = login(cast.ae).get(url("quote_detail", quote.pk))
    body = response.content.decode()
    assert 'data-testid="quote-evidence"' in body
    assert 'data-testid="quote-line-form"' not in body


def test_an_empty_quote_is_refused_with_its_reason(login, cast, chain, card):
    english(cast.ae)
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    client = login(cast.ae)
    response = client.post(url("quote_submit", quote.pk), follow=True)
    assert str(quotes.EMPTY_QUOTE) in response.content.decode()
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.DRAFT


def test_the_next_version_shows_what_the_client_asked(login, cast, chain, quote):
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approve(approval, chain.dcs)
    client_decides(approval, cast.client, "return", "请减少打样数量")
    client = login(cast.ae)
    page = client.get(url("quote_detail", quote.pk)).content.decode()
    assert 'data-testid="quote-new-version"' in page
    response = client.post(url("quote_new", chain.job.pk))
    second = QuoteVersion.objects.get(job=chain.job, number=2)
    assert response.status_code == 302 and response["Location"] == url("quote_detail", second.pk)
    page = client.get(url("quote_detail", second.pk)).content.decode()
    assert 'data-testid="previous-feedback"' in page
    assert "请减少打样数量" in page


def test_the_pdf_is_printable(login, cast, quote):
    response = login(cast.ae).get(url("quote_pdf", quote.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:4] == b"%PDF"
    assert response["Cache-Control"] == "private, no-store"
    assert embeds_chinese_font(response.content)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "门店POP制作" in text and "海尔集团" in text


def embeds_chinese_font(content: bytes) -> bool:
    """Whether the PDF embeds the CJK font (its font objects are in compressed streams)."""
    if b"WenQuanYi" in content:
        return True
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            if b"WenQuanYi" in zlib.decompress(match.group(1)):
                return True
        except zlib.error:
            continue
    return False


def test_the_pdf_of_a_signed_quote_lists_its_signatures(login, cast, chain, quote):
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approve(approval, chain.dcs)
    client_decides(approval, cast.client)
    response = login(cast.finance).get(url("quote_pdf", quote.pk))
    assert response.status_code == 200 and response.content[:4] == b"%PDF"


def test_prepayment_forms(login, cast, chain):
    response = login(cast.ae).post(url("prepayment_require", chain.job.pk), {"amount": "8000"})
    assert response.status_code == 302
    chain.job.refresh_from_db()
    assert chain.job.prepayment_required == Decimal("8000.00")
    response = login(cast.designer).post(
        url("prepayment_record", chain.job.pk), {"received_on": timezone.localdate()}
    )
    assert response.status_code == 404
    response = login(cast.finance).post(
        url("prepayment_record", chain.job.pk), {"received_on": timezone.localdate()}
    )
    assert response.status_code == 302
    chain.job.refresh_from_db()
    assert chain.job.prepayment_received_on == timezone.localdate()


# The panel on the job page ---------------------------------------------------------------


def panel_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_panel_lists_versions_with_their_sign_off(cast, chain, quote):
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approve(approval, chain.dcs)
    client_decides(approval, cast.client, "return", "数量减半")
    quotes.quote_create(actor=cast.ae, job=chain.job)
    html = render_panel(panel_request(cast.ae), chain.job)
    assert html.count('data-testid="quote-version"') == 2
    assert reverse("approvals:detail", args=[approval.pk]) in html
    assert "数量减半" in html


def test_the_job_page_shows_the_quotes_panel(login, cast, chain, quote):
    response = login(cast.ae).get(reverse("jobs:detail", args=[chain.job.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="panel-quotes"' in body
    assert 'data-testid="quote-version"' in body
    assert url("quote_detail", quote.pk) in body


def test_the_panel_is_hidden_from_those_who_do_not_see_the_job(cast, chain, card):
    assert panel_context(panel_request(cast.designer), chain.job) is None
    context = panel_context(panel_request(cast.finance), chain.job)
    assert context is not None and not context["can_edit"]
    assert 'data-testid="quote-new"' not in render_panel(panel_request(cast.finance), chain.job)


def test_the_panel_offers_the_first_quote(cast, chain, card):
    html = render_panel(panel_request(cast.ae), chain.job)
    assert 'data-testid="quote-new"' in html


def add_versions(cast, chain, count: int) -> None:
    """`count` versions, each returned by the client, with three lines each."""
    for number in range(count):
        quote = quote_of(cast.ae, chain.job, 1000 + number)
        for _ in range(2):
            quotes.quote_line_add(
                actor=cast.ae,
                quote=quote,
                kind="external",
                quantity=1,
                unit_price=1,
                description="x",
            )
        approval = quotes.quote_submit(actor=cast.ae, quote=quote)
        approve(approval, chain.dcs)
        client_decides(approval, cast.client, "return", f"第{number + 1}版意见")


PANEL_QUERIES = 9
EDITOR_QUERIES = 22


def test_the_panel_reads_a_fixed_number_of_queries(cast, chain, card, django_assert_num_queries):
    add_versions(cast, chain, 1)
    render_panel(panel_request(cast.ae), chain.job)
    with django_assert_num_queries(PANEL_QUERIES):
        render_panel(panel_request(cast.ae), Job.objects.get(pk=chain.job.pk))
    add_versions(cast, chain, 3)
    with django_assert_num_queries(PANEL_QUERIES):
        render_panel(panel_request(cast.ae), Job.objects.get(pk=chain.job.pk))


def test_the_editor_reads_a_fixed_number_of_queries(
    login, cast, chain, card, django_assert_num_queries
):
    quote = quote_of(cast.ae, chain.job, 1000)
    client = login(cast.ae)
    client.get(url("quote_detail", quote.pk))
    with django_assert_num_queries(EDITOR_QUERIES):
        assert client.get(url("quote_detail", quote.pk)).status_code == 200
    for _ in range(8):
        quotes.quote_line_add(
            actor=cast.ae, quote=quote, kind="external", quantity=1, unit_price=1, description="x"
        )
    with django_assert_num_queries(EDITOR_QUERIES):
        assert client.get(url("quote_detail", quote.pk)).status_code == 200


# Who may do what ---------------------------------------------------------------------------


def test_permission_matrix(cast, chain, quote):
    detail = url("quote_detail", quote.pk)
    pdf = url("quote_pdf", quote.pk)
    add = url("quote_line_add", quote.pk)
    # No version: the editors' POSTs follow each other.
    data = {k: v for k, v in line_data(quote).items() if k != "version"}
    cases = [Case("anonymous", "GET", detail, 302)]
    for role in ["ae", "ad", "gm", "admin", "finance"]:
        cases.append(Case(role, "GET", detail, 200))
    for role in ["designer", "client", "outsider"]:
        cases += [Case(role, "GET", detail, 404), Case(role, "GET", pdf, 404)]
        cases.append(Case(role, "POST", add, 404, data))
    cases.append(Case("finance", "POST", add, 403, data))
    cases.append(Case("finance", "POST", url("quote_new", chain.job.pk), 403))
    cases.append(Case("finance", "POST", url("quote_submit", quote.pk), 403))
    cases.append(Case("designer", "POST", url("quote_new", chain.job.pk), 404))
    cases.append(Case("ae", "POST", add, 302, data))
    cases.append(Case("ad", "POST", add, 302, data))
    run_permission_matrix(cast, cases)
    assert quote.lines.count() == 3
