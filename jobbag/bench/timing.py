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


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest sample at or above `fraction` of them."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
