"""The sign-off pages: inbox, home card, evidence page with its forms, the per-document
page, the status include, downloads; their refusals and their query budgets."""

import hashlib
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbag.accounts.models import Deputy
from jobbag.approvals import services
from jobbag.approvals.models import Approval, ApprovalStep, Decision, SignoffStatus
from jobbag.calendar.services import working_days_between

pytestmark = pytest.mark.django_db


def english(user):
    user.language = "en"
    user.save()
    return user


def text(response) -> str:
    return unescape(response.content.decode())


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Inbox ---------------------------------------------------------------------------------


def test_the_inbox_lists_what_waits_for_me_oldest_first(chain, cast, submitted, login):
    _q1, newer = submitted("30000")
    _q2, older = submitted("120000")
    started = timezone.now() - timedelta(days=9)
    ApprovalStep.objects.filter(approval=older, order=1).update(activated_at=started)
    client = login(english(chain.dcs))
    response = client.get("/signoff/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.approval for r in rows] == [older, newer]
    assert rows[0].waiting_days == working_days_between(
        timezone.localtime(started).date(), timezone.localdate()
    )
    assert rows[1].waiting_days == 0
    assert rows[0].deputy_for == []
    html = response.content.decode()
    assert html.count('data-testid="inbox-row"') == 2
    assert f"/signoff/{older.pk}/" in html
    assert "Haier Group" in html and "120,000.00" in html and str(cast.ae) in html
    assert "Quote" in html
    # Nothing for someone not asked.
    assert login(cast.designer).get("/signoff/").context["rows"] == []


def test_the_inbox_marks_what_i_sign_as_deputy(chain, cast, submitted, login):
    today = timezone.localdate()
    Deputy.objects.create(
        principal=chain.dcs, deputy=cast.ad, starts_on=today, ends_on=today, created_by=cast.admin
    )
    submitted("30000")
    response = login(english(cast.ad)).get("/signoff/")
    assert 'data-testid="inbox-deputy"' in text(response)
    assert f"as deputy for {chain.dcs}" in text(response)


def test_the_inbox_query_count_does_not_grow_with_rows(chain, cast, submitted, login):
    today = timezone.localdate()
    Deputy.objects.create(
        principal=chain.manager,
        deputy=chain.dcs,
        starts_on=today,
        ends_on=today,
        created_by=cast.admin,
    )
    submitted("30000")
    client = login(chain.dcs)
    client.get("/signoff/")  # Warms per-process caches (content types, calendar years).
    one = queries(client, "/signoff/")
    for total in ["20000", "40000", "10000"]:
        submitted(total)
    # One the dcs signs as the Marketing Manager's deputy.
    _q, approval = submitted("120000")
    services.approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
    client.get("/signoff/")
    assert len(client.get("/signoff/").context["rows"]) == 5
    assert queries(client, "/signoff/") == one


def test_the_inbox_is_paged_oldest_first_with_its_total(chain, cast, submitted, login, monkeypatch):
    from jobbag.approvals import views

    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 2)
    approvals = [submitted(total)[1] for total in ["10000", "20000", "30000"]]
    client = login(english(chain.dcs))

    first = client.get("/signoff/")
    second = client.get("/signoff/?page=2")

    assert [r.approval for r in first.context["rows"]] == approvals[:2]
    assert [r.approval for r in second.context["rows"]] == approvals[2:]
    assert 'data-testid="inbox-count">(3)' in text(first)
    assert "Page 1 of 2" in text(first) and "page=2" in text(first)


def test_the_home_card_counts_what_waits(chain, cast, submitted, login):
    submitted("30000")
    submitted("40000")
    response = login(english(chain.dcs)).get("/")
    assert "2 documents wait for your sign-off." in text(response)
    # No card for someone with nothing waiting.
    assert 'data-testid="home-signoff"' not in login(cast.designer).get("/").content.decode()


def test_the_menu_has_the_inbox_for_staff(cast, chain, login):
    response = login(cast.ae).get("/")
    assert 'href="/signoff/"' in text(response)
    assert 'href="/signoff/policies/"' not in text(response)
    assert 'href="/signoff/policies/"' in login(cast.admin).get("/").content.decode()


