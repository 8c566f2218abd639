"""pandas views: columns share the dataset's memory; from_pandas inverts to_pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cryoweave import Dataset, DatasetError
from cryoweave.demo import particles


def test_numeric_columns_are_views_and_vectors_are_split():
    ds = particles(500, ["blob", "alignments3D"])
    frame = ds.to_pandas()
    assert "alignments3D/pose/2" in frame and "alignments3D/pose" not in frame
    for column in frame.columns:
        if column != "blob/path":
            assert np.shares_memory(frame[column].to_numpy(), ds.array), column
    np.testing.assert_array_equal(frame["alignments3D/pose/1"], ds["alignments3D/pose"][:, 1])
    ds["blob/idx"][3] = 12345
    assert frame["blob/idx"].iloc[3] == 12345


def test_string_columns_read_as_text_over_the_same_bytes():
    ds = particles(300, ["blob"])
    frame = ds.to_pandas()
    paths = frame["blob/path"]
    assert paths.iloc[0] == ds.strings("blob/path")[0]
    assert np.shares_memory(paths.array.to_numpy(), ds.array)
    assert (paths == ds.strings("blob/path")[5]).sum() == (
        ds["blob/path"] == ds["blob/path"][5]
    ).sum()
    with pd.option_context("display.max_columns", None, "display.width", 1000):
        assert "J12/extract" in repr(frame.head())
    subset = frame[frame["blob/idx"] > 500]
    assert subset["blob/path"].tolist() == ds.strings("blob/path")[ds["blob/idx"] > 500].tolist()


def test_building_the_frame_copies_no_rows():
    big = particles(200_000)
    frame = big.to_pandas()
    assert (
        sum(
            b.values.base is None or not np.shares_memory(b.values, big.array)
            for b in frame._mgr.blocks
            if isinstance(b.values, np.ndarray)
        )
        == 0
    )


def test_from_pandas_inverts_to_pandas():
    ds = particles(400)
    back = Dataset.from_pandas(ds.to_pandas())
    assert back.array.dtype == ds.array.dtype
    np.testing.assert_array_equal(back.array, ds.array)


def test_an_empty_dataset_keeps_its_columns_both_ways():
    """A selection that matches nothing is an ordinary result: the frame is empty
    but has every column, vector fields split as usual."""
    empty = particles(50, ["blob", "alignments3D"]).mask(np.zeros(50, bool))
    frame = empty.to_pandas()
    assert frame.shape == (0, len(particles(1, ["blob", "alignments3D"]).to_pandas().columns))
    assert "alignments3D/pose/2" in frame
    back = Dataset.from_pandas(frame)
    assert back.array.dtype == empty.array.dtype and len(back) == 0


def test_from_pandas_accepts_a_frame_a_user_made():
    frame = pd.DataFrame(
        {
            "uid": np.array([5, 6], np.uint64),
            "blob/path": ["J1/a.mrc", "µ/b.mrc"],
            "ctf/shift_A/0": [0.5, 1.5],
            "ctf/shift_A/1": [2.5, 3.5],
        }
    )
    ds = Dataset.from_pandas(frame)
    assert ds.descr() == [("uid", "<u8"), ("blob/path", "|S8"), ("ctf/shift_A", "<f8", (2,))]
    assert ds.strings("blob/path").tolist() == ["J1/a.mrc", "µ/b.mrc"]


def test_from_pandas_refuses_what_a_cs_file_cannot_hold():
    with pytest.raises(DatasetError, match="'uid' column of dtype uint64"):
        Dataset.from_pandas(pd.DataFrame({"uid": [1, 2], "ctf/df1_A": [1.0, 2.0]}))
    with pytest.raises(DatasetError, match=r"needs columns \['a/v/0', 'a/v/1'\]"):
        Dataset.from_pandas(
            pd.DataFrame({"uid": np.array([1], np.uint64), "a/v/0": [1.0], "a/v/2": [2.0]})
        )
