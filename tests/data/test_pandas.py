"""pandas views: columns share the dataset's memory; from_pandas inverts to_pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cryoweave import CsFormatError, Dataset, DatasetError
from cryoweave.data.pandas_view import text_dtype
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


def test_text_columns_are_pandas_strings():
    ds = particles(300, ["blob"])
    frame = ds.to_pandas()
    paths = frame["blob/path"]
    assert isinstance(paths.dtype, pd.StringDtype) and paths.dtype == text_dtype()
    assert paths.tolist() == ds["blob/path"].tolist()
    assert (paths == ds["blob/path"][5]).sum() == (ds["blob/path"] == ds["blob/path"][5]).sum()
    with pd.option_context("display.max_columns", None, "display.width", 1000):
        assert "J12/extract" in repr(frame.head())
    subset = frame[frame["blob/idx"] > 500]
    assert subset["blob/path"].tolist() == ds["blob/path"][ds["blob/idx"] > 500].tolist()
    assert np.shares_memory(frame["blob/idx"].to_numpy(), ds.array)  # numbers stay views


def test_text_in_pandas_is_what_the_dataset_holds_longer_non_ascii_and_empty():
    ds = Dataset([("uid", [1, 2, 3]), ("blob/path", ["J1/a.mrc", "", "J1/a.mrc"])])
    ds["blob/path"][0] = "J9/" + "é" * 40 + ".mrc"
    assert ds.to_pandas()["blob/path"].tolist() == ["J9/" + "é" * 40 + ".mrc", "", "J1/a.mrc"]
    narrow = Dataset(np.array([(1, b"")], [("uid", "<u8"), ("blob/path", "S0")]))
    assert narrow.to_pandas()["blob/path"].tolist() == [""]


def test_text_that_is_not_utf8_is_named_with_file_field_and_row():
    array = np.array([(1, b"J1/a.mrc"), (2, b"J1/\xff.mrc")], [("uid", "<u8"), ("blob/path", "S9")])
    with pytest.raises(CsFormatError, match=r"J7_particles.cs: field 'blob/path'.*row 1"):
        Dataset(array, path="J7_particles.cs").to_pandas()


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
    assert back == ds  # the same fields, dtypes (text as text), values and rows


def test_an_empty_dataset_keeps_its_columns_both_ways():
    """A selection that matches nothing is an ordinary result: the frame is empty
    but has every column, vector fields split as usual."""
    empty = particles(50, ["blob", "alignments3D"]).mask(np.zeros(50, bool))
    frame = empty.to_pandas()
    assert frame.shape == (0, len(particles(1, ["blob", "alignments3D"]).to_pandas().columns))
    assert "alignments3D/pose/2" in frame
    back = Dataset.from_pandas(frame)
    assert back == empty and back.fields() == empty.fields()


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
    assert ds.descr() == [("uid", "<u8"), ("blob/path", "|O"), ("ctf/shift_A", "<f8", (2,))]
    assert ds.array.dtype["blob/path"] == np.dtype("S8")
    assert ds.strings("blob/path").tolist() == ["J1/a.mrc", "µ/b.mrc"]


def test_from_pandas_refuses_what_a_cs_file_cannot_hold():
    with pytest.raises(DatasetError, match="'uid' column of dtype uint64"):
        Dataset.from_pandas(pd.DataFrame({"uid": [1, 2], "ctf/df1_A": [1.0, 2.0]}))
    with pytest.raises(DatasetError, match=r"needs columns \['a/v/0', 'a/v/1'\]"):
        Dataset.from_pandas(
            pd.DataFrame({"uid": np.array([1], np.uint64), "a/v/0": [1.0], "a/v/2": [2.0]})
        )
