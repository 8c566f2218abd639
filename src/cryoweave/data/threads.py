"""Whole-array steps spread over the CPU's cores.

numpy releases the GIL in gathers, scatters and comparisons, and the compiled
uid kernels release it too, so large joins use every core for their
memory-bound steps. Small inputs stay on the calling thread: handing work to a
thread costs more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

import numpy as np

# Below this many rows, work stays on the calling thread.
PARALLEL_ROWS = 1 << 16

T = TypeVar("T")
R = TypeVar("R")


def workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers(), thread_name_prefix="cryoweave")


def parallel_map(fn: Callable[[T], R], items: Iterable[T], rows: int) -> list[R]:
    """``[fn(item) for item in items]``, on threads when ``rows`` make the work large."""
    if rows < PARALLEL_ROWS or workers() == 1:
        return [fn(item) for item in items]
    return list(_pool().map(fn, items))


def split(size: int, rows: int | None = None) -> list[tuple[int, int]]:
    """``range(size)`` cut into one ``(start, stop)`` part per worker (one part when
    ``rows``, by default ``size``, make the work small)."""
    parts = workers() if (size if rows is None else rows) >= PARALLEL_ROWS else 1
    edges = np.linspace(0, size, parts + 1).astype(int)
    return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))
