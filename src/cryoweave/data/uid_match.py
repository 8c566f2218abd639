"""Finding rows by ``uid``: a hash table built and probed with whole-array numpy steps.

A join must find, for each row of one dataset, the row with the same uid in
another. Sorting costs O(n log n) with poor memory locality; this table costs
one scatter to build and one gather per lookup. Keys go to slot
``(uid * golden ratio) >> (64 - bits)``, which spreads random and sequential uids
alike. Rows that lose their slot to another (about one in five at the load
factor used) go to a small sorted overflow table searched with ``searchsorted``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import DatasetError

Array = np.ndarray[Any, np.dtype[Any]]

_SLOT = np.dtype([("uid", "<u8"), ("row", "<i8")])
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class UidTable:
    """Maps the uids of one dataset to their rows; refuses repeated uids."""

    def __init__(self, uids: Array, label: str) -> None:
        n = len(uids)
        bits = max(int(2 * n - 1).bit_length(), 4)  # at least two slots per row
        self._shift = np.uint64(64 - bits)
        records = np.empty(n, _SLOT)
        records["uid"] = uids
        records["row"] = np.arange(n)
        self._table = np.zeros(1 << bits, _SLOT)
        self._table["row"] = -1
        slots = self._slots(uids)
        self._table[slots] = records  # one row wins each contested slot
        lost = np.flatnonzero(self._table["row"][slots] != records["row"])
        lost = lost[np.argsort(uids[lost])]
        self._overflow_uids = uids[lost]
        self._overflow_rows = lost
        # A repeated uid lands on its twin's slot, so it is in the overflow next to
        # its twin, or beside the slot's owner.
        uids_lost = self._overflow_uids
        owners = self._table["uid"][self._slots(uids_lost)]
        repeated = np.concatenate(
            [uids_lost[1:][uids_lost[1:] == uids_lost[:-1]], uids_lost[owners == uids_lost]]
        )
        if len(repeated):
            raise DatasetError(
                f"{label} has repeated uid(s), e.g. {int(repeated[0])}; "
                "joining needs one row per uid"
            )

    def _slots(self, uids: Array) -> Array:
        return (uids * _GOLDEN) >> self._shift

    def find(self, uids: Array) -> Array:
        """The row of each uid in this table's dataset, or -1 where it is absent."""
        slots = self._table[self._slots(uids)]
        rows = np.where(slots["uid"] == uids, slots["row"], -1)
        if len(self._overflow_uids):
            missing = np.flatnonzero(rows < 0)
            where = np.searchsorted(self._overflow_uids, uids[missing])
            where[where == len(self._overflow_uids)] = 0
            found = self._overflow_uids[where] == uids[missing]
            rows[missing[found]] = self._overflow_rows[where[found]]
        return rows


def rows_in(table: UidTable, uids: Array, size: int, label: str) -> Array:
    """For each of the ``size`` rows in ``table``'s dataset, the row of ``uids`` holding
    the same uid, or -1; refuses a uid that ``uids`` holds twice."""
    found_at = table.find(uids)
    matched = np.flatnonzero(found_at >= 0)
    result = np.full(size, -1, np.int64)
    result[found_at[matched]] = matched
    if np.count_nonzero(result >= 0) != len(matched):
        seen = np.sort(uids[matched])
        repeated = seen[1:][seen[1:] == seen[:-1]]
        raise DatasetError(
            f"{label} has repeated uid(s), e.g. {int(repeated[0])}; joining needs one row per uid"
        )
    return result
