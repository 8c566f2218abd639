"""The uid hash table: correct whatever the uids look like."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cryoweave import DatasetError
from cryoweave.data.uid_match import UidTable, matching_rows

PATTERNS = {
    "random": lambda n: np.unique(
        np.random.default_rng(0).integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
    ),
    "sequential": lambda n: np.arange(n, dtype=np.uint64),
    "same low bits": lambda n: np.arange(n, dtype=np.uint64) << np.uint64(40),
    "multiples of 2**21": lambda n: np.arange(n, dtype=np.uint64) * np.uint64(2**21),
    "extremes": lambda n: np.uint64(2**64 - 1) - np.arange(n, dtype=np.uint64),
}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_uid_is_found_and_absent_ones_are_not(pattern):
    uids = PATTERNS[pattern](20_000)
    table = UidTable(uids, "input 1")
    shuffled = np.random.default_rng(1).permutation(uids)
    np.testing.assert_array_equal(uids[table.find(shuffled)], shuffled)
    absent = np.setdiff1d(np.arange(40_000, dtype=np.uint64) * np.uint64(3), uids)
    assert (table.find(absent) == -1).all()


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.integers(0, 2**64 - 1), unique=True, max_size=300),
    st.lists(st.integers(0, 2**64 - 1), max_size=300),
)
def test_find_agrees_with_a_dict(keys, queries):
    uids = np.array(keys, dtype=np.uint64)
    rows = {k: i for i, k in enumerate(keys)}
    found = UidTable(uids, "t").find(np.array(queries + keys[:5], dtype=np.uint64))
    assert found.tolist() == [rows.get(q, -1) for q in queries + keys[:5]]


def test_repeated_uids_are_refused_on_both_sides():
    with pytest.raises(DatasetError, match=r"input 1 has repeated uid\(s\), e.g. 7"):
        UidTable(np.array([7, 1, 7], np.uint64), "input 1")
    table = UidTable(np.array([1, 2, 3], np.uint64), "input 1")
    with pytest.raises(DatasetError, match=r"input 2 has repeated uid\(s\), e.g. 3"):
        matching_rows(table, np.array([3, 3, 1], np.uint64), 3, "input 2")
    rows = matching_rows(table, np.array([3, 9, 1], np.uint64), 3, "input 2")
    assert rows.tolist() == [2, -1, 0]
