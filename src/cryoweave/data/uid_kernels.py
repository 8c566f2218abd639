"""The compiled loops behind ``uid_match``: hash-table build and probe.

numba compiles these to machine code on first use (cached on disk afterwards);
they never run as Python loops. They release the GIL, so several threads can
probe one table at once. Kept apart from ``uid_match`` because importing numba
takes a fifth of a second, paid only when a join first needs it.

The table is open addressing with linear probing: ``slots[h]`` holds a row
number of the table's uids, or -1 for a free slot; a uid starts at slot
``mix(uid) >> shift``. Tables have at least four slots per uid, so runs of
occupied slots stay short.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd
_FOLD = np.uint64(32)


@njit(nogil=True, cache=True, inline="always")
def _start(uid, shift):  # type: ignore[no-untyped-def]
    # Fold the high half into the low half, then multiply: uids that differ
    # only in high bits, or only in low bits, both spread over the table.
    return np.intp(((uid ^ (uid >> _FOLD)) * _GOLDEN) >> shift)


@njit(nogil=True, cache=True, inline="always")
def _enter(source, uids, slots, shift, row):  # type: ignore[no-untyped-def]
    # Copy row's uid into uids and enter it; False when the table holds it already.
    mask = slots.shape[0] - 1
    uid = source[row]
    uids[row] = uid
    h = _start(uid, shift)
    while True:
        held = slots[h]
        if held < 0:
            slots[h] = row
            return True
        if uids[held] == uid:
            return False
        h = (h + 1) & mask


@njit(nogil=True, cache=True)
def build(source, uids, slots, shift):  # type: ignore[no-untyped-def]
    """Copy ``source`` (a uid field, often strided) into ``uids`` and enter every
    row; return -1, or the row of the first repeated uid."""
    for row in range(source.shape[0]):
        if not _enter(source, uids, slots, shift, row):
            return row
    return -1


@njit(nogil=True, cache=True)
def mark_first(source, uids, slots, shift, first):  # type: ignore[no-untyped-def]
    """Like ``build``, but a repeated uid is not entered again: ``first[row]`` is True
    for the first row of each uid, False for its repeats."""
    for row in range(source.shape[0]):
        first[row] = _enter(source, uids, slots, shift, row)


@njit(nogil=True, cache=True)
def scatter_matches(uids, slots, shift, queries, start, stop, out):  # type: ignore[no-untyped-def]
    """For each query row ``j`` in ``[start, stop)`` whose uid the table holds at
    row ``r``, set ``out[r] = j``. Return the number of matches.

    A uid that ``queries`` holds twice writes one ``out[r]`` twice, so fewer
    entries of ``out`` are set than matches counted: the caller's check.
    """
    mask = slots.shape[0] - 1
    matched = 0
    for j in range(start, stop):
        uid = queries[j]
        h = _start(uid, shift)
        while True:
            held = slots[h]
            if held < 0:
                break
            if uids[held] == uid:
                out[held] = j
                matched += 1
                break
            h = (h + 1) & mask
    return matched
