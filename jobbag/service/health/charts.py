"""The spend chart of a client's health page: monthly bars as inline SVG geometry,
computed here so the template only draws (no script, no chart library)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 600
HEIGHT = 160
TOP = 10
BOTTOM = 24


@dataclass
class Bar:
    month: date
    amount: Decimal
    x: int
    y: int
    width: int
    height: int
    recent: bool


def spend_bars(months: list[tuple[date, Decimal]], spend) -> list[Bar]:
    """One bar per month scaled to the largest; bars of the recent period marked."""
    if not months:
        return []
    largest = max((amount for _month, amount in months), default=Decimal(0))
    slot = WIDTH // len(months)
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for index, (month, amount) in enumerate(months):
        height = int(usable * amount / largest) if largest > 0 and amount > 0 else 0
        bars.append(
            Bar(
                month=month,
                amount=amount,
                x=index * slot + slot // 8,
                y=HEIGHT - BOTTOM - height,
                width=max(slot - slot // 4, 1),
                height=height,
                recent=month >= spend.recent_start.replace(day=1),
            )
        )
    return bars
