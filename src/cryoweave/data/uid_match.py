"""Matching rows of datasets by ``uid``, vectorised with one sort per dataset."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import DatasetError

Array = np.ndarray[Any, np.dtype[Any]]


class SortedUids:
    """A uid column in ascending order, with the row each value came from.

    Matching two sorted columns costs a ``searchsorted`` of sorted queries, which
    walks memory in order; the sort is paid once per dataset, however many
    datasets it is matched with.
    """

    __slots__ = ("rows", "values")

    def __init__(self, uids: Array, label: str) -> None:
        self.rows = np.argsort(uids)
        self.values = uids[self.rows]
        repeated = np.flatnonzero(self.values[1:] == self.values[:-1])
        if len(repeated):
            raise DatasetError(
                f"{label} has {len(repeated)} repeated uid(s), e.g. "
                f"{int(self.values[repeated[0]])}; joining needs one row per uid"
            )

    def positions_of(self, other: SortedUids) -> Array:
        """For each row of ``other``'s dataset, the row holding the same uid here, or -1."""
        result = np.full(len(other.values), -1, np.int64)
        if len(self.values) == 0:
            return result
        where = np.searchsorted(self.values, other.values)
        where[where == len(self.values)] = 0
        found = self.values[where] == other.values
        result[other.rows[found]] = self.rows[where[found]]
        return result
