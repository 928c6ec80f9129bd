"""The demo incentives: the two commission rules (shares adding up to 100%), this year's
targets for the account managers and executives, the bonus tiers; built once."""

from decimal import Decimal

from django.utils import timezone

from jobbag.finance.demo_incentives import incentives_build
from jobbag.finance.models import BonusTier, CommissionRule, Target


def test_the_demo_builds_rules_targets_and_tiers_once(cast, clientele):
    first = incentives_build()
    incentives_build()
    assert set(first["rules"]) == {"account", "project-split"}
    assert CommissionRule.objects.count() == 2
    for rule in CommissionRule.objects.prefetch_related("shares"):
        assert sum(share.share for share in rule.shares.all()) == Decimal("100")
    year = timezone.localdate().year
    # cast.ae is an AE; the other AE of the clientele too. No one else has a target.
    assert set(Target.objects.filter(year=year).values_list("user__username", flat=True)) == {
        "ae",
        "other_ae",
    }
    target = Target.objects.get(user=cast.ae)
    assert target.annual_amount == Decimal("800000.00")
    assert target.quarterly_minimum == Decimal("120000.00")
    assert BonusTier.objects.filter(year=year).count() == 3
