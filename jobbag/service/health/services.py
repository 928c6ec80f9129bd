"""Account health changes: admins set the thresholds; the daily sweep records each
client's flags once a day and tells the client's service team of a flag newly raised."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import Company
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.service.health.selectors import health_of
from jobbag.service.models import HealthSettings, HealthSignal, HealthSnapshot
from jobbag.service.team import team

MONTHS_RANGE = _("Compare over 1 to 12 months.")
DROP_RANGE = _("Enter a percentage above 0 and at most 100.")
CSAT_RANGE = _("Enter a number of points above 0 and at most 100.")
DAYS_RANGE = _("Enter a number of days from 1 to 365.")
INVALID = _("Correct the fields marked.")

LOOK_BACK = timedelta(days=90)
SETTING_FIELDS = ["spend_months", "spend_drop_percent", "csat_drop", "quiet_days"]


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (ArithmeticError, ValueError, TypeError):
        return None


@transaction.atomic
def health_settings_set(
    *,
    actor,
    expected_version: int | None,
    spend_months,
    spend_drop_percent,
    csat_drop,
    quiet_days,
) -> HealthSettings:
    """Changes the thresholds (admins), at the version the editor loaded."""
    require(actor, "service.health.settings")
    errors = {}
    if not (isinstance(spend_months, int) and 1 <= spend_months <= 12):
        errors["spend_months"] = MONTHS_RANGE
    drop = _decimal(spend_drop_percent)
    if drop is None or not Decimal(0) < drop <= 100:
        errors["spend_drop_percent"] = DROP_RANGE
    csat = _decimal(csat_drop)
    if csat is None or not Decimal(0) < csat <= 100:
        errors["csat_drop"] = CSAT_RANGE
    if not (isinstance(quiet_days, int) and 1 <= quiet_days <= 365):
        errors["quiet_days"] = DAYS_RANGE
    if errors:
        raise DomainError(INVALID, fields=errors)
    current = HealthSettings.current()
    settings = HealthSettings.objects.select_for_update().get(pk=current.pk)
    if expected_version is None or settings.version != expected_version:
        raise Conflict()
    before = audit.snapshot(settings, SETTING_FIELDS)
    settings.spend_months = spend_months
    settings.spend_drop_percent = drop
    settings.csat_drop = csat
    settings.quiet_days = quiet_days
    save_versioned(settings, expected_version=expected_version, fields=SETTING_FIELDS)
    audit.record_change(actor=actor, obj=settings, before=before)
    return settings


def _latest_before(day: date) -> dict[int, list[str]]:
    """Each client's signals as last recorded before `day` (within LOOK_BACK: a flagged
    client is recorded every day, so an older record means it has been healthy since)."""
    latest: dict[int, list[str]] = {}
    rows = (
        HealthSnapshot.objects.filter(taken_on__lt=day, taken_on__gte=day - LOOK_BACK)
        .order_by("company_id", "-taken_on", "-pk")
        .values_list("company_id", "signals")
    )
    for company_id, signals in rows.iterator(chunk_size=2000):
        latest.setdefault(company_id, signals)
    return latest


def _message(company: Company, signals: list[str]):
    def build() -> str:
        labels = "、".join(str(HealthSignal(s).label) for s in signals)
        return gettext("Account health of %(client)s: %(signals)s.") % {
            "client": company,
            "signals": labels,
        }

    return build


def health_record(*, now: datetime | None = None) -> int:
    """Records today's flags of every active client that is flagged, or was flagged when
    last recorded (an empty record marks its recovery), and tells the service team of
    the signals newly raised. Once a day: a client recorded today is skipped, so a second
    run (or a redo after a dead worker) tells nobody twice. Returns how many clients
    were recorded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = set(HealthSnapshot.objects.filter(taken_on=today).values_list("company_id", flat=True))
    before = _latest_before(today)
    companies = Company.objects.filter(status=Company.Status.ACTIVE).order_by("pk")
    recorded = 0
    for health in health_of(companies, now=now):
        company = health.company
        if company.pk in done:
            continue
        previous = before.get(company.pk, [])
        if not health.signals and not previous:
            continue
        try:
            with transaction.atomic():
                HealthSnapshot.objects.create(
                    company=company, taken_on=today, signals=health.signals
                )
                raised = [s for s in health.signals if s not in previous]
                members = team(company) if raised else []
                if members:
                    notify(
                        recipients=members,
                        message=_message(company, raised),
                        link=reverse("service:health_client", args=[company.pk]),
                    )
        except IntegrityError:
            # Another run recorded this client today meanwhile: it told the team.
            continue
        recorded += 1
    return recorded
