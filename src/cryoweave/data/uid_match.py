"""Finding rows by ``uid``: hash tables built and probed with whole-array numpy steps.

A join must find, for each row of one dataset, the row with the same uid in
another. Sorting 64-bit uids costs O(n log n); a hash table costs one scatter to
build and one gather per lookup, and numpy does both at memory speed.

The table is a cascade of levels, each an array of row numbers. Level 0 has at
least four slots per uid; a uid goes to slot ``(uid * M) >> (64 - bits)``
(multiplicative hashing, which spreads random and sequential uids alike). When
several uids want one slot, one wins and the others go on to the next, smaller
level, hashed with another multiplier, until every uid has a slot. A lookup
that finds a free slot stops there: no uid that lost that slot went deeper.
Slots hold 32-bit row numbers, so a million-row table fits in the CPU's cache.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import DatasetError

Array = np.ndarray[Any, np.dtype[Any]]

_GOLDEN = 0x9E3779B97F4A7C15  # 2**64 / golden ratio, odd


class _Level:
    __slots__ = ("free", "multiplier", "rows", "shift")

    def __init__(self, count: int, depth: int, row_type: np.dtype[Any]) -> None:
        bits = max(int(4 * count - 1).bit_length(), 4)
        self.shift = np.uint64(64 - bits)
        self.multiplier = np.uint64((_GOLDEN * (2 * depth + 1)) % 2**64)  # odd at every depth
        self.free = np.iinfo(row_type).max
        self.rows = np.full(1 << bits, self.free, row_type)

    def slot_of(self, uids: Array) -> Array:
        return (uids * self.multiplier) >> self.shift


class UidTable:
    """Maps the uids of one dataset to their rows; refuses repeated uids."""

    def __init__(self, uids: Array, label: str) -> None:
        self._uids = np.ascontiguousarray(uids)
        self._row_type = np.dtype(np.uint32 if len(uids) < 2**32 - 1 else np.uint64)
        self._levels: list[_Level] = []
        waiting = np.arange(len(uids), dtype=self._row_type)
        waiting_uids = self._uids
        while len(waiting):
            level = _Level(len(waiting), len(self._levels), self._row_type)
            slot = level.slot_of(waiting_uids)
            level.rows[slot] = waiting  # one row wins each contested slot
            lost = level.rows[slot] != waiting
            losers = waiting[lost]
            # A repeated uid always wants the slot its twin took: its owner has its uid.
            twins = self._uids[level.rows[slot[lost]]] == waiting_uids[lost]
            if twins.any():
                example = int(self._uids[losers[twins][0]])
                raise DatasetError(
                    f"{label} has repeated uid(s), e.g. {example}; joining needs one row per uid"
                )
            self._levels.append(level)
            waiting, waiting_uids = losers, waiting_uids[lost]

    def find(self, uids: Array) -> Array:
        """The row of each uid in this table's dataset, or -1 where it is absent."""
        result = np.full(len(uids), -1, np.intp)
        pending: Array | None = None  # None: every query
        queries = uids
        for level in self._levels:
            rows = level.rows[level.slot_of(queries)]
            occupied = rows != level.free
            match = np.take(self._uids, rows, mode="clip") == queries
            match &= occupied
            if pending is None:
                result[match] = rows[match]
            else:
                result[pending[match]] = rows[match]
            going_on = occupied & ~match
            pending = np.flatnonzero(going_on) if pending is None else pending[going_on]
            if not len(pending):
                break
            queries = queries[going_on]
        return result


def matching_rows(table: UidTable, uids: Array, size: int, label: str) -> Array:
    """For each of the ``size`` rows of ``table``'s dataset, the row of ``uids`` with
    the same uid, or -1; refuses a uid that ``uids`` holds twice."""
    found_at = table.find(uids)
    matched = np.flatnonzero(found_at >= 0)
    result = np.full(size, -1, np.intp)
    result[found_at[matched]] = matched
    if np.count_nonzero(result >= 0) != len(matched):
        seen = np.sort(uids[matched])
        repeated = seen[1:][seen[1:] == seen[:-1]]
        raise DatasetError(
            f"{label} has repeated uid(s), e.g. {int(repeated[0])}; joining needs one row per uid"
        )
    return result
