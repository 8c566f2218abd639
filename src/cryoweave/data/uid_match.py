"""Finding rows by ``uid``: a hash table of one dataset's uids.

A join must find, for each row of one dataset, the row with the same uid in
another. Sorting 64-bit uids costs O(n log n); a hash table costs one pass to
build and one pass per lookup. The passes are compiled loops (``uid_kernels``,
numba) that stop at the first free slot; numpy's whole-array steps cannot stop
early, and needed a dozen passes over the data for the same lookups.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any

import numpy as np

from .errors import DatasetError
from .threads import parallel_map, split

Array = np.ndarray[Any, np.dtype[Any]]


@cache
def _kernels() -> ModuleType:
    """The compiled kernels, imported on first use (numba is slow to import)."""
    from . import uid_kernels

    return uid_kernels


class UidTable:
    """Maps the uids of one dataset to their rows; refuses repeated uids."""

    def __init__(self, uids: Array, label: str) -> None:
        self.uids, self.slots, self.shift, repeated = _build(uids)
        if repeated is not None:
            raise _repeated(label, repeated)

    def __len__(self) -> int:
        return len(self.uids)


def has_repeats(uids: Array) -> bool:
    """Whether a uid appears twice: one pass of a table build, no sort."""
    return _build(uids)[3] is not None


def first_rows(uids: Array) -> Array:
    """A mask of the first row of each uid (one pass of a table build, no sort).

    Examples
    --------
    >>> first_rows(np.array([5, 3, 5, 7, 3], np.uint64)).tolist()
    [True, True, False, True, False]
    """
    contiguous, slots, shift = _table(len(uids))
    first = np.zeros(len(uids), bool)
    _kernels().mark_first(uids, contiguous, slots, shift, first)
    return first


def _table(rows: int) -> tuple[Array, Array, np.uint64]:
    """An empty table for ``rows`` uids: their contiguous copy, slots (-1: free), shift."""
    bits = max(int(4 * rows - 1).bit_length(), 4)  # at least 4 slots per uid
    slots = np.full(1 << bits, -1, _row_type(rows))
    return np.empty(rows, np.uint64), slots, np.uint64(64 - bits)


def _build(uids: Array) -> tuple[Array, Array, np.uint64, int | None]:
    """A table's contiguous uids, slots and shift, and a uid it found twice (or None)."""
    contiguous, slots, shift = _table(len(uids))  # probes read the copy at random
    repeated = _kernels().build(uids, contiguous, slots, shift)
    return contiguous, slots, shift, None if repeated < 0 else int(contiguous[repeated])


def matching_rows(table: UidTable, uids: Array, label: str) -> Array:
    """For each row of ``table``'s dataset, the row of ``uids`` with the same uid,
    or -1 (32-bit where rows fit); refuses a uid that ``uids`` holds twice. Large
    inputs are looked up on several threads at once."""
    out = np.full(len(table), -1, _row_type(len(uids)))
    scatter = _kernels().scatter_matches

    def probe(part: tuple[int, int]) -> int:
        return int(scatter(table.uids, table.slots, table.shift, uids, part[0], part[1], out))

    matched = sum(parallel_map(probe, split(len(uids)), len(uids)))
    if np.count_nonzero(out >= 0) != matched:  # two query rows wrote one entry
        seen = np.sort(uids[np.isin(uids, table.uids)])
        raise _repeated(label, int(seen[1:][seen[1:] == seen[:-1]][0]))
    return out


def _row_type(rows: int) -> type[np.signedinteger[Any]]:
    """Row numbers as 32-bit integers where they fit: half the memory to walk."""
    return np.int32 if rows < 2**31 else np.int64


def _repeated(label: str, uid: int) -> DatasetError:
    return DatasetError(f"{label} has repeated uid(s), e.g. {uid}; joining needs one row per uid")
