"""Helpers the quotes tests share (no tests here): the demo rate card and tax profile,
a quote of a given net amount, and walking its sign-off."""

from decimal import Decimal

from jobbag.approvals.models import Approval
from jobbag.approvals.services import approval_client_decide, approval_decide
from jobbag.finance.demo import finance_build
from jobbag.jobs.models import QuoteLine, QuoteVersion
from jobbag.jobs.services import quotes


def rates() -> dict:
    """The demo rate card and default tax profile (VAT 6% charged, culture fee 3% not)."""
    return finance_build()


def quote_of(actor, job, net, *, description: str = "门店POP制作") -> QuoteVersion:
    """A new draft version with one external-cost line making `net` (no markup)."""
    quote = quotes.quote_create(actor=actor, job=job)
    quotes.quote_line_add(
        actor=actor,
        quote=quote,
        kind=QuoteLine.Kind.EXTERNAL,
        quantity=1,
        unit_price=Decimal(str(net)),
        description=description,
    )
    quote.refresh_from_db()
    return quote


def approve(approval: Approval, *signers) -> None:
    for signer in signers:
        approval_decide(actor=signer, approval=approval, outcome="approve")


def client_decides(approval: Approval, client, outcome: str = "approve", reason: str = ""):
    return approval_client_decide(actor=client, approval=approval, outcome=outcome, reason=reason)


def signed_quote(chain, cast, net=30000) -> QuoteVersion:
    """A quote of `net` made by cast.ae, signed by the department head and the client."""
    quote = quote_of(cast.ae, chain.job, net)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approve(approval, chain.dcs)
    client_decides(approval, cast.client)
    quote.refresh_from_db()
    return quote
