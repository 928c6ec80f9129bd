"""Read queries of surveys that pages, the API and other apps share.

Measures (all from answered surveys, by the month or quarter of the answer):

- CSAT: the share (%) of CSAT answers (1–5) that are 4 or 5, and their mean;
- NPS: % promoters (9–10) minus % detractors (0–6) of the NPS answers (0–10);
- response rate: answered / sent (withdrawn surveys not counted), by the send date.

Percentages and means are `Decimal`s with one decimal place (ROUND_HALF_UP); None
where there is nothing to measure.

For the account-health helper: `csat_by_month(company_ids, since)` (below).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from jobbag.core.permissions import visible
from jobbag.service.models import Survey, SurveyTemplate

PLACE = Decimal("0.1")
HUNDRED = Decimal(100)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(PLACE, rounding=ROUND_HALF_UP)


def one_place(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(PLACE, rounding=ROUND_HALF_UP)


def nps_of(promoters: int, detractors: int, answers: int) -> Decimal | None:
    if not answers:
        return None
    return (Decimal(promoters - detractors) * HUNDRED / Decimal(answers)).quantize(
        PLACE, rounding=ROUND_HALF_UP
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def quarter_start(day: date) -> date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def next_month(day: date) -> date:
    return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1, day=1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s month to `last`'s, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _answered(company_ids, since: date) -> QuerySet:
    rows = Survey.objects.filter(
        status=Survey.Status.ANSWERED, answered_at__gte=_local_midnight(since)
    )
    return rows if company_ids is None else rows.filter(company_id__in=list(company_ids))


def _measures() -> dict:
    return {
        "responses": Count("pk"),
        "csat_answers": Count("csat"),
        "csat_good": Count("pk", filter=Q(csat__gte=4)),
        "csat_mean": Avg("csat"),
        "nps_answers": Count("nps"),
        "promoters": Count("pk", filter=Q(nps__gte=9)),
        "detractors": Count("pk", filter=Q(nps__lte=6)),
    }


def csat_by_month(company_ids, since: date) -> dict[int, list[tuple[date, Decimal | None, int]]]:
    """CSAT per client and month, for the account-health helper.

    `company_ids`: the clients (an iterable of ids); `since`: the first day counted (its
    whole month is not implied: answers before `since` are left out).

    Returns {company_id: [(month, csat, responses), …]} with one entry per month from
    `since`'s month to the current month, oldest first, for every id asked (also those
    without answers): `month` is the month's first day; `csat` is the % (0–100, one
    decimal) of that month's CSAT answers that are 4 or 5, None when nobody gave a CSAT
    score that month; `responses` is the number of surveys answered that month (with or
    without a CSAT score). Months follow the local time zone. One query, whatever the
    number of clients. No permission check: the caller decides who sees the result.
    """
    ids = [int(pk) for pk in company_ids]
    months = months_between(since, timezone.localdate())
    found: dict[tuple[int, date], tuple[Decimal | None, int]] = {}
    if ids and months:
        rows = (
            _answered(ids, since)
            .annotate(month=TruncMonth("answered_at", output_field=DateField()))
            .values("company_id", "month")
            .annotate(
                responses=Count("pk"),
                csat_answers=Count("csat"),
                csat_good=Count("pk", filter=Q(csat__gte=4)),
            )
            .order_by()
        )
        for row in rows:
            found[(row["company_id"], row["month"])] = (
                percent(row["csat_good"], row["csat_answers"]),
                row["responses"],
            )
    return {pk: [(month, *found.get((pk, month), (None, 0))) for month in months] for pk in ids}


@dataclass
class Measures:
    """The measures of a set of surveys (a period, a client, everything)."""

    period: date | None = None
    sent: int = 0
    responses: int = 0
    csat_answers: int = 0
    csat_good: int = 0
    csat_mean: Decimal | None = None
    nps_answers: int = 0
    promoters: int = 0
    detractors: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def csat(self) -> Decimal | None:
        return percent(self.csat_good, self.csat_answers)

    @property
    def nps(self) -> Decimal | None:
        return nps_of(self.promoters, self.detractors, self.nps_answers)

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.responses, self.sent) if self.sent else None

    @classmethod
    def of(cls, row: dict, period: date | None = None) -> "Measures":
        return cls(
            period=period,
            responses=row["responses"],
            csat_answers=row["csat_answers"],
            csat_good=row["csat_good"],
            csat_mean=one_place(row["csat_mean"]),
            nps_answers=row["nps_answers"],
            promoters=row["promoters"],
            detractors=row["detractors"],
        )


PERIODS = {"month": TruncMonth, "quarter": TruncQuarter}


def trend(company_ids, *, since: date, period: str = "month") -> list[Measures]:
    """Measures per month (or quarter) from `since` to today, oldest first, empty periods
    included; `company_ids` None means every client. Two queries."""
    trunc = PERIODS[period]
    start = month_start(since) if period == "month" else quarter_start(since)
    today = timezone.localdate()
    rows = (
        _answered(company_ids, start)
        .annotate(period=trunc("answered_at", output_field=DateField()))
        .values("period")
        .annotate(**_measures())
        .order_by()
    )
    found = {row["period"]: Measures.of(row, row["period"]) for row in rows}
    sent_rows = _sent(company_ids, start).annotate(
        period=trunc("sent_at", output_field=DateField())
    )
    sent = {
        row["period"]: row["n"]
        for row in sent_rows.values("period").annotate(n=Count("pk")).order_by()
    }
    periods = months_between(start, today)
    if period == "quarter":
        periods = [month for month in periods if month.month in (1, 4, 7, 10)]
    result = []
    for start_day in periods:
        measures = found.get(start_day) or Measures(period=start_day)
        measures.sent = sent.get(start_day, 0)
        result.append(measures)
    return result


def _sent(company_ids, since: date) -> QuerySet:
    rows = Survey.objects.exclude(status=Survey.Status.CANCELLED).filter(
        sent_at__gte=_local_midnight(since)
    )
    return rows if company_ids is None else rows.filter(company_id__in=list(company_ids))


def by_client(company_ids, *, since: date) -> dict[int, Measures]:
    """Measures per client since `since` (company_ids None: every client). Two queries."""
    rows = _answered(company_ids, since).values("company_id").annotate(**_measures()).order_by()
    result = {row["company_id"]: Measures.of(row) for row in rows}
    for row in _sent(company_ids, since).values("company_id").annotate(n=Count("pk")).order_by():
        result.setdefault(row["company_id"], Measures()).sent = row["n"]
    return result


def visible_surveys(user) -> QuerySet:
    return visible(user, Survey.objects.all())


def survey_list(user, *, company_id: int | None = None, status: str = "") -> QuerySet:
    rows = visible_surveys(user).select_related("company", "job", "contact", "template")
    if company_id:
        rows = rows.filter(company_id=company_id)
    if status in Survey.Status.values:
        rows = rows.filter(status=status)
    return rows


def survey_detail(user, pk: int) -> Survey | None:
    return (
        visible_surveys(user)
        .select_related("company", "job", "contact", "template", "sent_by", "answered_by")
        .prefetch_related("answers__question")
        .filter(pk=pk)
        .first()
    )


def template_list(user) -> QuerySet:
    return (
        visible(user, SurveyTemplate.objects.all())
        .annotate(question_count=Count("questions", distinct=True))
        .select_related("created_by")
    )
