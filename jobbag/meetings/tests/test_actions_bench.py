"""The benchmark's "my actions" operation on a tiny data set, so it cannot rot: its data,
its request and its raw SQL floor all run (timings are not under test)."""

import pytest

from jobbag.bench.data import data_load
from jobbag.bench.ops_actions import (
    ACTOR_OPEN_MIN,
    MY_ACTIONS,
    actions_count,
    actions_load,
    my_actions_floor,
)
from jobbag.bench.runner import run_operations
from jobbag.meetings.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_times_my_actions_beside_its_floor(fast_passwords):
    data = data_load(scale=0)
    visit = MY_ACTIONS.setup(data)
    assert Action.objects.count() == actions_count(0)
    mine = Action.objects.filter(owner=visit.user)
    assert mine.filter(status="open").count() == ACTOR_OPEN_MIN
    assert mine.exclude(status="open").count() == 2 * ACTOR_OPEN_MIN
    assert Action.objects.filter(side="client").exists()

    response = MY_ACTIONS.request(visit)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 3 * ACTOR_OPEN_MIN
    my_actions_floor(visit)

    # Loading again adds nothing; the runner gives the operation its figures.
    actions_load(data)
    assert Action.objects.count() == actions_count(0)
    (result,) = run_operations(data, requests=1, warmup=0, operations=[MY_ACTIONS])
    assert result.note == "" and result.queries > 0 and result.floor_p50_ms > 0
