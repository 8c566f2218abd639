"""Timing for the benchmarks (the best of a few repeats, in one process) and the data
they share."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from cryoweave import Dataset
from cryoweave.demo import particles


def best(fn: Callable[[], Any], repeats: int = 3, budget: float = 0.5) -> float:
    """The shortest run of ``fn``, in seconds (noise only adds time).

    At least ``repeats`` runs, more while they take under ``budget`` seconds in all
    (at most 50): a fast operation gets enough runs to see past the machine's bursts
    of noise, which last longer than a few of its runs.
    """
    times: list[float] = []
    while len(times) < repeats or (sum(times) < budget and len(times) < 50):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_fresh(make: Callable[[], Any], act: Callable[[Any], Any], repeats: int = 3) -> float:
    """The shortest run of ``act(make())``, timing ``act`` alone: for verbs that change
    the dataset they are given (each run gets a fresh one)."""
    times: list[float] = []
    for _ in range(repeats):
        subject = make()
        start = time.perf_counter()
        act(subject)
        times.append(time.perf_counter() - start)
    return min(times)


def scratch_dir(needed_bytes: int) -> Path | None:
    """``/dev/shm`` when it can hold the files, else None (the system's temp folder).

    Both peers write the same bytes; the disk's writeback would add the same noise
    to both sides of every ratio.
    """
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and shutil.disk_usage(shm).free > needed_bytes else None


def join_inputs(rows: int) -> list[Dataset]:
    """The three inputs the join benchmarks share: blob+ctf; alignments3D, shuffled;
    location, shuffled and 10% short."""
    rng = np.random.default_rng(1)
    first = particles(rows, ["blob", "ctf"], seed=1)
    uids = first["uid"]
    second = particles(rows, ["alignments3D"], seed=2, uids=rng.permutation(uids))
    kept = rng.permutation(uids)[: rows - rows // 10]
    third = particles(len(kept), ["location"], seed=3, uids=kept)
    return [first, second, third]
