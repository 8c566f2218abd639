"""Timing for the benchmarks: the best of a few repeats, in one process."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best(fn: Callable[[], Any], repeats: int = 3) -> float:
    """The shortest of ``repeats`` runs of ``fn``, in seconds (noise only adds time)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
