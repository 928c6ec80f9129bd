"""The benchmark's "complaints list" operation on a tiny data set, so it cannot rot: its
data, its request and its raw SQL floor all run (timings are not under test)."""

import pytest

from jobbag.bench.data import data_load
from jobbag.bench.ops_complaints import COMPLAINTS_LIST, COMPLAINTS_MIN, complaints_floor
from jobbag.bench.runner import run_operations
from jobbag.service.models import Complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_times_the_complaints_list_beside_its_floor(fast_passwords):
    data = data_load(scale=0)
    visit = COMPLAINTS_LIST.setup(data)
    assert Complaint.objects.count() == COMPLAINTS_MIN
    assert visit.user.username == "lina"
    response = COMPLAINTS_LIST.request(visit)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 30
    complaints_floor(visit)
    # Set up again: nothing more is made; the runner gives the operation its figures.
    COMPLAINTS_LIST.setup(data)
    assert Complaint.objects.count() == COMPLAINTS_MIN
    (result,) = run_operations(data, requests=1, warmup=0, operations=[COMPLAINTS_LIST])
    assert result.note == "" and result.queries > 0 and result.floor_p50_ms > 0
