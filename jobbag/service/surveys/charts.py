"""The trend chart drawn on the server as inline SVG (no chart library, no script):
one bar per month or quarter for CSAT (% of 4–5 answers, 0–100, left axis) and a line of
points for NPS (−100 to 100, right axis). Periods without answers have no bar and no
point. The template `service/surveys/_trend_chart.html` draws what `trend_chart` gives."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats

from jobbag.service.surveys.selectors import Measures

WIDTH = 720
HEIGHT = 240
LEFT = 40
RIGHT = 40
TOP = 12
BOTTOM = 36
MIN_BAR = 2


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    key: str
    measures: Measures
    nps_y: float | None
    centre: float


def _y_csat(value: Decimal) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot * (1 - float(value) / 100), 1)


def _y_nps(value: Decimal) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot * (1 - (float(value) + 100) / 200), 1)


def period_label(measures: Measures, period: str) -> str:
    day = measures.period
    if period == "quarter":
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return formats.date_format(day, "Y-m")


def trend_chart(series: list[Measures], *, period: str = "month") -> dict:
    """What the template needs to draw `series` (oldest first)."""
    count = max(len(series), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    bars: list[Bar] = []
    for index, measures in enumerate(series):
        x = LEFT + slot * index + slot * 0.2
        csat = measures.csat
        top = _y_csat(csat) if csat is not None else HEIGHT - BOTTOM
        if csat is not None:
            # A month of 0% still shows a sliver, so that it reads as measured, not empty.
            top = min(top, HEIGHT - BOTTOM - MIN_BAR)
        bars.append(
            Bar(
                x=round(x, 1),
                y=top,
                width=round(slot * 0.6, 1),
                height=round(HEIGHT - BOTTOM - top, 1),
                label=period_label(measures, period),
                key=measures.period.isoformat()[:7],
                measures=measures,
                nps_y=_y_nps(measures.nps) if measures.nps is not None else None,
                centre=round(x + slot * 0.3, 1),
            )
        )
    points = [bar for bar in bars if bar.nps_y is not None]
    label_every = max(1, len(bars) // 12)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right_x": WIDTH - RIGHT,
        "top": TOP,
        "base": HEIGHT - BOTTOM,
        "middle": _y_csat(Decimal(50)),
        "label_y": HEIGHT - BOTTOM + 16,
        "bars": bars,
        "labelled": {bar.key for i, bar in enumerate(bars) if i % label_every == 0},
        "nps_path": " ".join(f"{bar.centre},{bar.nps_y}" for bar in points),
        "has_data": any(bar.measures.responses for bar in bars),
    }
