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
    rows = matching_rows(table, shuffled, "input 2")
    np.testing.assert_array_equal(shuffled[rows], uids)
    absent = np.setdiff1d(np.arange(40_000, dtype=np.uint64) * np.uint64(3), uids)
    assert (matching_rows(table, absent, "input 3") == -1).all()


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.integers(0, 2**64 - 1), unique=True, max_size=300),
    st.lists(st.integers(0, 2**64 - 1), max_size=300),
)
def test_matching_rows_agree_with_a_dict(keys, queries):
    queries = list(dict.fromkeys(queries + keys[:5]))  # one row per uid, as a join needs
    at = {q: j for j, q in enumerate(queries)}
    table = UidTable(np.array(keys, dtype=np.uint64), "t")
    rows = matching_rows(table, np.array(queries, dtype=np.uint64), "q")
    assert rows.tolist() == [at.get(k, -1) for k in keys]


def test_repeated_uids_are_refused_on_both_sides():
    with pytest.raises(DatasetError, match=r"input 1 has repeated uid\(s\), e.g. 7"):
        UidTable(np.array([7, 1, 7], np.uint64), "input 1")
    table = UidTable(np.array([1, 2, 3], np.uint64), "input 1")
    with pytest.raises(DatasetError, match=r"input 2 has repeated uid\(s\), e.g. 3"):
        matching_rows(table, np.array([3, 3, 1], np.uint64), "input 2")
    rows = matching_rows(table, np.array([3, 9, 1], np.uint64), "input 2")
    assert rows.tolist() == [2, -1, 0]


@pytest.mark.slow
def test_a_large_lookup_on_threads_finds_every_row_and_refuses_a_repeat():
    """Above the threading threshold the queries are split over threads: a uid
    repeated across the parts must still be refused."""
    rng = np.random.default_rng(5)
    uids = np.unique(rng.integers(0, 2**64 - 1, 300_000, dtype=np.uint64, endpoint=True))
    table = UidTable(uids, "input 1")
    queries = rng.permutation(uids)
    np.testing.assert_array_equal(queries[matching_rows(table, queries, "input 2")], uids)
    repeated = queries.copy()
    repeated[-1] = repeated[0]  # first and last part of the split hold one uid
    with pytest.raises(DatasetError, match=rf"input 2 has repeated uid\(s\), e.g. {repeated[0]}"):
        matching_rows(table, repeated, "input 2")
