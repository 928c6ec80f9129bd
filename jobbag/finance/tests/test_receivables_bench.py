"""The benchmark's "receivables ageing" operation on a tiny data set, so it cannot rot:
its data, its request and its raw SQL floor all run (timings are not under test)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from jobbag.bench.data import data_load
from jobbag.bench.ops_receivables import (
    AGEING_SQL,
    RECEIVABLES_AGEING,
    ageing_floor,
    receivables_count,
    receivables_load,
)
from jobbag.bench.runner import run_operations
from jobbag.finance.models import Invoice, PaymentAllocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_times_the_ageing_beside_its_floor(fast_passwords):
    data = data_load(scale=0)
    visit = RECEIVABLES_AGEING.setup(data)
    assert Invoice.objects.count() == receivables_count(0)
    assert Invoice.objects.filter(settled_on__isnull=True).exists()
    assert PaymentAllocation.objects.exists()

    response = RECEIVABLES_AGEING.request(visit)
    assert response.status_code == 200
    ageing = response.context["ageing"]
    ageing_floor(visit)
    # The floor computes the same figures as the page.
    today = timezone.localdate()
    params = {"d": today}
    for days in (30, 60, 90):
        params[f"d{days}"] = today - timedelta(days=days)
    with connection.cursor() as cursor:
        cursor.execute(AGEING_SQL, params)
        floor = {
            row[0]: [Decimal(str(value)).quantize(Decimal("0.01")) for value in row[2:]]
            for row in cursor.fetchall()
        }
    assert floor == {row.company.pk: row.buckets for row in ageing.rows}

    receivables_load(data)
    assert Invoice.objects.count() == receivables_count(0)
    (result,) = run_operations(data, requests=1, warmup=0, operations=[RECEIVABLES_AGEING])
    assert result.note == "" and result.queries > 0 and result.floor_p50_ms > 0
