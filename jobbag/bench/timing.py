"""Timing helpers: run a call many times and summarise in milliseconds."""

import math
import time
from collections.abc import Callable


def time_calls(call: Callable[[], object], *, times: int, warmup: int) -> list[float]:
    """Milliseconds taken by each of `times` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


class QueryClock:
    """A database execute wrapper that adds up the time spent inside queries."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def time_queries(call: Callable[[], object], connection, *, times: int) -> list[float]:
    """Milliseconds spent in the database by each of `times` calls."""
    samples = []
    for _ in range(times):
        clock = QueryClock()
        with connection.execute_wrapper(clock):
            call()
        samples.append(clock.seconds * 1000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest sample at or above `fraction` of them."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
