"""Every cryosparc-tools verb cryoweave has, run on both over the same random datasets.

Each test makes the same dataset in cryoweave and in cryosparc-tools (numeric, text,
empty, one row), makes the same calls on each and compares the fields, dtypes (text
as text), values and row order, or the refusal.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from cryosparc.dataset import Dataset as Peer
from cryosparc.errors import DatasetLoadError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryoweave import Dataset
from cryoweave.data import Row

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
WORDS = ["J1/a.mrc", "J2/é.mrc", "", "J3/" + "long/" * 12 + "b.mrc"]


@st.composite
def tables(draw: Any, min_rows: int = 0) -> list[tuple[str, Any]]:
    """Columns of a random dataset: unique uids, numbers, small ints, text, a vector."""
    rows = draw(st.integers(min_rows, 7))
    uids = draw(st.lists(st.integers(0, 2**64 - 1), min_size=rows, max_size=rows, unique=True))
    ints = st.integers(0, 2)
    return [
        ("uid", np.array(uids, dtype=np.uint64)),
        (
            "ctf/df1_A",
            np.array(
                draw(st.lists(st.floats(-1e4, 1e4, width=32), min_size=rows, max_size=rows)),
                np.float32,
            ),
        ),
        (
            "ctf/exp_group_id",
            np.array(draw(st.lists(ints, min_size=rows, max_size=rows)), np.uint32),
        ),
        (
            "blob/path",
            np.array(draw(st.lists(st.sampled_from(WORDS), min_size=rows, max_size=rows)), object),
        ),
        ("alignments3D/shift", np.arange(rows * 2, dtype=np.float32).reshape(rows, 2)),
    ]


def both(columns: list[tuple[str, Any]]) -> tuple[Dataset, Peer]:
    return Dataset(columns), Peer(columns)


def assert_same(ours: Any, peer: Any) -> None:
    assert isinstance(ours, Dataset)
    assert ours.fields() == peer.fields()
    assert ours.descr() == peer.descr()  # text as "|O", as the peer gives it
    assert len(ours) == len(peer)
    for name in ours.fields():
        if ours[name].dtype.kind == "T":
            assert ours[name].tolist() == [str(v) for v in peer[name]], name
        else:
            assert ours[name].dtype == peer[name].dtype, name
            np.testing.assert_array_equal(ours[name], np.asarray(peer[name]), err_msg=name)


@SETTINGS
@given(tables(), st.data())
def test_query_and_query_mask(columns: Any, data: Any) -> None:
    ours, peer = both(columns)
    groups = data.draw(st.lists(st.integers(0, 2), max_size=2))
    path = data.draw(st.sampled_from(WORDS))
    for query in ({"ctf/exp_group_id": groups}, {"blob/path": path}, {}):
        assert_same(ours.query(query), peer.query(query))
        for invert in (False, True):
            assert (
                ours.query_mask(query, invert).tolist() == peer.query_mask(query, invert).tolist()
            )
    assert_same(
        ours.query(lambda r: r["blob/path"] == path), peer.query(lambda r: r["blob/path"] == path)
    )
    with pytest.raises(KeyError, match="Fields not in dataset: nope"):
        ours.query({"nope": 1})
    with pytest.raises(KeyError, match="Fields not in dataset: nope"):
        peer.query({"nope": 1})


@SETTINGS
@given(tables(), st.integers(-3, 8), st.one_of(st.none(), st.integers(-3, 8)), st.integers(1, 3))
def test_slice_copy_subset_take(columns: Any, start: int, stop: int | None, step: int) -> None:
    ours, peer = both(columns)
    assert_same(ours.slice(start, stop, step), peer.slice(start, stop, step))
    assert_same(ours.copy(), peer.copy())
    picks = list(range(len(ours)))[::-2]
    assert_same(
        ours.subset([ours.rows()[i] for i in picks]), peer.subset([peer.rows()[i] for i in picks])
    )
    assert_same(ours.take(picks), peer.take(picks))
    copied = ours.copy()
    if len(ours):
        copied["blob/path"][0] = "changed"
        assert ours["blob/path"][0] != "changed"


@SETTINGS
@given(tables(), st.sampled_from(["ctf/exp_group_id", "blob/path", "uid"]))
def test_split_by(columns: Any, field: str) -> None:
    ours, peer = both(columns)
    mine, theirs = ours.split_by(field), peer.split_by(field)
    assert [str(k) for k in mine] == [str(k) for k in theirs]
    for key, value in zip(mine.values(), theirs.values(), strict=True):
        assert_same(key, value)


@SETTINGS
@given(tables())
def test_field_verbs(columns: Any) -> None:
    calls = [
        lambda d: d.add_fields([("extra/y", "f8"), ("extra/s", "O"), ("ctf/df1_A", "f4")]),
        lambda d: d.add_fields(["extra/n", "extra/v"], "u4,f4"),
        lambda d: d.drop_fields(["ctf/df1_A", "blob/path"]),
        lambda d: d.drop_fields(lambda n: n.startswith("ctf/")),
        lambda d: d.rename_fields({"blob/path": "blob/other"}),
        lambda d: d.rename_fields(lambda n: n.upper()),
        lambda d: d.rename_field("ctf/df1_A", "ctf/df2_A"),
        lambda d: d.rename_prefix("ctf", "ctf2"),
        lambda d: d.filter_prefix("ctf"),
        lambda d: d.filter_prefix("blob", rename="b"),
        lambda d: d.filter_prefixes(["blob", "ctf"]),
        lambda d: d.filter_fields(lambda n: "a" in n),
    ]
    for call in calls:
        ours, peer = both(columns)
        assert_same(call(ours), call(peer))
    ours, peer = both(columns)
    ours.copy_fields(["ctf/df1_A", "blob/path"], ["ctf/df3_A", "blob/path2"])
    peer.copy_fields(["ctf/df1_A", "blob/path"], ["ctf/df3_A", "blob/path2"])
    assert_same(ours, peer)


@SETTINGS
@given(tables())
def test_the_peers_verbs_change_the_dataset_in_place(columns: Any) -> None:
    ours, peer = both(columns)
    for d in (ours, peer):
        d.drop_fields(["ctf/df1_A"])
        d.rename_prefix("blob", "b")
        d.add_fields([("extra/y", "f8")])
    assert_same(ours, peer)
    kept = ours.drop_fields(["b/path"], copy=True)
    assert "b/path" in ours and "b/path" not in kept


@SETTINGS
@given(tables())
def test_rows_lists_and_records(columns: Any) -> None:
    ours, peer = both(columns)
    scalar = ["uid", "ctf/df1_A", "ctf/exp_group_id", "blob/path"]
    ours_s, peer_s = ours.filter_fields(scalar), peer.filter_fields(scalar, copy=True)
    assert ours_s.to_list() == peer_s.to_list()
    assert ours_s.to_list(exclude_uid=True) == peer_s.to_list(exclude_uid=True)
    assert [r.to_dict() for r in ours_s.rows()] == [r.to_dict() for r in peer_s.rows()]
    assert all(isinstance(r, Row) for r in ours.rows())
    mine, theirs = ours.to_records(), peer.to_records()
    assert mine.dtype.names == theirs.dtype.names
    assert mine["blob/path"].tolist() == theirs["blob/path"].tolist()
    fixed = ours.to_records(fixed=True)
    assert fixed["blob/path"].tolist() == peer.to_records(fixed=True)["blob/path"].tolist()
    if len(ours):
        ours.rows()[0]["ctf/df1_A"] = 3.5
        assert ours["ctf/df1_A"][0] == 3.5


@SETTINGS
@given(tables(min_rows=1))
def test_equality_and_uids(columns: Any) -> None:
    ours, peer = both(columns)
    again, other = both(columns)
    assert (ours == again) == (peer == other) == True  # noqa: E712
    assert ours.is_equivalent(again.filter_fields(lambda n: True)) == peer.is_equivalent(other)
    reordered = Dataset([columns[0], *columns[:0:-1]])
    assert ours != reordered and ours.is_equivalent(reordered)
    assert peer.is_equivalent(Peer([columns[0], *columns[:0:-1]]))
    again["blob/path"][0] = "different"
    assert ours != again
    before = ours["uid"].copy()
    ours.reassign_uids()
    assert len(np.unique(ours["uid"])) == len(ours) and not np.array_equal(before, ours["uid"])


@SETTINGS
@given(tables())
def test_mapping_methods(columns: Any) -> None:
    ours, peer = both(columns)
    assert list(ours.keys()) == list(peer.keys())
    assert [k for k, _ in ours.items()] == [k for k, _ in peer.items()]
    assert ours.get("nope", 5) == peer.get("nope", 5) == 5
    ours.pop("ctf/df1_A")
    peer.pop("ctf/df1_A")
    ours.update({"ctf/exp_group_id": 1})
    peer.update({"ctf/exp_group_id": 1})
    del ours["blob/path"]
    del peer["blob/path"]
    assert_same(ours, peer)
    assert "uid" in ours and ours.cols().keys() == peer.cols().keys()
    assert np.asarray(ours).dtype.names == np.asarray(peer).dtype.names


@st.composite
def overlapping(draw: Any) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """Two tables whose uids may overlap; the second may lack a field."""
    a, b = draw(tables()), draw(tables())
    shared = draw(st.integers(0, min(len(a[0][1]), len(b[0][1]))))
    b[0] = ("uid", np.concatenate([a[0][1][:shared], b[0][1][shared:]]))
    if len(np.unique(b[0][1])) != len(b[0][1]):  # b's own uids met a's: take fresh ones
        size, first = len(b[0][1]), a[0][1][:shared]
        fresh = np.setdiff1d(np.arange(size + len(a[0][1]), dtype=np.uint64), a[0][1])
        b[0] = ("uid", np.concatenate([first, fresh[: size - shared]]))
    if draw(st.booleans()):
        b = [c for c in b if c[0] != "ctf/df1_A"]
    return a, b


def refusal(call: Any) -> type[BaseException] | None:
    try:
        call()
    except (AssertionError, ValueError, KeyError) as err:
        return type(err)
    return None


@SETTINGS
@given(overlapping())
def test_row_combining_verbs(pair: Any) -> None:
    a, b = pair
    (oa, pa), (ob, pb) = both(a), both(b)
    assert_same(oa.union(ob), pa.union(pb))
    assert_same(Dataset.union_many(oa, ob, oa), Peer.union_many(pa, pb, pa))
    assert Dataset.common_fields(oa, ob) == [f[0] for f in Peer.common_fields(pa, pb)]
    assert_same(
        oa.replace({"ctf/exp_group_id": 1}, oa.slice(0, 1)),
        pa.replace({"ctf/exp_group_id": 1}, pa.slice(0, 1)),
    )
    disjoint = not set(oa["uid"].tolist()) & set(ob["uid"].tolist())
    if disjoint:
        assert_same(oa.append(ob), pa.append(pb))
    else:  # both refuse a uid in two inputs
        assert refusal(lambda: oa.append(ob)) and refusal(lambda: pa.append(pb))
    assert_same(oa.append(ob, repeat_allowed=True), pa.append(pb, repeat_allowed=True))
    if len(oa) == len(ob) and disjoint:
        assert_same(oa.interlace(ob), pa.interlace(pb))
    joined = oa.innerjoin(ob, assert_no_drop=True) if len(oa.innerjoin(ob)) == len(oa) else None
    if joined is None:
        assert refusal(lambda: oa.innerjoin(ob, assert_no_drop=True))
        assert refusal(lambda: pa.innerjoin(pb, assert_no_drop=True))


@SETTINGS
@given(overlapping())
def test_extend_changes_the_dataset(pair: Any) -> None:
    a, b = pair
    (oa, pa), (ob, pb) = both(a), both(b)
    same_fields = oa.fields() == ob.fields()
    disjoint = not set(oa["uid"].tolist()) & set(ob["uid"].tolist())
    if same_fields and disjoint:
        oa.extend(ob)
        pa.extend(pb)
        assert_same(oa, pa)
    elif same_fields and len(ob):
        # stricter: the peer checks repeats among the others only, so it would give
        # this dataset a uid twice
        assert refusal(lambda: oa.extend(ob))
    elif len(ob):
        assert refusal(lambda: oa.extend(ob)) and refusal(lambda: pa.extend(pb))


REFUSALS: dict[str, Any] = {
    "a mask of the wrong length": lambda cls, d: d.mask([True] * (len(d) + 1)),
    "interlace of different lengths": lambda cls, d: d.interlace(d.slice(1)),
    "append of a repeated uid": lambda cls, d: d.append(d),
    "a dropped row under assert_no_drop": lambda cls, d: d.innerjoin(
        d.slice(1), assert_no_drop=True
    ),
    "different fields under assert_same_fields": lambda cls, d: cls.common_fields(
        d, d.drop_fields(["ctf/df1_A"], copy=True), assert_same_fields=True
    ),
    "copy_fields of uneven lists": lambda cls, d: d.copy_fields(["ctf/df1_A"], []),
    "add_fields of uneven dtypes": lambda cls, d: d.add_fields(["a/b", "c/d"], ["f4"]),
    "an unknown field": lambda cls, d: d["nope/x"],
    "a query of an unknown field": lambda cls, d: d.query({"nope/x": 1}),
    "an unknown save format": lambda cls, d: d.save(io.BytesIO(), format=3),
    "a file that is not a dataset": lambda cls, d: cls.load(io.BytesIO(b"not a .cs file")),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refusal_is_caught_where_the_peers_is(case: str) -> None:
    """Where the peer raises AssertionError cryoweave raises a ValueError (DatasetError:
    an assertion reports a bug and vanishes under ``python -O``); otherwise the class the
    peer raises (KeyError, TypeError, DatasetLoadError) catches cryoweave's too."""
    ours, peer = both(
        [
            ("uid", np.array([1, 2, 3], np.uint64)),
            ("ctf/df1_A", np.array([1.0, 2.0, 3.0], np.float32)),
            ("blob/path", np.array(["J1/a.mrc", "J1/b.mrc", ""], object)),
        ]
    )
    with pytest.raises(
        (AssertionError, KeyError, TypeError, ValueError, DatasetLoadError)
    ) as theirs:
        REFUSALS[case](Peer, peer)
    caught = ValueError if theirs.type is AssertionError else theirs.type
    with pytest.raises(caught):
        REFUSALS[case](Dataset, ours)
