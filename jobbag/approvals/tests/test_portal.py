"""The client signs in the portal: the list of documents waiting for the company, the
document as signed with the decision form; another company and staff get 404."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobbag.approvals import services
from jobbag.approvals.models import Approval, Decision, SignoffStatus

pytestmark = pytest.mark.django_db


def at_client_step(chain, submitted, total="30000"):
    quote, approval = submitted(total)
    services.approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
    return quote, approval


def test_the_list_shows_only_what_waits_for_the_client(chain, cast, submitted, login):
    _q, internal = submitted("40000")
    _q, waiting = at_client_step(chain, submitted)
    client = login(cast.client)
    response = client.get("/portal/signoffs/")
    assert response.status_code == 200
    assert [a.pk for a in response.context["waiting"]] == [waiting.pk]
    assert f"/portal/signoffs/{waiting.pk}/" in response.content.decode()
    assert f"/portal/signoffs/{internal.pk}/" not in response.content.decode()
    # The other company's user sees none of it.
    assert login(cast.outsider).get("/portal/signoffs/").context["waiting"] == []
    # The portal home and menu lead there.
    home = client.get("/portal/").content.decode()
    assert 'href="/portal/signoffs/"' in home


def test_the_list_query_count_does_not_grow(chain, cast, submitted, login):
    at_client_step(chain, submitted)
    client = login(cast.client)
    client.get("/portal/signoffs/")
    with CaptureQueriesContext(connection) as one:
        client.get("/portal/signoffs/")
    for total in ["10000", "20000", "25000"]:
        at_client_step(chain, submitted, total)
    response = client.get("/portal/signoffs/")
    assert len(response.context["waiting"]) == 4
    with CaptureQueriesContext(connection) as four:
        client.get("/portal/signoffs/")
    assert len(four) == len(one)


def test_the_client_signs_the_document_as_shown(chain, cast, submitted, login):
    quote, approval = at_client_step(chain, submitted)
    client = login(cast.client)
    url = f"/portal/signoffs/{approval.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert approval.snapshot.content_hash in html
    assert 'data-testid="signed-total"' in html  # The snapshot's own content.
    assert 'data-testid="portal-decision-form"' in html
    response = client.post(
        url, {"outcome": "approve", "revision": approval.revision}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    decision = Decision.objects.get(method=Decision.Method.PORTAL)
    assert (decision.decided_by, decision.ip_address) == (cast.client, "203.0.113.9")
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.APPROVED
    assert quote.signed_back_at is not None
    # Signed: no form any more, the decision shows; a second post is a conflict.
    html = client.get(url).content.decode()
    assert 'data-testid="portal-decision-form"' not in html
    assert 'data-testid="portal-decisions"' in html
    response = client.post(url, {"outcome": "approve"})
    assert response.status_code == 409
    assert Decision.objects.filter(method=Decision.Method.PORTAL).count() == 1


def test_asking_for_changes_needs_comments(chain, cast, submitted, login):
    quote, approval = at_client_step(chain, submitted)
    client = login(cast.client)
    url = f"/portal/signoffs/{approval.pk}/"
    response = client.post(url, {"outcome": "return", "reason": ""})
    assert response.status_code == 400
    assert str(services.REASON_REQUIRED) in unescape(response.content.decode())
    assert not Decision.objects.filter(method=Decision.Method.PORTAL).exists()
    response = client.post(url, {"outcome": "return", "reason": "请把数量改为 500"})
    assert response.status_code == 302
    quote.refresh_from_db()
    approval.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.RETURNED
    assert approval.status == Approval.Status.RETURNED
    # A stale page (the revision changed) is a conflict.
    quote2, approval2 = at_client_step(chain, submitted, "20000")
    response = client.post(
        f"/portal/signoffs/{approval2.pk}/", {"outcome": "approve", "revision": 99}
    )
    assert response.status_code == 409


def test_before_the_client_step_there_is_nothing_to_sign(chain, cast, submitted, login):
    _q, approval = submitted("30000")
    client = login(cast.client)
    response = client.get(f"/portal/signoffs/{approval.pk}/")
    assert response.status_code == 200
    assert 'data-testid="portal-decision-form"' not in response.content.decode()
    response = client.post(f"/portal/signoffs/{approval.pk}/", {"outcome": "approve"})
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_another_company_and_staff_get_not_found(chain, cast, clientele, submitted, login):
    _q, approval = at_client_step(chain, submitted)
    url = f"/portal/signoffs/{approval.pk}/"
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.outsider).post(url, {"outcome": "approve"}).status_code == 404
    for user in [cast.ae, cast.admin, chain.dcs]:
        assert login(user).get(url).status_code == 404
        assert login(user).get("/portal/signoffs/").status_code == 404
    assert Decision.objects.count() == 1
    # And client users never reach the staff pages.
    assert login(cast.client).get(f"/signoff/{approval.pk}/").status_code == 404
    assert login(cast.client).get("/signoff/").status_code == 404