# Evidence page --------------------------------------------------------------------------


def test_the_evidence_page_shows_steps_seats_decisions_and_the_snapshot(
    chain, cast, submitted, login
):
    today = timezone.localdate()
    Deputy.objects.create(
        principal=chain.manager,
        deputy=cast.gm,
        starts_on=today,
        ends_on=today,
        created_by=cast.admin,
    )
    _quote, approval = submitted("120000")
    services.approval_decide(actor=chain.dcs, approval=approval, outcome="approve", ip="10.1.2.3")
    services.approval_decide(actor=cast.gm, approval=approval, outcome="approve")
    response = login(english(cast.ae)).get(f"/signoff/{approval.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert approval.title in html
    assert approval.snapshot.content_hash in html
    assert 'data-verified="true"' in html
    assert html.count('data-testid="evidence-step"') == 3
    assert html.count('data-testid="evidence-decision"') == 2
    assert str(chain.dcs) in html and str(chain.manager) in html
    assert f"as deputy for {chain.manager}" in html
    assert "10.1.2.3" in html
    assert "Signed in Jobbag" in html
    # The submitter may record the client's signed copy and withdraw; no decision form.
    assert 'data-testid="signed-copy-form"' in html
    assert 'data-testid="withdraw-form"' in html
    assert 'data-testid="decision-form"' not in html


def test_the_decision_form_shows_for_whoever_may_sign_now(chain, cast, submitted, login):
    _quote, approval = submitted("30000")
    html = login(chain.dcs).get(f"/signoff/{approval.pk}/").content.decode()
    assert 'data-testid="decision-form"' in html
    assert 'data-testid="withdraw-form"' not in html


def test_approving_on_the_page_records_the_decision_with_the_ip(chain, cast, submitted, login):
    _quote, approval = submitted("30000")
    client = login(chain.dcs)
    response = client.post(
        f"/signoff/{approval.pk}/decide/",
        {"outcome": "approve", "revision": approval.revision},
        REMOTE_ADDR="192.0.2.5",
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.decided_by, decision.ip_address) == (chain.dcs, "192.0.2.5")
    # The same click again: 409 with the message, nothing more written.
    response = client.post(
        f"/signoff/{approval.pk}/decide/", {"outcome": "approve", "revision": approval.revision}
    )
    assert response.status_code == 409
    assert str(services.ALREADY_DECIDED) in text(response)
    assert Decision.objects.count() == 1


def test_refusals_on_the_page_change_nothing(chain, cast, submitted, login):
    quote, approval = submitted("30000")
    url = f"/signoff/{approval.pk}/decide/"
    # A reason is required to reject or return.
    response = login(chain.dcs).post(url, {"outcome": "reject", "reason": ""})
    assert response.status_code == 400
    assert str(services.REASON_REQUIRED) in text(response)
    # A stale page.
    response = login(chain.dcs).post(url, {"outcome": "approve", "revision": 99})
    assert response.status_code == 409
    assert str(services.STALE) in text(response)
    # The wrong person (the submitter may see the page but not sign it).
    response = login(cast.ae).post(url, {"outcome": "approve"})
    assert response.status_code == 403
    assert str(services.NOT_YOUR_STEP) in text(response)
    # Someone who may not see it at all.
    assert login(cast.designer).post(url, {"outcome": "approve"}).status_code == 404
    assert not Decision.objects.exists()
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.SUBMITTED


def test_returning_on_the_page_needs_and_keeps_the_reason(chain, submitted, login):
    quote, approval = submitted("30000")
    response = login(chain.dcs).post(
        f"/signoff/{approval.pk}/decide/", {"outcome": "return", "reason": "单价有误"}
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.RETURNED
    assert Decision.objects.get().reason == "单价有误"


def test_uploading_the_clients_signed_copy(chain, cast, clientele, submitted, login):
    quote, approval = submitted("30000")
    services.approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
    content = b"%PDF-1.4 client signed"
    client = login(cast.ae)
    url = f"/signoff/{approval.pk}/signed-copy/"
    today = timezone.localdate()
    response = client.post(url, {"client_signer": "孙丽", "signed_on": today.isoformat()})
    assert response.status_code == 400
    assert str(services.SIGNED_COPY_REQUIRED) in text(response)
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("signed.pdf", content, content_type="application/pdf"),
            "client_signer": "孙丽",
            "signed_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(method=Decision.Method.SIGNED_COPY)
    assert decision.signed_copy_sha256 == hashlib.sha256(content).hexdigest()
    html = client.get(f"/signoff/{approval.pk}/").content.decode()
    assert decision.signed_copy_sha256 in html and "孙丽" in html
    download = client.get(f"/signoff/decisions/{decision.pk}/signed-copy/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert (
        login(clientele.other_ae).get(f"/signoff/decisions/{decision.pk}/signed-copy/").status_code
        == 404
    )
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.APPROVED


def test_withdrawing_on_the_page(chain, cast, submitted, login):
    quote, approval = submitted("30000")
    assert login(chain.dcs).post(f"/signoff/{approval.pk}/withdraw/").status_code == 403
    assert login(cast.ae).post(f"/signoff/{approval.pk}/withdraw/").status_code == 302
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.DRAFT
    assert login(cast.ae).post(f"/signoff/{approval.pk}/withdraw/").status_code == 409


def test_the_document_page_lists_every_approval_in_fixed_queries(chain, cast, submitted, login):
    quote, first = submitted("30000")
    client = login(cast.ae)
    url = f"/signoff/document/quote/{quote.pk}/"
    client.get(url)
    one = queries(client, url)
    services.approval_decide(actor=chain.dcs, approval=first, outcome="return", reason="再改")
    quote.refresh_from_db()
    second = services.approval_submit(actor=cast.ae, document=quote)
    services.approval_decide(actor=chain.dcs, approval=second, outcome="return", reason="再改")
    quote.refresh_from_db()
    services.approval_submit(actor=cast.ae, document=quote)
    response = client.get(url)
    html = response.content.decode()
    assert html.count('data-testid="evidence-approval"') == 3
    assert html.count('data-testid="evidence-decision"') == 2
    assert queries(client, url) == one
    # The evidence page of the first approval shows the same history.
    assert (
        client.get(f"/signoff/{first.pk}/")
        .content.decode()
        .count('data-testid="evidence-approval"')
        == 3
    )
    assert client.get("/signoff/document/quote/999999/").status_code == 404
    assert client.get(f"/signoff/document/nonsense/{quote.pk}/").status_code == 404


def test_the_evidence_page_shows_a_tampered_snapshot(chain, cast, submitted, login):
    from jobbag.approvals.models import Snapshot

    _quote, approval = submitted("30000")
    Snapshot.objects.filter(pk=approval.snapshot_id).update(html="<p>偷改</p>")
    html = login(cast.ae).get(f"/signoff/{approval.pk}/").content.decode()
    assert 'data-verified="false"' in html


def test_the_status_include(chain, cast, submitted):
    quote, approval = submitted("120000")
    english(cast.ae)
    request = RequestFactory().get("/")
    request.user = cast.ae
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string(
            "approvals/_signoff_status.html", {"approval": approval}, request=request
        )
        assert 'data-status="pending"' in html
        assert str(chain.dcs) in html
        assert f"/signoff/{approval.pk}/" in html
        services.approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
        approval.refresh_from_db()
        html = render_to_string("approvals/_signoff_status.html", {"approval": approval})
        assert str(chain.manager) in html and str(chain.dcs) not in html
        services.approval_decide(actor=chain.manager, approval=approval, outcome="approve")
        approval.refresh_from_db()
        html = render_to_string("approvals/_signoff_status.html", {"approval": approval})
        assert str(approval.company) in html
        html = render_to_string("approvals/_signoff_status.html", {"approval": None})
        assert "Not yet sent for sign-off." in html
    assert Approval.objects.count() == 1


def test_the_evidence_page_query_count_does_not_grow_with_decisions(chain, cast, submitted, login):
    _quote, approval = submitted("300000")
    client = login(cast.ae)
    url = f"/signoff/{approval.pk}/"
    client.get(url)
    none = queries(client, url)
    services.approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
    services.approval_decide(actor=chain.manager, approval=approval, outcome="approve")
    assert client.get(url).content.decode().count('data-testid="evidence-decision"') == 2
    assert queries(client, url) == none
