"""API of account health under /api/v1/service/health/.

- GET `/health/`: the clients the caller sees with their signals, the most signals
  first (filters: `signal`, `q` client code or name, `everyone` to include the healthy).
- GET `/health/{company_id}`: one client's figures behind each signal.

Who sees what is service.health.permissions: anyone else (a client user, a designer)
gets 404, and a client outside the caller's scope is 404 too.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from jobbag.clients.models import Company
from jobbag.core.api_support import caller, errors
from jobbag.core.memo import remembered
from jobbag.core.permissions import can
from jobbag.service.health import selectors
from jobbag.service.health.selectors import Health
from jobbag.service.models import HealthSignal

router = Router(tags=["service"])


class SpendOut(Schema):
    source: str
    currency: str
    recent: Decimal
    previous: Decimal
    recent_start: date
    previous_start: date
    end: date
    drop_percent: Decimal | None
    falling: bool


class SatisfactionOut(Schema):
    measured: bool
    recent: Decimal | None
    previous: Decimal | None
    recent_responses: int
    previous_responses: int
    falling: bool


class ComplaintsOut(Schema):
    late: int
    oldest_due: datetime | None


class ContactOut(Schema):
    last_on: date | None
    source: str
    days: int | None
    quiet: bool


class HealthOut(Schema):
    company: int
    code: str
    name: str
    signals: list[str]
    spend: SpendOut
    satisfaction: SatisfactionOut
    complaints: ComplaintsOut
    contact: ContactOut


class HealthFilterIn(Schema):
    signal: str = ""
    q: str = ""
    everyone: bool = False


def _out(health: Health) -> dict:
    spend, csat = health.spend, health.satisfaction
    return {
        "company": health.company.pk,
        "code": health.company.code,
        "name": health.company.name,
        "signals": health.signals,
        "spend": spend.__dict__,
        "satisfaction": {
            "measured": csat.measured,
            "recent": csat.recent,
            "previous": csat.previous,
            "recent_responses": csat.recent_responses,
            "previous_responses": csat.previous_responses,
            "falling": csat.falling,
        },
        "complaints": {"late": health.complaints.count, "oldest_due": health.complaints.oldest_due},
        "contact": health.contact.__dict__,
    }


def _viewer(request: HttpRequest):
    user = caller(request)
    if not can(user, "service.health.view"):
        raise Http404()
    return user


@router.get("/health/", response={200: list[HealthOut], **errors(404)})
def health_list(request: HttpRequest, filters: Query[HealthFilterIn]):
    user = _viewer(request)
    signal = filters.signal if filters.signal in HealthSignal.values else ""
    wanted = selectors.Filters(signal=signal, q=filters.q, flagged_only=not filters.everyone)
    with remembered(user):
        return [_out(health) for health in selectors.overview(user, wanted)]


@router.get("/health/{int:company_id}", response={200: HealthOut, **errors(404)})
def health_detail(request: HttpRequest, company_id: int):
    user = _viewer(request)
    with remembered(user):
        company = selectors.company_for(user, company_id)
        if company is None:
            raise Http404()
        health = selectors.health_of(Company.objects.filter(pk=company.pk), now=timezone.now())
    return _out(health[0])
