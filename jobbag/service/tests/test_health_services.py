"""Account-health changes: the thresholds (admins only, validated, version-checked,
audited) and the daily record that tells the service team of a newly raised flag once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.core.sweeps import _daily
from jobbag.service.health.services import health_record, health_settings_set
from jobbag.service.models import Complaint, HealthSettings, HealthSnapshot
from jobbag.service.tests.health_fixtures import *  # noqa: F403
from jobbag.service.tests.health_fixtures import contact_log, days_ago

pytestmark = pytest.mark.django_db

VALUES = {"spend_months": 6, "spend_drop_percent": "25", "csat_drop": "7.5", "quiet_days": 30}


def test_an_admin_sets_the_thresholds_and_it_is_audited(cast):
    version = HealthSettings.current().version
    settings = health_settings_set(actor=cast.admin, expected_version=version, **VALUES)
    settings.refresh_from_db()
    assert (settings.spend_months, settings.quiet_days) == (6, 30)
    assert settings.spend_drop_percent == Decimal("25.00")
    assert settings.csat_drop == Decimal("7.50")
    assert settings.version == version + 1
    entry = AuditEntry.objects.get(object_id=str(settings.pk), action="change")
    assert entry.actor == cast.admin
    assert entry.changes["quiet_days"] == [45, 30]


@pytest.mark.parametrize("who", ["ae", "gm", "client"])
def test_nobody_but_an_admin_sets_them(cast, who):
    with pytest.raises(NotAllowed):
        health_settings_set(
            actor=getattr(cast, who), expected_version=HealthSettings.current().version, **VALUES
        )
    assert HealthSettings.current().quiet_days == 45


@pytest.mark.parametrize(
    "field, value",
    [
        ("spend_months", 0),
        ("spend_months", 13),
        ("spend_drop_percent", "0"),
        ("spend_drop_percent", "101"),
        ("spend_drop_percent", "abc"),
        ("csat_drop", "-1"),
        ("quiet_days", 0),
        ("quiet_days", "30"),
    ],
)
def test_malformed_thresholds_are_refused_and_change_nothing(cast, field, value):
    version = HealthSettings.current().version
    with pytest.raises(DomainError) as error:
        health_settings_set(actor=cast.admin, expected_version=version, **{**VALUES, field: value})
    assert field in error.value.fields
    assert HealthSettings.current().version == version


def test_a_stale_version_is_a_conflict(cast):
    version = HealthSettings.current().version
    health_settings_set(actor=cast.admin, expected_version=version, **VALUES)
    with pytest.raises(Conflict):
        health_settings_set(
            actor=cast.admin, expected_version=version, **{**VALUES, "quiet_days": 10}
        )
    assert HealthSettings.current().quiet_days == 30


def test_the_daily_record_tells_the_team_once_and_marks_the_recovery(health_world, cast):
    haier, nike = health_world.company, health_world.clientele.other_company
    assert health_record() == 1
    snapshot = HealthSnapshot.objects.get(company=haier)
    assert snapshot.signals == ["complaints", "contact"]
    assert not HealthSnapshot.objects.filter(company=nike).exists()
    told = Notification.objects.filter(link__endswith=f"/service/health/{haier.pk}/")
    assert {n.recipient for n in told} == {cast.ae, cast.ad}

    # The same day again: nothing new recorded, nobody told twice.
    assert health_record() == 0
    assert told.count() == 2

    # The next day, the complaint still late but contact made: no new flag, no notice.
    tomorrow = timezone.now() + timedelta(days=1)
    contact_log(haier, days_ago(0))
    assert health_record(now=tomorrow) == 1
    assert HealthSnapshot.objects.get(
        company=haier, taken_on=timezone.localdate(tomorrow)
    ).signals == ["complaints"]
    assert told.count() == 2

    # Then the complaint is resolved: an empty record marks the recovery, once.
    Complaint.objects.update(status="resolved")
    later = tomorrow + timedelta(days=1)
    assert health_record(now=later) == 1
    assert (
        HealthSnapshot.objects.get(company=haier, taken_on=timezone.localdate(later)).signals == []
    )
    assert health_record(now=later + timedelta(days=1)) == 0


def test_the_record_runs_as_a_daily_sweep(health_world):
    assert _daily["service.health_record"]() == 1
