"""Columns kept beside the record array: edits, row selections and saves in any order.

A dataset keeps text taken or assigned, and fields added, beside its record array until
a save or an ``.array`` look needs one array. These tests run random sequences of the
verbs on cryoweave and on cryosparc-tools and compare the results, also after a save
read back by the peer, so every order of edits and selections is checked.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from cryosparc.dataset import Dataset as Peer
from hypothesis import given
from hypothesis import strategies as st
from test_verbs import SETTINGS, assert_same, both, tables

from cryoweave import Dataset

LONG = "J99/imported/full_size/" + "deeper/" * 20 + "particles.mrc"


def _path(ds: Any) -> str:
    return "blob/path" if "blob/path" in ds else "blob_full/path"  # renamed or not


def _assign_longer(ds: Any) -> Any:
    ds[_path(ds)] = [LONG + str(i) for i in range(len(ds))]
    return ds


def _write_into_text(ds: Any) -> Any:
    if len(ds):
        column = ds[_path(ds)]
        column[len(ds) // 2] = LONG + "é"
    return ds


def _add_fields(ds: Any) -> Any:
    ds.add_fields([("extra/score", "f4"), ("extra/note", "O"), ("extra/v", "f8", (3,))])
    ds["extra/score"] = np.arange(len(ds), dtype=np.float32)
    ds["extra/note"] = "noted"
    return ds


def _write_added(ds: Any) -> Any:
    if "extra/score" in ds and len(ds):
        ds["extra/score"][0] = 7.0
    return ds


def _look_at_array(ds: Dataset) -> Dataset:
    assert len(ds.array) == len(ds)  # the columns beside it are written into it
    return ds


def _peer_save_and_load(ds: Any) -> Any:
    return ds  # the peer's data needs no round trip to be itself


def _save_and_load(ds: Any) -> Any:
    buffer = io.BytesIO()
    ds.save(buffer)
    buffer.seek(0)
    return type(ds).load(buffer)


STEPS = {
    "assign longer text": (_assign_longer, _assign_longer),
    "write into text": (_write_into_text, _write_into_text),
    "add fields": (_add_fields, _add_fields),
    "write an added field": (_write_added, _write_added),
    "query": (lambda d: d.query({"ctf/exp_group_id": [0, 1]}),) * 2,
    "slice": (lambda d: d.slice(1),) * 2,
    "take": (lambda d: d.take(list(range(len(d)))[::-1]),) * 2,
    "split_by part": (lambda d: next(iter(d.split_by("ctf/exp_group_id").values()), d),) * 2,
    "copy": (lambda d: d.copy(),) * 2,
    "rename": (lambda d: d.rename_prefix("blob", "blob_full"),) * 2,
    "rename back": (lambda d: d.rename_prefix("blob_full", "blob"),) * 2,
    "drop a field": (lambda d: d.drop_fields(["ctf/df1_A"]),) * 2,
    "look at .array": (_look_at_array, lambda d: d),
    "save and load": (_save_and_load, _peer_save_and_load),
}


@SETTINGS
@given(tables(), st.lists(st.sampled_from(sorted(STEPS)), max_size=8))
def test_any_order_of_edits_selections_and_saves(columns: Any, steps: list[str]) -> None:
    ours, peer = both(columns)
    for step in steps:
        mine, theirs = STEPS[step]
        ours, peer = mine(ours), theirs(peer)
        assert_same(ours, peer)
    # what a save holds is what the peer reads back, in both layouts
    for layout in ("numpy", "csdat"):
        buffer = io.BytesIO()
        ours.save(buffer, format=layout)
        buffer.seek(0)
        assert_same(ours, Peer.load(buffer))


def test_a_query_after_taking_text_keeps_its_edits_and_encodes_nothing() -> None:
    ds = Dataset([("uid", [1, 2, 3]), ("blob/path", ["J1/a.mrc", "J1/b.mrc", "J1/a.mrc"])])
    text = ds["blob/path"]
    text[2] = LONG
    stored = ds._array
    found = ds.query({"blob/path": LONG})
    assert ds._array is stored  # the record array was not rewritten for the query
    assert found["uid"].tolist() == [3] and found["blob/path"].tolist() == [LONG]
    assert ds.array["blob/path"].tolist()[2] == LONG.encode()  # a look stores it
    text[0] = "J2/c.mrc"  # the caller's column still reaches the dataset afterwards
    assert ds.array["blob/path"].tolist()[0] == b"J2/c.mrc"


def test_added_fields_wait_beside_the_records_until_an_array_is_needed() -> None:
    ds = Dataset([("uid", [1, 2]), ("ctf/df1_A", [1.0, 2.0])])
    stored = ds._array
    ds.add_fields([("extra/a", "f4"), ("extra/b", "O")])
    ds["extra/c"] = [5, 6]
    assert ds._array is stored
    assert ds.fields() == ["uid", "ctf/df1_A", "extra/a", "extra/b", "extra/c"]
    added = ds["extra/a"]
    assert ds.array.dtype.names == ("uid", "ctf/df1_A", "extra/a", "extra/b", "extra/c")
    added[1] = 3.5  # taken before the look: still the dataset's column
    assert ds.array["extra/a"].tolist() == [0.0, 3.5]
    del ds["extra/a"]
    assert ds.fields() == ["uid", "ctf/df1_A", "extra/b", "extra/c"]
    assert Dataset.load(_buffer(ds)).to_list() == [[1, 1.0, "", 5], [2, 2.0, "", 6]]


def test_a_new_field_needs_one_value_per_row() -> None:
    ds = Dataset(3)
    with pytest.raises(ValueError, match="'extra/a' needs 3 values"):
        ds["extra/a"] = [1, 2]


def _buffer(ds: Dataset) -> io.BytesIO:
    buffer = io.BytesIO()
    ds.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("rows", [0, 1, 5, 70_000])
def test_a_save_with_columns_beside_writes_what_a_save_of_the_one_array_writes(
    rows: int, tmp_path: Any
) -> None:
    """The save lays the records out a block of rows at a time (blocks of 16 MiB: 70,000
    rows of these make several); the bytes are those of the one array."""
    ds = Dataset([("uid", np.arange(rows, dtype=np.uint64)), ("blob/path", ["J1/a.mrc"] * rows)])
    ds.add_fields([("ctf/df1_A", "f4"), ("extra/v", "f8", (30,)), ("extra/note", "O")])
    ds["blob/path"] = [LONG + str(i) for i in range(rows)]
    ds["extra/note"] = "é"
    ds["ctf/df1_A"] = np.arange(rows)
    ds["extra/v"][:, 3] = 1.5
    ds.save(tmp_path / "beside.cs")
    assert ds._cols  # the save left the columns beside the records
    one_array = Dataset(ds.array)  # the one array ``array`` lays out, and nothing beside
    assert not one_array._cols
    one_array.save(tmp_path / "one_array.cs")
    beside, one = (tmp_path / "beside.cs").read_bytes(), (tmp_path / "one_array.cs").read_bytes()
    assert beside == one
    assert_same(Dataset.load(tmp_path / "beside.cs"), Peer.load(tmp_path / "one_array.cs"))
