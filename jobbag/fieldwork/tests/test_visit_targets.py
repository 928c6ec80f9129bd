"""Visit targets: the default from the settings, a manager's target for a person, and
visits (contact log kind "visit" the person took part in) counted against it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.clients.models import ContactLogEntry
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.fieldwork import selectors
from jobbag.fieldwork.models import FieldworkSettings, VisitTarget
from jobbag.fieldwork.services import fieldwork_settings_update, visit_target_set
from jobbag.fieldwork.tests.helpers import at, chain, log

pytestmark = pytest.mark.django_db


def test_visits_count_the_visits_made_the_person_took_part_in(cast, clientele):
    day = date(2026, 3, 10)
    log(clientele.company, cast.ae, when=at(day, 10))
    log(clientele.company, cast.ad, when=at(day, 14), staff=[cast.ae])
    log(clientele.company, cast.ae, when=at(day, 16), kind=ContactLogEntry.Kind.CALL)
    log(clientele.company, cast.ae, when=at(day, 16), kind=ContactLogEntry.Kind.RECEIVED)
    log(clientele.company, cast.ae, when=at(date(2026, 4, 1), 9))
    counts = selectors.visits_between([cast.ae.pk, cast.ad.pk], date(2026, 3, 1), date(2026, 3, 31))
    assert counts == {cast.ae.pk: 2, cast.ad.pk: 1}


def test_the_default_target_is_visits_per_day_times_working_days(cast):
    # March 2026 has 22 working days; the seeds ask ten visits a day.
    assert selectors.targets_for([cast.ae.pk], date(2026, 3, 15)) == {cast.ae.pk: (220, False)}
    fieldwork_settings_update(actor=cast.admin, expected_version=1, visits_per_day=4)
    assert selectors.targets_for([cast.ae.pk], date(2026, 3, 1)) == {cast.ae.pk: (88, False)}
    row = FieldworkSettings.current()
    assert AuditEntry.objects.get(object_id=str(row.pk), content_type__model="fieldworksettings")
    with pytest.raises(NotAllowed):
        fieldwork_settings_update(actor=cast.ad, expected_version=2, visits_per_day=1)
    with pytest.raises(DomainError):
        fieldwork_settings_update(actor=cast.admin, expected_version=2, visits_per_day=500)
    assert FieldworkSettings.current().visits_per_day == 4


def test_a_manager_sets_a_target_and_the_team_page_shows_visits_against_it(cast, clientele, login):
    chain(cast)
    today = timezone.localdate()
    log(clientele.company, cast.ae, when=timezone.now() - timedelta(minutes=5))
    response = login(cast.ad).post(
        reverse("fieldwork:target_set"),
        {"person": cast.ae.pk, "visits": 40, "month": f"{today:%Y-%m}"},
    )
    assert response.status_code == 302
    target = VisitTarget.objects.get()
    assert (target.staff, target.visits, target.month) == (cast.ae, 40, today.replace(day=1))
    assert AuditEntry.objects.filter(object_id=str(target.pk), action="create").exists()

    rows = login(cast.ad).get(reverse("fieldwork:team")).context["targets"]
    assert [(r["person"], r["visits"], r["target"], r["percent"]) for r in rows] == [
        (cast.ae, 1, 40, 2)
    ]
    mine = login(cast.ae).get(reverse("fieldwork:targets")).context["rows"]
    assert [(r["person"], r["target"]) for r in mine] == [(cast.ae, 40)]


def test_nobody_sets_their_own_or_a_strangers_target(cast, clientele, login):
    chain(cast)
    with pytest.raises(NotAllowed):
        visit_target_set(actor=cast.ae, person=cast.ae, month=date(2026, 3, 1), visits=1)
    with pytest.raises(NotAllowed):
        visit_target_set(actor=clientele.other_ae, person=cast.ae, month=date(2026, 3, 1), visits=1)
    response = login(clientele.other_ae).post(
        reverse("fieldwork:target_set"), {"person": cast.ae.pk, "visits": 5, "month": "2026-03"}
    )
    assert response.status_code == 404
    with pytest.raises(DomainError):
        visit_target_set(actor=cast.ad, person=cast.ae, month=date(2026, 3, 1), visits=-1)
    assert not VisitTarget.objects.exists()


def test_the_home_card_shows_todays_visits_and_report(cast, clientele, login):
    log(clientele.company, cast.ae, when=timezone.now() - timedelta(minutes=1))
    page = login(cast.ae).get(reverse("core:home")).content.decode()
    assert 'data-testid="home-fieldwork"' in page
    assert (
        'data-testid="home-fieldwork"'
        not in login(cast.designer).get(reverse("core:home")).content.decode()
    )


def test_targets_permission_matrix(cast, clientele):
    chain(cast)
    cast.other_ae = clientele.other_ae
    targets = reverse("fieldwork:targets")
    settings = reverse("fieldwork:settings_update")
    cases = []
    for role, see, configure in [
        ("anonymous", 302, 302),
        ("client", 404, 404),
        ("outsider", 404, 404),
        ("designer", 403, 403),
        ("other_ae", 200, 403),
        ("ae", 200, 403),
        ("ad", 200, 403),
        ("admin", 200, 302),
    ]:
        cases += [
            Case(role, "GET", targets, see),
            Case(role, "POST", settings, configure, {"visits_per_day": 8, "version": 1}),
        ]
    run_permission_matrix(cast, cases)
    assert FieldworkSettings.current().visits_per_day == 8
