"""The demo agency's rate card and tax profile (SPEC §7): hourly fees for print creative,
artwork and POP creative, per-piece prices for film and colour proofs, and a general
taxpayer's VAT 6% with the culture-construction fee of 3% as the default tax profile.
Running it again changes nothing."""

from decimal import Decimal

from django.db import transaction

from jobbag.finance.models import RateItem, TaxComponent, TaxProfile

RATE_CARD = [
    ("print-creative", "平面创意", "Print creative", RateItem.Unit.HOUR, "800.00"),
    ("artwork", "完稿制作", "Artwork", RateItem.Unit.HOUR, "300.00"),
    ("pop-creative", "POP创意", "POP creative", RateItem.Unit.HOUR, "600.00"),
    ("film", "菲林", "Film", RateItem.Unit.PIECE, "120.00"),
    ("colour-proof", "彩色打样", "Colour proof", RateItem.Unit.PIECE, "80.00"),
]
DEFAULT_PROFILE = ("general-vat6", "一般纳税人 VAT 6% + 文化事业建设费 3%")


@transaction.atomic
def finance_build() -> dict:
    """The demo rate card and default tax profile; returns them by code."""
    items = {}
    for code, name_zh, name_en, unit, price in RATE_CARD:
        items[code], _created = RateItem.objects.get_or_create(
            code=code,
            currency="CNY",
            company=None,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "unit": unit,
                "price": Decimal(price),
            },
        )
    code, name = DEFAULT_PROFILE
    profile, created = TaxProfile.objects.get_or_create(
        code=code, defaults={"name": name, "is_default": True}
    )
    if created:
        TaxProfile.objects.exclude(pk=profile.pk).update(is_default=False)
        TaxComponent.objects.bulk_create(
            [
                TaxComponent(
                    profile=profile, name="增值税", rate=Decimal("6.00"), charged=True, order=1
                ),
                TaxComponent(
                    profile=profile,
                    name="文化事业建设费",
                    rate=Decimal("3.00"),
                    charged=False,
                    order=2,
                ),
            ]
        )
    return {"rate_items": items, "tax_profile": profile}
