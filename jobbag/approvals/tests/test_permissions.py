"""Who may open and use the sign-off pages, portal pages and API: the whole cast, plus
the department head (`dcs`) who signs the quote."""

import pytest

from jobbag.approvals import services
from jobbag.core.testing import Case, run_permission_matrix

pytestmark = pytest.mark.django_db

STAFF = ["ae", "ad", "gm", "designer", "finance", "admin", "dcs"]
CLIENTS = ["client", "outsider"]
# Who may see the quote's evidence: its submitter, its signer, whoever sees the job
# (the client's team, management, finance) and administrators; not the designer.
SEES_EVIDENCE = {"ae", "ad", "gm", "finance", "admin", "dcs"}


def cases_for(quote, approval, at_client) -> list[Case]:
    pk = approval.pk
    cases = []
    for role in STAFF:
        sees = role in SEES_EVIDENCE
        cases += [
            Case(role, "GET", "/signoff/", 200),
            Case(role, "GET", f"/signoff/{pk}/", 200 if sees else 404),
            Case(role, "GET", f"/signoff/document/quote/{quote.pk}/", 200 if sees else 404),
            Case(role, "GET", "/signoff/policies/", 200 if role == "admin" else 404),
            Case(role, "GET", "/signoff/policies/new/", 200 if role == "admin" else 404),
            Case(role, "GET", "/portal/signoffs/", 404),
            Case(role, "GET", f"/portal/signoffs/{at_client.pk}/", 404),
            Case(role, "GET", "/api/v1/signoff/inbox", 200),
            Case(role, "GET", f"/api/v1/signoff/{pk}", 200 if sees else 404),
            Case(role, "GET", "/api/v1/signoff/portal/waiting", 403),
            Case(
                role,
                "POST",
                f"/api/v1/signoff/{at_client.pk}/client-decisions",
                403,
                {"outcome": "approve"},
            ),
            # The wrong person is refused on the page (or it does not exist for them)…
            Case(
                role,
                "POST",
                f"/signoff/{pk}/decide/",
                404 if not sees else 302 if role == "dcs" else 403,
                {"outcome": "approve"},
            ),
        ]
        if role != "dcs":
            # …and over the API (the dcs, last in STAFF, signs on the page).
            cases.append(
                Case(role, "POST", f"/api/v1/signoff/{pk}/decisions", 403, {"outcome": "approve"})
            )
    for role in CLIENTS:
        own = role == "client"
        cases += [
            Case(role, "GET", "/signoff/", 404),
            Case(role, "GET", f"/signoff/{pk}/", 404),
            Case(role, "GET", f"/signoff/document/quote/{quote.pk}/", 404),
            Case(role, "GET", "/signoff/policies/", 404),
            Case(role, "POST", f"/signoff/{pk}/decide/", 404, {"outcome": "approve"}),
            Case(role, "GET", "/portal/signoffs/", 200),
            Case(role, "GET", f"/portal/signoffs/{at_client.pk}/", 200 if own else 404),
            Case(role, "GET", "/api/v1/signoff/inbox", 403),
            Case(role, "GET", f"/api/v1/signoff/{pk}", 404),
            Case(role, "GET", "/api/v1/signoff/portal/waiting", 200),
            Case(role, "POST", f"/api/v1/signoff/{pk}/decisions", 403, {"outcome": "approve"}),
            Case(role, "POST", f"/api/v1/signoff/{pk}/withdraw", 404),
        ]
    cases += [
        Case("anonymous", "GET", "/signoff/", 302),
        Case("anonymous", "GET", f"/signoff/{pk}/", 302),
        Case("anonymous", "GET", "/portal/signoffs/", 302),
        Case("anonymous", "GET", "/api/v1/signoff/inbox", 401),
    ]
    return cases


def test_the_permission_matrix(chain, cast, submitted):
    cast.dcs = chain.dcs
    quote, approval = submitted("30000")
    _other, at_client = submitted("20000")
    services.approval_decide(actor=chain.dcs, approval=at_client, outcome="approve")
    run_permission_matrix(cast, cases_for(quote, approval, at_client))
