"""The demo agency's sales incentives (SPEC §7): the "account 5%" commission all to the
project owner, a project split among AE, client director, copy, design and CD, this
year's contract targets for the account managers and executives (annual, with a
quarterly minimum), and the year-end bonus tiers on gross margin. The commissions of the
demo jobs already signed back are derived at once. Running it again changes nothing."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jobbag.accounts.models import Role, User
from jobbag.finance.models import BonusTier, CommissionRule, CommissionShare, Target
from jobbag.finance.services.incentives import commissions_refresh_all

RULES = [
    ("account", "客户提成 5%（项目负责人）", "5.00", {"owner": "100"}),
    (
        "project-split",
        "项目分成 2%（AE、客户总监、文案、设计、创意总监）",
        "2.00",
        {
            "ae": "30",
            "client_director": "20",
            "copywriter": "15",
            "designer": "20",
            "creative_director": "15",
        },
    ),
]
# Annual contract target by role; each quarter must bring at least 60% of a quarter's share.
TARGETS = {Role.AM: Decimal("1200000.00"), Role.AE: Decimal("800000.00")}
QUARTER_MINIMUM = Decimal("0.15")
# Gross margin from → bonus as a percentage of the margin.
TIERS = [("0.00", "1.00"), ("300000.00", "3.00"), ("800000.00", "5.00")]


@transaction.atomic
def incentives_build() -> dict:
    """The demo commission rules, this year's targets and bonus tiers; returns them."""
    rules = {}
    for code, name, rate, shares in RULES:
        rule, created = CommissionRule.objects.get_or_create(
            code=code, defaults={"name": name, "rate": Decimal(rate)}
        )
        if created:
            CommissionShare.objects.bulk_create(
                CommissionShare(rule=rule, participant=participant, share=Decimal(share))
                for participant, share in shares.items()
            )
        rules[code] = rule
    year = timezone.localdate().year
    people = User.objects.filter(
        kind=User.Kind.STAFF, is_active=True, position__role__in=list(TARGETS)
    ).select_related("position")
    targets = []
    for person in people:
        annual = TARGETS[person.position.role]
        target, _created = Target.objects.get_or_create(
            user=person,
            year=year,
            defaults={"annual_amount": annual, "quarterly_minimum": annual * QUARTER_MINIMUM},
        )
        targets.append(target)
    tiers = [
        BonusTier.objects.get_or_create(
            year=year, min_margin=Decimal(floor), defaults={"rate": Decimal(rate)}
        )[0]
        for floor, rate in TIERS
    ]
    refreshed = commissions_refresh_all()
    return {"rules": rules, "targets": targets, "tiers": tiers, "jobs_refreshed": refreshed}
