"""Runs each registered operation and its floor the same way, in the same process."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from jobbag.bench.operations import OPERATIONS, BenchData, Operation, Unavailable
from jobbag.bench.timing import percentile, time_calls, time_queries


@dataclass
class Result:
    operation: str
    scale: int
    requests: int
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    db_p50_ms: float | None = None
    floor_p50_ms: float | None = None
    floor_p95_ms: float | None = None
    ratio: float | None = None
    db_ratio: float | None = None
    note: str = ""


def run_operations(
    data: BenchData,
    *,
    requests: int,
    warmup: int = 3,
    operations: list[Operation] | None = None,
) -> list[Result]:
    # The test client speaks as "testserver", which the settings do not list.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        return [
            run_operation(operation, data, requests=requests, warmup=warmup)
            for operation in (OPERATIONS if operations is None else operations)
        ]


def run_operation(operation: Operation, data: BenchData, *, requests: int, warmup: int) -> Result:
    """Times one operation; a missing or broken feature becomes a note, never an error."""
    result = Result(operation=operation.name, scale=data.scale, requests=requests)
    try:
        state = operation.setup(data)
        response = operation.request(state)
    except Unavailable as exc:
        result.note = str(exc)
        return result
    # The benchmark reports a failing operation and goes on to the next one.
    except Exception as exc:
        result.note = f"failed: {type(exc).__name__}: {exc}"[:200]
        return result
    if response.status_code != operation.expected_status:
        result.note = f"HTTP {response.status_code}, expected {operation.expected_status}"
        return result

    # Queries are counted on a request of their own so that capturing them does not
    # slow the timed ones.
    with CaptureQueriesContext(connection) as captured:
        operation.request(state)
    result.queries = len(captured.captured_queries)

    samples = time_calls(lambda: operation.request(state), times=requests, warmup=warmup)
    # The database's share of each request, timed apart so the clock does not slow the
    # requests above: the ORM's queries are what the floor's hand-written SQL stands for.
    in_db = time_queries(lambda: operation.request(state), connection, times=requests)
    floor = time_calls(lambda: operation.floor_sql(state), times=requests, warmup=warmup)
    result.p50_ms = round(percentile(samples, 0.5), 2)
    result.p95_ms = round(percentile(samples, 0.95), 2)
    result.floor_p50_ms = round(percentile(floor, 0.5), 2)
    result.floor_p95_ms = round(percentile(floor, 0.95), 2)
    result.db_p50_ms = round(percentile(in_db, 0.5), 2)
    result.ratio = round(percentile(samples, 0.5) / percentile(floor, 0.5), 1)
    result.db_ratio = round(percentile(in_db, 0.5) / percentile(floor, 0.5), 1)
    return result
