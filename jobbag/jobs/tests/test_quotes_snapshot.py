"""The snapshot of a quote sent for sign-off: what the client reads in the portal and
what the evidence page shows, frozen with its hash."""

import json

import pytest

from jobbag.approvals.services import snapshot_verify
from jobbag.jobs.models import QuoteLine
from jobbag.jobs.services import quotes
from jobbag.jobs.tests.test_quotes_helpers import quote_of, rates


@pytest.fixture(autouse=True)
def card(chain):
    return rates()


def test_the_snapshot_holds_the_quote_as_signed(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 20000, description="卖场堆头制作")
    quotes.quote_line_add(
        actor=cast.ae,
        quote=quote,
        kind=QuoteLine.Kind.TIME,
        quantity=5,
        rate_item=card["rate_items"]["print-creative"],
    )
    quote.refresh_from_db()
    quote = quotes.quote_update(
        actor=cast.ae, quote=quote, expected_version=quote.version, notes="报价含设计与制作"
    )
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    snapshot = approval.snapshot
    data = snapshot.data
    assert data["job"] == "HAIER-2026-0001"
    assert data["client"] == "海尔集团" and data["client_code"] == "HAIER"
    assert data["version"] == 1
    assert [line["description"] for line in data["lines"]] == ["卖场堆头制作", "平面创意"]
    assert data["lines"][1]["code"] == "print-creative"
    assert data["net_total"] == "24000.00"
    assert data["total"] == "25440.00"
    assert data["notes"] == "报价含设计与制作"
    assert json.loads(json.dumps(data)) == data
    html = snapshot.html
    for text in ["HAIER-2026-0001", "海尔集团", "卖场堆头制作", "平面创意", "报价含设计与制作"]:
        assert text in html
    assert "¥25,440.00" in html
    assert "增值税" in html
    # The culture-construction fee is the agency's own cost: the client does not see it.
    assert "文化事业建设费 3.00%" not in html
    assert snapshot_verify(snapshot)


def test_a_later_change_of_the_rate_card_leaves_the_snapshot_alone(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 20000)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    film = card["rate_items"]["film"]
    film.price = 1
    film.save()
    approval.snapshot.refresh_from_db()
    assert snapshot_verify(approval.snapshot)
