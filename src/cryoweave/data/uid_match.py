"""Finding rows by ``uid``: hash tables built and probed with whole-array numpy steps.

A join must find, for each row of one dataset, the row with the same uid in
another. Sorting 64-bit uids costs O(n log n); a hash table costs one scatter to
build and one gather per lookup, and numpy does both at memory speed.

The table is a cascade of levels. Level 0 has at least four slots per uid; a
uid goes to slot ``(uid * M) >> (64 - bits)`` (multiplicative hashing, which
spreads random and sequential uids alike). When several uids want one slot, one
wins and the others go on to the next, smaller level, hashed with another
multiplier, until every uid has a slot. A lookup that finds an empty slot stops:
no uid that lost that slot could exist deeper down without it being taken.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import DatasetError

Array = np.ndarray[Any, np.dtype[Any]]

_GOLDEN = 0x9E3779B97F4A7C15  # 2**64 / golden ratio, odd
_EMPTY = np.uint64(2**64 - 1)  # the row of a free slot
_UID, _ROW = 0, 1


class _Level:
    """One open table: ``slots[i] = (uid, row)``, 16 bytes, so a probe reads one cache line."""

    __slots__ = ("multiplier", "shift", "slots")

    def __init__(self, count: int, depth: int) -> None:
        # Four slots per uid: a sparse table lets nine uids in ten settle at the
        # first level, which costs less than walking deeper levels.
        bits = max(int(4 * count - 1).bit_length(), 4)
        self.shift = np.uint64(64 - bits)
        self.multiplier = np.uint64((_GOLDEN * (2 * depth + 1)) % 2**64)  # odd at every depth
        self.slots = np.full((1 << bits, 2), _EMPTY, np.uint64)

    def slot_of(self, uids: Array) -> Array:
        return (uids * self.multiplier) >> self.shift

    def read(self, slot: Array) -> Array:
        """The (uid, row) entries at ``slot``; as whole 16-byte records, numpy copies
        them several times faster than it indexes a 2-D array by rows."""
        return _records(self.slots)[slot].view(np.uint64).reshape(-1, 2)

    def write(self, slot: Array, entries: Array) -> None:
        _records(self.slots)[slot] = _records(entries)


def _records(pairs: Array) -> Array:
    return pairs.view("V16").reshape(-1)


class UidTable:
    """Maps the uids of one dataset to their rows; refuses repeated uids."""

    def __init__(self, uids: Array, label: str) -> None:
        self._levels: list[_Level] = []
        waiting = np.empty((len(uids), 2), np.uint64)
        waiting[:, _UID] = uids
        waiting[:, _ROW] = np.arange(len(uids), dtype=np.uint64)
        while len(waiting):
            level = _Level(len(waiting), len(self._levels))
            slot = level.slot_of(waiting[:, _UID])
            level.write(slot, waiting)  # one entry wins each contested slot
            owners = level.read(slot)
            lost = owners[:, _ROW] != waiting[:, _ROW]
            # A repeated uid always wants the slot its twin took: its owner has its uid.
            repeated = waiting[lost, _UID][owners[lost, _UID] == waiting[lost, _UID]]
            if len(repeated):
                raise DatasetError(
                    f"{label} has repeated uid(s), e.g. {int(repeated[0])}; "
                    "joining needs one row per uid"
                )
            self._levels.append(level)
            waiting = np.ascontiguousarray(waiting[lost])

    def find(self, uids: Array) -> Array:
        """The row of each uid in this table's dataset, or -1 where it is absent."""
        if not self._levels:
            return np.full(len(uids), -1, np.intp)
        # The first level settles most uids: done on whole arrays, no indirection.
        first = self._levels[0]
        entries = first.read(first.slot_of(uids))
        occupied = entries[:, _ROW] != _EMPTY
        match = entries[:, _UID] == uids
        match &= occupied
        result = np.where(match, entries[:, _ROW], _EMPTY).view(np.intp)  # _EMPTY reads as -1
        # A free slot ends the search: nothing deeper lost that slot.
        pending = np.flatnonzero(occupied & ~match)
        queries = uids[pending]
        for level in self._levels[1:]:
            if not len(pending):
                break
            entries = level.read(level.slot_of(queries))
            occupied = entries[:, _ROW] != _EMPTY
            match = occupied & (entries[:, _UID] == queries)
            result[pending[match]] = entries[match, _ROW]
            going_on = occupied & ~match
            pending = pending[going_on]
            queries = queries[going_on]
        return result


def rows_of(uids: Array, label: str, queries: Array, queries_label: str) -> Array:
    """For each of ``queries``, the row of ``uids`` holding it, or -1.

    Refuses a uid repeated in either: in ``uids`` when building the table, in
    ``queries`` when two queries land on the same row.
    """
    rows = UidTable(uids, label).find(queries)
    hit = rows[rows >= 0]
    taken = np.zeros(len(uids), bool)
    taken[hit] = True
    if np.count_nonzero(taken) != len(hit):
        ordered = np.sort(hit)
        twice = ordered[1:][ordered[1:] == ordered[:-1]]
        raise DatasetError(
            f"{queries_label} has repeated uid(s), e.g. {int(uids[twice[0]])}; "
            "joining needs one row per uid"
        )
    return rows
